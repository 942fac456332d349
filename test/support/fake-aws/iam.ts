import { isoSeconds } from './clock.js';
import { ApiError, accessDenied, constraintError, validationError } from './errors.js';
import * as ids from './ids.js';
import { tag, wrap } from './query-protocol.js';
import type { QueryParams } from './query-protocol.js';
import type { SeedAccessKey, SeedUser } from './seed.js';
import type { Caller, FakeState } from './state.js';

/**
 * IAM: ListAccountAliases, and an IAM user's own access keys (GetUser, ListAccessKeys,
 * CreateAccessKey with the two-key quota, UpdateAccessKey, DeleteAccessKey,
 * GetAccessKeyLastUsed), with the restrictions AWS puts on temporary credentials.
 */
export function handleIam(state: FakeState, action: string, params: QueryParams, caller: Caller): string {
  // AWS: GetSessionToken credentials cannot call IAM unless the session was
  // created with MFA; the failure surfaces as an invalid token, not AccessDenied.
  if (caller.kind === 'session-token' && !caller.mfa) {
    throw new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid');
  }
  switch (action) {
    case 'ListAccountAliases':
      return listAccountAliases(state, params, caller);
    case 'GetUser':
      return getUser(state, params, caller);
    case 'ListAccessKeys':
      return listAccessKeys(state, params, caller);
    case 'CreateAccessKey':
      return createAccessKey(state, params, caller);
    case 'UpdateAccessKey':
      return updateAccessKey(state, params, caller);
    case 'DeleteAccessKey':
      return deleteAccessKey(state, params, caller);
    case 'GetAccessKeyLastUsed':
      return getAccessKeyLastUsed(state, params, caller);
    default:
      throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
  }
}

function listAccountAliases(state: FakeState, params: QueryParams, caller: Caller): string {
  const maxItems = params.int('MaxItems');
  if (maxItems !== undefined && (maxItems < 1 || maxItems > 1000)) {
    throw constraintError(maxItems, 'maxItems', 'Member must have value between 1 and 1000');
  }
  // GetFederationToken sessions may not call IAM at all.
  if (caller.kind === 'federated-user') {
    throw accessDenied(`User: ${caller.arn} is not authorized to perform: iam:ListAccountAliases on resource: *`);
  }
  const denied = state.authorize(caller, 'iam:ListAccountAliases');
  if (denied) throw denied;
  const alias = state.accountAlias(caller.account);
  const members = alias === undefined ? '' : tag('member', alias);
  return wrap('AccountAliases', members) + tag('IsTruncated', false);
}

/**
 * The user an access-key call is about: `UserName` if given, else the IAM user behind the
 * caller (AWS: "the user name is determined implicitly based on the AWS access key ID used
 * to sign the request"). A role session has no implicit user.
 */
function targetUser(state: FakeState, params: QueryParams, caller: Caller, action: string): SeedUser {
  if (caller.kind === 'federated-user') throw accessDenied(`User: ${caller.arn} is not authorized to perform: iam:${action} on resource: *`);
  const named = params.get('UserName');
  const own = caller.identity.type === 'user' ? caller.identity : undefined;
  const name = named ?? own?.name;
  if (name === undefined) throw validationError('Must specify userName when calling with non-User credentials');
  const user = state.findUser(caller.account, name);
  const resource = `arn:aws:iam::${caller.account}:user/${name}`;
  const denied = state.authorize(caller, `iam:${action}`, resource);
  if (denied) throw denied;
  if (!user) throw new ApiError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
  return user;
}

const keyStatus = (k: SeedAccessKey) => (k.active === false ? 'Inactive' : 'Active');
const createDate = (state: FakeState, k: SeedAccessKey) => isoSeconds(k.createdAt ?? state.startedAt);

function getUser(state: FakeState, params: QueryParams, caller: Caller): string {
  const user = targetUser(state, params, caller, 'GetUser');
  return wrap(
    'User',
    tag('Path', '/') + tag('UserName', user.name) + tag('UserId', user.userId) + tag('Arn', `arn:aws:iam::${user.account}:user/${user.name}`) + tag('CreateDate', isoSeconds(state.startedAt)),
  );
}

function listAccessKeys(state: FakeState, params: QueryParams, caller: Caller): string {
  const user = targetUser(state, params, caller, 'ListAccessKeys');
  const members = user.accessKeys
    .map((k) => wrap('member', tag('UserName', user.name) + tag('AccessKeyId', k.accessKeyId) + tag('Status', keyStatus(k)) + tag('CreateDate', createDate(state, k))))
    .join('');
  return wrap('AccessKeyMetadata', members) + tag('IsTruncated', false);
}

/** AWS's quota: two access keys per user, Active or Inactive alike. */
export const ACCESS_KEYS_PER_USER = 2;

function createAccessKey(state: FakeState, params: QueryParams, caller: Caller): string {
  const user = targetUser(state, params, caller, 'CreateAccessKey');
  if (user.accessKeys.length >= ACCESS_KEYS_PER_USER) {
    throw new ApiError(409, 'LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
  }
  const now = state.clock.now();
  const key: SeedAccessKey = {
    accessKeyId: ids.userAccessKeyId(),
    secretAccessKey: ids.secretAccessKey(),
    createdAt: now,
    ...(state.keyPropagationMs > 0 ? { usableAt: now + state.keyPropagationMs } : {}),
  };
  user.accessKeys.push(key);
  state.createdKeySecrets.push(key.secretAccessKey);
  return wrap(
    'AccessKey',
    tag('UserName', user.name) + tag('AccessKeyId', key.accessKeyId) + tag('Status', 'Active') + tag('SecretAccessKey', key.secretAccessKey) + tag('CreateDate', isoSeconds(now)),
  );
}

function findKey(user: SeedUser, params: QueryParams): SeedAccessKey {
  const id = params.get('AccessKeyId');
  if (!id) throw validationError("1 validation error detected: Value null at 'accessKeyId' failed to satisfy constraint: Member must not be null");
  const key = user.accessKeys.find((k) => k.accessKeyId === id);
  if (!key) throw new ApiError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
  return key;
}

function updateAccessKey(state: FakeState, params: QueryParams, caller: Caller): string {
  const user = targetUser(state, params, caller, 'UpdateAccessKey');
  const status = params.get('Status');
  if (status !== 'Active' && status !== 'Inactive') {
    throw validationError(`1 validation error detected: Value '${status ?? 'null'}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
  }
  const key = findKey(user, params);
  key.active = status === 'Active';
  return '';
}

function deleteAccessKey(state: FakeState, params: QueryParams, caller: Caller): string {
  const user = targetUser(state, params, caller, 'DeleteAccessKey');
  const key = findKey(user, params);
  user.accessKeys.splice(user.accessKeys.indexOf(key), 1);
  return '';
}

function getAccessKeyLastUsed(state: FakeState, params: QueryParams, caller: Caller): string {
  const id = params.get('AccessKeyId');
  if (!id) throw validationError("1 validation error detected: Value null at 'accessKeyId' failed to satisfy constraint: Member must not be null");
  const found = state.findAccessKey(id);
  // AWS answers AccessDenied for a key that is not the caller's account's, as for one that does not exist.
  if (!found || found.user.account !== caller.account) throw accessDenied(`User: ${caller.arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${id}`);
  const denied = state.authorize(caller, 'iam:GetAccessKeyLastUsed', `arn:aws:iam::${caller.account}:user/${found.user.name}`);
  if (denied) throw denied;
  const used = found.key.lastUsed;
  const last = used
    ? tag('LastUsedDate', isoSeconds(used.at)) + tag('ServiceName', used.service) + tag('Region', used.region)
    : tag('ServiceName', 'N/A') + tag('Region', 'N/A');
  return tag('UserName', found.user.name) + wrap('AccessKeyLastUsed', last);
}

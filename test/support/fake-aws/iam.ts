import { ApiError, accessDenied, constraintError } from './errors.js';
import { tag, wrap } from './query-protocol.js';
import type { QueryParams } from './query-protocol.js';
import type { Caller, FakeState } from './state.js';

/** IAM: ListAccountAliases, with the restrictions AWS puts on temporary credentials. */
export function handleIam(state: FakeState, action: string, params: QueryParams, caller: Caller): string {
  // AWS: GetSessionToken credentials cannot call IAM unless the session was
  // created with MFA; the failure surfaces as an invalid token, not AccessDenied.
  if (caller.kind === 'session-token' && !caller.mfa) {
    throw new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid');
  }
  switch (action) {
    case 'ListAccountAliases':
      return listAccountAliases(state, params, caller);
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

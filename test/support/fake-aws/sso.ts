import { createHmac, randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';
import { shortHex, stableId } from './ids.js';
import type { RecordDraft } from './recorder.js';
import type { RestRequest } from './rest-json.js';
import type { SeedAssignment, SeedSsoInstance } from './seed.js';
import type { SsoStore } from './sso-store.js';
import type { FakeState } from './state.js';

/**
 * The IAM Identity Center portal (`portal.sso.<region>.amazonaws.com`):
 * GetRoleCredentials, ListAccounts, ListAccountRoles, Logout. Not SigV4-signed;
 * the caller is whoever the `x-amz-sso_bearer_token` access token belongs to.
 */

export const SSO_ROUTES: Record<string, { method: string; action: string }> = {
  '/federation/credentials': { method: 'GET', action: 'GetRoleCredentials' },
  '/assignment/accounts': { method: 'GET', action: 'ListAccounts' },
  '/assignment/roles': { method: 'GET', action: 'ListAccountRoles' },
  '/logout': { method: 'POST', action: 'Logout' },
};

/** Pages are capped like AWS's: a client asking for more still has to follow nextToken. */
const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

/** The reserved role IAM Identity Center creates in each account for a permission set. */
export function ssoRoleName(instance: SeedSsoInstance, permissionSet: string, accountId: string): string {
  return `AWSReservedSSO_${permissionSet}_${shortHex(`${instance.startUrl}|${permissionSet}|${accountId}`)}`;
}

export function ssoRoleArn(instance: SeedSsoInstance, permissionSet: string, accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/${instance.region}/${ssoRoleName(instance, permissionSet, accountId)}`;
}

const invalidRequest = (message: string): ApiError => new ApiError(400, 'InvalidRequestException', message);

export class SsoPortal {
  /** Keys the opaque pagination tokens so clients cannot forge or reuse them across lists. */
  private readonly tokenKey = randomBytes(16);

  constructor(
    private readonly state: FakeState,
    private readonly store: SsoStore,
  ) {}

  handle(action: string, req: RestRequest, rec: RecordDraft): unknown {
    const bearer = req.headers.get('x-amz-sso_bearer_token');
    rec.bearer = bearer !== undefined && bearer !== '';
    const token = this.store.resolveBearer(bearer || undefined);
    switch (action) {
      case 'GetRoleCredentials':
        return this.getRoleCredentials(token, req, rec);
      case 'ListAccounts':
        return this.listAccounts(token, req);
      case 'ListAccountRoles':
        return this.listAccountRoles(token, req, rec);
      case 'Logout':
        this.store.logout(bearer ?? '');
        return undefined;
      default:
        throw new ApiError(404, 'UnknownOperationException', `Unknown operation ${action}`);
    }
  }

  private assignments(instance: SeedSsoInstance, username: string): SeedAssignment[] {
    return instance.assignments.filter((a) => a.username === username && a.permissionSets.length > 0);
  }

  private getRoleCredentials(
    token: { username: string; instance: SeedSsoInstance },
    req: RestRequest,
    rec: RecordDraft,
  ): unknown {
    const roleName = req.query.get('role_name');
    const accountId = req.query.get('account_id');
    if (roleName) rec.roleName = roleName;
    if (accountId) rec.account = accountId;
    if (!roleName || !accountId) throw invalidRequest('role_name and account_id are required');
    const { instance, username } = token;
    const assigned = this.assignments(instance, username).some(
      (a) => a.accountId === accountId && a.permissionSets.includes(roleName),
    );
    const ps = instance.permissionSets.find((p) => p.name === roleName);
    if (!assigned || !ps) throw new ApiError(403, 'ForbiddenException', 'No access');

    const reservedName = ssoRoleName(instance, roleName, accountId);
    const roleArn = ssoRoleArn(instance, roleName, accountId);
    const arn = `arn:aws:sts::${accountId}:assumed-role/${reservedName}/${username}`;
    const session = this.state.issueSession(
      {
        kind: 'assumed-role',
        account: accountId,
        arn,
        userId: `${stableId('AROA', roleArn)}:${username}`,
        principalArn: roleArn,
        identity: { type: 'permission-set', startUrl: instance.startUrl, name: roleName },
        roleArn,
        roleSessionName: username,
        ssoUser: username,
        mfa: false,
      },
      ps.sessionDurationSeconds ?? 3600,
    );
    rec.roleArn = roleArn;
    rec.callerArn = arn;
    return {
      roleCredentials: {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiration: session.expiresAt,
      },
    };
  }

  private listAccounts(token: { username: string; instance: SeedSsoInstance }, req: RestRequest): unknown {
    const seen = new Set<string>();
    const accounts: Array<{ accountId: string; accountName: string; emailAddress: string }> = [];
    for (const a of this.assignments(token.instance, token.username)) {
      if (seen.has(a.accountId)) continue;
      seen.add(a.accountId);
      const acct = this.state.seed.accounts.find((x) => x.id === a.accountId);
      accounts.push({ accountId: a.accountId, accountName: acct?.name ?? a.accountId, emailAddress: acct?.email ?? '' });
    }
    const page = this.page(accounts, req, 'accounts');
    return { accountList: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  private listAccountRoles(token: { username: string; instance: SeedSsoInstance }, req: RestRequest, rec: RecordDraft): unknown {
    const accountId = req.query.get('account_id');
    if (!accountId) throw invalidRequest('account_id is required');
    rec.account = accountId;
    const roles = this.assignments(token.instance, token.username)
      .filter((a) => a.accountId === accountId)
      .flatMap((a) => a.permissionSets.map((roleName) => ({ roleName, accountId })));
    const page = this.page(roles, req, `roles:${accountId}`);
    return { roleList: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  private page<T>(items: T[], req: RestRequest, list: string): { items: T[]; nextToken?: string } {
    const maxRaw = req.query.get('max_result');
    let size = DEFAULT_PAGE;
    if (maxRaw !== null) {
      const n = Number(maxRaw);
      if (!Number.isInteger(n) || n < 1) throw invalidRequest('max_result must be a positive integer');
      size = Math.min(n, MAX_PAGE);
    }
    const next = req.query.get('next_token');
    const offset = next ? this.readToken(next, list) : 0;
    const slice = items.slice(offset, offset + size);
    const end = offset + slice.length;
    return end < items.length ? { items: slice, nextToken: this.makeToken(end, list) } : { items: slice };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.tokenKey).update(payload).digest('base64url').slice(0, 22);
  }

  private makeToken(offset: number, list: string): string {
    const payload = `${list}|${offset}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.sign(payload)}`;
  }

  private readToken(token: string, list: string): number {
    const [body, mac] = token.split('.');
    const payload = Buffer.from(body ?? '', 'base64url').toString();
    const [tokenList, offset] = payload.split('|');
    if (!mac || mac !== this.sign(payload) || tokenList !== list || !/^\d+$/.test(offset ?? '')) {
      throw invalidRequest('Invalid nextToken');
    }
    return Number(offset);
  }
}

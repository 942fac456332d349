import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticate, readAuthorization } from './auth.js';
import { ApiError, signatureDoesNotMatch } from './errors.js';
import type { Faults, InjectedFault } from './faults.js';
import { handleIam } from './iam.js';
import type { ServiceModels } from './model-check.js';
import * as ids from './ids.js';
import { OIDC_ROUTES } from './oidc.js';
import type { OidcService } from './oidc.js';
import { IAM, QueryParams, STS, queryError, queryResponse } from './query-protocol.js';
import type { QueryService } from './query-protocol.js';
import type { RecordDraft, RecordedRequest } from './recorder.js';
import { jsonError, jsonOk } from './rest-json.js';
import type { JsonReply, RestRequest } from './rest-json.js';
import { headerValues } from './sigv4.js';
import type { AuthorizationHeader, WireRequest } from './sigv4.js';
import { SSO_ROUTES } from './sso.js';
import type { SsoPortal } from './sso.js';
import type { SigninService } from './signin.js';
import type { FakeState } from './state.js';
import { handleSts } from './sts.js';

/**
 * One HTTP endpoint for four services. SSO portal and OIDC calls are told apart
 * by path (their REST routes), everything else is awsQuery, routed to STS or
 * IAM by the service in the SigV4 credential scope (or by Version if unsigned).
 */

export interface ServerContext {
  state: FakeState;
  portal: SsoPortal;
  oidc: OidcService;
  signin: SigninService;
  faults: Faults;
  /** botocore's service models: every parameter is checked as AWS checks it (model-check.ts). */
  models: ServiceModels;
  record(entry: RecordedRequest): void;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const MAX_BODY = 1024 * 1024;
const UNSIGNED_ACTIONS = new Set(['AssumeRoleWithWebIdentity']);

export function createFakeServer(ctx: ServerContext): Server {
  return createServer((req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      // A bug in the fake must be loud, not a hung client.
      process.stderr.write(`fake-aws: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error in fake-aws');
    });
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer; // IncomingMessage yields Buffers when no encoding is set.
    size += buf.length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'Request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (ctx.faults.latencyMs > 0) await delay(ctx.faults.latencyMs);

  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const wire: WireRequest = {
    method: req.method ?? 'GET',
    rawPath: q < 0 ? rawUrl : rawUrl.slice(0, q),
    rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
    rawHeaders: req.rawHeaders,
  };
  const path = safeDecode(wire.rawPath).replace(/\/+$/, '') || '/';
  const requestId = ids.requestId();

  let reply: Reply;
  let rec: RecordDraft;
  let errorCode: string | undefined;
  const ssoRoute = SSO_ROUTES[path];
  const route = ssoRoute ?? OIDC_ROUTES[path];
  if (path === '/federation') {
    // The console sign-in endpoint: plain GETs, no SigV4 (the credentials travel in the query).
    rec = { service: 'signin', action: '' };
    const fault = ctx.faults.take(new URLSearchParams(wire.rawQuery).get('Action') ?? '');
    reply = fault
      ? { status: fault.status, headers: { 'content-type': 'text/plain' }, body: `${fault.message ?? fault.code}\n` }
      : ctx.signin.handle(wire.method, new URLSearchParams(wire.rawQuery), rec);
    if (reply.status >= 400) errorCode = `HTTP${reply.status}`;
  } else if (route) {
    const service = ssoRoute ? 'sso' : 'sso-oidc';
    rec = { service, action: route.action };
    const rest: RestRequest = {
      method: wire.method,
      path,
      query: new URLSearchParams(wire.rawQuery),
      headers: headerValues(wire.rawHeaders),
      body: body.toString('utf8'),
    };
    const r = restCall(ctx, service, route, rest, rec);
    reply = r.reply;
    errorCode = r.errorCode;
  } else {
    rec = { service: 'unknown', action: '' };
    const r = queryCall(ctx, wire, body, rec, requestId);
    reply = r.reply;
    errorCode = r.errorCode;
  }

  const entry: RecordedRequest = { ...rec, status: reply.status, time: ctx.state.clock.now() };
  if (errorCode !== undefined) entry.errorCode = errorCode;
  const userAgent = headerValues(wire.rawHeaders).get('user-agent');
  if (userAgent !== undefined) entry.userAgent = userAgent;
  ctx.record(entry);

  res.writeHead(reply.status, {
    ...reply.headers,
    'x-amzn-requestid': requestId,
    // The SDK corrects its clock skew from this header, so it must be the fake clock.
    date: new Date(ctx.state.clock.now()).toUTCString(),
    'content-length': String(Buffer.byteLength(reply.body)),
  });
  res.end(reply.body);
}

/** The body as the model check reads it; one that is not a JSON object is the handler's to refuse. */
function looseJson(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // Malformed escapes: no REST route matches, so it falls through to awsQuery.
  }
}

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  process.stderr.write(`fake-aws: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return new ApiError(500, 'InternalFailure', 'The request processing has failed because of an unknown error.');
}

const injected = (fault: InjectedFault, body?: Record<string, string>): ApiError =>
  new ApiError(fault.status, fault.code, fault.message ?? fault.code, body);

function restCall(
  ctx: ServerContext,
  service: 'sso' | 'sso-oidc',
  route: { method: string; action: string },
  req: RestRequest,
  rec: RecordDraft,
): { reply: JsonReply; errorCode?: string } {
  try {
    if (req.method !== route.method) throw new ApiError(404, 'UnknownOperationException', `No ${req.method} ${req.path}`);
    const fault = ctx.faults.take(route.action);
    if (fault) {
      const msg = fault.message ?? fault.code;
      throw injected(fault, service === 'sso-oidc' ? { error: fault.code, error_description: msg } : undefined);
    }
    const invalid = ctx.models.checkRest(service, route.action, req, looseJson(req.body));
    if (invalid) throw invalid;
    const result = service === 'sso' ? ctx.portal.handle(route.action, req, rec) : ctx.oidc.handle(route.action, req, rec);
    return { reply: jsonOk(result ?? {}) };
  } catch (err) {
    const e = asApiError(err);
    return { reply: jsonError(service, e), errorCode: e.code };
  }
}

function queryCall(
  ctx: ServerContext,
  wire: WireRequest,
  body: Buffer,
  rec: RecordDraft,
  requestId: string,
): { reply: Reply; errorCode?: string } {
  const params = new QueryParams(wire.rawQuery, body.toString('utf8'));
  const action = params.get('Action') ?? '';
  const version = params.get('Version');
  let service: QueryService = version === IAM.version ? IAM : STS;
  rec.action = action;
  rec.service = service.name;
  try {
    let auth: AuthorizationHeader | undefined;
    let authError: unknown;
    try {
      auth = readAuthorization(wire);
    } catch (err) {
      authError = err;
    }
    if (auth) {
      rec.accessKeyId = auth.accessKeyId;
      if (auth.service === 'iam' || auth.service === 'sts') {
        service = auth.service === 'iam' ? IAM : STS;
        rec.service = service.name;
      }
    }
    const fault = ctx.faults.take(action);
    if (fault) throw injected(fault);
    if (authError) throw authError;
    if (auth && auth.service !== service.name) {
      throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${service.name}'. `);
    }
    // AssumeRoleWithWebIdentity is the one call here that needs no signature: the token is the
    // credential. A signed one is still checked, as AWS checks it.
    const unsigned = !auth && service === STS && UNSIGNED_ACTIONS.has(action);
    const caller = unsigned ? undefined : authenticate(ctx.state, { ...wire, body }, auth);
    if (caller) {
      rec.callerArn = caller.arn;
      rec.account = caller.account;
    }
    if (!action) throw new ApiError(400, 'MissingAction', 'Missing Action');
    if (version !== service.version) {
      throw new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
    }
    const invalid = ctx.models.checkQuery(service.name, action, params);
    if (invalid) throw invalid;
    const result =
      // Only STS calls go unsigned, so an IAM call always has its caller.
      service === IAM ? handleIam(ctx.state, action, params, caller!) : handleSts(ctx.state, action, params, caller, rec);
    // After the answer, as IAM's last-used record lags: GetAccessKeyLastUsed does not report itself.
    if (caller?.kind === 'user' && auth) ctx.state.noteKeyUse(caller.accessKeyId, auth.service, auth.region);
    return { reply: { status: 200, headers: { 'content-type': 'text/xml' }, body: queryResponse(service, action, result, requestId) } };
  } catch (err) {
    const e = asApiError(err);
    return {
      reply: { status: e.status, headers: { 'content-type': 'text/xml' }, body: queryError(service, e, requestId) },
      errorCode: e.code,
    };
  }
}

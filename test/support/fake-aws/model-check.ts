import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from './errors.js';
import type { QueryParams } from './query-protocol.js';
import type { RestRequest } from './rest-json.js';

/**
 * Every request checked against the service's own model, as AWS checks it before the operation
 * runs: required members, string length, integer range, list length, enums and patterns, from
 * botocore's service-2.json (Debian's python3-botocore, installed in CI). The handlers then only
 * see what AWS would let through, so a test fails where the real service would refuse.
 *
 * Patterns are Java regular expressions matched against the whole value; the few constructs
 * that differ in JavaScript are translated (see `javaPattern`).
 */

export const BOTOCORE_DATA = '/usr/lib/python3/dist-packages/botocore/data';

export type ModelService = 'sts' | 'iam' | 'sso' | 'sso-oidc';

const VERSIONS: Record<ModelService, string> = { sts: '2011-06-15', iam: '2010-05-08', sso: '2019-06-10', 'sso-oidc': '2019-06-10' };

interface Shape {
  type: string;
  members?: Record<string, { shape: string; location?: string; locationName?: string }>;
  required?: string[];
  member?: { shape: string; locationName?: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  flattened?: boolean;
}

interface Model {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

/** A value decoded from the wire, in the model's terms. */
type Value = string | number | boolean | Value[] | { [k: string]: Value } | null;

export class ServiceModels {
  private readonly models = new Map<ModelService, Model>();
  private readonly patterns = new Map<string, RegExp>();

  /** Throws when a model is missing: a fake that silently stopped checking would prove nothing. */
  constructor(dir = BOTOCORE_DATA) {
    for (const [service, version] of Object.entries(VERSIONS) as Array<[ModelService, string]>) {
      const file = join(dir, service, version, 'service-2.json');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new Error(`fake-aws: cannot read ${file}; install python3-botocore (apt-get install python3-botocore)`);
      }
      const model = JSON.parse(text) as Model;
      this.models.set(service, model);
      for (const shape of Object.values(model.shapes)) if (shape.pattern) this.pattern(shape.pattern);
    }
  }

  /** awsQuery (STS, IAM): a ValidationError like AWS's, or undefined when the request is valid. */
  checkQuery(service: 'sts' | 'iam', action: string, params: QueryParams): ApiError | undefined {
    const model = this.models.get(service)!;
    const inputName = model.operations[action]?.input?.shape;
    if (!inputName) return undefined; // unknown actions are the handler's to refuse
    const value = decodeQuery(model, model.shapes[inputName]!, '', params);
    const problems = this.check(model, inputName, value, '');
    return problems.length ? new ApiError(400, 'ValidationError', validationMessage(problems)) : undefined;
  }

  /** REST-JSON (SSO portal, SSO-OIDC): InvalidRequestException, the error both models declare. */
  checkRest(service: 'sso' | 'sso-oidc', action: string, req: RestRequest, body: Record<string, unknown>): ApiError | undefined {
    const model = this.models.get(service)!;
    const inputName = model.operations[action]?.input?.shape;
    if (!inputName) return undefined;
    const input: Record<string, Value> = {};
    const members = model.shapes[inputName]!.members ?? {};
    for (const [name, m] of Object.entries(members)) {
      const shape = model.shapes[m.shape]!;
      let raw: Value | undefined;
      // The bearer token travels in a header, and AWS authenticates before it checks
      // parameters: a missing or bad token is the handler's 401, not a validation error.
      if (m.location === 'header') continue;
      if (m.location === 'querystring') raw = req.query.get(m.locationName!) ?? undefined;
      else if (m.location === 'uri') continue; // none of these services' inputs has one
      else raw = body[name] as Value | undefined;
      if (raw === undefined) continue;
      input[name] = typeof raw === 'string' && (shape.type === 'integer' || shape.type === 'long') && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    }
    const headers = new Set(Object.entries(members).filter(([, m]) => m.location === 'header').map(([name]) => name));
    const problems = this.check(model, inputName, input, '', headers);
    if (!problems.length) return undefined;
    const message = validationMessage(problems);
    return service === 'sso-oidc'
      ? new ApiError(400, 'InvalidRequestException', message, { error: 'invalid_request', error_description: message })
      : new ApiError(400, 'InvalidRequestException', message);
  }

  private check(model: Model, shapeName: string, value: Value | undefined, path: string, skipRequired: ReadonlySet<string> = new Set()): string[] {
    const shape = model.shapes[shapeName]!;
    if (value === undefined || value === null) return [];
    const shown = (v: Value) => (shape.sensitive ? '***' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    const at = (constraint: string) => `Value '${shown(value)}' at '${path}' failed to satisfy constraint: Member must ${constraint}`;
    const out: string[] = [];
    switch (shape.type) {
      case 'structure': {
        if (typeof value !== 'object' || Array.isArray(value)) return [at('be a structure')];
        for (const req of shape.required ?? []) {
          if (skipRequired.has(req)) continue;
          if (value[req] === undefined || value[req] === null) out.push(`Value null at '${join2(path, req)}' failed to satisfy constraint: Member must not be null`);
        }
        for (const [name, m] of Object.entries(shape.members ?? {})) out.push(...this.check(model, m.shape, value[name], join2(path, name)));
        return out;
      }
      case 'list': {
        if (!Array.isArray(value)) return [at('be a list')];
        if (shape.min !== undefined && value.length < shape.min) out.push(at(`have length greater than or equal to ${shape.min}`));
        if (shape.max !== undefined && value.length > shape.max) out.push(at(`have length less than or equal to ${shape.max}`));
        value.forEach((item, i) => out.push(...this.check(model, shape.member!.shape, item, `${path}.${i + 1}.member`)));
        return out;
      }
      case 'map':
        return out;
      case 'integer':
      case 'long': {
        const n = typeof value === 'number' ? value : Number.NaN;
        if (!Number.isInteger(n)) return [at('be an integer')];
        if (shape.min !== undefined && n < shape.min) out.push(at(`have value greater than or equal to ${shape.min}`));
        if (shape.max !== undefined && n > shape.max) out.push(at(`have value less than or equal to ${shape.max}`));
        return out;
      }
      case 'string': {
        if (typeof value !== 'string') return [at('be a string')];
        const length = [...value].length;
        if (shape.min !== undefined && length < shape.min) out.push(at(`have length greater than or equal to ${shape.min}`));
        if (shape.max !== undefined && length > shape.max) out.push(at(`have length less than or equal to ${shape.max}`));
        if (shape.enum && !shape.enum.includes(value)) out.push(at(`satisfy enum value set: [${shape.enum.join(', ')}]`));
        if (shape.pattern && !this.pattern(shape.pattern).test(value)) out.push(at(`satisfy regular expression pattern: ${shape.pattern}`));
        return out;
      }
      default:
        return out;
    }
  }

  private pattern(source: string): RegExp {
    if (!this.patterns.has(source)) this.patterns.set(source, javaPattern(source));
    return this.patterns.get(source)!;
  }
}

/** AWS names members lowerCamel in these messages: `roleSessionName`, `policyArns.1.member.arn`. */
function join2(path: string, name: string): string {
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  return path ? `${path}.${member}` : member;
}

function validationMessage(problems: string[]): string {
  return `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}

/**
 * A Java pattern as a JavaScript one, matched against the whole value (Java's `matches`). With
 * the `u` flag (needed for `\p{L}`), `\u10000` is written `\u{10000}` and an escaped punctuation
 * character that is not special (`\:`) loses its backslash. A pattern that still does not
 * compile is an error: the check must not quietly pass everything.
 */
export function javaPattern(source: string): RegExp {
  const js = source.replace(/\\u([0-9A-Fa-f]{5,6})/g, '\\u{$1}').replace(/\\([,:@=&'"#%!~`<>_ ])/g, '$1');
  return new RegExp(`^(?:${js})$`, 'u');
}

/** The awsQuery wire form (`A.member.1`, `Tags.member.2.Key`) decoded into the model's shape. */
function decodeQuery(model: Model, shape: Shape, prefix: string, params: QueryParams): Value | undefined {
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, Value> = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const key = prefix ? `${prefix}.${m.locationName ?? name}` : (m.locationName ?? name);
        const v = decodeQuery(model, model.shapes[m.shape]!, key, params);
        if (v !== undefined) out[name] = v;
      }
      return prefix && Object.keys(out).length === 0 ? undefined : out;
    }
    case 'list': {
      const base = shape.flattened ? prefix : `${prefix}.member`;
      const indexes = new Set<number>();
      for (const name of params.names()) {
        const m = name.startsWith(`${base}.`) ? /^(\d+)/.exec(name.slice(base.length + 1)) : null;
        if (m) indexes.add(Number(m[1]));
      }
      // An empty list travels as `Name=` (the SDK's way of sending []).
      if (!indexes.size) return params.get(prefix) === '' ? [] : undefined;
      const item = model.shapes[shape.member!.shape]!;
      return [...indexes].sort((a, b) => a - b).map((i) => decodeQuery(model, item, `${base}.${i}`, params) ?? null);
    }
    case 'integer':
    case 'long': {
      const raw = params.get(prefix);
      if (raw === undefined) return undefined;
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    }
    case 'boolean': {
      const raw = params.get(prefix);
      return raw === undefined ? undefined : raw === 'true';
    }
    default:
      return params.get(prefix);
  }
}

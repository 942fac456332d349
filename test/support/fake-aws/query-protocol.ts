import type { ApiError } from './errors.js';
import { validationError } from './errors.js';

/**
 * The awsQuery protocol (STS, IAM): form-encoded `Action=…&Version=…` requests,
 * XML responses wrapped in `<ActionResponse><ActionResult>` and errors as
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
 */

export interface QueryService {
  name: 'sts' | 'iam';
  version: string;
  namespace: string;
}

export const STS: QueryService = { name: 'sts', version: '2011-06-15', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/' };
export const IAM: QueryService = { name: 'iam', version: '2010-05-08', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/' };

/** Parameters from the query string and the form body (awsQuery accepts both). */
export class QueryParams {
  private readonly values = new Map<string, string>();

  constructor(rawQuery: string, body: string) {
    for (const source of [rawQuery, body]) {
      for (const [k, v] of new URLSearchParams(source)) this.values.set(k, v);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  /** `Prefix.member.N[.suffix]` lists, in N order. */
  list(prefix: string, suffix?: string): string[] {
    const out: Array<[number, string]> = [];
    const re = new RegExp(`^${prefix}\\.member\\.(\\d+)${suffix ? `\\.${suffix}` : ''}$`);
    for (const [k, v] of this.values) {
      const m = re.exec(k);
      if (m) out.push([Number(m[1]), v]);
    }
    return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  }

  /** An integer parameter, or undefined if absent. */
  int(name: string): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw)) throw validationError(`Value '${raw}' for parameter ${name} is invalid. Not a valid integer.`);
    return Number(raw);
  }
}

export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An element with escaped text content; undefined values produce nothing. */
export const tag = (name: string, value: string | number | boolean | undefined): string =>
  value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;

/** An element wrapping already-built XML. */
export const wrap = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

export function queryResponse(service: QueryService, action: string, resultXml: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${service.namespace}">\n` +
    `  <${action}Result>${resultXml}</${action}Result>\n` +
    `  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>\n` +
    `</${action}Response>\n`
  );
}

export function queryError(service: QueryService, err: ApiError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${service.namespace}">\n` +
    `  <Error>\n` +
    `    <Type>${err.fault}</Type>\n` +
    `    <Code>${xmlEscape(err.code)}</Code>\n` +
    `    <Message>${xmlEscape(err.message)}</Message>\n` +
    `  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}

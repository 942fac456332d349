/** Credentials as they flow through the engine. Never logged, never put in an error message. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** What a child may receive: short-lived, so it always has a token and an end. */
export interface TemporaryCredentials extends Credentials {
  sessionToken: string;
  expiration: Date;
}

/** Long-term IAM user keys: usable to make a session, never handed on. */
export function isLongTerm(c: Credentials): boolean {
  return !c.sessionToken;
}

/** A session policy applied on the last hop that can take one. */
export interface Scope {
  /** Inline policy JSON, already validated as JSON. */
  policy?: string;
  policyArns: string[];
  readOnly: boolean;
}

export const READ_ONLY_POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

export function scopeIsEmpty(scope: Scope | undefined): boolean {
  return !scope || (scope.policy === undefined && scope.policyArns.length === 0);
}

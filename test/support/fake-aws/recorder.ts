/**
 * What the fake remembers about each request. Deliberately no secrets: never a
 * secret key, session token, bearer/refresh token, client secret or MFA code,
 * so tests can print or snapshot the log freely.
 */
export interface RecordedRequest {
  service: 'sts' | 'iam' | 'sso' | 'sso-oidc' | 'signin' | 'unknown';
  action: string;
  status: number;
  errorCode?: string;
  /** Fake-clock time of the request, ms. */
  time: number;
  accessKeyId?: string;
  callerArn?: string;
  account?: string;
  roleArn?: string;
  roleSessionName?: string;
  externalId?: string;
  serialNumber?: string;
  /** The TOTP step an MFA code was accepted for (never the code). */
  mfaStep?: number;
  /** AssumeRoleWithWebIdentity (the token itself is never recorded). */
  webIdentity?: boolean;
  /** The verified token's `jti` and `sub` claims (identifiers, not the token). */
  webIdentityTokenId?: string;
  webIdentitySubject?: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: string[];
  /** SSO portal: whether a bearer token was sent (never the token itself). */
  bearer?: boolean;
  /** SSO portal: permission set name asked for. */
  roleName?: string;
  /** OIDC: the start URL of a device authorization. */
  startUrl?: string;
  /** OIDC: the grant type of CreateToken. */
  grantType?: string;
  /** Console federation: SessionDuration as sent (getSigninToken). */
  sessionDuration?: number;
  /** Console federation: the login's Destination. */
  destination?: string;
  /** The client's User-Agent (the SDK's carries the app id it read from the config, `app/ID`). */
  userAgent?: string;
}

/** A record under construction: handlers fill in what they learn. */
export type RecordDraft = Omit<RecordedRequest, 'status' | 'time'> & Partial<Pick<RecordedRequest, 'status' | 'time'>>;

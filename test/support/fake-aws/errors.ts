/**
 * One error type for every protocol: each front end (awsQuery XML, REST-JSON)
 * renders it in its own wire shape. Messages copy AWS's wording because callers
 * (and people reading test failures) match on them.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** awsQuery `<Type>`: Sender for client faults, Receiver for server faults. */
  readonly fault: 'Sender' | 'Receiver';
  /** Extra JSON fields for REST-JSON errors (OIDC puts `error`/`error_description` here). */
  readonly body: Record<string, string> | undefined;

  constructor(status: number, code: string, message: string, body?: Record<string, string>) {
    super(message);
    this.name = code;
    this.status = status;
    this.code = code;
    this.fault = status >= 500 ? 'Receiver' : 'Sender';
    this.body = body;
  }
}

export const invalidClientTokenId = (): ApiError =>
  new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');

export const expiredToken = (): ApiError =>
  new ApiError(400, 'ExpiredToken', 'The security token included in the request is expired');

export const signatureDoesNotMatch = (
  message = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
): ApiError => new ApiError(403, 'SignatureDoesNotMatch', message);

export const incompleteSignature = (message: string): ApiError => new ApiError(400, 'IncompleteSignature', message);

export const missingAuthenticationToken = (): ApiError =>
  new ApiError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');

export const accessDenied = (message: string): ApiError => new ApiError(403, 'AccessDenied', message);

export const validationError = (message: string): ApiError => new ApiError(400, 'ValidationError', message);

/** STS/IAM request-parameter constraint failures use this exact phrasing. */
export function constraintError(value: string | number, member: string, constraint: string): ApiError {
  return validationError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

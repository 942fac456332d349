import { ApiError } from './errors.js';

/**
 * Session policies, evaluated simply but honestly: an explicit Deny whose
 * Action matches wins; otherwise some Allow must match. Action patterns use
 * IAM's `*`/`?` wildcards, case-insensitively. Resource and Condition are not
 * evaluated (every action the fake serves is account-wide, `Resource: *`).
 */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** Built-in AWS managed policies, reduced to the actions that matter here. */
export const AWS_MANAGED_POLICIES: Record<string, PolicyDocument> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  'arn:aws:iam::aws:policy/ReadOnlyAccess': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['iam:Get*', 'iam:List*', 'iam:Generate*', 'iam:Simulate*', 'sts:GetAccessKeyInfo', 'ec2:Describe*', 's3:Get*', 's3:List*'],
        Resource: '*',
      },
    ],
  },
  'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['iam:List*', 'iam:Get*', 'ec2:Describe*'], Resource: '*' }],
  },
};

/** Matches an IAM action (or ARN) pattern with `*` and `?` wildcards. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, caseInsensitive ? 'i' : '').test(value);
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statementMatches(st: PolicyStatement, action: string): boolean {
  if (st.Action !== undefined) return asList(st.Action).some((p) => wildcardMatch(p, action));
  if (st.NotAction !== undefined) return !asList(st.NotAction).some((p) => wildcardMatch(p, action));
  return false;
}

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

export function evaluate(docs: PolicyDocument[], action: string): Decision {
  let allowed = false;
  for (const doc of docs) {
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const st of statements) {
      if (!statementMatches(st, action)) continue;
      if (st.Effect === 'Deny') return 'explicit-deny';
      if (st.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** Identity permissions in the seed are plain action-pattern lists. */
export const allowListDocument = (allow: string[] | undefined): PolicyDocument => ({
  Statement: [{ Effect: 'Allow', Action: allow ?? ['*'] }],
});

const malformed = (): ApiError => new ApiError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');

/** Parses an inline session policy the way STS validates it (JSON, Statement with Effect). */
export function parsePolicy(json: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw malformed();
  }
  if (typeof doc !== 'object' || doc === null || !('Statement' in doc)) {
    throw new ApiError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  const statements = (doc as { Statement: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  for (const st of list) {
    const effect = (st as { Effect?: unknown } | null)?.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') {
      throw new ApiError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
    }
  }
  return doc as PolicyDocument;
}

/**
 * AWS's rule for an account alias (iam:CreateAccountAlias): 3 to 63 characters, lowercase
 * letters, digits and hyphens, no hyphen at either end nor two in a row. The alias comes from
 * whoever controls the account; one that breaks the rule did not come from IAM as AWS runs it,
 * and is never shown, typed or matched as a name.
 */
const ALIAS_RULE = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export function isValidAccountAlias(alias: string): boolean {
  return ALIAS_RULE.test(alias);
}

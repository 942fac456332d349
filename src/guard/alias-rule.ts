/**
 * AWS's own rule for an account alias (IAM CreateAccountAlias, botocore's `accountAliasType`:
 * `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`): lowercase letters, digits and single hyphens,
 * 3 to 63 characters, neither starting nor ending with a hyphen. An answer from IAM that breaks
 * it did not come from an honest IAM: it is not used as an alias at all (the account id stands
 * in), since the alias names the account in the identity line and in what must be typed.
 */
const ACCOUNT_ALIAS = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export function isValidAccountAlias(alias: string): boolean {
  return ACCOUNT_ALIAS.test(alias);
}

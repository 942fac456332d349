/**
 * The picker's first guess at which profiles are protected: a name or alias containing the
 * word prod, production, prd or live. Words are split on anything that is not a letter or a
 * digit, so `acme-prod` and `prod.admin` are protected and `product` or `prod2` are not.
 * `awsguard pick` passes the guard's own rules (src/guard/protection.ts with the settings file)
 * instead; this default serves callers that have none. The badge decides nothing either way.
 */
// One regular expression rather than splitting into words: it runs for every profile before the first frame.
const PROTECTED = /(?:^|[^\p{L}\p{N}])(?:prod|production|prd|live)(?![\p{L}\p{N}])/iu;

export function looksProtected(...texts: ReadonlyArray<string | undefined>): boolean {
  return texts.some((text) => text !== undefined && PROTECTED.test(text));
}

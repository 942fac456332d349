/**
 * The sections of a shared config or credentials file that the AWS SDK's own settings readers
 * look at: the profile it reads (its `profile` option, else AWS_PROFILE, else default), default,
 * and every [sso-session] and [services] section. The SDK parses the whole of each file into
 * objects at its first client call; with tens of thousands of profiles that was most of a cache
 * miss (a third of a second at 10,000) and tens of MiB that doctor kept. dist/aws-sdk.cjs hands
 * its parser only these sections (scripts/build.mjs, parseIniOnce), the rest of the file's lines
 * left out whole, so what it makes of them is what it would have made of the whole file.
 *
 * Sections are found as the SDK's parseIni finds them, line by line: its line split, comment
 * cut and trim, its header test and its name for a header (PREFIXED is its prefixKeyRegex).
 */
const PREFIXED = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SECTION_TYPES = ['profile', 'sso-session', 'services'];
/** Names the SDK's parser throws on (which makes it ignore the file): kept, so it still does. */
const REFUSED = ['__proto__', 'profile __proto__'];

/** The profile the SDK reads settings from, as its getProfileName picks it. */
export function sdkProfileName(init: { profile?: string }, env: NodeJS.ProcessEnv = process.env): string {
  return init.profile || env.AWS_PROFILE || 'default';
}

export function sectionsTheSdkReads(text: string, profile: string): string {
  const kept: string[] = [];
  let keep = false;
  for (const line of text.split(/\r?\n/)) {
    // A header has a "[" in it; the SDK's test proper only for such lines.
    if (line.indexOf('[') !== -1) {
      const trimmed = line.split(/(^|\s)[;#]/)[0]!.trim();
      if (trimmed[0] === '[' && trimmed[trimmed.length - 1] === ']') {
        const name = trimmed.substring(1, trimmed.length - 1);
        const m = PREFIXED.exec(name);
        const section = m ? (SECTION_TYPES.includes(m[1]!) ? `${m[1]}.${m[3]}` : undefined) : name;
        keep =
          REFUSED.includes(name) ||
          (section !== undefined &&
            (section === profile || section === `profile.${profile}` || section === 'default' || section === 'profile.default' || section.startsWith('sso-session.') || section.startsWith('services.')));
      }
    }
    if (keep) kept.push(line);
  }
  return kept.join('\n');
}

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

/** Where each section of a text starts (its header line), and what the SDK's parser calls it. */
interface SectionIndex {
  starts: number[];
  /** `profile.NAME`, `sso-session.NAME`, `services.NAME` or a plain name; undefined for a prefix the SDK drops. */
  names: Array<string | undefined>;
}

/**
 * The sections of the texts cut lately. Doctor makes a pair of IAM clients per long-term key,
 * each reading its own profile from the same text: finding the headers once rather than
 * splitting a 50,000-profile file into lines per client was most of that pass. A few texts at
 * most (the config and credentials files, read again after an edit).
 */
const indexes = new Map<string, SectionIndex>();
const KEPT_INDEXES = 4;

function sectionIndex(text: string): SectionIndex {
  let index = indexes.get(text);
  if (index !== undefined) return index;
  index = { starts: [], names: [] };
  // Only a line with a "[" in it can be a header: visit those, each once. A line ends where
  // the SDK's split (/\r?\n/) ends it: at a \n, less a \r just before it.
  for (let at = text.indexOf('['); at !== -1; ) {
    const start = text.lastIndexOf('\n', at) + 1;
    let end = text.indexOf('\n', at);
    const next = end === -1 ? text.length : end + 1;
    if (end === -1) end = text.length;
    else if (text.charCodeAt(end - 1) === 0x0d) end--;
    const trimmed = text.slice(start, end).split(/(^|\s)[;#]/)[0]!.trim();
    if (trimmed[0] === '[' && trimmed[trimmed.length - 1] === ']') {
      const name = trimmed.substring(1, trimmed.length - 1);
      const m = PREFIXED.exec(name);
      index.starts.push(start);
      // Names the SDK refuses are kept under their own name, which every profile keeps.
      index.names.push(REFUSED.includes(name) ? name : m ? (SECTION_TYPES.includes(m[1]!) ? `${m[1]}.${m[3]}` : undefined) : name);
    }
    at = text.indexOf('[', next);
  }
  if (indexes.size >= KEPT_INDEXES) indexes.delete(indexes.keys().next().value!);
  indexes.set(text, index);
  return index;
}

export function sectionsTheSdkReads(text: string, profile: string): string {
  const { starts, names } = sectionIndex(text);
  // Each kept section is its lines as they are, from its header to the next header (or the end).
  let kept = '';
  for (let i = 0; i < starts.length; i++) {
    const section = names[i];
    if (
      section !== undefined &&
      (REFUSED.includes(section) || section === profile || section === `profile.${profile}` || section === 'default' || section === 'profile.default' || section.startsWith('sso-session.') || section.startsWith('services.'))
    ) {
      kept += text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
    }
  }
  return kept;
}

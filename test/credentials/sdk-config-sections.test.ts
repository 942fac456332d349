/**
 * dist/aws-sdk.cjs hands the SDK's config parser only the sections it reads from
 * (src/credentials/sdk/shared-config-sections.ts): what the SDK makes of them must be what it
 * makes of the whole file, for the profile it reads and every section it can reach from it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sdkProfileName, sectionsTheSdkReads } from '../../src/credentials/sdk/shared-config-sections.js';

// The SDK's own parser and profile map, from the modules dist/aws-sdk.cjs bundles (its types are beside them in dist-types).
const loader = '../../node_modules/@smithy/core/dist-es/submodules/config/shared-ini-file-loader';
const { parseIni } = (await import(`${loader}/parseIni.js`)) as typeof import('../../node_modules/@smithy/core/dist-types/submodules/config/shared-ini-file-loader/parseIni.js');
const { getConfigData } = (await import(`${loader}/getConfigData.js`)) as typeof import('../../node_modules/@smithy/core/dist-types/submodules/config/shared-ini-file-loader/getConfigData.js');

type Parsed = Record<string, Record<string, string>>;

/** What the SDK's readers can see when reading `profile`: that profile, default, every sso-session and services section. */
function seen(parsed: Parsed, profile: string): Parsed {
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => key === profile || key === 'default' || key.startsWith('sso-session.') || key.startsWith('services.')));
}

const outcome = (read: () => Parsed, profile: string): Parsed | string => {
  try {
    return seen(read(), profile);
  } catch (err) {
    return `throws: ${(err as Error).message}`;
  }
};

const names = ['prod', 'dev', 'default', 'a.b', '__proto__'];
const line = fc.oneof(
  fc.constantFrom(...names).chain((n) => fc.constantFrom(`[profile ${n}]`, `[${n}]`, `  [profile ${n}]  `, `[profile '${n}']`, `[profile.${n}]`, `[profile ${n}] # note`, `[profile  ${n}]`)),
  fc.constantFrom('[sso-session corp]', '[services s3-local]', '[other thing]', '[]', '[ x', 'x ]', '[a]b]', '\u00a0[profile prod]'),
  // A lone \r is no line break for the SDK: it stays in the line, and trim() takes it off a header.
  fc.constantFrom('[profile prod]\r', '[profile dev]\r # x', 'region = eu\rwest-1', '\r[default]'),
  fc.constantFrom('region = eu-west-1', 'region=us-east-1', 's3 =', '  addressing_style = path', 'endpoint_url = http://x', '# comment', '; [profile prod]', 'services = s3-local', '', '   ', 'garbage', '= x', 'key = [value]'),
);
const file = fc.array(line, { maxLength: 40 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)));

describe('the sections of a shared config file the SDK reads', () => {
  it('parse to what the whole file parses to, for the profile the SDK reads', () => {
    fc.assert(
      fc.property(file, fc.constantFrom(...names), (text, profile) => {
        const part = sectionsTheSdkReads(text, profile);
        // The config file goes through getConfigData; the credentials file is used as parsed.
        expect(outcome(() => getConfigData(parseIni(part)) as Parsed, profile)).toEqual(outcome(() => getConfigData(parseIni(text)) as Parsed, profile));
        expect(outcome(() => parseIni(part) as Parsed, profile)).toEqual(outcome(() => parseIni(text) as Parsed, profile));
      }),
      { numRuns: 3000 },
    );
  });

  it('leave the other profiles out', () => {
    const text = '[default]\nregion = a\n[profile prod]\nregion = b\n[profile dev]\nregion = c\n[sso-session corp]\nsso_region = d\n';
    expect(sectionsTheSdkReads(text, 'prod')).toBe('[default]\nregion = a\n[profile prod]\nregion = b\n[sso-session corp]\nsso_region = d\n');
  });

  it('reads the profile the SDK picks: its own option, then AWS_PROFILE, then default', () => {
    expect(sdkProfileName({ profile: 'x' }, { AWS_PROFILE: 'y' })).toBe('x');
    expect(sdkProfileName({}, { AWS_PROFILE: 'y' })).toBe('y');
    expect(sdkProfileName({}, {})).toBe('default');
  });
});

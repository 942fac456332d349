import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.js';
import { UsageError } from '../src/errors.js';

const specs = {
  profile: { type: 'string', short: 'p', description: '' },
  'policy-arn': { type: 'string', multiple: true, description: '' },
  quiet: { type: 'boolean', short: 'q', description: '' },
} as const;

describe('parseArgs', () => {
  it('reads long, short, bundled, = and repeated flags', () => {
    const r = parseArgs(['-qp', 'prod', '--policy-arn=a', '--policy-arn', 'b', 'x'], specs, 't');
    expect(r.flags).toEqual({ quiet: true, profile: 'prod', 'policy-arn': ['a', 'b'] });
    expect(r.positionals).toEqual(['x']);
    expect(parseArgs(['-pprod', '--no-quiet'], specs, 't').flags).toEqual({ profile: 'prod', quiet: false });
  });

  it('leaves everything after -- to the child', () => {
    expect(parseArgs(['-p', 'x', '--', 'ls', '-p', '--', 'y'], specs, 't').rest).toEqual(['ls', '-p', '--', 'y']);
  });

  it('can stop at the first positional, like env or sudo', () => {
    const r = parseArgs(['-p', 'dev', 'python', '-c', 'print(1)', '-q'], specs, 'exec', { commandAfterPositional: true });
    expect(r.flags).toEqual({ profile: 'dev' });
    expect(r.rest).toEqual(['python', '-c', 'print(1)', '-q']);
  });

  it('rejects unknown flags with the closest one, and missing values', () => {
    expect(() => parseArgs(['--profle', 'x'], specs, 'exec')).toThrow(/unknown flag --profle \(did you mean --profile\?\)/);
    expect(() => parseArgs(['-p'], specs, 'exec')).toThrow(UsageError);
    expect(() => parseArgs(['--quiet=yes'], specs, 'exec')).toThrow(/takes no value/);
  });
});

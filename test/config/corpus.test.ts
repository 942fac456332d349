/**
 * The fixtures/config corpus: each case's expected.json is botocore's own view, recorded by
 * scripts/botocore-view.py. Our reader must give the same profiles, order, settings and SSO
 * sessions, and reject exactly the files botocore rejects, blaming the same file and line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { viewOfFiles, type View } from '../support/config-view.js';
import { requirePython } from '../support/require-tool.js';

const PYTHON = '/usr/bin/python3';
const botocore = requirePython('botocore.session');

const root = 'fixtures/config';
const cases = readdirSync(root).filter((d) => !d.startsWith('.')).sort();

interface Expected {
  ok: boolean;
  available_profiles?: string[];
  profiles?: Record<string, Record<string, unknown>>;
  sso_sessions?: Record<string, Record<string, unknown>>;
  file?: 'config' | 'credentials';
  line?: number | null;
}

describe('config corpus (botocore 1.29 view)', () => {
  it('has a good number of cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('%s', (name) => {
    const dir = join(root, name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    const ours: View = viewOfFiles(join(dir, 'config'), join(dir, 'credentials'));
    if (!expected.ok) {
      expect(ours.ok, 'botocore rejects this file').toBe(false);
      if (ours.ok) return;
      expect(ours.file).toBe(expected.file);
      // botocore blames no line for undecodable bytes or a bad nested line; we do, which is more useful.
      if (expected.line !== null) expect(ours.line).toBe(expected.line);
      return;
    }
    expect(ours).toEqual({
      ok: true,
      available_profiles: expected.available_profiles,
      profiles: expected.profiles,
      sso_sessions: expected.sso_sessions,
    });
  });

  it.skipIf(botocore.skip)(botocore.label('matches what botocore says today (no drift in the recorded answers)'), () => {
    botocore.assert();
    const r = spawnSync(PYTHON, ['scripts/botocore-view.py', '--check', '--all'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('match');
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

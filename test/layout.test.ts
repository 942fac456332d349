/**
 * The core (config/, credentials/, guard/, exec/) never prints, never reads stdin and imports no
 * terminal code, not even through another module: every import of every core file is followed
 * to the files it reaches, and none may be terminal code (tty/, tui/, the command layer) or a
 * terminal library. It may not touch the process's stdio either.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');
const CORE = ['config', 'credentials', 'guard', 'exec'];
/** Folders and files of the terminal and command layers. */
const TERMINAL_CODE = [/^tty\//, /^tui\//, /^commands\//, /^cli\//, /^cli\.ts$/, /^main\.ts$/];
/** Packages that are terminal code. */
const TERMINAL_PACKAGES = /^(node:)?(tty|readline|readline\/promises)$|^(ink|react|string-width|get-east-asian-width|@lydell\/node-pty)(\/|$)/;
const STDIO = /\bprocess\.(stdout|stderr|stdin)\b|\bconsole\.(log|error|warn|info)\b/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Every module specifier a file names: static imports, re-exports and dynamic imports. */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bimport\s+(?:type\s+)?(?:[^'"();]*?\s+from\s+)?['"]([^'"]+)['"]/g, /\bexport\s+(?:type\s+)?[^'";]*?\s+from\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]!);
  return found;
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base + '.ts', join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** What `start` reaches, file by file, with the chain of imports that leads to each. */
function reach(start: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[start, [start]]]);
  const queue = [start];
  while (queue.length) {
    const file = queue.shift()!;
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const path = spec.startsWith('.') ? resolveLocal(file, spec) : `pkg:${spec}`;
      if (!path || seen.has(path)) continue;
      seen.set(path, [...seen.get(file)!, path]);
      if (!path.startsWith('pkg:')) queue.push(path);
    }
  }
  return seen;
}

const show = (chain: string[]) => chain.map((p) => (p.startsWith('pkg:') ? p.slice(4) : relative(SRC, p))).join(' → ');

describe('the core imports no terminal code', () => {
  const coreFiles = CORE.flatMap((dir) => files(join(SRC, dir)));

  it('finds the core files and follows their imports', () => {
    expect(coreFiles.length).toBeGreaterThan(20);
    // The scanner sees each kind of import (a test that could not fail would prove nothing).
    expect(specifiers("import a from './a.js';\nimport type { B } from './b.js';\nexport { c } from './c.js';\nconst d = await import('node:tty');\nimport './e.js';")).toEqual([
      './a.js',
      './b.js',
      './e.js',
      './c.js',
      'node:tty',
    ]);
    expect([...reach(join(SRC, 'commands', 'guarded.ts')).values()].some((chain) => /tty\//.test(show(chain)))).toBe(true);
  });

  it.each(CORE)('%s/ reaches no tty/, tui/, command code or terminal package', (dir) => {
    const bad: string[] = [];
    for (const file of files(join(SRC, dir))) {
      for (const [path, chain] of reach(file)) {
        const rel = path.startsWith('pkg:') ? undefined : relative(SRC, path);
        if (rel ? TERMINAL_CODE.some((re) => re.test(rel)) : TERMINAL_PACKAGES.test(path.slice(4))) bad.push(show(chain));
      }
    }
    expect([...new Set(bad)]).toEqual([]);
  });

  it.each(CORE)('%s/ never touches stdin, stdout or stderr', (dir) => {
    const bad = files(join(SRC, dir)).filter((file) => STDIO.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(bad.map((f) => relative(SRC, f))).toEqual([]);
  });
});

/**
 * The shell scripts and completions ship as files beside dist/ (package.json "files"): found by
 * walking up from this module, which works from src/ (tests, tsx) and from any bundle chunk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Shell } from './shells.js';

export const scriptPath = (shell: Shell): string => `shell/awsguard.${shell}`;

export const completionPath = (shell: Shell): string =>
  shell === 'zsh' ? 'completions/_awsguard' : `completions/awsguard.${shell}`;

let root: string | undefined;

/** The directory holding shell/ and completions/ (the package root). */
export function assetRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'shell', 'awsguard.bash')) && existsSync(join(dir, 'completions'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error(`the shell scripts are missing: no shell/awsguard.bash above ${fileURLToPath(import.meta.url)}`);
}

export function readAsset(path: string): string {
  return readFileSync(join(assetRoot(), path), 'utf8');
}

/**
 * Runs confirmTyped the way `exec` does and reports, one line each:
 *   TTY-OPEN ok|<errno>      whether /dev/tty could be opened at all, checked independently
 *   OUTCOME typed|flag       or   REFUSED <reason> <exitCode> <message>
 *   STTY same|changed        whether the terminal settings are what they were before the question
 *   STDIN <json>             with READ_STDIN=1: everything on stdin, read after the question
 * and exits 0, or with the refusal's exit code. TYPEAHEAD_MS=N sets the discard window.
 *   node --import tsx test/fixtures-bin/confirm.ts EXPECTED [--confirm VALUE]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { confirmTyped } from '../../src/tty/confirm.js';
import { GuardRefusal } from '../../src/errors.js';

const [expected = 'acme-prod', flag, flagValue] = process.argv.slice(2);

function stty(): string | undefined {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r');
  } catch (err) {
    return undefined;
  }
  try {
    return spawnSync('stty', ['-g'], { stdio: [fd, 'pipe', 'ignore'], encoding: 'utf8' }).stdout.trim();
  } finally {
    closeSync(fd);
  }
}

let ttyOpen = 'ok';
try {
  closeSync(openSync('/dev/tty', 'r+'));
} catch (err) {
  ttyOpen = (err as NodeJS.ErrnoException).code ?? 'error';
}
process.stdout.write(`TTY-OPEN ${ttyOpen}\n`);
const before = stty();

let code = 0;
try {
  const outcome = await confirmTyped(expected, {
    prompt: `Type ${expected} to continue: `,
    ...(flag === '--confirm' && flagValue !== undefined ? { confirmFlag: flagValue } : {}),
    ...(process.env.TYPEAHEAD_MS ? { typeaheadMs: Number(process.env.TYPEAHEAD_MS) } : {}),
  });
  process.stdout.write(`OUTCOME ${outcome}\n`);
} catch (err) {
  if (!(err instanceof GuardRefusal)) throw err;
  process.stdout.write(`REFUSED ${err.reason} ${err.exitCode} ${err.message}\n`);
  code = err.exitCode;
}
if (before !== undefined) process.stdout.write(`STTY ${stty() === before ? 'same' : 'changed'}\n`);
if (process.env.READ_STDIN === '1') process.stdout.write(`STDIN ${JSON.stringify(readFileSync(0, 'utf8'))}\n`);
process.exitCode = code;

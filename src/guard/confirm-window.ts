/**
 * A typed confirmation that holds for a few minutes, for `credential_process = awsguard export
 * ...`: the AWS CLI runs awsguard once per call, and a script of twenty calls should ask once.
 *
 * It is bound to the terminal session the person typed in (the controlling terminal, its
 * session and the session leader's start time, so a reused id is another session) and to the
 * account, and kept in a private file in awsguard's state directory. Without a controlling
 * terminal there is no session to bind to, and nothing holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../errors.js';
import { ensurePrivateDir, isStorageFailure, readPrivateFile, storageFailureText, writePrivateFile } from '../credentials/secure-files.js';
import { sha256Hex } from '../credentials/sha256.js';

/** An opaque key for the terminal session this process runs in, or undefined without one (or off Linux). */
export function terminalSession(procRoot = '/proc'): string | undefined {
  try {
    const self = statFields(readFileSync(join(procRoot, 'self', 'stat'), 'utf8'));
    const session = self[3];
    const ttyNr = self[4];
    if (!session || !ttyNr || ttyNr === '0') return undefined;
    const leaderStart = statFields(readFileSync(join(procRoot, session, 'stat'), 'utf8'))[19];
    if (!leaderStart) return undefined;
    return sha256Hex(`tty ${ttyNr} session ${session} started ${leaderStart}`);
  } catch {
    return undefined;
  }
}

/** The fields after `pid (comm)`: the name may hold spaces and parentheses, so split after the last `)`. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).trim().split(/\s+/);
}

type Held = Record<string, number>;

const fileIn = (stateDir: string) => join(stateDir, 'confirmations.json');
const keyOf = (session: string, accountId: string) => sha256Hex(`${session} ${accountId}`).slice(0, 40);

function readHeld(stateDir: string): Held {
  try {
    const data = JSON.parse(readPrivateFile(fileIn(stateDir)) ?? '{}') as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Held) : {};
  } catch (err) {
    if (err instanceof SyntaxError) return {};
    throw err;
  }
}

export function confirmationHeld(stateDir: string, session: string | undefined, accountId: string, now: number): boolean {
  if (!session) return false;
  const until = readHeld(stateDir)[keyOf(session, accountId)];
  return typeof until === 'number' && until > now;
}

/**
 * Remembers the confirmation; a state directory that cannot take it (a full disk) is a warning
 * and nothing is held: the next call asks again, it never trusts what was not stored. The write
 * is atomic, so a failed one leaves the window as it was, never a torn file.
 */
export function holdConfirmation(stateDir: string, session: string | undefined, accountId: string, now: number, seconds: number, warn: (message: string) => void = () => {}): void {
  if (!session || seconds <= 0) return;
  try {
    ensurePrivateDir(stateDir);
    const held = Object.fromEntries(Object.entries(readHeld(stateDir)).filter(([, until]) => typeof until === 'number' && until > now));
    held[keyOf(session, accountId)] = now + seconds * 1000;
    writePrivateFile(fileIn(stateDir), JSON.stringify(held));
  } catch (err) {
    if (!isStorageFailure(err)) throw err;
    warn(`the confirmation cannot be kept in ${displayPath(fileIn(stateDir))} (${storageFailureText(err)}); the next call asks again`);
  }
}

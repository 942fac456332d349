/**
 * Every command's spec (name, help and flags), without its code: the dispatcher, `--help`,
 * completions and "did you mean" read these, and a command's module is imported only when it
 * runs (the table in src/cli.ts). Nothing here imports a command.
 */
import type { CommandSpec } from '../../cli/command.js';
import { audit } from './audit.js';
import { completion } from './completion.js';
import { consoleCommand } from './console.js';
import { doctor } from './doctor.js';
import { exec } from './exec.js';
import { exportCommand } from './export.js';
import { init } from './init.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { pick } from './pick.js';
import { profiles } from './profiles.js';
import { sso } from './sso.js';
import { use } from './use.js';
import { whoami } from './whoami.js';

const all = [exec, use, consoleCommand, profiles, whoami, exportCommand, login, logout, pick, init, completion, sso, audit, doctor] as const;

export type CommandName = (typeof all)[number]['name'];

/** In the order `--help` lists them. */
export const commands: readonly CommandSpec[] = all;

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}

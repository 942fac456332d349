/**
 * The typed confirmation for a protected account: the person types the account's alias (or id)
 * on the CONTROLLING TERMINAL. Never stdin: `yes acme-prod | awsguard exec ...` must not confirm,
 * and the child must get stdin untouched. Without a terminal (CI, cron, setsid) only
 * `--confirm ALIAS` can confirm, and it must name the account really reached.
 *
 * Input already waiting when the question starts is thrown away before the prompt is shown
 * (ask.ts): a confirmation must be typed by someone who has seen what it confirms. The guard
 * sequence receives this function (commands/guarded.ts); the core never asks anything.
 */
import { GuardRefusal, ExitCode } from '../errors.js';
import { askOnTerminal, type CancelHow } from './ask.js';
import { cleanText } from './sanitize.js';

/** Ctrl-C (or end of input) at the prompt: nothing was run. */
export class ConfirmationCancelled extends GuardRefusal {
  override name = 'ConfirmationCancelled';
  override readonly exitCode: number;
  constructor(how = 'cancelled at the confirmation', exitCode: number = ExitCode.cancelled) {
    super(`${how}; nothing was run`, 'cancelled');
    this.exitCode = exitCode;
  }
}

export interface ConfirmOptions {
  /** The question, shown on the terminal. */
  prompt: string;
  /** `--confirm VALUE`: must equal `expected` exactly. */
  confirmFlag?: string;
  /** The terminal to open; `/dev/tty` (the controlling terminal) unless a test says otherwise. */
  ttyPath?: string;
  /** Read from this stream instead of a terminal (tests). */
  input?: NodeJS.ReadableStream;
  /** Where the prompt and echo go when `input` is given. */
  output?: NodeJS.WritableStream;
  /** How long to collect and discard input that was waiting before the prompt, in ms. */
  typeaheadMs?: number;
}

/** The confirmation as the guard sequence calls it. */
export type Confirm = (expected: string, opts: ConfirmOptions) => Promise<'typed' | 'flag'>;

const DEFAULT_TYPEAHEAD_MS = 30;

export const confirmTyped: Confirm = async (expected, opts) => {
  if (opts.confirmFlag !== undefined) {
    if (opts.confirmFlag === expected) return 'flag';
    // The value comes from argv, maybe from a script's variable: shown as one line.
    throw new GuardRefusal(`--confirm ${cleanText(opts.confirmFlag)} does not name the account reached (${expected}); nothing was run`, 'wrong-confirm-flag');
  }
  const answer = await askOnTerminal(opts.prompt, {
    echo: true,
    discardMs: opts.typeaheadMs ?? DEFAULT_TYPEAHEAD_MS,
    ...(opts.ttyPath !== undefined ? { ttyPath: opts.ttyPath } : {}),
    ...(opts.input ? { input: opts.input } : {}),
    ...(opts.output ? { output: opts.output } : {}),
    noTerminal: (why) => noTerminal(expected, why),
    cancelled,
  });
  if (answer !== expected) {
    throw new GuardRefusal(`typed "${answer}", which is not ${expected}; nothing was run`, 'wrong-confirmation');
  }
  return 'typed';
};

function cancelled(how: CancelHow): ConfirmationCancelled {
  if (how.by === 'signal') return new ConfirmationCancelled(`${how.signal} at the confirmation`, how.exitCode);
  return how.by === 'end' ? new ConfirmationCancelled('end of input at the confirmation') : new ConfirmationCancelled();
}

function noTerminal(expected: string, why: string): GuardRefusal {
  return new GuardRefusal(
    `${expected} is a protected account and there is no terminal to confirm on (${why}); to proceed anyway, pass --confirm ${expected}`,
    'no-terminal',
  );
}

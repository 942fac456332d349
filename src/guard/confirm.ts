/**
 * The typed confirmation for a protected account: the person types the account's alias (or id)
 * on the CONTROLLING TERMINAL. Never stdin: `yes acme-prod | awsguard exec ...` must not confirm,
 * and the child must get stdin untouched. Without a terminal (CI, cron, setsid) only
 * `--confirm ALIAS` can confirm, and it must name the account really reached.
 *
 * The terminal is put in raw mode for the question, so Ctrl-C arrives as a byte (a cancel, exit
 * 130) instead of a signal that would kill awsguard before it can record the refusal; the
 * characters are echoed here. The mode is restored in every outcome, signals included.
 *
 * Input already waiting when the question starts (typed ahead while credentials were fetched,
 * or pasted by mistake) is read and thrown away before the prompt is shown: a confirmation must
 * be typed by someone who has seen what it confirms.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { isatty, ReadStream } from 'node:tty';
import { GuardRefusal, ExitCode } from '../errors.js';

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

const DEFAULT_TYPEAHEAD_MS = 30;

export async function confirmTyped(expected: string, opts: ConfirmOptions): Promise<'typed' | 'flag'> {
  if (opts.confirmFlag !== undefined) {
    if (opts.confirmFlag === expected) return 'flag';
    throw new GuardRefusal(`--confirm ${opts.confirmFlag} does not name the account reached (${expected}); nothing was run`, 'wrong-confirm-flag');
  }
  const typeaheadMs = opts.typeaheadMs ?? DEFAULT_TYPEAHEAD_MS;
  const answer = opts.input
    ? await askOn(opts.input, (text) => void opts.output?.write(text), opts.prompt, typeaheadMs)
    : await askOnTerminal(opts.ttyPath ?? '/dev/tty', expected, opts.prompt, typeaheadMs);
  if (answer !== expected) {
    throw new GuardRefusal(`typed "${answer}", which is not ${expected}; nothing was run`, 'wrong-confirmation');
  }
  return 'typed';
}

function noTerminal(expected: string, why: string): GuardRefusal {
  return new GuardRefusal(
    `${expected} is a protected account and there is no terminal to confirm on (${why}); to proceed anyway, pass --confirm ${expected}`,
    'no-terminal',
  );
}

async function askOnTerminal(path: string, expected: string, prompt: string, typeaheadMs: number): Promise<string> {
  let readFd: number;
  try {
    readFd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw noTerminal(expected, code === 'ENXIO' ? 'no controlling terminal: CI, cron, a service' : `cannot open ${path}: ${code ?? (err as Error).message}`);
  }
  if (!isatty(readFd)) {
    closeSync(readFd);
    throw noTerminal(expected, `${path} is not a terminal`);
  }
  let writeFd: number;
  try {
    writeFd = openSync(path, 'w');
  } catch (err) {
    closeSync(readFd);
    throw noTerminal(expected, `cannot write to ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
  const input = new ReadStream(readFd);
  const write = (text: string) => {
    try {
      writeSync(writeFd, text);
    } catch {
      // The terminal went away mid-question; the read side reports it.
    }
  };
  // A signal from elsewhere (kill, a closing terminal) still restores the mode on the way out.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    onSignal = (signal) => reject(new ConfirmationCancelled(`${signal} at the confirmation`, 128 + (osConstants.signals[signal] ?? 0)));
  });
  interrupted.catch(() => undefined);
  for (const s of signals) process.on(s, onSignal!);
  input.setRawMode(true);
  try {
    return await Promise.race([askOn(input, write, prompt, typeaheadMs), interrupted]);
  } finally {
    for (const s of signals) process.off(s, onSignal!);
    input.setRawMode(false);
    input.destroy();
    closeSync(writeFd);
  }
}

/**
 * Discards what is already waiting, shows the prompt, and reads one line with the editing a
 * cooked terminal gives (backspace, Ctrl-U), echoing printable characters. Ctrl-C cancels;
 * Ctrl-D on an empty line or the end of input cancels too.
 */
function askOn(input: NodeJS.ReadableStream, write: (text: string) => void, prompt: string, typeaheadMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    input.setEncoding('utf8');
    const discard = () => {};
    input.on('data', discard);
    input.resume();
    const editor = new LineEditor(write);
    const onData = (chunk: string | Buffer) => {
      const outcome = editor.feed(String(chunk));
      if (outcome === undefined) return;
      finish();
      if (outcome.cancelled) reject(new ConfirmationCancelled());
      else resolve(outcome.line);
    };
    const onEnd = () => {
      finish();
      write('\n');
      reject(new ConfirmationCancelled('end of input at the confirmation'));
    };
    const finish = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onEnd);
      input.pause();
    };
    setTimeout(() => {
      input.off('data', discard);
      write(prompt);
      input.on('data', onData);
      input.on('end', onEnd);
      input.on('error', onEnd);
    }, typeaheadMs);
  });
}

type Outcome = { cancelled: false; line: string } | { cancelled: true };

/** Raw keystrokes in, one line out. Escape sequences (arrow keys, ...) are ignored whole. */
export class LineEditor {
  private chars: string[] = [];
  private escape: 'none' | 'start' | 'sequence' = 'none';
  constructor(private readonly echo: (text: string) => void) {}

  /** Feeds typed text; returns the outcome once Enter, Ctrl-C or Ctrl-D ends the line. */
  feed(text: string): Outcome | undefined {
    for (const ch of text) {
      if (this.escape !== 'none') {
        this.skipEscape(ch);
        continue;
      }
      switch (ch) {
        case '\r':
        case '\n':
          this.echo('\n');
          return { cancelled: false, line: this.chars.join('') };
        case '\x03':
          this.echo('^C\n');
          return { cancelled: true };
        case '\x04':
          if (this.chars.length) break;
          this.echo('\n');
          return { cancelled: true };
        case '\x7f':
        case '\b':
          if (this.chars.pop() !== undefined) this.echo('\b \b');
          break;
        case '\x15':
          this.echo('\b \b'.repeat(this.chars.length));
          this.chars = [];
          break;
        case '\x1b':
          this.escape = 'start';
          break;
        default:
          if (ch >= ' ' && !/[\x7f-\x9f]/.test(ch)) {
            this.chars.push(ch);
            this.echo(ch);
          }
      }
    }
    return undefined;
  }

  /** ESC [ ... final, ESC O x, or ESC x: nothing of it reaches the line. */
  private skipEscape(ch: string): void {
    if (this.escape === 'start') {
      this.escape = ch === '[' || ch === 'O' ? 'sequence' : 'none';
      return;
    }
    const code = ch.codePointAt(0)!;
    if (code >= 0x40 && code <= 0x7e) this.escape = 'none';
  }
}

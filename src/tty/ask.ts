/**
 * Asking the person one question on the controlling terminal, with what they type echoed or
 * not (an MFA code is not, as the AWS CLI does it). The terminal is put in raw mode for the
 * question, so Ctrl-C arrives as a byte (a cancel, exit 130) instead of a signal that would kill
 * awsguard before it can say or record anything; the characters are echoed here. The mode is
 * restored in every outcome, signals included. The question is cleaned like every other text
 * on a screen (sanitize.ts): a name in it cannot rewrite the line it is on.
 */
import { writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { AwsguardError, ExitCode } from '../errors.js';
import { openForQuestion } from './device.js';
import { cleanText } from './sanitize.js';

/** Ctrl-C or end of input at a question that is not a confirmation (the MFA code). */
export class PromptCancelled extends AwsguardError {
  override name = 'PromptCancelled';
  constructor(how = 'cancelled', exitCode: number = ExitCode.cancelled) {
    super(how, exitCode);
  }
}

/** How the question ended without an answer: a key (Ctrl-C, Ctrl-D), the end of input, or a signal. */
export type CancelHow = { by: 'key' } | { by: 'end' } | { by: 'signal'; signal: NodeJS.Signals; exitCode: number };

export interface AskOptions {
  /** Show what is typed (default); false for a secret such as an MFA code. */
  echo?: boolean;
  /**
   * Read and throw away, for this many ms, input already waiting when the question starts
   * (typed ahead while credentials were fetched, or pasted by mistake): a confirmation must be
   * typed by someone who has seen what it confirms. 0: keep it.
   */
  discardMs?: number;
  /** The terminal to open; `/dev/tty` unless a test says otherwise. */
  ttyPath?: string;
  /** Read from this stream instead of a terminal (tests). */
  input?: NodeJS.ReadableStream;
  /** Where the question and echo go when `input` is given. */
  output?: NodeJS.WritableStream;
  /** The error for a question that cannot be asked: no terminal. */
  noTerminal?: (why: string) => Error;
  /** The error for a question left without an answer. */
  cancelled?: (how: CancelHow) => Error;
}

const defaultCancelled = (how: CancelHow): Error =>
  how.by === 'signal' ? new PromptCancelled(`${how.signal} at the question`, how.exitCode) : new PromptCancelled(how.by === 'end' ? 'end of input at the question' : 'cancelled');

/** Asks one question and returns the line typed. */
export async function askOnTerminal(question: string, opts: AskOptions = {}): Promise<string> {
  const echo = opts.echo ?? true;
  const discardMs = opts.discardMs ?? 0;
  const cancelled = opts.cancelled ?? defaultCancelled;
  const shown = cleanText(question);
  if (opts.input) return askOn(opts.input, (text) => void opts.output?.write(text), shown, { echo, discardMs, cancelled });
  const terminal = openForQuestion(opts.ttyPath);
  if ('why' in terminal) throw (opts.noTerminal ?? ((why: string) => new AwsguardError(`no terminal to ask on (${why})`, ExitCode.noTerminal)))(terminal.why);
  const write = (text: string) => {
    try {
      writeSync(terminal.writeFd, text);
    } catch {
      // The terminal went away mid-question; the read side reports it.
    }
  };
  // A signal from elsewhere (kill, a closing terminal) still restores the mode on the way out.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    onSignal = (signal) => reject(cancelled({ by: 'signal', signal, exitCode: 128 + (osConstants.signals[signal] ?? 0) }));
  });
  interrupted.catch(() => undefined);
  for (const s of signals) process.on(s, onSignal!);
  // What was typed before now goes at once; what is still arriving goes during `discardMs`.
  if (discardMs > 0) terminal.discardPending();
  try {
    return await Promise.race([askOn(terminal.input, write, shown, { echo, discardMs, cancelled }), interrupted]);
  } finally {
    for (const s of signals) process.off(s, onSignal!);
    terminal.close();
  }
}

interface AskOnOptions {
  echo: boolean;
  discardMs: number;
  cancelled: (how: CancelHow) => Error;
}

/**
 * Discards what is already waiting (when asked to), shows the question, and reads one line with
 * the editing a cooked terminal gives (backspace, Ctrl-U). Ctrl-C cancels; Ctrl-D on an empty
 * line or the end of input cancels too.
 */
function askOn(input: NodeJS.ReadableStream, write: (text: string) => void, question: string, opts: AskOnOptions): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    input.setEncoding('utf8');
    const discard = () => {};
    if (opts.discardMs > 0) input.on('data', discard);
    input.resume();
    const editor = new LineEditor(write, opts.echo);
    const onData = (chunk: string | Buffer) => {
      const outcome = editor.feed(String(chunk));
      if (outcome === undefined) return;
      finish();
      if (outcome.cancelled) reject(opts.cancelled({ by: 'key' }));
      else resolve(outcome.line);
    };
    const onEnd = () => {
      finish();
      write('\n');
      reject(opts.cancelled({ by: 'end' }));
    };
    const finish = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onEnd);
      input.pause();
    };
    const start = () => {
      input.off('data', discard);
      write(question);
      input.on('data', onData);
      input.on('end', onEnd);
      input.on('error', onEnd);
    };
    if (opts.discardMs > 0) setTimeout(start, opts.discardMs);
    else start();
  });
}

type Outcome = { cancelled: false; line: string } | { cancelled: true };

/** Raw keystrokes in, one line out. Escape sequences (arrow keys, ...) are ignored whole. */
export class LineEditor {
  private chars: string[] = [];
  private escape: 'none' | 'start' | 'sequence' = 'none';
  /** `echo` false: nothing typed is shown, not even its length (backspace shows nothing either). */
  constructor(
    private readonly out: (text: string) => void,
    private readonly echo = true,
  ) {}

  /** Feeds typed text; returns the outcome once Enter, Ctrl-C or Ctrl-D ends the line. */
  feed(text: string): Outcome | undefined {
    const shown = (t: string) => this.echo && this.out(t);
    for (const ch of text) {
      if (this.escape !== 'none') {
        this.skipEscape(ch);
        continue;
      }
      switch (ch) {
        case '\r':
        case '\n':
          this.out('\n');
          return { cancelled: false, line: this.chars.join('') };
        case '\x03':
          this.out('^C\n');
          return { cancelled: true };
        case '\x04':
          if (this.chars.length) break;
          this.out('\n');
          return { cancelled: true };
        case '\x7f':
        case '\b':
          if (this.chars.pop() !== undefined) shown('\b \b');
          break;
        case '\x15':
          shown('\b \b'.repeat(this.chars.length));
          this.chars = [];
          break;
        case '\x1b':
          this.escape = 'start';
          break;
        default:
          if (ch >= ' ' && !/[\x7f-\x9f]/.test(ch)) {
            this.chars.push(ch);
            shown(ch);
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

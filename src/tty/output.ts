/**
 * The output layer: every write of human text to stdout or stderr passes here, on a terminal
 * or not (an error in a log, `profiles | less` are read by a person too). The text is cleaned
 * (sanitize.ts) and awsguard's style marks become colour or nothing (palette.ts), so no command
 * can forget either. Machine output (`--json`, `export`, `use`'s shell code, `profiles
 * --names`, the name `pick` prints) is data and goes out byte for byte: `writeData`.
 */
import type { Output } from '../cli/context.js';
import { renderMarks, useColour, type ColourMode } from './palette.js';
import { cleanText } from './sanitize.js';

/** Where bytes go: a file descriptor (fd-output.ts) or a test's buffer. */
export interface Sink {
  write(text: string): void;
  writeBytes?(bytes: Uint8Array): void;
  readonly isTTY: boolean;
  /** The terminal's width, when the sink is one. */
  readonly columns?: number | undefined;
}

/** Human text to `sink`, cleaned and coloured as `env` and the sink allow. */
export function humanOutput(sink: Sink, env: NodeJS.ProcessEnv): Output {
  let mode: ColourMode | undefined;
  return {
    get isTTY() {
      return sink.isTTY;
    },
    get columns() {
      return sink.isTTY ? sink.columns : undefined;
    },
    write(text: string) {
      if (!text) return;
      mode ??= useColour(env, sink.isTTY) ? 'colour' : 'none';
      sink.write(toTerminal(text, mode));
    },
    writeBytes: (bytes: Uint8Array) => (sink.writeBytes ? sink.writeBytes(bytes) : sink.write(Buffer.from(bytes).toString('utf8'))),
  };
}

/** Text as it reaches a stream in `mode`: cleaned, marks rendered as SGR or dropped. */
export function toTerminal(text: string, mode: ColourMode): string {
  return renderMarks(text, mode, (piece) => cleanText(piece, 'block'));
}

/** Data for a program, exactly as given; JSON escapes its own control characters. */
export function writeData(out: Output, text: string): void {
  if (!text) return;
  if (out.writeBytes) out.writeBytes(Buffer.from(text, 'utf8'));
  else out.write(text);
}

/** The terminal's width for fitting a line or a table, or undefined (full width) when piped. */
export function widthOf(out: Output): number | undefined {
  const columns = out.isTTY ? out.columns : undefined;
  return columns && columns > 0 ? columns : undefined;
}

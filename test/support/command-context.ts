/**
 * A CommandContext for running commands in process: stdout and stderr are captured through the
 * same output layer the process uses (tty/output.ts cleans human text, data goes byte for byte),
 * so a test sees what a person or a script would.
 */
import type { CommandContext } from '../../src/cli/context.js';
import { humanOutput, type Sink } from '../../src/tty/output.js';

export interface CapturedContext {
  ctx: CommandContext;
  stdout(): string;
  stderr(): string;
}

export function captureContext(env: NodeJS.ProcessEnv, now: () => number = Date.now, opts: { isTTY?: boolean; columns?: number } = {}): CapturedContext {
  const sink = (): Sink & { text: () => string } => {
    const chunks: string[] = [];
    return {
      isTTY: opts.isTTY ?? false,
      columns: opts.columns,
      write: (text) => void chunks.push(text),
      writeBytes: (bytes) => void chunks.push(Buffer.from(bytes).toString('utf8')),
      text: () => chunks.join(''),
    };
  };
  const out = sink();
  const err = sink();
  return { ctx: { env, now, stdout: humanOutput(out, env), stderr: humanOutput(err, env) }, stdout: out.text, stderr: err.text };
}

/**
 * Questions for the person go to the controlling terminal (/dev/tty), never stdin/stdout:
 * stdin and stdout belong to the child or to a pipeline (`P=$(awsguard pick)`).
 */
import { closeSync, openSync } from 'node:fs';
import { AwsguardError, ExitCode } from './errors.js';

export class PromptCancelled extends AwsguardError {
  override name = 'PromptCancelled';
  constructor() {
    super('cancelled', ExitCode.cancelled);
  }
}

/** Whether a controlling terminal can be opened (there is none under CI, cron or setsid). */
export function hasTerminal(ttyPath = '/dev/tty'): boolean {
  try {
    closeSync(openSync(ttyPath, 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** Asks one question on the terminal; Ctrl-C or end of input cancels. */
export async function askOnTerminal(question: string, ttyPath = '/dev/tty'): Promise<string> {
  // Loaded only when there is a question: most runs ask nothing.
  const [{ createInterface }, { ReadStream, WriteStream }] = await Promise.all([import('node:readline'), import('node:tty')]);
  const fd = openSync(ttyPath, 'r+');
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  const rl = createInterface({ input, output, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.on('SIGINT', () => {
        output.write('\n');
        reject(new PromptCancelled());
      });
      rl.on('close', () => reject(new PromptCancelled()));
      rl.question(question, resolve);
    });
  } finally {
    rl.removeAllListeners('close');
    rl.close();
    input.destroy();
    output.destroy();
  }
}

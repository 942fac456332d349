import { AwsguardError, ExitCode } from '../errors.js';

/** Something needs the terminal and there is none (exit 6, as the guard's own). */
export class NoTerminalError extends AwsguardError {
  override name = 'NoTerminalError';
  constructor(message: string) {
    super(message, ExitCode.noTerminal);
  }
}

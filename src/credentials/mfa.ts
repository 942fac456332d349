/**
 * Where an MFA code comes from, in this order: `--mfa-code`; the profile's `mfa_process` (the key
 * aws-vault reads: a command whose stdout is the code); a YubiKey through
 * `ykman oath accounts code --single ACCOUNT` (the profile's `mfa_ykman_account`, else awsguard's
 * `[mfa] ykman`); the terminal. A helper that fails is an error, or, when there is a terminal,
 * a warning followed by the question.
 *
 * AWS takes each TOTP code once. A code from a helper is the code of the current 30-second step,
 * so when this device already had a code accepted in this step (awsguard records the step, never
 * the code, in <cacheDir>/mfa-steps.json), the next step is waited for first; and when AWS
 * refuses a helper's code anyway (another tool used it), the caller waits once and retries.
 *
 * Codes never go into argv, messages, notes or the audit record.
 */
import { join } from 'node:path';
import { CredentialError } from '../errors.js';
import { HelperFailure, runHelper, splitCommand } from './helper-process.js';
import { ensurePrivateDir, readPrivateFile, writePrivateFile } from './secure-files.js';

export const TOTP_STEP_MS = 30_000;
/** Past the step boundary by this much, so a helper whose clock runs a little behind ours has moved on too. */
const STEP_MARGIN_MS = 1500;
const DEFAULT_HELPER_TIMEOUT_MS = 60_000;

export interface MfaSource {
  /** `--mfa-code`: used for every hop that asks. */
  code?: string;
  /** Asks the person (on the terminal, never stdin); absent when there is no terminal. */
  prompt?: (serial: string, purpose: string) => Promise<string>;
  /** awsguard's `[mfa] ykman`: the OATH account on the YubiKey, for every profile that does not name its own. */
  ykmanAccount?: string;
  /** What the person should see while a code is being fetched (touch the key, waiting for a new code); the command layer prints it. */
  notice?: (text: string) => void;
  /** How waiting is done; tests pass one that moves their clock instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  helperTimeoutMs?: number;
}

export type MfaHelper =
  | { kind: 'process'; command: string; profile: string }
  | { kind: 'ykman'; account: string; from: string };

export interface MfaCode {
  serial: string;
  code: string;
  /** How the code was taken, for a note: `mfa_process of profile x`, `YubiKey (ykman account y)`; absent when typed or passed. */
  via?: string;
}

export interface MfaContext {
  profile: string;
  env: NodeJS.ProcessEnv;
  now: () => number;
  cacheDir: string;
}

/** The helper a profile names, if any (its own mfa_process, its own ykman account, then the settings'). */
export function helperFor(settings: { mfaProcess?: string; ykmanAccount?: string; profile: string }, fallbackYkman: string | undefined): MfaHelper | undefined {
  if (settings.mfaProcess) return { kind: 'process', command: settings.mfaProcess, profile: settings.profile };
  if (settings.ykmanAccount) return { kind: 'ykman', account: settings.ykmanAccount, from: `mfa_ykman_account of profile ${settings.profile}` };
  if (fallbackYkman) return { kind: 'ykman', account: fallbackYkman, from: 'awsguard settings [mfa] ykman' };
  return undefined;
}

const stepOf = (ms: number) => Math.floor(ms / TOTP_STEP_MS);

export class MfaCodes {
  constructor(
    private readonly source: MfaSource,
    private readonly ctx: MfaContext,
  ) {}

  /** A code for `serial`, asked for by `purpose` (the step), from the first source that has one. */
  async get(serial: string, purpose: string, helper: MfaHelper | undefined): Promise<MfaCode> {
    if (this.source.code) return { serial, code: this.source.code };
    if (helper) {
      try {
        await this.waitIfStepUsed(serial);
        return await this.fromHelper(serial, purpose, helper);
      } catch (err) {
        if (!(err instanceof CredentialError) || !this.source.prompt) throw err;
        this.source.notice?.(`${err.message}; asking instead`);
      }
    }
    if (!this.source.prompt) {
      throw new CredentialError(
        this.ctx.profile,
        purpose,
        `needs an MFA code for ${serial}: pass --mfa-code, set mfa_process or mfa_ykman_account on the profile, or run in a terminal`,
        'MfaRequired',
      );
    }
    const code = (await this.source.prompt(serial, purpose)).trim();
    if (!/^\d{6}$/.test(code)) throw new CredentialError(this.ctx.profile, purpose, 'an MFA code is six digits', 'InvalidMfaCode');
    return { serial, code };
  }

  /** AWS accepted a code for `serial` now: a helper's next code must come from a later step. */
  accepted(serial: string): void {
    const steps = this.readSteps();
    steps[serial] = stepOf(this.ctx.now());
    try {
      ensurePrivateDir(this.ctx.cacheDir);
      writePrivateFile(this.stepsFile(), JSON.stringify(steps) + '\n');
    } catch {
      // Only an optimisation: without the record, a reused code costs one refusal and a wait.
    }
  }

  /** AWS refused a helper's code as invalid: most likely used already (by another tool). Wait for the next step. */
  async afterRefusal(serial: string): Promise<void> {
    await this.waitForNextStep(serial, 'AWS refused the MFA code, which happens when it was already used in this 30-second window');
  }

  private async waitIfStepUsed(serial: string): Promise<void> {
    if (this.readSteps()[serial] !== stepOf(this.ctx.now())) return;
    await this.waitForNextStep(serial, 'a code for this device was already used in this 30-second window and AWS takes each code once');
  }

  private async waitForNextStep(serial: string, why: string): Promise<void> {
    const now = this.ctx.now();
    const wait = (stepOf(now) + 1) * TOTP_STEP_MS - now + STEP_MARGIN_MS;
    this.source.notice?.(`MFA for ${serial}: ${why}; waiting ${Math.ceil(wait / 1000)}s for the next code`);
    await (this.source.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(wait);
  }

  private async fromHelper(serial: string, purpose: string, helper: MfaHelper): Promise<MfaCode> {
    const timeoutMs = this.source.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
    const what = helper.kind === 'process' ? `mfa_process of profile ${helper.profile}` : `YubiKey (ykman account ${helper.account}, from ${helper.from})`;
    const step = `${purpose}: MFA code from ${helper.kind === 'process' ? `mfa_process of profile ${helper.profile}` : 'ykman'}`;
    let stdout: string;
    try {
      const argv: [string, ...string[]] =
        helper.kind === 'process' ? splitCommand(helper.command) : ['ykman', 'oath', 'accounts', 'code', '--single', helper.account];
      if (helper.kind === 'ykman') this.source.notice?.(`MFA for ${serial}: reading the code from your YubiKey (account ${helper.account}); touch it if it blinks`);
      ({ stdout } = await runHelper(argv, { env: this.ctx.env, timeoutMs, stdin: 'ignore' }));
    } catch (err) {
      if (err instanceof HelperFailure) throw new CredentialError(this.ctx.profile, step, err.message, 'MfaHelperFailed');
      throw err;
    }
    const code = stdout.trim();
    // Never echo what it printed: it may be a code, or something else secret.
    if (!/^\d{6}$/.test(code)) {
      throw new CredentialError(this.ctx.profile, step, `printed something that is not a six-digit code (${stdout.length} bytes)`, 'MfaHelperFailed');
    }
    return { serial, code, via: what };
  }

  private stepsFile(): string {
    return join(this.ctx.cacheDir, 'mfa-steps.json');
  }

  private readSteps(): Record<string, number> {
    try {
      const v = JSON.parse(readPrivateFile(this.stepsFile()) ?? '{}') as unknown;
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, number>) : {};
    } catch {
      return {};
    }
  }
}

/** AWS's answer to a wrong, stale or reused code (all three read the same). */
export function isRefusedCode(err: unknown): boolean {
  return err instanceof CredentialError && err.code === 'AccessDenied' && /invalid MFA one time pass code/i.test(err.message);
}

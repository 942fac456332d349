import { ExitCode, UsageError } from '../errors.js';
import { INJECTED } from '../exec/env-vars.js';
import { shellExports } from '../exec/child-env.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { exportCommand } from './specs/export.js';
import { guardSession } from './guarded.js';
import { writeData } from '../tty/output.js';

const FORMATS = ['env', 'fish', 'json', 'credential-process'] as const;

export async function run(ctx: CommandContext, { flags, argv }: Parsed<typeof exportCommand.flags>): Promise<number> {
  const format = flags.format ?? 'env';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`export: unknown --format ${format} (use ${FORMATS.join(', ')})`);
  // The same guard as exec: a `credential_process = awsguard export ...` line is a door to the
  // account too. stdout is data, so the identity line shows only for a protected account.
  const { resolution } = await guardSession(ctx, flags, ['export', ...argv], { door: 'export', banner: 'protected' });
  const c = resolution.credentials;
  const expiration = c.expiration?.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (format === 'json' || format === 'credential-process') {
    // The credential_process format: what the AWS CLI and every SDK accept from a process.
    const out: Record<string, unknown> = { Version: 1, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken };
    if (expiration) out.Expiration = expiration;
    if (format === 'json' && resolution.region) out.Region = resolution.region;
    writeData(ctx.stdout, JSON.stringify(out, format === 'json' ? null : undefined, format === 'json' ? 2 : undefined) + '\n');
    return ExitCode.ok;
  }
  const vars: Record<string, string> = {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_SESSION_TOKEN: c.sessionToken,
  };
  if (resolution.region) vars.AWS_REGION = vars.AWS_DEFAULT_REGION = resolution.region;
  if (expiration) vars.AWS_CREDENTIAL_EXPIRATION = expiration;
  const unset = INJECTED.filter((name) => !(name in vars));
  writeData(ctx.stdout, shellExports(format === 'fish' ? 'fish' : 'sh', vars, unset));
  return ExitCode.ok;
}

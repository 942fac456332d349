import { ConfigError, ExitCode } from '../errors.js';
import { loadAwsConfig, loadProfileNames } from '../config/load.js';
import { chainAccountId, describeChain, resolveChain, sourceKind, type Chain } from '../config/chain.js';
import { str, type AwsConfig } from '../config/model.js';
import { useColor, type CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { profiles } from './specs/profiles.js';
import { entriesJSON, entryObject } from './profiles-json.js';
import { keptAnswer } from './profiles-cache.js';
import { renderTable } from './table.js';
import { widthOf, writeData } from '../tty/output.js';

export async function run(ctx: CommandContext, { flags }: Parsed<typeof profiles.flags>): Promise<number> {
  // The answers scripts and completion read are kept until a file changes (profiles-cache.ts).
  const variant = flags.names ? 'names' : flags.json ? (flags['show-origin'] ? 'json+origin' : 'json') : undefined;
  const kept = variant === undefined ? undefined : keptAnswer(ctx.env, variant);
  const answer = kept?.read();
  if (answer !== undefined) {
    if (ctx.stdout.writeBytes) ctx.stdout.writeBytes(answer);
    else writeData(ctx.stdout, answer.toString('utf8'));
    return ExitCode.ok;
  }
  const answerWith = (text: string | readonly Buffer[]): number => {
    if (typeof text === 'string') writeData(ctx.stdout, text);
    else for (const part of text) ctx.stdout.writeBytes ? ctx.stdout.writeBytes(part) : writeData(ctx.stdout, part.toString('utf8'));
    kept?.save(text);
    return ExitCode.ok;
  };
  let config: AwsConfig;
  try {
    // The default order is byName's (UTF-16 code units), without calling back into JavaScript.
    if (flags.names) {
      const names = loadProfileNames({ env: ctx.env }).sort();
      return answerWith(names.length ? names.join('\n') + '\n' : '');
    }
    config = loadAwsConfig({ env: ctx.env });
  } catch (err) {
    if (flags.json && err instanceof ConfigError) {
      writeData(ctx.stdout, JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
      ctx.stderr.write(`awsguard: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  const names = [...config.profiles.keys()].sort();
  if (flags.json) {
    const showOrigin = flags['show-origin'] === true;
    return answerWith(
      entriesJSON(names.length, (i) => {
        const name = names[i]!;
        const r = describe(config, name);
        const fields = { name, source: r.kind, chain: r.chain, accountId: r.account, region: r.region, error: r.error?.toJSON() };
        return entryObject(fields, config.profiles.get(name)!.settings, showOrigin);
      }),
    );
  }
  const rows = names.map((name) => describe(config, name));
  if (!rows.length) {
    ctx.stderr.write(`awsguard: no profiles in ${config.configFile} or ${config.credentialsFile}\n`);
    return ExitCode.ok;
  }
  const color = useColor(ctx.stdout, ctx.env);
  ctx.stdout.write(
    renderTable(
      ['PROFILE', 'CREDENTIALS', 'ACCOUNT', 'REGION'],
      rows.map((r) => [r.name, r.error ? `broken: ${r.error.detail}` : r.chain, r.account ?? '', r.region ?? '']),
      { color, highlight: rows.map((r) => (r.error ? 'error' : undefined)), width: widthOf(ctx.stdout), shrink: [1, 3, 0] },
    ),
  );
  return ExitCode.ok;
}

interface Row {
  name: string;
  kind: string;
  chain: string;
  account: string | undefined;
  region: string | undefined;
  error: ConfigError | undefined;
}

function describe(config: AwsConfig, name: string): Row {
  const region = str(config.profiles.get(name), 'region');
  let chain: Chain;
  try {
    chain = resolveChain(config, name);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { name, kind: 'broken', chain: '', account: undefined, region, error: err };
  }
  return { name, kind: sourceKind(chain), chain: describeChain(chain), account: chainAccountId(chain), region, error: undefined };
}

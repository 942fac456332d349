import { parseArgs } from '../args.js';
import { ConfigError, ExitCode } from '../errors.js';
import { loadAwsConfig } from '../config/load.js';
import { chainAccountId, describeChain, resolveChain, sourceKind, type Chain } from '../config/chain.js';
import { isSecretKey, settingsToJSON, str, type AwsConfig, type Setting } from '../config/model.js';
import { useColor, type CommandContext } from './context.js';
import { profilesFlags } from './registry.js';
import { renderTable } from './table.js';

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, profilesFlags, 'profiles');
  let config: AwsConfig;
  try {
    config = loadAwsConfig({ env: ctx.env });
  } catch (err) {
    if (flags.json && err instanceof ConfigError) {
      ctx.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
      ctx.stderr.write(`awsguard: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  const names = [...config.profiles.keys()].sort(byName);
  if (flags.names) {
    ctx.stdout.write(names.length ? names.join('\n') + '\n' : '');
    return ExitCode.ok;
  }
  const rows = names.map((name) => describe(config, name));
  if (flags.json) {
    const out = rows.map((r) => {
      const profile = config.profiles.get(r.name)!;
      const entry: Record<string, unknown> = {
        name: r.name,
        settings: settingsToJSON(profile.settings, isSecretKey),
        source: r.kind,
        chain: r.chain,
        account_id: r.account ?? null,
        region: r.region ?? null,
      };
      if (r.error) entry.error = r.error.toJSON();
      if (flags['show-origin']) entry.origins = origins(profile.settings);
      return entry;
    });
    ctx.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return ExitCode.ok;
  }
  if (!rows.length) {
    ctx.stderr.write(`awsguard: no profiles in ${config.configFile} or ${config.credentialsFile}\n`);
    return ExitCode.ok;
  }
  const color = useColor(ctx.stdout, ctx.env);
  ctx.stdout.write(
    renderTable(
      ['PROFILE', 'CREDENTIALS', 'ACCOUNT', 'REGION'],
      rows.map((r) => [r.name, r.error ? `broken: ${r.error.detail}` : r.chain, r.account ?? '', r.region ?? '']),
      { color, highlight: rows.map((r) => (r.error ? 'error' : undefined)) },
    ),
  );
  return ExitCode.ok;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

function origins(settings: ReadonlyMap<string, Setting>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, { file, line }] of settings) out[key] = `${file.path}:${line}`;
  return out;
}

import { main } from './cli.js';
import { processContext } from './cli/context.js';

/**
 * At build time only (scripts/build.mjs, which sets both variables): other commands run first in
 * this same process, so that V8's code cache made at its exit holds compiled code for each of
 * them (exec and export on a cache hit, profiles), not only for the last one.
 */
interface Warmup {
  argv: string[];
  /** Variables set for this command only. */
  env: Record<string, string>;
}

function warmups(): Warmup[] {
  if (!process.env.AWSGUARD_BUILD_CODE_CACHE) return [];
  // Written by the build script, never by a person: no validation beyond the shape.
  return JSON.parse(process.env.AWSGUARD_BUILD_WARMUP ?? '[]') as Warmup[];
}

async function warmUp(): Promise<void> {
  for (const { argv, env } of warmups()) {
    const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, env);
    try {
      await main(argv, processContext());
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }
}

// No top-level await: the entry is bundled as CommonJS for start-up speed.
void warmUp()
  .then(() => main(process.argv.slice(2), processContext())).then((code) => {
  process.exitCode = code;
});

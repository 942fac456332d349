/**
 * The resolver pointed at a fresh world for each test: the options every credential test
 * passes (the world's environment, clock and cache, an MFA prompt that answers the fake's
 * accepted code and records what it was asked), and the step context for calling one source.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { loadAwsConfig } from '../../src/config/load.js';
import { resolveProfile, type Resolution, type ResolveOptions } from '../../src/credentials/resolver.js';
import { getCallerIdentity, type CallerIdentity, type StepContext } from '../../src/credentials/sts.js';
import type { Credentials } from '../../src/credentials/types.js';
import { CredentialError } from '../../src/errors.js';
import { createWorld, type World } from './world.js';

export interface ResolverWorld {
  /** This test's world (valid inside a test). */
  readonly w: World;
  /** The MFA serials the prompt was asked for, in order. */
  readonly prompts: string[];
  opts(extra?: Partial<ResolveOptions>): ResolveOptions;
  resolve(profile: string, extra?: Partial<ResolveOptions>): Promise<Resolution>;
  /** Who STS says these credentials are. */
  arnOf(credentials: Credentials): Promise<string>;
  whoami(profile: string, extra?: Partial<ResolveOptions>): Promise<CallerIdentity>;
  /** For calling a source directly, as the resolver calls it for `profile`. */
  ctx(profile: string, region?: string): StepContext;
}

export function useResolverWorld(make: () => Promise<World> = () => createWorld()): ResolverWorld {
  let world: World | undefined;
  let prompts: string[] = [];
  beforeEach(async () => {
    world = await make();
    prompts = [];
  });
  afterEach(async () => world?.close());
  const self: ResolverWorld = {
    get w() {
      if (!world) throw new Error('the world exists only inside a test');
      return world;
    },
    get prompts() {
      return prompts;
    },
    opts: (extra = {}) => ({
      env: self.w.env,
      now: self.w.now,
      cacheDir: self.w.cacheDir,
      mfa: {
        prompt: async (serial) => {
          prompts.push(serial);
          return '123456';
        },
      },
      ...extra,
    }),
    resolve: (profile, extra = {}) => resolveProfile(loadAwsConfig({ env: self.w.env }), profile, self.opts(extra)),
    arnOf: async (credentials) => (await getCallerIdentity(self.ctx('whoami'), credentials)).arn,
    whoami: async (profile, extra = {}) => getCallerIdentity(self.ctx(profile), (await self.resolve(profile, extra)).credentials),
    ctx: (profile, region = 'us-east-1') => ({ env: self.w.env, region, profile }),
  };
  return self;
}

/** The CredentialError `p` fails with (and a test failure when it does not fail so). */
export async function credentialFailure(p: Promise<unknown>): Promise<CredentialError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialError);
    return err as CredentialError;
  }
  throw new Error('expected a CredentialError');
}

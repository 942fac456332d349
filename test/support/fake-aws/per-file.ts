/**
 * The set-up of a test file that talks to the fake AWS with the SDK's own clients: one fake for
 * the whole file, closed after its last test, and alice's long-term keys (the seed's MFA user).
 * Awaited at the top of the file, so the names are plain constants in every test.
 */
import { afterAll } from 'vitest';
import { userCreds, type Creds } from './clients.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from './index.js';

export async function fakeAwsForFile(opts: FakeAwsOptions = {}): Promise<{ fake: FakeAws; alice: Creds }> {
  const fake = await startFakeAws(opts);
  afterAll(() => fake.close());
  return { fake, alice: userCreds(fake.seed, 'alice') };
}

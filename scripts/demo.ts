/**
 * `npm run demo`: awsguard doing its real job on a fake organisation, with no AWS account and
 * nothing of the person's home touched. The loopback fake AWS runs in this process; awsguard
 * runs as the real CLI, pointed at it through AWS_ENDPOINT_URL (no demo-only code paths).
 * In a terminal the tour is interactive (the picker, typing a production alias); without one
 * it prints the same tour, showing a refusal where a confirmation would be needed.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAws } from '../test/support/fake-aws/index.js';
import { ExitCode } from '../src/errors.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist', 'awsguard.cjs');
const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.CI !== 'true' && !process.argv.includes('--no-input');
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);

const fake = await startFakeAws({ autoApprove: 1 });
const home = mkdtempSync(join(tmpdir(), 'awsguard-demo-'));
const shims = join(home, 'bin');
mkdirSync(join(home, '.aws'), { recursive: true });
mkdirSync(shims);
copyFileSync(join(root, 'fixtures/demo/config'), join(home, '.aws/config'));
copyFileSync(join(root, 'fixtures/demo/credentials'), join(home, '.aws/credentials'));
// `awsguard` on the children's PATH is this checkout's build.
symlinkSync(bin, join(shims, 'awsguard'));

const env: Record<string, string> = {
  ...fake.env(),
  PATH: `${shims}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  HOME: home,
  USER: process.env.USER ?? 'demo',
  TERM: process.env.TERM ?? 'dumb',
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_STATE_HOME: join(home, '.local/state'),
  AWS_CONFIG_FILE: join(home, '.aws/config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws/credentials'),
  ...(process.env.NO_COLOR ? { NO_COLOR: process.env.NO_COLOR } : {}),
};

function say(text: string): void {
  process.stdout.write(`\n${bold(`# ${text}`)}\n`);
}

/** A word as it would be typed at a shell prompt: bare when plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A step whose exit code was not one it may end with: the demo stops there and says which. */
class StepFailed extends Error {}

let steps = 0;

/**
 * Runs awsguard as a person would (async: the fake AWS answers from this very process), the
 * command printed so it can be pasted. `expected`: the exit codes this step may end with (a
 * refusal is a step that worked); any other ends the demo, naming the step.
 */
function awsguard(args: string[], opts: { note?: string; expected?: readonly number[]; stdout?: 'capture' } = {}): Promise<{ code: number; stdout: string }> {
  const step = ++steps;
  const line = `awsguard ${args.map(shellWord).join(' ')}`;
  process.stdout.write(`${dim('$')} ${line}${opts.note ? dim(`    # ${opts.note}`) : ''}\n`);
  const expected = opts.expected ?? [0];
  return new Promise((resolve, reject) => {
    const stdin = interactive ? 'inherit' : 'ignore';
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: [stdin, opts.stdout === 'capture' ? 'pipe' : 'inherit', 'inherit'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', (err) => reject(new StepFailed(`step ${step} (${line}) did not start: ${err.message}`)));
    child.on('close', (code, signal) => {
      const got = code ?? 128;
      if (expected.includes(got)) resolve({ code: got, stdout });
      else reject(new StepFailed(`step ${step} (${line}) exited ${signal ? `on ${signal}` : got}; it should end with ${expected.join(' or ')}`));
    });
  });
}

let status = 0;
try {
  say('The "acme" organisation: a dozen accounts behind SSO, role chains and an IAM user (all fake).');
  await awsguard(['profiles']);

  say('IAM Identity Center: log in once (device flow; the fake portal approves by itself).');
  await awsguard(['login', '--sso-session', 'acme', '--no-browser']);

  if (interactive) {
    const how = 'type a few letters (try "prod eu"), arrows to move, Enter to choose, Esc to skip';
    say(`The picker: ${how}.`);
    const { code, stdout } = await awsguard(['pick'], { expected: [0, 130], stdout: 'capture' });
    // The full-screen picker covered the line above: say it again, and what became of the choice.
    process.stdout.write(dim(`(the picker: ${how})\n`));
    const chosen = stdout.trim();
    if (code === 0 && chosen) {
      process.stdout.write(`You chose ${shellWord(chosen)}. pick only prints the name, for a script or another command to use:\n`);
      process.stdout.write(`  awsguard exec -p ${shellWord(chosen)} -- aws sts get-caller-identity\n  awsguard exec -p "$(awsguard pick)" -- COMMAND\n`);
      process.stdout.write('The demo goes on with its own profiles.\n');
    } else {
      process.stdout.write('Nothing chosen: the demo goes on with its own profiles.\n');
    }
  } else {
    say('The picker (awsguard pick) needs a terminal: run `npm run demo` in one to try it.');
  }

  say('A dev account runs at once; the identity line says who the command acts as. `whoami` runs inside the child:');
  await awsguard(['exec', '-p', 'acme-dev', '--', 'awsguard', 'whoami']);

  say('Role chains: alice\'s keys (MFA) -> staging Deploy. The child gets a short-lived session, never the keys:');
  await awsguard(['exec', '-p', 'staging-deploy', '--mfa-code', '123456', '--', 'sh', '-c', 'echo "child sees AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID%%????????????} (temporary: ASIA...)"'], { note: 'the demo MFA code is 123456' });

  say('Production asks you to type the account alias. A wrong one is refused and nothing runs:');
  if (interactive) {
    process.stdout.write(dim('(type something other than acme-prod first, then run it again with the right alias)\n'));
    await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--', 'awsguard', 'whoami'], { expected: [ExitCode.refused, 0] });
    await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--', 'awsguard', 'whoami']);
  } else {
    await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--', 'awsguard', 'whoami'], { note: 'no terminal here: refused', expected: [ExitCode.refused] });
    await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--confirm', 'acme-staging', '--', 'awsguard', 'whoami'], { note: 'the wrong alias: refused', expected: [ExitCode.refused] });
    await awsguard(['exec', '-p', 'prod-admin', '--mfa-code', '123456', '--confirm', 'acme-prod', '--', 'awsguard', 'whoami'], { note: 'scripts confirm with --confirm' });
  }

  say('Scoped down: the same role with only read access (a session policy on the last hop):');
  await awsguard(['exec', '-p', 'prod-readonly', '--mfa-code', '123456', '--read-only', '--confirm', 'acme-prod', '--', 'awsguard', 'whoami']);

  say('Every run and refusal is in the audit log:');
  await awsguard(['audit']);

  say('In your own shell, switch accounts in place and see the account in your prompt:');
  process.stdout.write(`  eval "$(awsguard init zsh)"      # or bash; fish: awsguard init fish | source\n  awsguard use staging-deploy\n  awsguard off\n`);
  say(`Done. Nothing was written outside ${home}, which is now removed.`);
} catch (err) {
  status = 1;
  process.stderr.write(`demo failed: ${err instanceof StepFailed ? err.message : String((err as Error).stack ?? err)}\n`);
} finally {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
}
process.exitCode = status;

/**
 * Runs the fake AWS with the default seed for demos and manual poking:
 *   npx tsx test/support/fake-aws/main.ts [--port N] [--auto-approve N]
 * Prints the environment to export, then serves until Ctrl-C.
 */
import { defaultSeed, startFakeAws } from './index.js';

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} needs a non-negative integer\n`);
    process.exit(2);
  }
  return value;
}

const port = flag('--port');
const autoApprove = flag('--auto-approve');
const seed = defaultSeed();
const fake = await startFakeAws({
  seed,
  ...(port !== undefined ? { port } : {}),
  ...(autoApprove !== undefined ? { autoApprove } : {}),
});

const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
const lines = [
  `# fake AWS (STS, IAM, SSO portal, SSO-OIDC) listening on ${fake.url}`,
  ...Object.entries(fake.env()).map(([k, v]) => `export ${k}=${quote(v)}`),
  `# for botocore 1.29 / AWS CLI 2.9, which ignore AWS_ENDPOINT_URL:`,
  `export AWS_DATA_PATH=${quote(fake.botocoreDataPath())}`,
  '',
  '# seeded principals (secrets are fake):',
  ...seed.users.map((u) => {
    const key = u.accessKeys[0];
    const mfa = u.mfa ? `  mfa ${u.mfa.serialNumber} code ${u.mfa.code}` : '';
    return `#   ${u.name} (${u.account})  aws_access_key_id=${key?.accessKeyId ?? '-'} aws_secret_access_key=${key?.secretAccessKey ?? '-'}${mfa}`;
  }),
  '#   roles: arn:aws:iam::<account>:role/{Admin,ReadOnly,Deploy}; 333333333333 Admin needs MFA;',
  '#          444444444444 Admin needs external id acme-ext-id; 555555555555 Sandbox cannot list aliases',
  ...seed.sso.map(
    (i) => `#   SSO ${i.startUrl} (${i.region}) users: ${i.users.map((u) => u.username).join(', ')}`,
  ),
  autoApprove !== undefined
    ? `#   device authorizations are approved after ${autoApprove} pending poll(s)`
    : '#   device authorizations: run with --auto-approve 0 to approve them automatically',
  '# Ctrl-C to stop',
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = (): void => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

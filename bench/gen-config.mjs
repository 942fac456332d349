// Writes a big, realistic AWS config: SSO sessions, SSO profiles, role chains two and three
// hops deep, static-key users in the credentials file. Usage: node bench/gen-config.mjs DIR [N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generate(n) {
  const config = ['[default]', 'region = us-east-1', ''];
  const credentials = [];
  const sessions = Math.max(1, Math.floor(n / 2000));
  for (let s = 0; s < sessions; s++) {
    config.push(`[sso-session org${s}]`, `sso_start_url = https://org${s}.awsapps.com/start`, 'sso_region = eu-west-1', '');
  }
  const regions = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'us-west-2'];
  const envs = ['dev', 'staging', 'prod', 'sandbox', 'qa'];
  const users = Math.max(1, Math.floor(n / 500));
  for (let u = 0; u < users; u++) {
    credentials.push(`[user${u}]`, `aws_access_key_id = AKIAGEN${String(u).padStart(13, '0')}`, `aws_secret_access_key = ${'x'.repeat(40)}`, '');
  }
  for (let i = 0; users + i < n; i++) {
    const account = String(100000000000 + i * 7919).padStart(12, '0');
    const env = envs[i % envs.length];
    const name = `team${Math.floor(i / 25)}-${env}-${i}`;
    const region = regions[i % regions.length];
    switch (i % 4) {
      case 0:
      case 1:
        config.push(`[profile ${name}]`, `sso_session = org${i % sessions}`, `sso_account_id = ${account}`, `sso_role_name = ${i % 2 ? 'ReadOnlyAccess' : 'AdministratorAccess'}`, `region = ${region}`, '');
        break;
      case 2:
        config.push(`[profile ${name}]`, `role_arn = arn:aws:iam::${account}:role/Deploy`, `source_profile = user${i % users}`, `region = ${region}`, 'duration_seconds = 3600', '');
        break;
      default:
        config.push(`[profile ${name}]`, `role_arn = arn:aws:iam::${account}:role/Admin`, `source_profile = team${Math.floor((i - 1) / 25)}-${envs[(i - 1) % envs.length]}-${i - 1}`, `region = ${region}`, 's3 =', '  addressing_style = path', '');
    }
  }
  return { config: config.join('\n'), credentials: credentials.join('\n') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'bench/results/tmp';
  const n = Number(process.argv[3] ?? 10000);
  mkdirSync(dir, { recursive: true });
  const { config, credentials } = generate(n);
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  console.log(`wrote ${n} profiles to ${dir}`);
}

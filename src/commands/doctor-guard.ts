/** Doctor's view of the guard: which accounts the config reaches that are protected, and why. */
import type { AwsConfig } from '../config/model.js';
import { chainAccountId, resolveChain } from '../config/chain.js';
import { ConfigError } from '../errors.js';
import { protection } from '../guard/protection.js';
import type { GuardSettings } from '../guard/settings.js';
import type { Finding } from './doctor-checks.js';

export function checkProtection(config: AwsConfig, settings: GuardSettings): Finding[] {
  const byAccount = new Map<string, string[]>();
  for (const name of config.profiles.keys()) {
    let account: string | undefined;
    try {
      account = chainAccountId(resolveChain(config, name));
    } catch (err) {
      if (err instanceof ConfigError) continue;
      throw err;
    }
    const alias = account ? settings.aliases.get(account) : undefined;
    const verdict = protection(settings, { accountId: account ?? '', profile: name, ...(alias ? { alias } : {}) });
    if (!verdict.protected) continue;
    const key = account ?? '(account known after login)';
    byAccount.set(key, [...(byAccount.get(key) ?? []), `${name}: ${verdict.reasons.join('; ')}`]);
  }
  const rules = `rules: accounts [${[...settings.protectedAccounts].join(' ')}], words [${settings.patterns.join(' ')}]`;
  if (!byAccount.size) return [{ check: 'protection', status: 'warn', detail: `no profile is protected (${rules})`, fix: 'list production accounts under [protect] accounts in the settings file' }];
  return [
    {
      check: 'protection',
      status: 'ok',
      detail: [`${byAccount.size} protected account(s); ${rules}`, ...[...byAccount].map(([acct, why]) => `${acct}: ${why.slice(0, 3).join(' | ')}${why.length > 3 ? ` (+${why.length - 3} profiles)` : ''}`)].join('\n'),
    },
  ];
}

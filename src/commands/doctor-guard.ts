/** Doctor's view of the guard: which accounts the config reaches that are protected, and why. */
import { protection } from '../guard/protection.js';
import type { GuardSettings } from '../guard/settings.js';
import type { Finding, ProfileFacts } from './doctor-checks.js';
import { shlexSplit } from '../config/shlex.js';

/**
 * `credential_process = awsguard export ... --confirm ALIAS` confirms a protected account for
 * every program that reads the profile, without a terminal: allowed, since unattended jobs
 * need it, but worth knowing about. The argv is split as botocore splits it.
 */
export function preConfirmedLines(facts: ProfileFacts): string[] {
  const out: string[] = [];
  for (const { name, line } of facts.credentialProcesses) {
    let argv: string[];
    try {
      argv = shlexSplit(line);
    } catch {
      continue;
    }
    const self = argv.findIndex((a) => /(^|\/)awsguard(\.c?js)?$/.test(a));
    if (self === -1 || !argv.slice(self + 1).includes('export')) continue;
    const at = argv.findIndex((a) => a === '--confirm' || a.startsWith('--confirm='));
    if (at === -1) continue;
    const value = argv[at]!.startsWith('--confirm=') ? argv[at]!.slice('--confirm='.length) : argv[at + 1];
    out.push(`${name}: credential_process confirms ${value ?? '?'} for every caller (--confirm ${value ?? ''})`);
  }
  return out;
}

export function checkPreConfirmed(facts: ProfileFacts): Finding {
  const lines = preConfirmedLines(facts);
  if (!lines.length) return { check: 'pre-confirmed', status: 'ok', detail: 'no credential_process line confirms a protected account in advance' };
  return {
    check: 'pre-confirmed',
    status: 'warn',
    detail: [`${lines.length} credential_process line(s) confirm a protected account without asking anyone:`, ...lines].join('\n'),
    fix: 'keep --confirm only in profiles that unattended jobs use; a person\'s profiles can ask on the terminal',
  };
}

export function checkProtection(facts: ProfileFacts, settings: GuardSettings): Finding[] {
  const byAccount = new Map<string, string[]>();
  for (const { name, account } of facts.accounts) {
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

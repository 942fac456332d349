/**
 * Appends COUNT audit records of about SIZE bytes each, tagged with WRITER and a sequence
 * number, as fast as it can: one of many parallel writers in the interleaving test.
 *   node --import tsx test/fixtures-bin/audit-writer.ts WRITER COUNT SIZE
 */
import { appendAudit } from '../../src/guard/audit.js';

const [writer = '0', count = '50', size = '2048'] = process.argv.slice(2);
// Words, not one long run: a long base64-alphabet run would (rightly) be redacted as a token.
let filler = '';
for (let i = 0; filler.length < Number(size); i++) filler += `w${writer}-${i} `;
for (let seq = 0; seq < Number(count); seq++) {
  appendAudit(process.env, {
    time: new Date().toISOString(),
    user: 'tester',
    host: 'box',
    profile: `writer-${writer}`,
    account_id: '111111111111',
    account_alias: null,
    role_arn: 'arn:aws:sts::111111111111:assumed-role/Dev/tester',
    protected: false,
    confirmation: 'not-needed',
    refused: null,
    argv: ['exec', '--', 'echo', `${writer}:${seq}`, filler],
    policy: null,
    exit_code: 0,
    duration_ms: seq,
  });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * botocore 1.29 (Debian's python3-botocore, and the copy vendored in AWS CLI
 * 2.9) predates AWS_ENDPOINT_URL. It does resolve every endpoint through the
 * service's `endpoint-rule-set-1.json`, loaded from the first AWS_DATA_PATH
 * entry that has `<service>/<api-version>/endpoint-rule-set-1.json`. Shipping a
 * rule set whose only answer is this server redirects the service, while the
 * service model (`service-2.json`) still comes from botocore's own data. The
 * `Endpoint` parameter is kept, so an explicit `--endpoint-url` still wins.
 */

const SERVICES: Array<[service: string, apiVersion: string]> = [
  ['sts', '2011-06-15'],
  ['iam', '2010-05-08'],
  ['sso', '2019-06-10'],
  ['sso-oidc', '2019-06-10'],
];

export function ruleSet(url: string): unknown {
  return {
    version: '1.0',
    parameters: {
      Region: { builtIn: 'AWS::Region', required: false, documentation: 'The AWS region', type: 'String' },
      UseDualStack: { builtIn: 'AWS::UseDualStack', required: true, default: false, documentation: 'Dual-stack', type: 'Boolean' },
      UseFIPS: { builtIn: 'AWS::UseFIPS', required: true, default: false, documentation: 'FIPS', type: 'Boolean' },
      Endpoint: { builtIn: 'SDK::Endpoint', required: false, documentation: 'Endpoint override', type: 'String' },
    },
    rules: [
      {
        conditions: [{ fn: 'isSet', argv: [{ ref: 'Endpoint' }] }],
        endpoint: { url: { ref: 'Endpoint' }, properties: {}, headers: {} },
        type: 'endpoint',
      },
      { conditions: [], endpoint: { url, properties: {}, headers: {} }, type: 'endpoint' },
    ],
  };
}

/** Writes the data directory into `dir` (created if needed) and returns it. */
export function writeBotocoreData(dir: string, url: string): string {
  const body = `${JSON.stringify(ruleSet(url), null, 2)}\n`;
  for (const [service, version] of SERVICES) {
    const target = join(dir, service, version);
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'endpoint-rule-set-1.json'), body);
  }
  return dir;
}

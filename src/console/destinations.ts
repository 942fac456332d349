/**
 * Where a console sign-in goes: the partition a region belongs to, its sign-in endpoint
 * (regional where AWS offers one), its console host, the short service names of `--service`,
 * and the check that a `--destination` really is an AWS console page. Pure: no I/O.
 */
import { UsageError } from '../errors.js';
import { closest } from '../suggest.js';

export type PartitionName = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface Partition {
  name: PartitionName;
  /** The global sign-in host (its federation endpoint serves every region of the partition). */
  signinHost: string;
  consoleHost: string;
  /** The region whose endpoint is the global one: no regional prefix for it. */
  homeRegion: string;
  /** Whether AWS runs `<region>.<signinHost>` endpoints in this partition. */
  regionalSignin: boolean;
}

const PARTITIONS: Record<PartitionName, Partition> = {
  aws: { name: 'aws', signinHost: 'signin.aws.amazon.com', consoleHost: 'console.aws.amazon.com', homeRegion: 'us-east-1', regionalSignin: true },
  'aws-cn': { name: 'aws-cn', signinHost: 'signin.amazonaws.cn', consoleHost: 'console.amazonaws.cn', homeRegion: 'cn-north-1', regionalSignin: false },
  'aws-us-gov': { name: 'aws-us-gov', signinHost: 'signin.amazonaws-us-gov.com', consoleHost: 'console.amazonaws-us-gov.com', homeRegion: 'us-gov-west-1', regionalSignin: false },
};

const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;

/** The partition of a region; no region means the commercial one. Isolated partitions have no public console. */
export function partitionOf(region: string | undefined): Partition {
  if (region === undefined) return PARTITIONS.aws;
  if (!REGION.test(region)) throw new UsageError(`console: "${region}" is not a region name like eu-west-1`);
  if (region.startsWith('cn-')) return PARTITIONS['aws-cn'];
  if (region.startsWith('us-gov-')) return PARTITIONS['aws-us-gov'];
  if (/^[a-z]+-iso[a-z]*-/.test(region) || region.startsWith('eusc-')) {
    throw new UsageError(`console: ${region} is in a partition whose console awsguard cannot sign in to (only aws, aws-cn and aws-us-gov have a federation endpoint it knows)`);
  }
  return PARTITIONS.aws;
}

/**
 * The federation endpoint: `AWS_ENDPOINT_URL_SIGNIN` + `/federation` when set (tests, private
 * endpoints), else the region's own sign-in endpoint (AWS lists `<region>.signin.aws.amazon.com`
 * for the commercial regions; us-east-1, China and GovCloud use their global host).
 */
export function federationEndpoint(region: string | undefined, env: NodeJS.ProcessEnv): string {
  const override = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true' ? undefined : env.AWS_ENDPOINT_URL_SIGNIN;
  if (override) {
    let url: URL;
    try {
      url = new URL(override);
    } catch {
      throw new UsageError(`AWS_ENDPOINT_URL_SIGNIN is not a URL: ${JSON.stringify(override)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('AWS_ENDPOINT_URL_SIGNIN must be an http(s) URL');
    if (url.search || url.hash) throw new UsageError('AWS_ENDPOINT_URL_SIGNIN takes no query or fragment (awsguard appends /federation)');
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}/federation`;
  }
  const p = partitionOf(region);
  const host = region && p.regionalSignin && region !== p.homeRegion ? `${region}.${p.signinHost}` : p.signinHost;
  return `https://${host}/federation`;
}

interface Service {
  /** Path under the console host, e.g. `ec2/home`. */
  path: string;
  /** Console fragment, for pages that live behind one (`#logsV2:log-groups`). */
  hash?: string;
  /** Global services take no `?region=`. */
  global?: boolean;
}

/** `--service` names (and a few short forms people type), as the console's own paths. */
export const SERVICES: Readonly<Record<string, Service>> = {
  console: { path: 'console/home' },
  acm: { path: 'acm/home' },
  apigateway: { path: 'apigateway/main' },
  athena: { path: 'athena/home' },
  backup: { path: 'backup/home' },
  bedrock: { path: 'bedrock/home' },
  billing: { path: 'billing/home', global: true },
  cloudformation: { path: 'cloudformation/home' },
  cloudfront: { path: 'cloudfront/v4/home', global: true },
  cloudtrail: { path: 'cloudtrail/home' },
  cloudwatch: { path: 'cloudwatch/home' },
  codebuild: { path: 'codesuite/codebuild/home' },
  codepipeline: { path: 'codesuite/codepipeline/home' },
  config: { path: 'config/home' },
  cost: { path: 'costmanagement/home', global: true },
  dynamodb: { path: 'dynamodbv2/home' },
  ec2: { path: 'ec2/home' },
  ecr: { path: 'ecr/home' },
  ecs: { path: 'ecs/v2/home' },
  eks: { path: 'eks/home' },
  elasticache: { path: 'elasticache/home' },
  eventbridge: { path: 'events/home' },
  glue: { path: 'glue/home' },
  guardduty: { path: 'guardduty/home' },
  iam: { path: 'iam/home', global: true },
  kms: { path: 'kms/home' },
  lambda: { path: 'lambda/home' },
  logs: { path: 'cloudwatch/home', hash: 'logsV2:log-groups' },
  organizations: { path: 'organizations/v2/home', global: true },
  rds: { path: 'rds/home' },
  route53: { path: 'route53/v2/home', global: true },
  s3: { path: 's3/home' },
  sagemaker: { path: 'sagemaker/home' },
  secretsmanager: { path: 'secretsmanager/home' },
  securityhub: { path: 'securityhub/home' },
  sns: { path: 'sns/v3/home' },
  sqs: { path: 'sqs/v3/home' },
  ssm: { path: 'systems-manager/home' },
  sso: { path: 'singlesignon/home' },
  stepfunctions: { path: 'states/home' },
  support: { path: 'support/home', global: true },
  trustedadvisor: { path: 'trustedadvisor/home', global: true },
  vpc: { path: 'vpcconsole/home' },
};

const SHORT_NAMES: Readonly<Record<string, string>> = {
  cfn: 'cloudformation',
  cw: 'cloudwatch',
  ddb: 'dynamodb',
  events: 'eventbridge',
  orgs: 'organizations',
  r53: 'route53',
  sfn: 'stepfunctions',
  sm: 'secretsmanager',
};

/** The console URL for a `--service` (none: the console home). */
export function serviceDestination(service: string | undefined, region: string | undefined): string {
  const key = service === undefined ? 'console' : (SHORT_NAMES[service.toLowerCase()] ?? service.toLowerCase());
  const s = SERVICES[key];
  if (!s) {
    const near = closest(service ?? '', [...Object.keys(SERVICES), ...Object.keys(SHORT_NAMES)], 2);
    throw new UsageError(
      `console: unknown --service "${service}"${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; or pass the page itself with --destination URL`,
    );
  }
  const p = partitionOf(region);
  // Regional pages on the region's own console host, as the console itself links them.
  const host = region && !s.global && region !== p.homeRegion ? `${region}.${p.consoleHost}` : p.consoleHost;
  const query = region && !s.global ? `?region=${encodeURIComponent(region)}` : '';
  return `https://${host}/${s.path}${query}${s.hash ? `#${s.hash}` : ''}`;
}

/**
 * A `--destination` the person typed: https, on the partition's console host or one of its
 * subdomains (`eu-west-1.console.aws.amazon.com`, `s3.console.aws.amazon.com`), nothing else:
 * the sign-in URL sends a freshly signed-in session there.
 */
export function checkDestination(text: string, region: string | undefined): string {
  const p = partitionOf(region);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`console: --destination is not a URL: ${JSON.stringify(text)} (e.g. https://${p.consoleHost}/ec2/home)`);
  }
  const host = url.hostname.toLowerCase();
  const onConsole = host === p.consoleHost || host.endsWith(`.${p.consoleHost}`);
  if (url.protocol !== 'https:' || !onConsole || url.username || url.password || url.port) {
    const other = Object.values(PARTITIONS).find((q) => q !== p && (host === q.consoleHost || host.endsWith(`.${q.consoleHost}`)));
    const why = other
      ? `it is a console of the ${other.name} partition, and the session is for ${p.name}${region ? ` (region ${region})` : ''}`
      : `only https pages on ${p.consoleHost} or its subdomains are AWS console pages`;
    throw new UsageError(`console: refusing --destination ${JSON.stringify(url.origin === 'null' ? text : url.origin)}: ${why}`);
  }
  return url.href;
}

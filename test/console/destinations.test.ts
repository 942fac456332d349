import { describe, expect, it } from 'vitest';
import { checkDestination, federationEndpoint, partitionOf, serviceDestination } from '../../src/console/destinations.js';

describe('partitions and sign-in endpoints', () => {
  it('uses the region\'s partition, with regional sign-in endpoints where AWS runs them', () => {
    expect(federationEndpoint('us-east-1', {})).toBe('https://signin.aws.amazon.com/federation');
    expect(federationEndpoint(undefined, {})).toBe('https://signin.aws.amazon.com/federation');
    expect(federationEndpoint('eu-west-1', {})).toBe('https://eu-west-1.signin.aws.amazon.com/federation');
    expect(federationEndpoint('cn-north-1', {})).toBe('https://signin.amazonaws.cn/federation');
    expect(federationEndpoint('cn-northwest-1', {})).toBe('https://signin.amazonaws.cn/federation');
    expect(federationEndpoint('us-gov-west-1', {})).toBe('https://signin.amazonaws-us-gov.com/federation');
    expect(federationEndpoint('us-gov-east-1', {})).toBe('https://signin.amazonaws-us-gov.com/federation');
    expect(partitionOf('cn-north-1').name).toBe('aws-cn');
    expect(partitionOf('us-gov-east-1').name).toBe('aws-us-gov');
  });

  it('refuses isolated partitions and things that are not regions', () => {
    expect(() => partitionOf('us-iso-east-1')).toThrow(/partition/);
    expect(() => partitionOf('eusc-de-east-1')).toThrow(/partition/);
    expect(() => partitionOf('mars')).toThrow(/not a region/);
  });

  it('AWS_ENDPOINT_URL_SIGNIN replaces the endpoint, with /federation appended', () => {
    expect(federationEndpoint('eu-west-1', { AWS_ENDPOINT_URL_SIGNIN: 'http://127.0.0.1:4566' })).toBe('http://127.0.0.1:4566/federation');
    expect(federationEndpoint('eu-west-1', { AWS_ENDPOINT_URL_SIGNIN: 'https://signin.internal.example/base/' })).toBe('https://signin.internal.example/base/federation');
    expect(federationEndpoint('eu-west-1', { AWS_ENDPOINT_URL_SIGNIN: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBe('https://eu-west-1.signin.aws.amazon.com/federation');
    expect(() => federationEndpoint(undefined, { AWS_ENDPOINT_URL_SIGNIN: 'not a url' })).toThrow(/not a URL/);
    expect(() => federationEndpoint(undefined, { AWS_ENDPOINT_URL_SIGNIN: 'ftp://x' })).toThrow(/http/);
  });
});

describe('--service', () => {
  it('maps short names to console pages, with ?region= only for regional services', () => {
    expect(serviceDestination('ec2', 'eu-west-1')).toBe('https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1');
    expect(serviceDestination('s3', 'us-east-1')).toBe('https://console.aws.amazon.com/s3/home?region=us-east-1');
    expect(serviceDestination('iam', 'eu-west-1')).toBe('https://console.aws.amazon.com/iam/home');
    expect(serviceDestination('billing', 'eu-west-1')).toBe('https://console.aws.amazon.com/billing/home');
    expect(serviceDestination('logs', 'eu-central-1')).toBe('https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#logsV2:log-groups');
    expect(serviceDestination('cfn', 'eu-west-1')).toBe(serviceDestination('cloudformation', 'eu-west-1'));
    expect(serviceDestination('DDB', 'eu-west-1')).toContain('/dynamodbv2/home');
    expect(serviceDestination(undefined, undefined)).toBe('https://console.aws.amazon.com/console/home');
    for (const s of ['lambda', 'rds', 'cloudwatch']) expect(serviceDestination(s, 'eu-west-1')).toMatch(new RegExp(`^https://eu-west-1\\.console\\.aws\\.amazon\\.com/${s}/home\\?region=eu-west-1$`));
  });

  it('follows the partition', () => {
    expect(serviceDestination('ec2', 'cn-northwest-1')).toBe('https://cn-northwest-1.console.amazonaws.cn/ec2/home?region=cn-northwest-1');
    expect(serviceDestination('iam', 'us-gov-west-1')).toBe('https://console.amazonaws-us-gov.com/iam/home');
  });

  it('refuses an unknown name with the nearest ones', () => {
    expect(() => serviceDestination('lamda', 'eu-west-1')).toThrow(/unknown --service "lamda" \(did you mean lambda/);
  });
});

describe('--destination', () => {
  it('takes https pages on the partition\'s console host and its subdomains', () => {
    expect(checkDestination('https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:', 'eu-west-1')).toBe('https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:');
    expect(checkDestination('https://s3.console.aws.amazon.com/s3/buckets/my-bucket', undefined)).toBe('https://s3.console.aws.amazon.com/s3/buckets/my-bucket');
    expect(checkDestination('https://console.amazonaws.cn/ec2/home', 'cn-north-1')).toBe('https://console.amazonaws.cn/ec2/home');
  });

  it('refuses everything else, saying why', () => {
    for (const bad of [
      'https://evil.example/',
      'http://console.aws.amazon.com/',
      'https://console.aws.amazon.com.evil.example/',
      'https://console.aws.amazon.com@evil.example/',
      'https://user@console.aws.amazon.com/',
      'https://console.aws.amazon.com:8443/',
      'javascript:alert(1)',
    ]) {
      expect(() => checkDestination(bad, 'eu-west-1'), bad).toThrow(/refusing --destination/);
    }
    expect(() => checkDestination('https://console.amazonaws.cn/ec2/home', 'eu-west-1')).toThrow(/aws-cn partition/);
    expect(() => checkDestination('not a url', 'eu-west-1')).toThrow(/not a URL/);
  });
});

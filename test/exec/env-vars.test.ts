import { describe, expect, it } from 'vitest';
import { INJECTED, MARKERS, PASSTHROUGH, SCRUBBED, isPassthrough, isScrubbed, regionFor } from '../../src/exec/env-vars.js';

describe('env-vars: the scrub list', () => {
  it('scrubs every inherited credential, profile selector and role source by name', () => {
    for (const name of [
      'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
      'AWS_CREDENTIAL_EXPIRATION', 'AWS_SESSION_EXPIRATION', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME', 'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_VAULT', 'AWS_SSO_PROFILE', 'AWS_ACCOUNT_ID',
    ]) {
      expect(SCRUBBED, name).toContain(name);
      expect(isScrubbed(name), name).toBe(true);
    }
  });

  it('scrubs families by prefix, and every AWSGUARD_ marker, including ones not invented yet', () => {
    expect(isScrubbed('AWS_CONTAINER_CREDENTIALS_SOMETHING_NEW')).toBe(true);
    expect(isScrubbed('AWS_CONTAINER_AUTHORIZATION_TOKEN_V2')).toBe(true);
    for (const marker of Object.values(MARKERS)) expect(isScrubbed(marker), marker).toBe(true);
    expect(isScrubbed('AWSGUARD_SERVER_URL')).toBe(true);
  });

  it('scrubs unlisted names shaped like credentials', () => {
    for (const name of ['AWS_BEARER_TOKEN_BEDROCK', 'AWS_S3_SECRET', 'AWS_MY_ACCESS_KEY', 'AWS_DB_PASSWORD', 'AWS_CREDENTIALS_JSON']) {
      expect(isScrubbed(name), name).toBe(true);
    }
  });

  it('keeps what says where and how to reach AWS, and awsguard’s own settings', () => {
    for (const name of [
      'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_SSO_OIDC', 'AWS_CA_BUNDLE', 'AWS_DATA_PATH', 'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE', 'AWS_RETRY_MODE', 'AWS_MAX_ATTEMPTS', 'AWS_EC2_METADATA_DISABLED', 'AWS_STS_REGIONAL_ENDPOINTS',
      'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_PAGER', 'AWS_DEFAULT_OUTPUT', 'AWSGUARD_CONFIG', 'AWSGUARD_DEBUG',
    ]) {
      expect(isPassthrough(name), name).toBe(true);
      expect(isScrubbed(name), name).toBe(false);
    }
  });

  it('leaves names it knows nothing about alone', () => {
    for (const name of ['PATH', 'HOME', 'LANG', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_EXECUTION_ENV', 'MY_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
      expect(isScrubbed(name), name).toBe(false);
    }
  });

  it('has no name both scrubbed and passed through, and injects only names it also scrubs or owns', () => {
    for (const name of PASSTHROUGH) expect(SCRUBBED, name).not.toContain(name);
    for (const name of INJECTED) expect(isScrubbed(name) || name === 'AWS_REGION' || name === 'AWS_DEFAULT_REGION', name).toBe(true);
    expect(new Set(Object.values(MARKERS)).size).toBe(Object.values(MARKERS).length);
    for (const name of Object.values(MARKERS)) expect(name).toMatch(/^AWSGUARD_[A-Z_]+$/);
  });
});

describe('env-vars: region', () => {
  it("takes the profile's region when known", () => {
    expect(regionFor({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-west-1' }, 'eu-west-1')).toBe('eu-west-1');
  });
  it("keeps the person's region otherwise, AWS_REGION first", () => {
    expect(regionFor({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-west-1' }, undefined)).toBe('us-west-2');
    expect(regionFor({ AWS_DEFAULT_REGION: 'us-west-1' }, undefined)).toBe('us-west-1');
    expect(regionFor({ AWS_REGION: '' }, undefined)).toBeUndefined();
  });
});

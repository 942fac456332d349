import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  computeSignature,
  parseAuthorization,
  sha256Hex,
  signRequest,
  signingKey,
  constantTimeEqual,
} from '../support/fake-aws/sigv4.js';
import type { WireRequest } from '../support/fake-aws/sigv4.js';

// The worked example from AWS's SigV4 documentation (IAM ListUsers, 2015-08-30).
const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const docRequest: WireRequest = {
  method: 'GET',
  rawPath: '/',
  rawQuery: 'Action=ListUsers&Version=2010-05-08',
  rawHeaders: [
    'Host', 'iam.amazonaws.com',
    'Content-Type', 'application/x-www-form-urlencoded; charset=utf-8',
    'X-Amz-Date', '20150830T123600Z',
  ],
};
const docAuth = parseAuthorization(
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
);

describe('SigV4 (server side)', () => {
  it('reproduces the AWS documentation example: canonical request, signing key, signature', () => {
    const canonical = canonicalRequest(docRequest, docAuth.signedHeaders, sha256Hex(''));
    expect(sha256Hex(canonical)).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
    expect(signingKey(DOC_SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
    const sig = computeSignature(docRequest, docAuth, DOC_SECRET, '20150830T123600Z', sha256Hex(''));
    expect(sig).toBe(docAuth.signature);
  });

  it('parses the Authorization header into scope parts', () => {
    expect(docAuth).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20150830',
      region: 'us-east-1',
      service: 'iam',
      scope: '20150830/us-east-1/iam/aws4_request',
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
    });
  });

  it('rejects malformed Authorization headers as IncompleteSignature', () => {
    expect(() => parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request')).toThrow(
      /requires 'Signature' parameter/,
    );
    expect(() => parseAuthorization('AWS AKID:sig')).toThrow(/Unsupported AWS 'algorithm'/);
    try {
      parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/2015/iam, SignedHeaders=host, Signature=00');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('IncompleteSignature');
    }
  });

  it('canonicalises query strings and paths the AWS way', () => {
    expect(canonicalQuery('b=2&a=3&a=1&c')).toBe('a=1&a=3&b=2&c=');
    expect(canonicalQuery('k=a%20b&k2=%2A*')).toBe('k=a%20b&k2=%2A%2A');
    expect(canonicalQuery('')).toBe('');
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('/a/./b/../c//d/')).toBe('/a/c/d/');
    // Non-S3 services encode the already-encoded path once more.
    expect(canonicalUri('/foo%20bar')).toBe('/foo%2520bar');
  });

  it('joins repeated headers and collapses whitespace in canonical headers', () => {
    const req: WireRequest = {
      method: 'POST',
      rawPath: '/',
      rawQuery: '',
      rawHeaders: ['Host', 'h', 'X-Multi', ' a   b ', 'x-multi', 'c'],
    };
    expect(canonicalRequest(req, ['host', 'x-multi'], 'HASH')).toBe('POST\n/\n\nhost:h\nx-multi:a b,c\n\nhost;x-multi\nHASH');
  });

  it('signRequest (the test-side signer) round-trips through the verifier', () => {
    const url = new URL('http://127.0.0.1:1234/');
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const headers = signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: DOC_SECRET },
      { region: 'us-east-1', service: 'sts', timeMs: Date.UTC(2024, 0, 2, 3, 4, 5) },
    );
    const auth = parseAuthorization(headers.authorization ?? '');
    const wire: WireRequest = { method: 'POST', rawPath: '/', rawQuery: '', rawHeaders: Object.entries(headers).flat() };
    const expected = computeSignature(wire, auth, DOC_SECRET, '20240102T030405Z', sha256Hex(body));
    expect(constantTimeEqual(expected, auth.signature)).toBe(true);
    expect(constantTimeEqual(computeSignature(wire, auth, `${DOC_SECRET}x`, '20240102T030405Z', sha256Hex(body)), auth.signature)).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});

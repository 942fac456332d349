import { createHmac } from 'node:crypto';

/**
 * RFC 6238 TOTP as virtual MFA devices compute it: HMAC-SHA-1 over the 30-second step counter,
 * dynamic truncation (RFC 4226 §5.3), six digits. The secret is base32, as authenticator apps
 * and `ykman oath accounts add` take it.
 */
export const TOTP_STEP_SECONDS = 30;

export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i === -1) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpStep(ms: number): number {
  return Math.floor(ms / 1000 / TOTP_STEP_SECONDS);
}

export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const n = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(n % 1_000_000).padStart(6, '0');
}

/** The step a code belongs to, allowing one step of drift either way (what AWS tolerates), or undefined. */
export function matchingStep(secret: string, code: string, ms: number): number | undefined {
  const now = totpStep(ms);
  for (const step of [now, now - 1, now + 1]) if (totpAt(secret, step) === code) return step;
  return undefined;
}

/**
 * Encryption of CRM and Aircall credentials at rest (issue 3): AES-256-GCM
 * with a key from the environment (`SECRET_KEY`, 32 bytes in base64 or hex),
 * and hashing of bearer tokens (sha256: tokens are random 256-bit values, so
 * a slow hash would add nothing). Comparisons are constant-time.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export class Secrets {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32)
      throw new Error('SECRET_KEY must be 32 bytes, in base64 or hex (e.g. `openssl rand -base64 32`)');
    this.key = key;
  }

  static fromEnv(value: string): Secrets {
    const v = value.trim();
    const key = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
    return new Secrets(key);
  }

  encrypt(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join('.');
  }

  decrypt<T = unknown>(sealed: string): T {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !body)
      throw new Error('stored credentials are not in a known format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch {
      throw new Error(
        'stored credentials cannot be decrypted: SECRET_KEY differs from the one they were saved with',
      );
    }
  }
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time equality of two strings (via their sha256, so lengths need not match). */
export function sameSecret(given: string, expectedHash: string): boolean {
  const a = Buffer.from(sha256(given), 'hex');
  const b = Buffer.from(expectedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new random token, URL-safe. */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

// Station credentials: "esc1_<station id>_<secret>", shown once at enrollment. The hub keeps only
// a SHA-256 of the secret: 32 random bytes need no slow hash (nothing to guess), and 200 stations
// reconnecting after a restart must not cost a second of CPU each.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export const credentialOf = (stationId: string, secret: string): string => `esc1_${stationId}_${secret}`;

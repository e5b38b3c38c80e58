/** Compares a presented secret (a token) with the expected one in constant time, so timing does not reveal how much of it matched. */
import { createHash, timingSafeEqual } from 'node:crypto';

export function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  // Hashing first gives equal lengths, so neither the length nor the matching prefix leaks.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

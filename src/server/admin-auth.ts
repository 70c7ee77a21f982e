/** The admin token check: a bearer token compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

import { unauthorized } from './http-errors.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * A check that throws 401 unless the Authorization header carries the token. Without a token
 * configured the admin endpoints are open (a server on loopback, for development).
 */
export function adminGuard(token: string | undefined): (authorization: unknown) => void {
  if (token === undefined) return () => undefined;
  const expected = digest(`Bearer ${token}`);

  return (authorization) => {
    // Hashing first makes both sides the same length, so the comparison leaks nothing.
    const given = digest(typeof authorization === 'string' ? authorization : '');
    if (!timingSafeEqual(given, expected)) throw unauthorized();
  };
}

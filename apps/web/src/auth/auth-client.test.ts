import { describe, expect, it } from 'vitest';
import { describeSignInFailure } from './auth-client';

describe('describeSignInFailure', () => {
  it.each([
    [401, null, 'Wrong email or password.'],
    [400, null, 'Wrong email or password.'],
    [429, 30, 'Too many sign-in attempts. Try again in 30 seconds.'],
    [429, 900, 'Too many sign-in attempts. Try again in 15 minutes.'],
    [429, null, 'Too many sign-in attempts. Try again in a little while.'],
  ])('%i (retry after %s) reads "%s"', (status, retry, message) => {
    expect(describeSignInFailure(status, retry)).toBe(message);
  });

  it('explains a refused origin and any other failure', () => {
    expect(describeSignInFailure(403, null)).toMatch(/address it was set up with/);
    expect(describeSignInFailure(500, null)).toMatch(/answered 500/);
  });
});

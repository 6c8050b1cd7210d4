// Signing in and out through the server's better-auth endpoints (same origin; the browser sends the
// Origin header the server checks, and keeps the HTTP-only session cookie to itself).

export type SignInResult = { ok: true } | { ok: false; message: string };

/** What to tell a person when signing in did not work, from the server's answer. */
export function describeSignInFailure(status: number, retryAfterSeconds: number | null): string {
  if (status === 400 || status === 401) return 'Wrong email or password.';
  if (status === 429) {
    const wait =
      retryAfterSeconds === null
        ? 'a little while'
        : retryAfterSeconds < 90
          ? `${retryAfterSeconds} seconds`
          : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
    return `Too many sign-in attempts. Try again in ${wait}.`;
  }
  if (status === 403)
    return 'The server refused this sign-in from this address. Open Sluice at the address it was set up with.';
  return `Signing in failed (the server answered ${status}). Try again shortly.`;
}

function retryAfter(response: Response): number | null {
  const value = Number(response.headers.get('retry-after') ?? response.headers.get('x-retry-after'));
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** POST /api/auth/sign-in/email. */
export async function signIn(email: string, password: string): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetch('/api/auth/sign-in/email', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, rememberMe: true }),
    });
  } catch {
    return { ok: false, message: 'The server could not be reached. Check your connection and try again.' };
  }
  if (response.ok) return { ok: true };
  return { ok: false, message: describeSignInFailure(response.status, retryAfter(response)) };
}

/** POST /api/auth/sign-out: the server deletes the session, so the cookie is worthless afterwards. */
export async function signOut(): Promise<void> {
  await fetch('/api/auth/sign-out', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}

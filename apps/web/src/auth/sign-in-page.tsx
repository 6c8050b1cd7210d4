import { type FormEvent, useId, useState } from 'react';
import { signIn } from './auth-client';

/** Email and password, sent to the server; on success the caller re-reads the session. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errorId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!email || !password) {
      setError('Enter your email and password.');
      return;
    }
    setPending(true);
    setError(null);
    const result = await signIn(email, password);
    setPending(false);
    if (result.ok) onSignedIn();
    else setError(result.message);
  }

  return (
    <div className="sl-signin">
      <form
        className="sl-signin__card"
        aria-labelledby="sign-in-heading"
        aria-describedby={error ? errorId : undefined}
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        <h1 id="sign-in-heading" className="sl-signin__title">
          Sign in to Sluice
        </h1>
        <p className="sl-signin__hint">Members are invited by a workspace owner.</p>
        <label className="sl-field">
          <span className="sl-field__label">Email</span>
          <input className="sl-field__input" name="email" type="email" autoComplete="username" required />
        </label>
        <label className="sl-field">
          <span className="sl-field__label">Password</span>
          <input
            className="sl-field__input"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
        </label>
        {error && (
          <p id={errorId} className="sl-signin__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="sl-button sl-button--primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}

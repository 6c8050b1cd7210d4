// Submitting the sign-in form the way a person does when the server asks them to wait.
import { expect, type Locator, type Page, test } from '@playwright/test';

/**
 * Clicks "Sign in" on the filled form and waits for `signedIn`. The server allows 20 sign-ins a
 * minute per client address, and the whole suite signs in from 127.0.0.1: when it answers 429, this
 * waits as long as it says (Retry-After) and submits again, a few times at most.
 */
export async function submitSignIn(page: Page, signedIn: Locator): Promise<void> {
  for (let attempt = 1; attempt <= 4; attempt++) {
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/auth/sign-in/email') && r.request().method() === 'POST',
      ),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    if (response.status() !== 429) break;
    const headers = response.headers();
    const waitMs = (Number(headers['retry-after'] ?? headers['x-retry-after'] ?? 5) + 1) * 1000;
    // The wait is the server's, not the test's: it does not count against the test's time.
    test.info().setTimeout(test.info().timeout + waitMs);
    await page.waitForTimeout(waitMs);
  }
  await expect(signedIn).toBeVisible();
}

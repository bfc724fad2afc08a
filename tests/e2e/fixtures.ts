import { test as base, expect, type Browser, type Page } from '@playwright/test';

export type Role = 'technician' | 'trainer' | 'manager' | 'admin';
export const DEMO_PASSWORD = 'demo-pass-2026';
export const storageFor = (role: Role) => `${process.env.E2E_STATE_DIR || 'tests/e2e/.auth'}/${role}.json`;

/** `test.use({ as: 'admin' })` runs a file signed in as that demo user; without it, anonymous. */
export const test = base.extend<{ as: Role | null }>({
	as: [null, { option: true }],
	storageState: async ({ as }, use) => {
		await use(as ? storageFor(as) : { cookies: [], origins: [] });
	}
});

export { expect };

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	// Type only once the page is interactive, as a person would; hydration may reset early input.
	await page.waitForLoadState('networkidle');
	// By field name, not label: the page may be in either language.
	await page.locator('input[name="email"]').fill(email);
	await page.locator('input[name="password"]').fill(password);
	await page.locator('form[method="POST"]:has(input[name="password"]) button[type="submit"]').click();
	// Signing in loads the next page in full: wait for it (or for the refusal) before moving on.
	await Promise.race([
		page.waitForURL((url) => !url.pathname.startsWith('/login'), { waitUntil: 'networkidle' }),
		page.getByRole('alert').first().waitFor()
	]);
}

/** Form posts from outside a page must name this site as their origin, as a browser would. */
export function originHeaders(baseURL: string | undefined) {
	return { origin: new URL(baseURL!).origin, accept: 'text/html' };
}

/** A second, signed-out browser (a new context would otherwise inherit the file's `as` user). */
export function signedOutContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}) {
	return browser.newContext({ ...options, storageState: { cookies: [], origins: [] } });
}

import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type Page } from '@playwright/test';

export type Role = 'technician' | 'trainer' | 'manager' | 'admin';
export const DEMO_PASSWORD = 'demo-pass-2026';
export const storageFor = (role: Role) => `${process.env.E2E_STATE_DIR || 'tests/e2e/.auth'}/${role}.json`;

/** The accessibility rules every page is held to: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe on the page as it is, run in the page itself (legacy mode: no extra blank page per scan; the
 * app has no frames), reporting violations only: well under a second on these pages.
 */
export const axeBuilder = (page: Page) =>
	// `options()` replaces every option set before it: it comes first, then the tags.
	new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS).setLegacyMode(true);

/** axe's findings, one line per element: rule, impact, where, what to fix. */
export async function axeProblems(page: Page): Promise<string[]> {
	const { violations } = await axeBuilder(page).analyze();
	return violations.flatMap((v) =>
		v.nodes.map((node) => {
			const summary = (node.failureSummary ?? '').split('\n').slice(1).join(' ').trim();
			return `axe ${v.id} (${v.impact}) at ${node.target.join(' ')}: ${v.help}. ${summary}`;
		})
	);
}

/** Makes the page record Content-Security-Policy violations from its next document on. */
export async function recordPolicyViolations(page: Page) {
	await page.addInitScript(() => {
		const w = window as unknown as { __cspViolations: string[] };
		w.__cspViolations = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			w.__cspViolations.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}${e.sample ? ` "${e.sample}"` : ''} (${e.sourceFile || 'page'}:${e.lineNumber})`);
		});
	});
}

/** The violations recorded since the last call (null when the recorder is not on this document). */
export function takePolicyViolations(page: Page): Promise<string[] | null> {
	return page.evaluate(() => {
		const w = window as unknown as { __cspViolations?: string[] };
		const out = w.__cspViolations ?? null;
		w.__cspViolations = [];
		return out;
	});
}

/**
 * `test.use({ as: 'admin' })` runs a file signed in as that demo user; without it, anonymous.
 * The `page` of every test records Content-Security-Policy violations, and once the test has passed
 * its final state is checked: no violation, and no WCAG 2.1 A/AA finding by axe. Pages the tests
 * open in contexts of their own are not checked here; tests/e2e/every-page.e2e.ts opens every page.
 */
export const test = base.extend<{ as: Role | null }>({
	as: [null, { option: true }],
	storageState: async ({ as }, use) => {
		await use(as ? storageFor(as) : { cookies: [], origins: [] });
	},
	page: async ({ page, baseURL }, use, testInfo) => {
		await recordPolicyViolations(page);
		await use(page);
		if (testInfo.status !== testInfo.expectedStatus || page.isClosed() || !page.url().startsWith(baseURL!)) return;
		await page.waitForLoadState('networkidle').catch(() => {});
		if ((await page.evaluate(() => document.contentType)) !== 'text/html') return;
		const where = new URL(page.url()).pathname;
		const problems = [...((await takePolicyViolations(page)) ?? []), ...(await axeProblems(page))];
		expect(problems, `the page the test ended on (${where}):\n${problems.join('\n')}`).toEqual([]);
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

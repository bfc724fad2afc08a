import type { Browser, BrowserContext, Page, Response } from '@playwright/test';
import { axeProblems, expect, recordPolicyViolations, signIn, storageFor, takePolicyViolations, test } from './fixtures';
import { walkRoutes, type RouteNode } from './route-tree';
import { match as uuidMatcher } from '../../src/params/uuid';

/**
 * Every page of the route tree, opened in Chromium by each role that may open it, with JavaScript
 * on, on real records (ids and slugs found by following the app's own links, and an attempt, a
 * scenario run and an invitation made through the pages): no Content-Security-Policy violation,
 * no Permissions-Policy complaint, no script error, and no WCAG 2.1 A/AA violation found by axe.
 * Each role also moves by client-side navigation and submits forms, so that hydration, the router
 * and `use:enhance` run under the policy. Every problem of every page is listed at once.
 */

type Visitor = 'anonymous' | 'technician' | 'trainer' | 'manager' | 'admin';

/** Page routes that only redirect (they render nothing) and are not opened here. */
const REDIRECT_ONLY = new Set(['/', '/logout', '/language']);

/** Who opens a page route: its area's role; the profile, every signed-in role; public pages, anonymous. */
function visitorsOf(pattern: string): Visitor[] | null {
	const area = pattern.split('/')[1];
	switch (area) {
		case 'learn':
			return ['technician'];
		case 'trainer':
		case 'manager':
		case 'admin':
			return [area];
		case 'studio':
			return ['trainer'];
		case 'profile':
			return ['technician', 'trainer', 'manager', 'admin'];
		case 'login':
		case 'invite':
		case 'verify':
			return ['anonymous'];
		default:
			return null;
	}
}

const PAGE_ROUTES: RouteNode[] = walkRoutes().filter((n) => n.page && !REDIRECT_ONLY.has(n.pattern));
const MATCHERS: Record<string, (v: string) => boolean> = { uuid: (v) => uuidMatcher(v) };

/** The page route a path opens, as SvelteKit picks it: more fixed segments first. */
function routeOf(pathname: string): string | null {
	const parts = pathname.split('/').filter(Boolean);
	let best: { pattern: string; fixed: number } | null = null;
	for (const node of PAGE_ROUTES) {
		const segments = node.pattern.split('/').filter(Boolean);
		if (segments.length !== parts.length) continue;
		let fixed = 0;
		const ok = segments.every((s, i) => {
			const param = /^\[(\w+)(?:=(\w+))?\]$/.exec(s);
			if (!param) return s === parts[i] && ++fixed > 0;
			return !param[2] || MATCHERS[param[2]]!(decodeURIComponent(parts[i]!));
		});
		if (ok && (!best || fixed > best.fixed)) best = { pattern: node.pattern, fixed };
	}
	return best?.pattern ?? null;
}

/** A real address for each page route, as found on the pages (the first one found is kept). */
const found = new Map<string, string>();
/** Page routes opened, and by whom. */
const visited = new Map<string, Set<Visitor>>();
let pagesScanned = 0;
const problems: string[] = [];
const freshTechnician = { email: '', password: 'every-page-2026' };

interface Watch {
	page: Page;
	/** Messages since the last scan: policy complaints from the console, script errors. */
	take(): string[];
}

/** A page that records CSP violations (in the page) and policy complaints and errors (console). */
async function watchedPage(context: BrowserContext): Promise<Watch> {
	const page = await context.newPage();
	await recordPolicyViolations(page);
	let messages: string[] = [];
	page.on('console', (msg) => {
		const text = msg.text();
		if (/Content[- ]Security[- ]Policy|Permissions[- ]Policy|Refused to/i.test(text)) messages.push(`console ${msg.type()}: ${text}`);
	});
	page.on('pageerror', (err) => messages.push(`script error: ${err.message}`));
	return {
		page,
		take() {
			const out = messages;
			messages = [];
			return out;
		}
	};
}

/** The headers every HTML page must carry (plain http here: no HSTS). */
function headerProblems(response: Response | null): string[] {
	if (!response) return [];
	const h = response.headers();
	if (!(h['content-type'] ?? '').startsWith('text/html')) return [];
	const out: string[] = [];
	const csp = h['content-security-policy'] ?? '';
	if (!csp) out.push('no Content-Security-Policy header');
	else {
		if (!/frame-ancestors 'none'/.test(csp)) out.push(`CSP without frame-ancestors 'none': ${csp}`);
		const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
		if (!script.includes("'self'") || script.includes('unsafe-inline')) out.push(`CSP script-src is not 'self' + hashes: ${script}`);
	}
	if (h['x-frame-options'] !== 'DENY') out.push(`X-Frame-Options: ${h['x-frame-options']}`);
	if (!h['permissions-policy']?.includes('camera=()')) out.push(`Permissions-Policy: ${h['permissions-policy']}`);
	if (h['strict-transport-security']) out.push('HSTS over plain http');
	return out;
}

/** Everything wrong with the page as it is now: policy violations, errors, axe's WCAG findings. */
async function scan(w: Watch, who: Visitor, response: Response | null = null): Promise<void> {
	const { page } = w;
	await page.waitForLoadState('networkidle');
	const url = new URL(page.url());
	const where = `${who} ${url.pathname}${url.search}`;
	const violations = (await takePolicyViolations(page)) ?? ['the violation recorder did not run'];
	const axe = await axeProblems(page);
	pagesScanned++;
	for (const p of [...headerProblems(response), ...violations, ...w.take(), ...axe]) problems.push(`${where}: ${p}`);
	const route = routeOf(new URL(page.url()).pathname);
	if (route) (visited.get(route) ?? visited.set(route, new Set()).get(route)!).add(who);
}

/** Same-origin page links on the page, recorded per page route. */
async function collectLinks(page: Page) {
	const origin = new URL(page.url()).origin;
	const hrefs = await page.locator('a[href]:not([download])').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
	for (const href of hrefs) {
		const url = new URL(href);
		if (url.origin !== origin) continue;
		const route = routeOf(url.pathname);
		if (route && !found.has(route)) found.set(route, url.pathname + url.search);
	}
}

/** Opens a page in full (a document request: its headers are checked too), scans it and reads its links. */
async function open(w: Watch, who: Visitor, path: string) {
	const response = await w.page.goto(path);
	expect(response?.status(), `${who} ${path}`).toBeLessThan(400);
	await scan(w, who, response);
	await collectLinks(w.page);
}

/** Opens every page route of the visitor's area whose real address is known, until no new one turns up. */
async function crawl(w: Watch, who: Visitor) {
	const done = new Set([...visited].filter(([, by]) => by.has(who)).map(([route]) => route));
	for (let round = 0; round < 6; round++) {
		const next = [...found].filter(([route]) => !done.has(route) && visitorsOf(route)?.includes(who));
		if (!next.length) return;
		for (const [route, path] of next) {
			done.add(route);
			await open(w, who, path);
		}
	}
}

/**
 * Client-side navigation along the main menu: the page is not reloaded (a marker set on the window
 * survives), so the router, the data requests and the route announcer run under the policy.
 */
async function navigateInApp(w: Watch, who: Visitor, count = 2) {
	const { page } = w;
	const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
	await page.evaluate(() => ((window as unknown as { __stayed: boolean }).__stayed = true));
	const total = await links.count();
	for (let i = 1; i <= Math.min(count, total - 1); i++) {
		const link = links.nth(i);
		const href = (await link.getAttribute('href'))!;
		await link.click();
		await expect(page).toHaveURL(new RegExp(`${href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
		expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed), `${who}: ${href} opened without a reload`).toBe(true);
		await scan(w, who);
		await collectLinks(page);
	}
}

async function signedIn(browser: Browser, who: Exclude<Visitor, 'anonymous' | 'technician'>): Promise<{ context: BrowserContext; w: Watch }> {
	const context = await browser.newContext({ storageState: storageFor(who) });
	return { context, w: await watchedPage(context) };
}

test.describe.configure({ mode: 'serial' });

test('admin: every admin page, and a technician invited through the form', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, w } = await signedIn(browser, 'admin');
	await open(w, 'admin', '/admin');
	await navigateInApp(w, 'admin');
	// A form sent with JavaScript on (use:enhance): a technician of this test's own, so the demo
	// technician's progress stays as it is.
	freshTechnician.email = `every.page.${Date.now()}@example.com`;
	await w.page.goto('/admin/users');
	const form = w.page.locator('form[action="?/invite"]');
	if (!(await form.isVisible())) await w.page.locator('details.card > summary').first().click();
	await form.locator('input[name="email"]').fill(freshTechnician.email);
	await form.locator('input[name="displayName"]').fill('Every Page');
	await form.locator('button[type="submit"]').click();
	const link = (await w.page.getByTestId('invite-link').textContent())!.trim();
	await scan(w, 'admin');
	found.set('/invite/[token]', new URL(link).pathname);
	await collectLinks(w.page);
	// A webhook's page needs a webhook: one is added for this test if the demo has none (a public
	// address, as required; no event is sent to it before it is deleted below).
	let addedHook = false;
	await w.page.goto('/admin/webhooks');
	await collectLinks(w.page);
	if (!found.has('/admin/webhooks/[id=uuid]')) {
		const hookForm = w.page.locator('form[action="?/create"]');
		await hookForm.locator('input[name="url"]').fill('https://93.184.215.14/serviceready-every-page-check');
		await hookForm.locator('button[type="submit"]').click();
		await expect(w.page.getByRole('status')).toBeVisible();
		await scan(w, 'admin');
		await collectLinks(w.page);
		addedHook = true;
	}
	await crawl(w, 'admin');
	if (addedHook) {
		await w.page.goto(found.get('/admin/webhooks/[id=uuid]')!);
		await w.page.locator('details > summary', { hasText: 'Delete' }).click();
		await w.page.locator('form[action="?/delete"] button[type="submit"]').click();
		await expect(w.page).toHaveURL(/\/admin\/webhooks\?deleted=1$/);
	}
	await context.close();
});

test('anonymous: sign-in, invitation and certificate check pages', async ({ browser }) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	const w = await watchedPage(context);
	await open(w, 'anonymous', '/login');
	// The invitation, before it is used: its form, then accepted (a form sent with JavaScript on).
	await open(w, 'anonymous', found.get('/invite/[token]')!);
	await w.page.locator('input[name="password"]').fill(freshTechnician.password);
	await w.page.locator('input[name="confirm"]').fill(freshTechnician.password);
	await w.page.locator('form[method="POST"]:has(input[name="confirm"]) button[type="submit"]').click();
	await w.page.waitForURL((url) => !url.pathname.startsWith('/invite/'));
	await scan(w, 'anonymous');
	await context.close();
});

test('technician: every learning page, a quiz taken and a scenario played', async ({ browser }) => {
	test.setTimeout(180_000);
	const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	const w = await watchedPage(context);
	await signIn(w.page, freshTechnician.email, freshTechnician.password);
	await expect(w.page).toHaveURL(/\/learn$/);
	await scan(w, 'technician');
	await collectLinks(w.page);
	await navigateInApp(w, 'technician');
	await crawl(w, 'technician');

	// A quiz: started, one answer saved and the attempt handed in, all with JavaScript on.
	const quiz = found.get('/learn/courses/[course]/quizzes/[quiz]');
	expect(quiz, 'a quiz linked from a course page').toBeDefined();
	await w.page.goto(quiz!);
	await w.page.locator('form[action="?/start"] button').click();
	await expect(w.page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
	await scan(w, 'technician');
	const answerForm = w.page.locator('form[action*="answer"]');
	const choice = answerForm.locator('input[name="choice"]').first();
	if (await choice.count()) {
		await choice.check();
		await answerForm.locator('button[type="submit"]').click();
		await expect(w.page.getByRole('status')).toBeVisible();
		await scan(w, 'technician');
	}
	await w.page.locator('form[action="?/submit"] button').click();
	await expect(w.page).toHaveURL(/\/result$/);
	await scan(w, 'technician');

	// A scenario: started, one reply taken.
	const scenario = found.get('/learn/courses/[course]/scenarios/[scenario]');
	expect(scenario, 'a scenario linked from a course page').toBeDefined();
	await w.page.goto(scenario!);
	await w.page.locator('form[action="?/start"] button').click();
	await expect(w.page).toHaveURL(/\/learn\/runs\/[0-9a-f-]{36}$/);
	await scan(w, 'technician');
	const step = Number(await w.page.locator('form.choices input[name="step"]').inputValue());
	await w.page.locator('form.choices button[name="choice"]').first().click();
	await expect(w.page.locator(`form.choices input[name="step"][value="${step + 1}"], ol.chat.debrief`)).toHaveCount(1);
	await scan(w, 'technician');
	await open(w, 'technician', '/profile');
	await context.close();
});

test('trainer: every training page, with the results just made', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, w } = await signedIn(browser, 'trainer');
	await open(w, 'trainer', '/trainer');
	await navigateInApp(w, 'trainer');
	await crawl(w, 'trainer');
	await context.close();
});

test('manager: every team and dispatch page', async ({ browser }) => {
	test.setTimeout(180_000);
	const { context, w } = await signedIn(browser, 'manager');
	await open(w, 'manager', '/manager');
	await navigateInApp(w, 'manager');
	await crawl(w, 'manager');
	await context.close();
});

test('the public certificate check and the error pages', async ({ browser }) => {
	test.setTimeout(120_000);
	const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	const w = await watchedPage(anonymous);
	const verify = found.get('/verify/[code]');
	expect(verify, 'a certificate check link on a trainer page').toBeDefined();
	await open(w, 'anonymous', verify!);
	await anonymous.close();
	// SvelteKit's error page (a page that does not exist) and the static one, src/error.html (a
	// refusal by the hooks), which carries its policy in a meta tag.
	const { context, w: trainer } = await signedIn(browser, 'trainer');
	for (const path of ['/trainer/no-such-page', '/admin']) {
		const res = await trainer.page.goto(path);
		expect(res!.status(), path).toBeGreaterThanOrEqual(400);
		const header = Boolean(res!.headers()['content-security-policy']);
		if (!header) expect(await trainer.page.locator('meta[http-equiv="Content-Security-Policy"]').count(), `${path}: its policy`).toBe(1);
		await scan(trainer, 'trainer', header ? res : null);
	}
	await context.close();
});

test('every page of every role was opened, and none has a problem', () => {
	const missing = PAGE_ROUTES.filter((n) => {
		const who = visitorsOf(n.pattern);
		return !who || who.some((v) => !visited.get(n.pattern)?.has(v));
	}).map((n) => `${n.pattern} (for ${visitorsOf(n.pattern)?.join(', ') ?? 'nobody: add it to visitorsOf'}; opened by ${[...(visited.get(n.pattern) ?? [])].join(', ') || 'nobody'})`);
	const pairs = PAGE_ROUTES.reduce((n, r) => n + (visitorsOf(r.pattern) ?? []).filter((v) => visited.get(r.pattern)?.has(v)).length, 0);
	console.log(`${pagesScanned} page states scanned: ${PAGE_ROUTES.length} page routes, ${pairs} route × role pairs`);
	expect(missing, `page routes not opened:\n${missing.join('\n')}`).toEqual([]);
	expect(problems, `${problems.length} problems:\n${problems.join('\n')}`).toEqual([]);
});

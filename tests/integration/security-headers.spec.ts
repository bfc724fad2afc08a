/**
 * The browser security headers, through the app's real `handle` (hooks.server.ts) in process:
 * every response gets X-Frame-Options, Permissions-Policy and the rest; HSTS only over https;
 * a lesson page served again by the page cache keeps them, and keeps the Content-Security-Policy
 * (with its script hashes) it was rendered with. The page itself is stood in for by a `resolve`
 * that answers as SvelteKit's renderer does (HTML with its CSP header); the real pages and their
 * policy in a browser are tests/e2e/every-page.e2e.ts.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// SvelteKit runs `handle` inside its request store (`sequence` reads it); so does this test.
// @ts-expect-error -- the package ships no types for this internal entry point
import { with_request_store as withRequestStore } from '@sveltejs/kit/internal/server';
import { freshDb, type TestDb } from '../helpers/db';
import { createUser } from '../../src/lib/server/users';
import * as auth from '../../src/lib/server/auth/session';
import { cookieName } from '../../src/lib/paraglide/runtime';
import { HSTS, PERMISSIONS_POLICY } from '../../src/lib/server/security-headers';
import { cookieJar, matchPage, NO_SPAN, REQUEST_STATE } from './form-harness';
import { apiClient } from './api-harness';

type HandleFn = (input: { event: RequestEvent; resolve: (event: RequestEvent) => Promise<Response> }) => Promise<Response>;

let t: TestDb;
let handle: HandleFn;
let technicianSession = '';
let technicianLocale = '';
let rendered = 0;

/** A page as SvelteKit renders it: HTML, and a policy whose script hash differs with every render. */
function renderPage(): Response {
	rendered++;
	return new Response(`<!doctype html><html><body><script>start(${rendered})</script></body></html>`, {
		headers: { 'content-type': 'text/html', 'content-security-policy': `script-src 'self' 'sha256-render${rendered}'; frame-ancestors 'none'` }
	});
}

async function get(href: string, cookies: Record<string, string> = {}): Promise<Response> {
	const url = new URL(href);
	const match = matchPage(url.pathname);
	const cookie = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
	const request = new Request(url, { headers: cookie ? { cookie, accept: 'text/html' } : { accept: 'text/html' } });
	const event = {
		request,
		url,
		params: match?.params ?? {},
		route: { id: match?.route.id ?? null },
		cookies: cookieJar(request.headers.get('cookie')),
		locals: {},
		platform: undefined,
		isDataRequest: false,
		isSubRequest: false,
		isRemoteRequest: false,
		fetch,
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => {},
		tracing: { enabled: false, root: NO_SPAN, current: NO_SPAN }
	} as unknown as RequestEvent;
	return (withRequestStore as (store: unknown, fn: () => Promise<Response>) => Promise<Response>)({ event, state: REQUEST_STATE }, () =>
		handle({ event, resolve: async () => renderPage() })
	);
}

function expectAlwaysHeaders(response: Response, where: string) {
	expect(response.headers.get('x-frame-options'), where).toBe('DENY');
	expect(response.headers.get('permissions-policy'), where).toBe(PERMISSIONS_POLICY);
	expect(response.headers.get('x-content-type-options'), where).toBe('nosniff');
	expect(response.headers.get('referrer-policy'), where).toBe('same-origin');
}

beforeAll(async () => {
	t = await freshDb();
	(globalThis as { __serviceReadyDb?: Promise<TestDb> }).__serviceReadyDb = Promise.resolve(t);
	({ handle } = (await import('../../src/hooks.server')) as unknown as { handle: HandleFn });
	const created = await createUser(t.db, { email: 'headers.tech@example.com', displayName: 'Header Tech', roles: ['technician'], password: 'headers-pass-2026' }, null);
	technicianSession = auth.generateToken();
	await auth.createSession(t.db, technicianSession, created.id);
	technicianLocale = created.locale;
});
afterAll(() => t.dispose());

describe('security headers through the real hooks', () => {
	it('are on a page over plain http, without HSTS', async () => {
		const res = await get('http://localhost/login');
		expect(res.status).toBe(200);
		expectAlwaysHeaders(res, 'GET /login over http');
		expect(res.headers.has('strict-transport-security')).toBe(false);
		// The renderer's own policy passes through untouched.
		expect(res.headers.get('content-security-policy')).toMatch(/^script-src 'self' 'sha256-render\d+'; frame-ancestors 'none'$/);
	});

	it('add HSTS when the app is reached over https (an https ORIGIN)', async () => {
		const res = await get('https://serviceready.example/login');
		expectAlwaysHeaders(res, 'GET /login over https');
		expect(res.headers.get('strict-transport-security')).toBe(HSTS);
	});

	it('are on a lesson page served again from the page cache, with the policy it was rendered with', async () => {
		const href = 'https://serviceready.example/learn/courses/complaints/five-steps';
		const cookies = { [auth.SESSION_COOKIE]: technicianSession, [cookieName]: technicianLocale };
		const before = rendered;
		const first = await get(href, cookies);
		const firstBody = await first.text();
		const second = await get(href, cookies);
		expect(rendered - before, 'the second request is served from the cache, not rendered').toBe(1);
		expect(await second.text()).toBe(firstBody);
		for (const [res, where] of [
			[first, 'rendered'],
			[second, 'from the cache']
		] as const) {
			expect(res.status, where).toBe(200);
			expectAlwaysHeaders(res, where);
			expect(res.headers.get('strict-transport-security'), where).toBe(HSTS);
			expect(res.headers.get('cache-control'), where).toBe('private, no-store');
			expect(res.headers.has('set-cookie'), where).toBe(false);
		}
		// The hash of the stored page's script travels with it.
		expect(second.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
		expect(firstBody).toContain(`start(${before + 1})`);
		expect(second.headers.get('content-security-policy')).toContain(`'sha256-render${before + 1}'`);
	});

	it('are on the API’s answers too', async () => {
		const call = await apiClient(t);
		const res = await call('GET', '/api/v1/openapi.json');
		expect(res.status).toBe(200);
		expect(res.headers.get('x-frame-options')).toBe('DENY');
		expect(res.headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
		expect(res.headers.has('strict-transport-security')).toBe(false);
	});
});

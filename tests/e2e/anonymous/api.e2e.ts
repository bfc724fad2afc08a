import { request as apiRequest, type APIRequestContext } from '@playwright/test';
import { expect, signIn, signedOutContext, storageFor, test } from '../fixtures';

/**
 * The dispatch API as a dispatch system sees it, against the built server: real routing, the
 * adapter, SvelteKit's own checks. The token is issued in the admin page, as an admin would.
 */
let api: APIRequestContext;
let token = '';
let readOnly = '';
let technicianId = '';
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

test.beforeAll(async ({ browser, baseURL }) => {
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'admin@example.com');
	const issue = async (name: string, scopes: string[]) => {
		await page.goto('/admin/tokens');
		const form = page.locator('form[action="?/create"]');
		await form.getByLabel('Name').fill(name);
		for (const box of await form.getByRole('checkbox').all()) await box.setChecked(scopes.includes((await box.getAttribute('value'))!));
		await form.getByRole('button', { name: 'Create token' }).click();
		return (await page.getByTestId('new-token').textContent())!.trim();
	};
	token = await issue('E2E dispatch', ['eligibility:read', 'jobs:write']);
	readOnly = await issue('E2E reader', ['eligibility:read']);
	const users = await (await page.request.get('/admin/users?q=technician%40example.com')).text();
	technicianId = users.match(/href="\/admin\/users\/([0-9a-f-]{36})"/)![1]!;
	await context.close();
	api = await apiRequest.newContext({ baseURL });
});
test.afterAll(() => api.dispose());

test('the OpenAPI document is public, cacheable and revalidated', async () => {
	const res = await api.get('/api/v1/openapi.json');
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('application/json; charset=utf-8');
	expect(res.headers()['cache-control']).toMatch(/^public/);
	const doc = await res.json();
	expect(doc.openapi).toBe('3.1.0');
	expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/job-types', '/eligibility', '/jobs']));
	const again = await api.get('/api/v1/openapi.json', { headers: { 'if-none-match': res.headers()['etag']! } });
	expect(again.status()).toBe(304);
});

test('without a valid token every path answers 401 JSON with a Bearer challenge; a signed-in admin\'s cookie does not count', async ({ baseURL }) => {
	for (const path of ['/api/v1/job-types', '/api/v1/nope', '/api/v1']) {
		const res = await api.get(path);
		expect(res.status(), path).toBe(401);
		expect(res.headers()['www-authenticate'], path).toBe('Bearer realm="serviceready"');
		expect((await res.json()).error.code, path).toBe('unauthorized');
	}
	expect((await api.get('/api/v1/job-types', { headers: bearer('sr_' + 'x'.repeat(43)) })).status()).toBe(401);
	const admin = await apiRequest.newContext({ baseURL, storageState: storageFor('admin') });
	expect((await admin.get('/api/v1/job-types')).status()).toBe(401);
	await admin.dispose();
});

test('a token reads, and is refused what its scopes do not allow', async () => {
	const types = await api.get('/api/v1/job-types', { headers: bearer(token) });
	expect(types.status()).toBe(200);
	expect(types.headers()['cache-control']).toBe('no-store');
	expect(Array.isArray((await types.json()).items)).toBe(true);

	const certs = await api.get(`/api/v1/technicians/${technicianId}/certifications`, { headers: bearer(readOnly) });
	expect(certs.status()).toBe(200);
	expect((await certs.json()).technician).toMatchObject({ technicianId, name: expect.any(String) });

	const job = { jobTypeId: '00000000-0000-4000-8000-000000000000', technicianId, siteLabel: 'Site', scheduledAt: '2026-06-01T09:00:00Z', durationMinutes: 60 };
	const forbidden = await api.post('/api/v1/jobs', { headers: bearer(readOnly), data: job });
	expect(forbidden.status()).toBe(403);
	expect((await forbidden.json()).error).toMatchObject({ code: 'forbidden', details: { scope: 'jobs:write' } });
	const unknown = await api.post('/api/v1/jobs', { headers: bearer(token), data: job });
	expect([unknown.status(), (await unknown.json()).error.code]).toEqual([400, 'unknown-job-type']);
});

test('every refusal is JSON: bad input, unknown paths, wrong methods, huge bodies', async ({ baseURL }) => {
	const headers = bearer(token);
	const naive = await api.post('/api/v1/eligibility', { headers, data: { jobTypeId: 'x', technicianIds: [technicianId], at: '2026-06-01T09:00' } });
	expect(naive.status()).toBe(400);
	expect((await naive.json()).error.message).toMatch(/^at must be an ISO 8601 date and time with a timezone/);
	const badJson = await api.post('/api/v1/eligibility', { headers: { ...headers, 'content-type': 'application/json' }, data: Buffer.from('{"jobTypeId":') });
	expect([badJson.status(), (await badJson.json()).error.code]).toEqual([400, 'invalid-json']);

	const missing = await api.get('/api/v1/no/such/endpoint', { headers });
	expect([missing.status(), (await missing.json()).error.code]).toEqual([404, 'not-found']);
	const wrong = await api.delete('/api/v1/jobs', { headers });
	expect([wrong.status(), wrong.headers()['allow'], (await wrong.json()).error.code]).toEqual([405, 'POST', 'method-not-allowed']);
	const head = await api.head('/api/v1/job-types', { headers });
	expect(head.status()).toBe(200);

	const huge = await api.post('/api/v1/eligibility', { headers, data: { pad: 'x'.repeat(100_000) } });
	expect([huge.status(), (await huge.json()).error.code]).toEqual([413, 'payload-too-large']);
	const beyondServer = await api.post('/api/v1/eligibility', { headers, data: { pad: 'x'.repeat(3_000_000) } });
	expect([beyondServer.status(), (await beyondServer.json()).error.code]).toEqual([413, 'payload-too-large']);

	// JSON from anywhere is taken; a form type from another origin is stopped earlier by the
	// server's cross-site form check (403), as the document says; from this origin it is a 415.
	const crossSite = await api.post('/api/v1/eligibility', { headers: { ...headers, 'content-type': 'text/plain' }, data: '{}' });
	expect(crossSite.status()).toBe(403);
	const sameSite = await api.post('/api/v1/eligibility', { headers: { ...headers, 'content-type': 'text/plain', origin: new URL(baseURL!).origin }, data: '{}' });
	expect([sameSite.status(), (await sameSite.json()).error.code]).toEqual([415, 'unsupported-media-type']);
});

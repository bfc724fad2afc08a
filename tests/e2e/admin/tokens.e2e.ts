import { request as apiRequest, type APIRequestContext } from '@playwright/test';
import { expect, originHeaders, storageFor, test } from '../fixtures';

test.use({ as: 'admin' });

let api: APIRequestContext;
test.beforeAll(async ({ baseURL }) => {
	// A dispatch system: no cookies, only the token.
	api = await apiRequest.newContext({ baseURL });
});
test.afterAll(() => api.dispose());

const asBearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('an admin issues a token that is shown once, sees it used, and revokes it', async ({ page }) => {
	await page.goto('/admin');
	await page.getByRole('link', { name: 'API tokens' }).click();
	await expect(page).toHaveURL(/\/admin\/tokens$/);

	const form = page.locator('form[action="?/create"]');
	await form.getByLabel('Name').fill('North dispatch');
	await expect(form.getByRole('checkbox', { name: /eligibility:read/ })).toBeChecked();
	await form.getByRole('checkbox', { name: /jobs:write/ }).check();
	await form.getByRole('button', { name: 'Create token' }).click();
	await expect(page.getByRole('status')).toContainText('Copy it now: it will not be shown again.');
	const secret = (await page.getByTestId('new-token').textContent())!.trim();
	expect(secret).toMatch(/^sr_[A-Za-z0-9_-]{43}$/);
	const row = page.getByRole('row').filter({ hasText: 'North dispatch' });
	await expect(row).toContainText('eligibility:read');
	await expect(row).toContainText('jobs:write');
	await expect(row).toContainText('never');

	expect((await api.get('/api/v1/job-types', { headers: asBearer(secret) })).status()).toBe(200);

	await page.goto('/admin/tokens');
	await expect(page.getByTestId('new-token')).toHaveCount(0);
	await expect(page.getByText(secret)).toHaveCount(0);
	await expect(row).not.toContainText('never');

	await row.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByRole('status')).toHaveText('Token “North dispatch” revoked: calls with it are refused from now on.');
	await expect(row).toContainText('revoked');
	await expect(row.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
	const refused = await api.get('/api/v1/job-types', { headers: asBearer(secret) });
	expect(refused.status()).toBe(401);
	expect(await refused.json()).toEqual({ error: { code: 'unauthorized', message: 'This API token has been revoked.' } });

	await page.goto('/admin/audit');
	for (const action of ['api_token.created', 'api_token.revoked', 'api.call']) await expect(page.getByRole('row').filter({ hasText: action }).first()).toBeVisible();
});

test('without JavaScript, bad input is refused beside the field and nothing changes', async ({ browser, baseURL }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, storageState: storageFor('admin') });
	const page = await context.newPage();
	await page.goto('/admin/tokens');
	const rows = await page.getByRole('row').count();
	const form = page.locator('form[action="?/create"]');
	await form.getByLabel('Name').fill('No scope at all');
	await form.getByRole('checkbox', { name: /eligibility:read/ }).uncheck();
	const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), form.getByRole('button', { name: 'Create token' }).click()]);
	expect(response.status()).toBe(400);
	await expect(page.locator('#scopes-error')).toHaveText('Choose at least one scope.');
	await expect(page.locator('form[action="?/create"]').getByLabel('Name')).toHaveValue('No scope at all');

	// Created once without JavaScript: the token is in the page that comes back.
	await page.locator('form[action="?/create"]').getByLabel('Name').fill('Twice');
	await page.locator('form[action="?/create"]').getByRole('button', { name: 'Create token' }).click();
	await expect(page.getByTestId('new-token')).toHaveText(/^sr_/);
	await page.locator('form[action="?/create"]').getByLabel('Name').fill('Twice');
	const [taken] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('form[action="?/create"]').getByRole('button', { name: 'Create token' }).click()]);
	expect(taken.status()).toBe(409);
	await expect(page.locator('#name-error')).toHaveText('A token named “Twice” already exists. Choose another name.');
	await expect(page.getByTestId('new-token')).toHaveCount(0);

	// What a browser's own checks would stop, the server refuses too.
	const headers = originHeaders(baseURL);
	const blank = await page.request.post('/admin/tokens?/create', { form: { name: '   ', scopes: 'jobs:write' }, headers });
	expect(blank.status()).toBe(400);
	expect(await blank.text()).toContain('Name is required.');
	const unknown = await page.request.post('/admin/tokens?/create', { form: { name: 'Wizard', scopes: 'admin:all' }, headers });
	expect(unknown.status()).toBe(400);
	expect(await unknown.text()).toContain('Unknown scope “admin:all”');
	const long = await page.request.post('/admin/tokens?/create', { form: { name: 'x'.repeat(81), scopes: 'jobs:write' }, headers });
	expect(long.status()).toBe(400);

	// Revoking twice: the second is refused and changes nothing.
	await page.goto('/admin/tokens');
	const id = await page.getByRole('row').filter({ hasText: 'Twice' }).locator('input[name="id"]').getAttribute('value');
	expect((await page.request.post('/admin/tokens?/revoke', { form: { id: id! }, headers })).status()).toBe(200);
	const again = await page.request.post('/admin/tokens?/revoke', { form: { id: id! }, headers });
	expect(again.status()).toBe(409);
	expect(await again.text()).toContain('The token “Twice” is already revoked.');
	expect((await page.request.post('/admin/tokens?/revoke', { form: { id: 'nope' }, headers })).status()).toBe(400);

	await page.goto('/admin/tokens');
	// One new row: "Twice" (now revoked); the refused ones were never created.
	await expect(page.getByRole('row')).toHaveCount(rows + 1);
	await context.close();
});

test('only admins reach the token page and its actions', async ({ browser, baseURL }) => {
	const manager = await browser.newContext({ storageState: storageFor('manager') });
	const res = await manager.request.post('/admin/tokens?/create', { form: { name: 'Sneaky', scopes: 'jobs:write' }, headers: originHeaders(baseURL), maxRedirects: 0 });
	expect(res.status()).toBe(403);
	expect((await manager.request.get('/admin/tokens', { maxRedirects: 0 })).status()).toBe(403);
	await manager.close();
});

import { expect, signedOutContext, signIn, test } from '../fixtures';

test.use({ as: 'manager' });

test('a manager opens a member of their team from the team page and the matrix, with the transcript CSV', async ({ page }) => {
	await page.goto('/manager');
	await page.getByRole('region', { name: /North service team/ }).getByRole('link', { name: '刘洋' }).click();
	await expect(page).toHaveURL(/\/manager\/team\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('刘洋');
	await expect(page.locator('section[data-certification="home-visit-service"] li[data-event="revoked"]')).toContainText('Complaint upheld');
	// Managers read; granting and revoking stay with trainers.
	await expect(page.getByRole('link', { name: 'Grant or revoke certifications' })).toHaveCount(0);
	const csv = await page.request.get(page.url() + '/transcript.csv');
	expect(csv.status()).toBe(200);
	expect((await csv.text()).replace(/^\uFEFF/, '').split('\r\n')[1]).toMatch(/^刘洋,liu\.yang@example\.com,/);

	await page.goto('/manager/matrix');
	await page.getByRole('rowheader', { name: 'Priya Nair' }).getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Priya Nair');
});

test('a manager of another team gets "not found" for a person outside their teams', async ({ page, browser }) => {
	await page.goto('/manager');
	const north = await page.getByRole('region', { name: /North service team/ }).getByRole('link', { name: '刘洋' }).getAttribute('href');
	const south = await page.getByRole('region', { name: /South service team/ }).getByRole('link', { name: '吴霞' }).getAttribute('href');
	const context = await signedOutContext(browser);
	const other = await context.newPage();
	await signIn(other, 'south.manager@example.com');
	expect((await other.request.get(north!)).status()).toBe(404);
	expect((await other.request.get(`${north}/transcript.csv`)).status()).toBe(404);
	expect((await other.goto(south!))!.status()).toBe(200);
	await expect(other.getByRole('heading', { level: 1 })).toHaveText('吴霞');
	await context.close();
});

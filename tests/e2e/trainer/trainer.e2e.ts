import { expect, test } from '../fixtures';

test.use({ as: 'trainer' });

test('the trainer sees every technician with team and status', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/trainer$/);
	await expect(page.getByRole('heading', { name: 'Training' })).toBeVisible();
	const rows = page.getByRole('table').getByRole('row');
	await expect(rows.filter({ hasText: 'li.na@example.com' })).toContainText('North service team');
	await expect(rows.filter({ hasText: 'chen.jie@example.com' })).toContainText('South service team');
	expect(await rows.count()).toBeGreaterThanOrEqual(15);
	await expect(page.getByText('in North service team')).toBeVisible();
});

test('the trainer cannot open the manager or admin pages', async ({ page }) => {
	for (const path of ['/manager', '/admin', '/admin/users', '/learn']) {
		const res = await page.goto(path);
		expect(res!.status(), path).toBe(403);
	}
});

test('the counts agree: active technicians per active team, and outside any, add up to the total', async ({ page }) => {
	await page.goto('/trainer');
	const stat = async (card: ReturnType<typeof page.getByTestId>) => Number(await card.locator('.stat').textContent());
	const total = await stat(page.getByTestId('count-active'));
	let sum = 0;
	for (const card of await page.getByTestId('count-team').all()) sum += await stat(card);
	if (await page.getByTestId('count-outside').count()) sum += await stat(page.getByTestId('count-outside'));
	expect(sum).toBe(total);
	const activeRows = page.getByRole('table').getByRole('row').filter({ has: page.locator('.badge.ok, .badge.warn') });
	expect(await activeRows.count()).toBe(total);
});

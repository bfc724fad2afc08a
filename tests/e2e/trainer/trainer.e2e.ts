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

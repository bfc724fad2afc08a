import { expect, test } from '../fixtures';

test.use({ as: 'manager' });

test('the manager sees both teams with every member and their status', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/manager$/);
	const north = page.getByRole('region', { name: /North service team/ });
	const south = page.getByRole('region', { name: /South service team/ });
	await expect(north.getByRole('row').filter({ hasText: 'technician@example.com' })).toContainText('active');
	await expect(south.getByRole('row').filter({ hasText: 'amy.tran@example.com' })).toContainText('trainer');
	for (const email of ['li.na', 'zhang.wei', 'wang.fang', 'liu.yang', 'sam.ortiz', 'priya.nair'])
		await expect(north.getByRole('row').filter({ hasText: `${email}@example.com` })).toHaveCount(1);
	for (const email of ['chen.jie', 'huang.min', 'zhao.lei', 'wu.xia', 'lucas.meyer'])
		await expect(south.getByRole('row').filter({ hasText: `${email}@example.com` })).toHaveCount(1);
	await expect(north.getByRole('row').filter({ hasText: 'chen.jie@example.com' })).toHaveCount(0);
});

test('the manager cannot use admin actions', async ({ page }) => {
	const res = await page.goto('/admin/users');
	expect(res!.status()).toBe(403);
});

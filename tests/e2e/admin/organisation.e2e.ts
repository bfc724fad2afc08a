import { expect, test } from '../fixtures';

test.use({ as: 'admin' });

test('an admin sets the organisation time zone from the admin page, and finds the change in its history', async ({ page }) => {
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Organisation: time zone' }).click();
	await expect(page).toHaveURL(/\/admin\/organisation$/);
	const zone = page.getByRole('combobox', { name: 'Time zone' });
	await expect(zone).toHaveValue('Asia/Shanghai');
	await expect(page.getByText(/Now in this time zone: .* UTC\+8/)).toBeVisible();
	try {
		await zone.selectOption('Europe/Berlin');
		await page.getByRole('button', { name: 'Save time zone' }).click();
		await expect(page.getByRole('status')).toHaveText("The organisation's time zone is now Europe/Berlin.");
		await expect(page.getByText(/Now in this time zone: .* UTC\+[12]/)).toBeVisible();
		await expect(page.getByRole('region', { name: 'Audit log' })).toContainText('Asia/Shanghai → Europe/Berlin');
	} finally {
		await page.getByRole('combobox', { name: 'Time zone' }).selectOption('Asia/Shanghai');
		await page.getByRole('button', { name: 'Save time zone' }).click();
		await expect(page.getByRole('status')).toHaveText("The organisation's time zone is now Asia/Shanghai.");
	}
});

import { expect, signedOutContext, signIn, test } from '../fixtures';

test.describe('signed in as the demo technician', () => {
	test.use({ as: 'technician' });

	test('the home page shows the team, its manager and teammates', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/learn$/);
		const team = page.getByRole('region', { name: 'Your team' });
		await expect(team).toContainText('North service team');
		await expect(team).toContainText('Marcus Wang');
		await expect(team.getByRole('listitem')).toHaveCount(6);
		await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['My learning', 'Courses', 'Certifications', 'Profile']);
	});

	test('other roles\' pages answer 403 with a clear page', async ({ page }) => {
		const res = await page.goto('/admin/users');
		expect(res!.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'This page is for the admin role, which your account does not hold.'
		);
	});
});

test('a technician changes name and language, then password, which signs out the other devices', async ({ browser }) => {
	const phone = await signedOutContext(browser);
	const laptop = await signedOutContext(browser);
	const page = await phone.newPage();
	const other = await laptop.newPage();
	await signIn(page, 'sam.ortiz@example.com');
	await signIn(other, 'sam.ortiz@example.com');
	await expect(other).toHaveURL(/\/learn$/);

	await page.goto('/profile');
	await page.getByLabel('Name').fill('Samuel Ortiz');
	await page.getByLabel('Language').selectOption('zh-CN');
	await page.getByRole('button', { name: 'Save profile' }).click();
	// The whole interface follows the profile's language at once.
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('banner')).toContainText('Samuel Ortiz');
	await expect(page.locator('select[name="locale"]')).toHaveValue('zh-CN');
	await page.locator('select[name="locale"]').selectOption('en');
	await page.locator('form[action="?/profile"] button').click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	const pw = page.getByRole('region', { name: 'Change password' });
	await pw.getByLabel('Current password').fill('demo-pass-2026');
	await pw.getByLabel('New password', { exact: true }).fill('demo-pass-2026');
	await pw.getByLabel('Repeat the new password').fill('demo-pass-2026');
	await pw.getByRole('button', { name: 'Change password' }).click();
	await expect(pw.locator('#newPassword-error')).toHaveText('Choose a password different from the current one.');

	await pw.getByLabel('Current password').fill('demo-pass-2026');
	await pw.getByLabel('New password', { exact: true }).fill('field-ready-2027');
	await pw.getByLabel('Repeat the new password').fill('field-ready-2027');
	await pw.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('status')).toHaveText('Password changed. You were signed out everywhere else.');

	await other.goto('/learn');
	await expect(other).toHaveURL(/\/login\?next=%2Flearn$/);
	await page.goto('/learn');
	await expect(page).toHaveURL(/\/learn$/);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await signIn(page, 'sam.ortiz@example.com', 'field-ready-2027');
	await expect(page).toHaveURL(/\/learn$/);
	await phone.close();
	await laptop.close();
});

test('the profile form works without JavaScript', async ({ browser }) => {
	const context = await signedOutContext(browser, { javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'priya.nair@example.com');
	await page.goto('/profile');
	await page.getByLabel('Name').fill('Priya N.');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByRole('status')).toHaveText('Your profile is saved.');
	await expect(page.getByRole('banner')).toContainText('Priya N.');
	await context.close();
});

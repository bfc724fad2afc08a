import { expect, signedOutContext, signIn, test } from '../fixtures';

test('the login page explains itself and signs the technician in to their page', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	await signIn(page, 'technician@example.com');
	await expect(page).toHaveURL(/\/learn$/);
	await expect(page.getByRole('heading', { name: 'Hello, Tom Chen' })).toBeVisible();
});

test('an unknown email and a wrong password get the same message', async ({ page }) => {
	await signIn(page, 'nobody@example.com', 'whatever-password');
	const unknown = await page.getByRole('alert').first().textContent();
	await signIn(page, 'trainer@example.com', 'wrong-password-123');
	const wrong = await page.getByRole('alert').first().textContent();
	expect(unknown).toBe('That email and password do not match an active account.');
	expect(wrong).toBe(unknown);
	await expect(page.getByLabel('Email')).toHaveValue('trainer@example.com');
});

test('sign-in returns to the page that asked for it, but never to another site', async ({ page }) => {
	await page.goto('/admin/audit');
	await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Faudit$/);
	await page.getByLabel('Email').fill('admin@example.com');
	await page.getByLabel('Password').fill('demo-pass-2026');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/admin\/audit$/);

	await page.context().clearCookies();
	await page.goto('/login?next=//evil.example/steal');
	await page.getByLabel('Email').fill('admin@example.com');
	await page.getByLabel('Password').fill('demo-pass-2026');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/admin$/);
});

test('a tampered or made-up session cookie is treated as signed out, and cleared', async ({ page, baseURL }) => {
	const { hostname } = new URL(baseURL!);
	for (const value of ['AAAAAAAAAAAAAAAAAAAAAAAA', 'not-even-the-right-shape', "'; drop table session; --"]) {
		await page.context().clearCookies();
		await page.context().addCookies([{ name: 'sr_session', value: encodeURIComponent(value), domain: hostname, path: '/' }]);
		await page.goto('/profile');
		await expect(page).toHaveURL(/\/login\?next=%2Fprofile$/);
		const cookies = await page.context().cookies();
		expect(cookies.find((c) => c.name === 'sr_session')).toBeUndefined();
	}
});

test('session cookies are HttpOnly and SameSite=Lax', async ({ page }) => {
	await signIn(page, 'manager@example.com');
	await expect(page).toHaveURL(/\/manager$/);
	const cookie = (await page.context().cookies()).find((c) => c.name === 'sr_session');
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
	expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{24}$/);
});

test('repeated failures lock the account with "try again in N minutes"', async ({ page }) => {
	for (let i = 0; i < 5; i++) await signIn(page, 'wu.xia@example.com', `wrong-guess-${i}`);
	await expect(page.getByRole('alert').first()).toHaveText('Too many failed sign-ins. Try again in 15 minutes.');
	await signIn(page, 'wu.xia@example.com');
	await expect(page.getByRole('alert').first()).toHaveText(/Try again in 1[45] minutes\./);
	await expect(page).toHaveURL(/\/login$/);
});

test('sign-in works without JavaScript', async ({ browser }) => {
	const context = await signedOutContext(browser, { javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'trainer@example.com');
	await expect(page).toHaveURL(/\/trainer$/);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await context.close();
});

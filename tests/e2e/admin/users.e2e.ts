import { expect, signedOutContext, signIn, test } from '../fixtures';

test.use({ as: 'admin' });

test('the admin overview counts users and shows recent changes', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/admin$/);
	await expect(page.getByRole('link', { name: /active users/ })).toContainText(/\d+/);
	// The ten latest changes, whatever they are: other tests may have made many since the demo was loaded.
	await expect(page.getByRole('table').getByRole('row')).toHaveCount(11);
	await expect(page.getByRole('table')).toContainText(/[a-z_]+\.[a-z_]+/);
});

test('invite a technician, who sets a password from the one-time link and lands on their page', async ({ page, browser }) => {
	// A summary clicked before hydration would be closed again by it: wait until the page is interactive.
	await page.goto('/admin/users', { waitUntil: 'networkidle' });
	await page.getByText('Invite a user').click();
	const invite = page.locator('form[action="?/invite"]');
	await invite.getByLabel('Email').fill('Nora.Field@Example.com');
	await invite.getByLabel('Name').fill('Nora Field');
	await invite.getByLabel('Team').selectOption({ label: 'South service team' });
	await invite.getByRole('button', { name: 'Send invitation' }).click();
	const link = await page.getByTestId('invite-link').textContent();
	expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{24}$/);
	await expect(page.getByRole('row').filter({ hasText: 'nora.field@example.com' })).toContainText('invited');

	const guest = await signedOutContext(browser);
	const newcomer = await guest.newPage();
	await newcomer.goto(link!);
	await expect(newcomer.getByRole('heading', { name: 'Welcome, Nora Field' })).toBeVisible();
	await newcomer.getByLabel('New password').fill('nora-field-2026');
	await newcomer.getByLabel('Repeat the password').fill('nora-field-2027');
	await newcomer.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(newcomer.locator('#confirm-error')).toHaveText('The two passwords differ.');
	await newcomer.getByLabel('New password').fill('nora-field-2026');
	await newcomer.getByLabel('Repeat the password').fill('nora-field-2026');
	await newcomer.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(newcomer).toHaveURL(/\/learn$/);
	await expect(newcomer.getByRole('region', { name: 'Your team' })).toContainText('South service team');

	await newcomer.goto(link!);
	await expect(newcomer.getByRole('alert')).toHaveText('This invitation has already been used. Sign in instead.');
	await guest.close();

	await page.goto('/admin/users?q=nora');
	await expect(page.getByRole('row').filter({ hasText: 'nora.field@example.com' })).toContainText('active');
});

test('roles change at once, are audited, and the last admin cannot lose the role', async ({ page, browser }) => {
	const other = await signedOutContext(browser);
	const tech = await other.newPage();
	await signIn(tech, 'lucas.meyer@example.com');
	await expect(tech).toHaveURL(/\/learn$/);
	expect((await tech.goto('/trainer'))!.status()).toBe(403);

	await page.goto('/admin/users?q=lucas');
	await page.getByRole('link', { name: 'Lucas Meyer' }).click();
	await page.getByRole('checkbox', { name: 'trainer' }).check();
	await page.getByRole('button', { name: 'Save roles' }).click();
	await expect(page.getByRole('status')).toHaveText('Roles saved.');
	await expect(page.getByRole('table')).toContainText('technician → technician, trainer');

	expect((await tech.goto('/trainer'))!.status()).toBe(200);
	await other.close();

	await page.goto('/admin/users?q=admin%40example.com');
	await page.getByRole('link', { name: 'Ada Zhou' }).click();
	await page.getByRole('checkbox', { name: 'admin' }).uncheck();
	await page.getByRole('button', { name: 'Save roles' }).click();
	await expect(page.locator('#roles-error')).toHaveText('At least one active admin must remain.');
	await page.reload();
	await expect(page.getByRole('checkbox', { name: 'admin' })).toBeChecked();
	await expect(page.getByRole('button', { name: 'Deactivate' })).toBeDisabled();
});

test('deactivation ends the user\'s sessions at once; reactivation lets them back', async ({ page, browser }) => {
	const other = await signedOutContext(browser);
	const tech = await other.newPage();
	await signIn(tech, 'zhao.lei@example.com');
	await expect(tech).toHaveURL(/\/learn$/);

	await page.goto('/admin/users?q=zhao.lei');
	await page.getByRole('link', { name: '赵磊' }).click();
	await expect(page.getByText('1 open session')).toBeVisible();
	// Not without confirming: the box must be ticked (the browser asks, and the server refuses without it).
	await page.getByRole('button', { name: 'Deactivate' }).click();
	await expect(page.getByText('1 open session')).toBeVisible();
	await page.getByRole('checkbox', { name: /I understand: 赵磊 is signed out everywhere/ }).check();
	await page.getByRole('button', { name: 'Deactivate' }).click();
	await expect(page.getByRole('status')).toHaveText('Deactivated. Every session of this user has ended.');
	await expect(page.getByText('0 open sessions')).toBeVisible();

	await tech.goto('/learn');
	await expect(tech).toHaveURL(/\/login\?next=%2Flearn$/);
	await signIn(tech, 'zhao.lei@example.com');
	// This browser last showed zhao.lei's language (Chinese): the same refusal, in Chinese.
	await expect(tech.getByRole('alert').first()).toHaveText('该电子邮箱和密码与任何有效账号都不匹配。');

	await page.getByRole('button', { name: 'Reactivate' }).click();
	await expect(page.getByRole('status')).toHaveText('Reactivated. The user can sign in again.');
	await signIn(tech, 'zhao.lei@example.com');
	await expect(tech).toHaveURL(/\/learn$/);
	await other.close();

	await page.goto('/admin/audit');
	await expect(page.getByRole('row').filter({ hasText: 'user.deactivated' }).first()).toContainText('赵磊');
});

test('the user list filters by text, role, status and team', async ({ page }) => {
	await page.goto('/admin/users');
	await page.getByRole('search').getByLabel('Role').selectOption('manager');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/role=manager/);
	await expect(page.getByRole('cell', { name: 'manager@example.com', exact: true })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'south.manager@example.com', exact: true })).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: 'li.na@example.com' })).toHaveCount(0);
	const bad = await page.goto('/admin/users?role=wizard');
	expect(bad!.status()).toBe(400);
});

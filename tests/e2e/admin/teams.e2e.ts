import { expect, signedOutContext, test, type Role } from '../fixtures';
import type { Browser, Page } from '@playwright/test';

test.use({ as: 'admin' satisfies Role });

/** Invites a person from the admin's user page and returns their one-time link. */
async function invite(page: Page, email: string, name: string, role: 'technician' | 'manager') {
	// A summary clicked before hydration would be closed again by it: wait until the page is interactive.
	await page.goto('/admin/users', { waitUntil: 'networkidle' });
	await page.getByText('Invite a user').click();
	const form = page.locator('form[action="?/invite"]');
	await form.getByLabel('Email').fill(email);
	await form.getByLabel('Name').fill(name);
	if (role === 'manager') {
		await form.getByRole('checkbox', { name: 'technician' }).uncheck();
		await form.getByRole('checkbox', { name: 'manager' }).check();
	}
	await form.getByRole('button', { name: 'Send invitation' }).click();
	return (await page.getByTestId('invite-link').textContent())!;
}

/** The invited person sets a password from the link and lands on their own page. */
async function accept(browser: Browser, link: string) {
	const context = await signedOutContext(browser);
	const newcomer = await context.newPage();
	await newcomer.goto(link);
	await newcomer.getByLabel('New password').fill('team-journey-2026');
	await newcomer.getByLabel('Repeat the password').fill('team-journey-2026');
	await newcomer.getByRole('button', { name: 'Set password and sign in' }).click();
	return { context, newcomer };
}

test('an admin creates a team in its own zone, adds a technician, links a new manager who then sees it, and archives it', async ({ page, browser }) => {
	const stamp = Date.now().toString(36);
	const teamName = `East team ${stamp}`;
	const techLink = await invite(page, `east.tech.${stamp}@example.com`, `East Tech ${stamp}`, 'technician');
	const managerLink = await invite(page, `east.boss.${stamp}@example.com`, `East Boss ${stamp}`, 'manager');

	// A new manager of no team is told how to get one.
	const { context, newcomer: manager } = await accept(browser, managerLink);
	await expect(manager).toHaveURL(/\/manager$/);
	await expect(manager.getByText('You do not lead a team yet. Ask an admin to link you')).toBeVisible();

	// The admin finds teams in the admin navigation and creates one.
	await page.goto('/admin');
	await page.getByRole('navigation', { name: 'Admin pages' }).getByRole('link', { name: 'Teams' }).click();
	await expect(page).toHaveURL(/\/admin\/teams$/);
	await page.getByText('Create a team').click();
	const create = page.locator('form[action="?/create"]');
	await create.getByLabel('Name').fill(teamName);
	await create.getByLabel('Region').fill('Shanghai');
	await create.getByLabel('Time zone').fill('Mars/Olympus');
	await create.getByRole('button', { name: 'Create team' }).click();
	await expect(page.locator('#timeZone-error')).toHaveText(/Unknown time zone/);
	await create.getByLabel('Time zone').fill('asia/urumqi');
	await create.getByRole('button', { name: 'Create team' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(teamName);
	await expect(page.getByText('Shanghai · Asia/Urumqi')).toBeVisible();
	await expect(page.getByTestId('team-status')).toHaveText('active');

	// A technician joins; a manager is linked.
	await page.getByRole('combobox', { name: 'Technician' }).selectOption({ label: `East Tech ${stamp} (No team)` });
	await page.getByRole('button', { name: 'Add member' }).click();
	await expect(page.getByRole('status')).toHaveText(`East Tech ${stamp} is now a member of this team.`);
	await expect(page.getByRole('row').filter({ hasText: `east.tech.${stamp}@example.com` })).toBeVisible();
	await page.getByRole('combobox', { name: 'Manager' }).selectOption({ label: `East Boss ${stamp} (east.boss.${stamp}@example.com)` });
	await page.getByRole('button', { name: 'Link manager' }).click();
	await expect(page.getByRole('status')).toHaveText(`East Boss ${stamp} now leads this team.`);
	await expect(page.getByRole('table').last()).toContainText('team.manager_linked');

	// The manager now sees the team and its technician.
	await manager.reload();
	const region = manager.getByRole('region', { name: new RegExp(teamName) });
	await expect(region.getByRole('row').filter({ hasText: `east.tech.${stamp}@example.com` })).toHaveCount(1);
	await expect(region.getByText(/^Archived on /)).toHaveCount(0);

	// The new technician also finds the team on their page.
	const tech = await accept(browser, techLink);
	await expect(tech.newcomer.getByRole('region', { name: 'Your team' })).toContainText(teamName);
	await tech.context.close();

	// Archived: shown as such, takes no one new, keeps its people; then unarchived.
	await page.getByRole('button', { name: 'Archive team' }).click();
	await expect(page.getByRole('status')).toHaveText('Team archived.');
	await expect(page.getByTestId('team-status')).toHaveText(/^archived /);
	await expect(page.getByRole('button', { name: 'Add member' })).toHaveCount(0);
	await expect(page.getByRole('row').filter({ hasText: `east.tech.${stamp}@example.com` })).toBeVisible();
	// Its manager's team pages mark it archived, with the day.
	await manager.reload();
	await expect(region.getByText(/^Archived on \w{3} \d{1,2}, \d{4}$/)).toBeVisible();
	await region.getByRole('link', { name: `East Tech ${stamp}` }).click();
	await expect(manager.getByRole('heading', { level: 1 })).toHaveText(`East Tech ${stamp}`);
	await expect(manager.getByText(/^Archived on \w{3} \d{1,2}, \d{4}$/)).toBeVisible();
	await context.close();
	await page.goto('/admin/teams');
	await expect(page.getByRole('row').filter({ hasText: teamName })).toContainText('archived');
	// A summary clicked before hydration would be closed again by it: wait until the page is interactive.
	await page.goto('/admin/users', { waitUntil: 'networkidle' });
	await page.getByText('Invite a user').click();
	await expect(page.locator('form[action="?/invite"]').getByLabel('Team').locator('option', { hasText: teamName })).toHaveCount(0);
	await page.goto('/admin/teams');
	await page.getByRole('link', { name: teamName }).click();
	await page.getByRole('button', { name: 'Unarchive team' }).click();
	await expect(page.getByRole('status')).toHaveText('The team is active again.');
	await expect(page.getByTestId('team-status')).toHaveText('active');

	await page.goto('/admin/audit');
	await expect(page.getByRole('row').filter({ hasText: 'team.created' }).first()).toContainText(teamName);
	await expect(page.getByRole('row').filter({ hasText: 'user.team_changed' }).filter({ hasText: `East Tech ${stamp}` }).first()).toContainText(`no team → ${teamName}`);
});

test('a user keeps at least one role', async ({ page }) => {
	await page.goto('/admin/users?q=huang.min');
	await page.getByRole('link', { name: '黄敏' }).click();
	await page.getByRole('checkbox', { name: 'technician' }).uncheck();
	await page.getByRole('button', { name: 'Save roles' }).click();
	await expect(page.locator('#roles-error')).toHaveText('A user keeps at least one role. To block sign-in, deactivate the user instead.');
	await page.reload();
	await expect(page.getByRole('checkbox', { name: 'technician' })).toBeChecked();
});

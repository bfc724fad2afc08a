import { expect, storageFor, test } from '../fixtures';

test.use({ as: 'trainer' });

/** The calendar day `days` from now in the organisation's zone (the demo's: Asia/Shanghai), where due dates are days. */
const inDays = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));
/** A due date as the pages show it: the calendar day, in English. */
const shown = (day: string) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
const row = (page: import('@playwright/test').Page, email: string) => page.locator(`tr[data-email="${email}"]`);

test('a trainer gives the North team a new date, sees what will change for whom, confirms; then removes one person\'s assignment and changes another\'s date', async ({ page }) => {
	// The demo North team has the complaints course due in three weeks; Sam Ortiz has his own later date.
	await page.goto('/trainer/assignments');
	const form = page.locator('form.stack[action="?/assign"]');
	await form.getByLabel('Course').selectOption('complaints');
	await form.getByLabel('Due date').fill(inDays(30));
	const north = await form.locator('select[name="teamId"] option', { hasText: 'North service team' }).getAttribute('value');
	await form.getByLabel('A whole team').selectOption(north!);
	await form.getByRole('button', { name: 'Assign' }).click();

	const preview = page.getByRole('region', { name: 'Check what will change' });
	await expect(preview).toBeVisible();
	// The demo's dates were set when the app started: if the organisation's midnight has passed since,
	// they read one day less than "in 21 days" from now.
	const seeded = (days: number) => `(?:${shown(inDays(days))}|${shown(inDays(days - 1))})`;
	await expect(preview.getByTestId('preview-team')).toHaveText(new RegExp(`^The team “North service team”'s due date moves from ${seeded(21)} to ${shown(inDays(30))}; whoever joins it later gets the new date\\.$`));
	await expect(preview.getByTestId('preview-moved')).toContainText(new RegExp(`Tom Chen: from ${seeded(21)} to ${shown(inDays(30))}`));
	// (The technician's own journey may have renamed him "Samuel Ortiz" by now.)
	await expect(preview.getByTestId('preview-kept')).toContainText(new RegExp(`Sam(uel)? Ortiz: ${seeded(35)}, a date changed for them alone`));
	// Nothing is saved before the confirmation.
	const before = await (await page.request.get('/trainer/assignments/complaints')).text();
	expect(before).toMatch(new RegExp(`datetime="(?:${inDays(21)}|${inDays(20)})`));
	await preview.getByRole('button', { name: 'Confirm and assign' }).click();
	await expect(page.getByRole('status')).toContainText(/“Handling complaints.*” is assigned to \d+ technicians/);
	await expect(preview).toBeHidden();

	await page.goto('/trainer/assignments/complaints');
	await expect(row(page, 'technician@example.com').locator('time')).toHaveAttribute('datetime', new RegExp(`^${inDays(30)}`));
	await expect(row(page, 'sam.ortiz@example.com').locator('time')).toHaveAttribute('datetime', new RegExp(`^${inDays(35)}`));
	await expect(page.locator('tr[data-team="North service team"] time')).toHaveAttribute('datetime', new RegExp(`^${inDays(30)}`));

	// One person's assignment goes, after ticking the confirmation.
	const priya = row(page, 'priya.nair@example.com');
	await priya.getByRole('checkbox', { name: /Yes, remove it for Priya/ }).check();
	await priya.getByRole('button', { name: 'Remove' }).click();
	await expect(page.getByRole('status')).toHaveText(/is no longer assigned to Priya( Nair| N\.)\.$/);
	await expect(row(page, 'priya.nair@example.com')).toHaveCount(0);

	// Another's date changes, on their row only.
	const wang = row(page, 'wang.fang@example.com');
	await wang.getByLabel('New due date for 王芳').fill(inDays(50));
	await wang.getByRole('button', { name: 'Change date' }).click();
	await expect(page.getByRole('status')).toHaveText(`王芳 is now due ${inDays(50)}.`);
	await expect(row(page, 'wang.fang@example.com').locator('time')).toHaveAttribute('datetime', new RegExp(`^${inDays(50)}`));
	await expect(row(page, 'technician@example.com').locator('time')).toHaveAttribute('datetime', new RegExp(`^${inDays(30)}`));
});

test('without JavaScript, the preview and its confirmation work as plain forms, and a removal needs its box ticked', async ({ browser }) => {
	const context = await browser.newContext({ storageState: storageFor('trainer'), javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/trainer/assignments');
	const form = page.locator('form.stack[action="?/assign"]');
	await form.getByLabel('Course').selectOption('complaints');
	await form.getByLabel('Due date').fill(inDays(33));
	const north = await form.locator('select[name="teamId"] option', { hasText: 'North service team' }).getAttribute('value');
	await form.getByLabel('A whole team').selectOption(north!);
	await form.getByRole('button', { name: 'Assign' }).click();
	const preview = page.getByRole('region', { name: 'Check what will change' });
	await expect(preview.getByTestId('preview-kept')).toContainText('王芳');
	// Priya's assignment, removed above while she stays in the team, stays removed.
	await expect(preview.getByRole('heading', { name: 'Removed for this person; stays removed' })).toBeVisible();
	await expect(preview.getByTestId('preview-excluded')).toContainText('Priya');
	await preview.getByRole('button', { name: 'Confirm and assign' }).click();
	await expect(page.getByRole('status')).toContainText('is assigned to');
	await page.goto('/trainer/assignments/complaints');
	await expect(row(page, 'priya.nair@example.com')).toHaveCount(0);

	// A removal sent without the box ticked is refused beside it.
	const res = await page.request.post('/trainer/assignments/complaints?/removePerson', {
		form: { userId: '00000000-0000-4000-8000-000000000000', confirm: '' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(res.status()).toBe(400);
	expect(await res.text()).toContain('Tick the box to confirm the removal.');
	await context.close();
});

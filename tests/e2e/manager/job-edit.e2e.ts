import { expect, test } from '../fixtures';

test.use({ as: 'manager' });

function inDays(days: number, hour: number): string {
	const d = new Date(Date.now() + days * 86_400_000);
	return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

test('a manager moves a job to a time when its technician is no longer certified, is refused with the reasons, keeps them with a reason, then cancels the job', async ({ page }) => {
	await page.goto('/manager/jobs');
	const create = page.locator('form[action="?/create"]');
	await create.locator('select[name="jobTypeId"]').selectOption({ label: 'RO purifier repair visit' });
	await create.locator('select[name="teamId"]').selectOption({ label: 'North service team' });
	await create.locator('input[name="siteLabel"]').fill('Ms Gao, 7 Bridge Lane');
	await create.locator('input[name="scheduledAt"]').fill(inDays(2, 10));
	await create.getByRole('button', { name: 'Create job' }).click();
	await expect(page).toHaveURL(/\/manager\/jobs\/[0-9a-f-]{36}$/);

	// The first candidate is eligible today.
	const first = page.locator('table tbody tr').first();
	await expect(first).toContainText('Eligible');
	const name = (await first.locator('td').first().innerText()).trim();
	await first.getByRole('button', { name: `Assign ${name}` }).click();
	await expect(page.locator('dl')).toContainText(name);

	// The edit form shows the job's time in the team's zone.
	const edit = page.locator('form[action="?/edit"]');
	await expect(edit.locator('input[name="scheduledAt"]')).toHaveValue(inDays(2, 10));
	await expect(edit.locator('input[name="siteLabel"]')).toHaveValue('Ms Gao, 7 Bridge Lane');

	// Ten years on, no certificate of the demo is still valid: the technician is checked again and the change refused.
	await edit.locator('input[name="scheduledAt"]').fill(inDays(3650, 10));
	await edit.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.locator('p.alert.error')).toContainText(`Not changed: ${name} would not be eligible for the job after this change.`);
	await expect(page.locator('section').filter({ has: page.locator('form[action="?/edit"]') })).toContainText(/expire/);

	await edit.locator('textarea[name="overrideReason"]').fill('Customer insists on this technician; renewal exam booked.');
	await edit.getByRole('button', { name: 'Save anyway' }).click();
	await expect(page.getByRole('status')).toContainText('The job was changed; the override and its reason are in the audit log.');
	const log = page.locator('ul.history');
	await expect(log).toContainText('Job changed although the technician is not eligible (override)');
	await expect(log).toContainText('Customer insists on this technician; renewal exam booked.');

	// Cancelling needs a reason and the box ticked; the technician is taken off.
	const cancel = page.locator('form[action="?/cancel"]');
	await cancel.locator('textarea[name="cancelReason"]').fill('The customer bought a new purifier instead.');
	await cancel.getByRole('checkbox').check();
	await cancel.getByRole('button', { name: 'Cancel the job' }).click();
	await expect(page.getByRole('status')).toContainText('The job was cancelled.');
	await expect(page.locator('dl')).toContainText('Cancelled');
	await expect(page.locator('dl')).toContainText('The customer bought a new purifier instead.');
	await expect(page.locator('dl')).not.toContainText(name);
	await expect(page.locator('form[action="?/assign"]')).toHaveCount(0);
	await expect(page.locator('form[action="?/edit"]')).toHaveCount(0);
	await expect(log).toContainText('Job cancelled');

	await page.goto('/manager/jobs?past=1');
	const row = page.locator('tr').filter({ hasText: 'Ms Gao, 7 Bridge Lane' });
	await expect(row).toContainText('Cancelled');
	await expect(row).toContainText('The customer bought a new purifier instead.');
});

import { expect, test } from '../fixtures';

test.use({ as: 'manager' });

/** A calendar day `days` from now in a zone, as a date field takes it. */
const dayIn = (zone: string, days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(Date.now() + days * 86_400_000));

test('a manager enters a 09:00 job for a Shanghai team and sees 09:00 with the zone named; in New York it reads as the evening before', async ({ page }) => {
	const day = dayIn('Asia/Shanghai', 2);
	await page.goto('/manager/jobs');
	const form = page.locator('form[action="?/create"]');
	// Both demo teams work in the organisation's zone: the label names it.
	const time = form.getByLabel('Time (Asia/Shanghai, UTC+8)');
	await form.locator('select[name="jobTypeId"]').selectOption({ label: 'Customer care call' });
	await form.locator('select[name="teamId"]').selectOption({ label: 'North service team' });
	await form.locator('input[name="siteLabel"]').fill('Mrs Qian, 3 Bell Tower Lane');
	await time.fill(`${day}T09:00`);
	await form.getByRole('button', { name: 'Create job' }).click();
	await expect(page).toHaveURL(/\/manager\/jobs\/[0-9a-f-]{36}$/);
	const facts = page.locator('dl');
	await expect(facts).toContainText(/, 09:00 \(Asia\/Shanghai, UTC\+8\) – 10:00/);
	const instant = await facts.locator('time').first().getAttribute('datetime');
	expect(instant).toBe(`${day}T01:00:00.000Z`);
	const jobUrl = page.url();

	await page.goto('/manager/jobs');
	await expect(page.locator('tr').filter({ hasText: 'Mrs Qian, 3 Bell Tower Lane' })).toContainText('09:00 (Asia/Shanghai, UTC+8)');

	// The manager chooses New York on the profile: the job keeps its team's time and adds theirs.
	await page.goto('/profile');
	const zone = page.getByLabel('Show times in');
	await zone.selectOption('America/New_York');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	try {
		await page.goto(jobUrl);
		await expect(facts).toContainText('09:00 (Asia/Shanghai, UTC+8)');
		const previous = new Date(`${day}T01:00:00Z`).getTime() - 5 * 3_600_000;
		const nyDay = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(previous);
		await expect(facts).toContainText(new RegExp(`Your time: ${nyDay}, \\d{4}, (20|21):00 \\(America/New_York, UTC-[45]\\)`));
		await expect(page.locator('ul.history')).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC-[45]/);
	} finally {
		await page.goto('/profile');
		await page.getByLabel('Show times in').selectOption('');
		await page.getByRole('button', { name: 'Save profile' }).click();
		await expect(page.getByRole('status')).toBeVisible();
	}
	await page.goto(jobUrl);
	await expect(facts).not.toContainText('Your time');
});

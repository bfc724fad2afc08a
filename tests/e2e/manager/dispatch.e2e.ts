import { expect, originHeaders, test } from '../fixtures';

test.use({ as: 'manager' });

function tomorrowAt(hour: number): string {
	const d = new Date(Date.now() + 86_400_000);
	return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

test('a manager is refused an ineligible assignment with the reasons, overrides with a reason and finds it in the audit log', async ({ page }) => {
	await page.goto('/manager/jobs');
	const form = page.locator('form[action="?/create"]');
	await form.locator('select[name="jobTypeId"]').selectOption({ label: 'RO purifier repair visit' });
	await form.locator('select[name="teamId"]').selectOption({ label: 'North service team' });
	await form.locator('input[name="siteLabel"]').fill('Mr Fang, 21 River Street');
	await form.locator('input[name="scheduledAt"]').fill(tomorrowAt(10));
	await form.locator('input[name="durationMinutes"]').fill('60');
	await form.getByRole('button', { name: 'Create job' }).click();
	await expect(page).toHaveURL(/\/manager\/jobs\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('RO purifier repair visit · Mr Fang, 21 River Street');

	// The picker lists the eligible first, and the reasons beside the others.
	const rows = page.locator('table tbody tr');
	await expect(rows.first()).toContainText('Eligible');
	const wang = rows.filter({ hasText: '王芳' });
	await expect(wang).toContainText('Not eligible');
	await expect(wang).toContainText(/Reverse-osmosis purifier service expired on \d{4}-\d{2}-\d{2}\./);
	await expect(wang).toContainText('Holds level 1 of Home visit service; the job needs level 2.');
	await expect(rows.filter({ hasText: '刘洋' })).toContainText(/Home visit service was revoked on \d{4}-\d{2}-\d{2} \(reason: Complaint upheld/);
	await expect(rows.filter({ hasText: 'Sam Ortiz' })).toContainText('Does not hold Reverse-osmosis purifier service.');

	await wang.getByRole('button', { name: 'Assign 王芳' }).click();
	const refused = page.getByRole('region', { name: '王芳 is not eligible for this job' });
	await expect(refused).toBeVisible();
	await expect(refused).toContainText(/Reverse-osmosis purifier service expired on \d{4}-\d{2}-\d{2}\./);
	await expect(page.locator('dl')).toContainText('Unassigned');

	await refused.locator('textarea[name="overrideReason"]').fill('Only technician near the site today; renewal exam booked for Friday.');
	await refused.getByRole('button', { name: 'Assign anyway' }).click();
	await expect(page.getByRole('status')).toContainText('Assigned with an override');
	await expect(page.locator('dl')).toContainText('王芳');
	await expect(page.locator('dl')).toContainText('Only technician near the site today');
	const log = page.locator('ul.history');
	await expect(log).toContainText(/Assigned despite ineligibility \(override\)\s*: 王芳/);
	await expect(log).toContainText('Only technician near the site today; renewal exam booked for Friday.');
	await expect(log).toContainText(/Reverse-osmosis purifier service expired on \d{4}-\d{2}-\d{2}\./);
	await expect(log).toContainText('Job created');

	// The job list marks the override.
	await page.goto('/manager/jobs');
	await expect(page.locator('tr').filter({ hasText: 'Mr Fang, 21 River Street' })).toContainText('override');
});

test('bad job input gets a message and creates nothing; unknown jobs are not found', async ({ page, baseURL }) => {
	await page.goto('/manager/jobs');
	const before = await page.locator('table tbody tr').count();
	const types = await page.locator('select[name="jobTypeId"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).filter(Boolean));
	const teams = await page.locator('select[name="teamId"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
	const post = (fields: Record<string, string>) => page.request.post('/manager/jobs?/create', { form: fields, headers: originHeaders(baseURL), maxRedirects: 0 });
	const good = { jobTypeId: types[0]!, teamId: teams[0]!, siteLabel: 'Bad input site', scheduledAt: tomorrowAt(9), durationMinutes: '30' };
	for (const [patch, text] of [
		[{ durationMinutes: '0' }, 'The duration is a whole number of minutes from 1 to 1440.'],
		[{ durationMinutes: 'lots' }, 'The duration is a whole number of minutes from 1 to 1440.'],
		[{ scheduledAt: '2026-02-30T10:00' }, 'Enter a real date and time.'],
		[{ scheduledAt: '' }, 'Enter the date and time of the job.'],
		[{ scheduledAt: '2020-05-04T09:00' }, 'This time has passed: a job is entered for a time still to come.'],
		[{ siteLabel: '   ' }, 'required'],
		[{ jobTypeId: '00000000-0000-0000-0000-000000000000' }, 'Choose from the list.']
	] as const) {
		const res = await post({ ...good, ...patch });
		expect(res.status(), JSON.stringify(patch)).toBe(400);
		expect(await res.text()).toContain(text);
	}
	await page.goto('/manager/jobs');
	await expect(page.locator('table tbody tr')).toHaveCount(before);
	const missing = await page.goto('/manager/jobs/00000000-0000-0000-0000-000000000000');
	expect(missing!.status()).toBe(404);
});

test('a manager defines a job type; a taken name is refused', async ({ page }) => {
	await page.goto('/manager/job-types');
	const form = page.locator('form[action="?/create"]');
	await form.locator('input[name="name"]').fill('Filter replacement visit');
	await form.locator('select[name="productLine"]').selectOption('water-purifier');
	await form.locator('select[name="level.ro-purifier-service"]').selectOption('1');
	await form.locator('select[name="level.customer-care"]').selectOption('1');
	await form.getByRole('button', { name: 'Create job type' }).click();
	await expect(page.getByRole('status')).toContainText('Job type created.');
	await page.goto('/manager/job-types');
	const row = page.locator('tr').filter({ hasText: 'Filter replacement visit' });
	await expect(row).toContainText('Reverse-osmosis purifier service ≥ level 1');
	await expect(row).toContainText('Customer care after the sale');

	await form.locator('input[name="name"]').fill('Filter replacement visit');
	await form.locator('select[name="productLine"]').selectOption('general');
	await form.getByRole('button', { name: 'Create job type' }).click();
	await expect(page.locator('#name-error')).toHaveText('A job type with this name exists already.');
	await expect(page.locator('tr').filter({ hasText: 'Filter replacement visit' })).toHaveCount(1);
});

test('the certification matrix shows status in words, filters what expires soon, and exports', async ({ page }) => {
	await page.goto('/manager/matrix');
	const row = (name: string) => page.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name }) });
	await expect(row('李娜')).toContainText('active');
	await expect(row('刘洋')).toContainText('revoked');
	await expect(row('王芳')).toContainText('expired');
	await expect(row('张伟')).toContainText('renewal due');
	await expect(row('Sam Ortiz')).toContainText('not held');

	await page.getByLabel('Only technicians with something expiring soon').check();
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(/expiring=1/);
	await expect(row('张伟')).toContainText('Expiring soon');
	await expect(row('李娜')).toHaveCount(0);

	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Export CSV' }).click();
	const file = await downloading;
	expect(file.suggestedFilename()).toBe('certification-matrix.csv');
	const csv = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
	const lines = csv.trim().split('\r\n');
	expect(lines[0]).toBe('technician,email,team,certification,status,level,expires,expiring_soon');
	expect(lines.some((l) => l.startsWith('张伟,zhang.wei@example.com,North service team,Reverse-osmosis purifier service,renewal-due,1,'))).toBe(true);
	expect(lines.some((l) => l.startsWith('李娜,'))).toBe(false);
});

import { expect, signedOutContext, signIn, test } from '../fixtures';

test.use({ as: 'trainer' });

/** The calendar day `days` from now in the organisation's zone (the demo's: Asia/Shanghai), where due dates are days. */
const inDays = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));

test('a trainer assigns a course to a team, the technicians see it with its due date, and the trainer follows progress', async ({ page, browser }) => {
	await page.goto('/trainer/assignments');
	const form = page.locator('form[action="?/assign"]');
	await form.getByLabel('Course').selectOption('customer-care');
	await form.getByLabel('Due date').fill(inDays(20));
	const south = await form.locator('select[name="teamId"] option', { hasText: 'South service team' }).getAttribute('value');
	await form.getByLabel('A whole team').selectOption(south!);
	await form.getByRole('button', { name: 'Assign' }).click();
	await expect(page.getByRole('status')).toContainText(/is assigned to \d+ technicians, due/);

	const other = await signedOutContext(browser);
	const tech = await other.newPage();
	await signIn(tech, 'chen.jie@example.com');
	// The first section of "My learning" lists assigned courses, with the due date.
	const assigned = tech.locator('section').first();
	await expect(assigned.locator('a[href="/learn/courses/customer-care"]')).toBeVisible();
	await expect(assigned.locator(`time[datetime^="${inDays(20)}"]`)).toBeVisible();
	await tech.goto('/learn/courses/customer-care/why-after-sales-matters');
	await tech.locator('form[action="?/done"] button').click();
	await expect(tech.locator('.finish [role="status"]')).toBeVisible();
	await other.close();

	await page.goto('/trainer/assignments/customer-care');
	const row = page.getByRole('row').filter({ hasText: 'chen.jie@example.com' });
	await expect(row).toContainText('1/5');
	await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '20');
	await expect(page.getByRole('row').filter({ hasText: 'huang.min@example.com' })).toContainText('0/5');

	const download = await page.request.get('/trainer/assignments/customer-care/export.csv');
	expect(download.headers()['content-type']).toBe('text/csv; charset=utf-8');
	// UTF-8 with a byte order mark, so that Excel reads the Chinese names as UTF-8.
	const bytes = await download.body();
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(bytes.subarray(3).toString('utf8')).toContain('陈杰');
	const csv = bytes.subarray(3).toString('utf8');
	expect(csv.split('\r\n')[0]).toBe('name,email,team,lessons_done,lessons_total,percent,due,status,last_opened,completed');
	expect(csv).toMatch(/陈杰,chen\.jie@example\.com,South service team,1,5,20,/);
});

test('a trainer assigns a course to chosen technicians', async ({ page }) => {
	await page.goto('/trainer/assignments');
	const form = page.locator('form[action="?/assign"]');
	await form.getByLabel('Course').selectOption('ro-purifier');
	await form.getByLabel('Due date').fill(inDays(40));
	await form.getByRole('checkbox', { name: '刘洋' }).check();
	await form.getByRole('checkbox', { name: '王芳' }).check();
	await form.getByRole('button', { name: 'Assign' }).click();
	await expect(page.getByRole('status')).toContainText('is assigned to 2 technicians');
	await page.goto('/trainer/assignments/ro-purifier');
	await expect(page.getByRole('row')).toHaveCount(3);
});

test('the assignment form refuses bad input beside the field and assigns nothing', async ({ page, baseURL }) => {
	const origin = new URL(baseURL!).origin;
	const post = (form: Record<string, string>) =>
		page.request.post('/trainer/assignments?/assign', { form, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
	const before = await (await page.request.get('/trainer/assignments/home-visit')).text();
	const cases: Array<[Record<string, string>, string, RegExp]> = [
		[{ course: 'home-visit', due: '2020-01-01', teamId: '' }, 'due', /in the past/],
		[{ course: 'home-visit', due: '2026-02-30', teamId: '' }, 'due', /real date/],
		[{ course: 'home-visit', due: 'x'.repeat(1_000_000), teamId: '' }, 'due', /2026-12-31/],
		[{ course: 'cooking', due: inDays(5), teamId: '' }, 'course', /from the list/],
		[{ course: 'home-visit', due: inDays(5), teamId: '' }, 'userIds', /a team or at least one technician/],
		[{ course: 'home-visit', due: inDays(5), teamId: 'not-a-uuid' }, 'teamId', /not valid/]
	];
	for (const [form, field, message] of cases) {
		const res = await post(form);
		expect(res.status(), JSON.stringify(form).slice(0, 80)).toBe(400);
		const html = await res.text();
		expect(html.match(new RegExp(`id="${field}-error"[^>]*>([^<]*)<`))?.[1]).toMatch(message);
	}
	const after = await (await page.request.get('/trainer/assignments/home-visit')).text();
	expect(after.match(/<tbody>[\s\S]*<\/tbody>/)?.[0]).toBe(before.match(/<tbody>[\s\S]*<\/tbody>/)?.[0]);
});

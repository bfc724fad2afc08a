import { readFile } from 'node:fs/promises';
import { expect, signedOutContext, signIn, test } from '../fixtures';
import { answerAll, playScenario } from '../assessment-helpers';
import { readQuiz } from '../quiz-keys';

test.use({ as: 'trainer' });

const CSV_HEADER = 'name,email,kind,course,item,title,version,date,due,expires,status,score,max_score,percent,passed,level,detail';

// Something to read: 赵磊 takes a practice quiz and plays a role-play first. (Not 吴霞: the sign-in
// journey locks her account for 15 minutes on purpose.)
test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'zhao.lei@example.com');
	// The quiz helpers read the page in English (an earlier journey may have switched her already).
	if ((await page.locator('html').getAttribute('lang')) !== 'en') await page.locator('form[action="/language"] button').click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.goto('/learn/courses/complaints/quizzes/practice-handling');
	await page.locator('form[action="?/start"] button').click();
	await answerAll(page, readQuiz('02-complaints', 'practice-handling'), true);
	await page.locator('form[action="?/submit"] button').click();
	await expect(page).toHaveURL(/\/result$/);
	await playScenario(page, '/learn/courses/complaints', 'leaking-purifier');
	await context.close();
});

test('from a quiz\'s results the trainer opens a person, reads their record and downloads the transcript', async ({ page }) => {
	await page.goto('/trainer/results');
	await page.locator('a[href$="/quiz/complaints/practice-handling"]').click();
	const takers = page.getByRole('table', { name: 'Who took it' });
	await takers.getByRole('link', { name: '赵磊' }).click();
	await expect(page).toHaveURL(/\/trainer\/learners\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('赵磊');
	await expect(page.getByText('zhao.lei@example.com')).toBeVisible();

	const attempts = page.getByRole('table', { name: 'Quiz and exam attempts' });
	const attempt = attempts.locator('tbody tr').first();
	await expect(attempt).toContainText(/\d+(\.\d)? of \d+(\.\d)? points \(100%\)/);
	await expect(attempt).toContainText('passed');
	await expect(attempt).toContainText(/version \d+/);
	const plays = page.getByRole('table', { name: 'Role-play scenarios' });
	await expect(plays.locator('tbody tr').first()).toContainText(/-?\d+(\.\d)? of \d+ points/);
	await expect(page.getByRole('table', { name: 'Courses' }).locator('tr[data-course="complaints"]')).toContainText('started on their own');
	await expect(page.getByRole('heading', { name: 'Certifications: the transcript' })).toBeVisible();

	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download the transcript (CSV)' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toBe('zhao.lei-transcript.csv');
	const bytes = await readFile((await file.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
	expect(lines[0]).toBe(CSV_HEADER);
	expect(lines.some((l) => l.startsWith('赵磊,zhao.lei@example.com,attempt,complaints,practice-handling,'))).toBe(true);
	expect(lines.some((l) => l.startsWith('赵磊,zhao.lei@example.com,scenario,complaints,leaking-purifier,'))).toBe(true);
});

test('a person\'s certification transcript tells a revocation and its reason, and leads to granting by hand and back', async ({ page }) => {
	await page.goto('/trainer');
	await page.getByRole('link', { name: '刘洋' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('刘洋');
	const card = page.locator('section[data-certification="home-visit-service"]');
	await expect(card.locator('li[data-event="revoked"]')).toContainText('Reason: Complaint upheld: the site was left unclean after the repair');
	await expect(card.locator('li[data-event="granted"]')).toContainText(/Granted at level 2, valid until/);
	await page.getByRole('link', { name: 'Grant or revoke certifications' }).click();
	await expect(page).toHaveURL(/\/trainer\/certifications\/[0-9a-f-]{36}$/);
	await page.getByRole('link', { name: 'Courses, results and transcript' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('刘洋');
});

test('an assignee in a course\'s progress list links to their record; an unknown person is not found', async ({ page }) => {
	await page.goto('/trainer/assignments');
	const form = page.locator('form[action="?/assign"]');
	await form.getByLabel('Course').selectOption('ro-purifier');
	await form.getByLabel('Due date').fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
	await form.getByRole('checkbox', { name: '吴霞' }).check();
	await form.getByRole('button', { name: 'Assign' }).click();
	await expect(page.getByRole('status')).toContainText(/is assigned to/);
	await page.goto('/trainer/assignments/ro-purifier');
	await page.getByRole('link', { name: '吴霞' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('吴霞');
	const row = page.getByRole('table', { name: 'Courses' }).locator('tr[data-course="ro-purifier"]');
	await expect(row).toContainText('assigned');
	await expect(row.locator('time')).toHaveCount(1);
	for (const path of ['/trainer/learners/00000000-0000-4000-8000-000000000000', '/trainer/learners/00000000-0000-4000-8000-000000000000/transcript.csv']) {
		expect((await page.request.get(path)).status(), path).toBe(404);
	}
});

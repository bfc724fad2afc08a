import { expect, signedOutContext, signIn, test } from '../fixtures';
import { answerAll, playScenario } from '../assessment-helpers';
import { readQuiz } from '../quiz-keys';

test.use({ as: 'trainer' });

// Results to look at: a technician takes the drill and plays a scenario first.
test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'lucas.meyer@example.com');
	await page.goto('/learn/courses/complaints/quizzes/practice-handling');
	await page.locator('form[action="?/start"] button').click();
	await answerAll(page, readQuiz('02-complaints', 'practice-handling'), true);
	await page.locator('form[action="?/submit"] button').click();
	await expect(page).toHaveURL(/\/result$/);
	await playScenario(page, '/learn/courses/complaints', 'leaking-purifier');
	await context.close();
});

test('the trainer sees the results of each quiz with item analysis and a score chart', async ({ page }) => {
	await page.goto('/trainer');
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Results' }).click();
	await expect(page).toHaveURL(/\/trainer\/results$/);
	// The table lists quizzes and exams, and says so.
	await expect(page.getByRole('table').first().getByRole('columnheader').first()).toHaveText('Quiz or exam');
	const row = page.getByRole('row').filter({ has: page.locator('a[href$="/quiz/complaints/practice-handling"]') });
	await expect(row).toContainText(/\d+%/);
	await row.locator('a').click();
	await expect(page.getByRole('heading', { name: 'Item analysis (first attempts)' })).toBeVisible();
	await expect(page.getByRole('img', { name: 'Score distribution' })).toBeVisible();
	const items = page.locator('table tbody tr');
	expect(await items.count()).toBeGreaterThanOrEqual(5);
	const csv = await page.request.get(page.url() + '/export.csv');
	expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect((await csv.text()).replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('name,email,attempt,started,submitted,auto_submitted,score,max_score,percent,passed');
});

test('the trainer sees, turn by turn, which replies technicians chose in a scenario', async ({ page }) => {
	await page.goto('/trainer/results');
	await page.locator('a[href$="/scenario/complaints/leaking-purifier"]').click();
	await expect(page.getByRole('heading', { name: 'Decisions at every turn' })).toBeVisible();
	const first = page.locator('section.node').first();
	await expect(first).toContainText(/[1-9]\d* reached this point/);
	await expect(first.locator('.bars li')).not.toHaveCount(0);
	// A reply was taken (runs see the replies in their own order): some bar is not empty.
	await expect(first.locator('.bars li').filter({ hasNotText: '0 · 0%' })).not.toHaveCount(0);
	await expect(page.getByRole('region', { name: 'Outcomes' })).toBeVisible();
	// Competency averages say what they are out of.
	await expect(page.locator('section[aria-labelledby="comp-h"] li').first()).toContainText(/-?\d+(\.\d)? of \d+ points/);
	const csv = await page.request.get(page.url() + '/export.csv');
	expect((await csv.text()).replace(/^\uFEFF/, '')).toMatch(/^name,email,started,finished,outcome,percent,passed,path,listening/);
});

test('item analysis and scenario pages for content that does not exist are 404', async ({ page }) => {
	for (const path of ['/trainer/results/quiz/complaints/nope', '/trainer/results/scenario/nope/x', '/trainer/results/quiz/nope/final-exam/export.csv']) {
		const res = await page.request.get(path);
		expect(res.status(), path).toBe(404);
	}
});

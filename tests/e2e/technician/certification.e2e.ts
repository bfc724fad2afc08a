import { expect, signedOutContext, test } from '../fixtures';
import { answerAll, playBestPath } from '../assessment-helpers';
import { readQuiz } from '../quiz-keys';

test.use({ as: 'technician' });

test('a technician meets the requirements and the certification is granted, with a public verification page', async ({ page, browser, baseURL }) => {
	test.setTimeout(120_000);
	await page.goto('/learn/certifications');
	const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Customer care after the sale' }) });
	await expect(card).toContainText('not held');
	await expect(card.locator('.reqs li')).toHaveCount(3);
	await expect(card.locator('.reqs li.met')).toHaveCount(0);

	// Read every lesson of the course (the "mark as done" form of each lesson).
	await page.goto('/learn/courses/customer-care');
	const lessons = await page.locator('ol.lessons a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
	const origin = new URL(baseURL!).origin;
	for (const path of lessons) {
		const res = await page.request.post(`${path}?/done`, { form: {}, headers: { origin, accept: 'text/html' } });
		expect(res.status(), path).toBe(200);
	}
	await page.goto('/learn/certifications');
	await expect(card.locator('.reqs li.met')).toHaveCount(0); // the course also needs its final exam

	// Play the follow-up visit scenario well.
	await playBestPath(page, '/learn/courses/customer-care', '03-customer-care', 'follow-up-upsell');
	await page.goto('/learn/certifications');
	await expect(card.locator('.reqs li.met')).toHaveCount(1);

	// Pass the final exam.
	await page.goto('/learn/courses/customer-care/quizzes/final-exam');
	await page.getByRole('button', { name: 'Start' }).click();
	await answerAll(page, readQuiz('03-customer-care', 'final-exam'), true);
	await page.getByRole('button', { name: 'Submit the attempt' }).click();
	await expect(page.getByRole('status')).toContainText('Passed');
	// The result page says what the pass earned, and links to it.
	await expect(page.locator('.earned')).toContainText('This earned you Customer care after the sale, level 1.');
	await page.locator('.earned').getByRole('link', { name: 'See your certifications' }).click();
	await expect(page).toHaveURL(/\/learn\/certifications#cert-/);

	await expect(card).toContainText('active');
	await expect(card).toContainText('Level 1');
	await expect(card).toContainText(/valid until \d{4}-\d{2}-\d{2}/);
	const verify = await card.getByRole('link', { name: 'Public verification page' }).getAttribute('href');
	expect(verify).toMatch(/^\/verify\/[A-Za-z0-9_-]{16}$/);

	// Anyone with the link sees only name, certification, level, status and dates.
	const visitor = await signedOutContext(browser);
	const pub = await visitor.newPage();
	const res = await pub.goto(verify!);
	expect(res!.status()).toBe(200);
	const text = (await pub.locator('main').innerText()).replace(/\s+/g, ' ');
	expect(text).toContain('Tom Chen');
	expect(text).toContain('Customer care after the sale · Level 1');
	expect(text).toContain('active');
	expect(text).not.toContain('technician@example.com');
	expect((await pub.goto('/verify/AAAAAAAAAAAAAAAA'))!.status()).toBe(404);
	await visitor.close();
});

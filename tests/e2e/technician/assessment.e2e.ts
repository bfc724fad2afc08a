import { expect, signedOutContext, signIn, test } from '../fixtures';
import { readQuiz, scenarioFeedback, secretTexts } from '../quiz-keys';
import { answer, answerAll, recordTraffic, reply } from '../assessment-helpers';

test.describe.configure({ mode: 'serial' });

test('a technician passes a practice quiz and sees explanations for every answer', async ({ browser }) => {
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'zhao.lei@example.com');
	await page.locator('form[action="/language"] button').click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	const questions = readQuiz('02-complaints', 'practice-handling');
	const traffic = recordTraffic(page);
	await page.goto('/learn/courses/complaints');
	await page.locator('a[href$="/quizzes/practice-handling"]').click();
	await page.getByRole('button', { name: 'Start' }).click();
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}/);
	await answerAll(page, questions, true);
	// Before submitting, nothing of the keys has reached the browser.
	const served = await traffic();
	for (const body of served) {
		if (/html|json/.test(body.type)) {
			expect(body.text, body.url).not.toMatch(/\b(correct|accept|tolerance|explanation)\b"?\s*:/);
		}
		for (const secret of secretTexts(questions)) expect(body.text.includes(secret), `${body.url} leaks “${secret.slice(0, 40)}”`).toBe(false);
	}
	await page.getByRole('button', { name: 'Submit the attempt' }).click();
	await expect(page).toHaveURL(/\/result$/);
	await expect(page.getByRole('status')).toContainText('Passed');
	await expect(page.locator('.stat')).toHaveText('100%');
	await expect(page.locator('ol.review > li')).toHaveCount(questions.size);
	await expect(page.locator('.explanation').first()).toBeVisible();
	await context.close();
});

test('a timed exam: the server submits at the deadline, a failed attempt, then a pass', async ({ browser }) => {
	test.setTimeout(180_000);
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'lucas.meyer@example.com');
	const questions = readQuiz('02-complaints', 'five-steps-drill');
	const traffic = recordTraffic(page);

	// 1. Time runs out: only what was saved counts.
	await page.goto('/learn/courses/complaints/quizzes/five-steps-drill');
	await page.getByRole('button', { name: 'Start' }).click();
	await expect(page.getByRole('timer')).toContainText('Time left');
	await answer(page, questions, true);
	await expect(page.getByRole('status')).toHaveText('Answer saved.');
	await expect(page).toHaveURL(/\/result$/, { timeout: 75_000 });
	await expect(page.getByText('Time ran out')).toBeVisible();
	await expect(page.getByRole('status')).toContainText('Not passed');

	// An exam's result shows the score and topics, never the questions or the keys.
	const served = await traffic();
	for (const body of served.filter((b) => /html|json/.test(b.type)))
		expect(body.text, body.url).not.toMatch(/\b(correct|accept|explanation)\b"?\s*:/);
	for (const body of served) for (const secret of secretTexts(questions)) expect(body.text.includes(secret), body.url).toBe(false);
	await expect(page.getByRole('table')).toContainText('The five steps of handling a complaint');
	await expect(page.getByRole('table')).not.toContainText('five-steps');

	// 2. A wrong attempt fails.
	await page.getByRole('link', { name: 'Back to the quiz' }).click();
	await page.getByRole('button', { name: 'Start' }).click();
	await answerAll(page, questions, false);
	await page.getByRole('button', { name: 'Submit the attempt' }).click();
	await expect(page.getByRole('status')).toContainText('Not passed');

	// 3. The next one passes; a replayed submit changes nothing.
	await page.getByRole('link', { name: 'Back to the quiz' }).click();
	await page.getByRole('button', { name: 'Start' }).click();
	const attemptUrl = page.url().replace(/\?.*$/, '');
	await answerAll(page, questions, true);
	await page.getByRole('button', { name: 'Submit the attempt' }).click();
	await expect(page.getByRole('status')).toContainText('Passed');
	const replay = await page.request.post(`${attemptUrl}?/submit`, { form: {}, headers: { origin: new URL(page.url()).origin, accept: 'text/html' }, maxRedirects: 0 });
	expect(replay.status()).toBe(303);
	await page.reload();
	await expect(page.locator('.stat')).toHaveText('100%');
	await page.getByRole('link', { name: 'Back to the quiz' }).click();
	await expect(page.locator('ul.history li')).toHaveCount(3);
	await context.close();
});

test('an exam resumes after a reload with the same questions, answers and time', async ({ browser }) => {
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'priya.nair@example.com');
	const questions = readQuiz('02-complaints', 'final-exam');
	await page.goto('/learn/courses/complaints/quizzes/final-exam');
	await page.getByRole('button', { name: 'Start' }).click();
	const url = page.url().replace(/\?.*$/, '');
	const firstId = await page.locator('input[name="question"]').inputValue();
	await answer(page, questions, true);
	await expect(page.getByRole('status')).toHaveText('Answer saved.');
	const timeBefore = await page.getByRole('timer').textContent();

	await page.goto(url + '?q=1');
	await page.reload();
	expect(await page.locator('input[name="question"]').inputValue()).toBe(firstId);
	await expect(page.locator('nav.qnav button.answered')).toHaveCount(1);
	await expect(page.getByRole('timer')).toContainText('Time left');
	expect(timeBefore).toMatch(/\d+:\d\d/);

	// Leaving and coming back through the quiz page resumes the same attempt.
	await page.goto('/learn/courses/complaints/quizzes/final-exam');
	await page.getByRole('button', { name: 'Resume the open attempt' }).click();
	expect(page.url().replace(/\?.*$/, '')).toBe(url);
	await context.close();
});

test('another technician\'s attempt is not found, and forged answers are refused', async ({ browser }) => {
	const owner = await signedOutContext(browser);
	const mine = await owner.newPage();
	await signIn(mine, 'liu.yang@example.com');
	await mine.goto('/learn/courses/complaints/quizzes/practice-understanding');
	await mine.locator('form[action="?/start"] button').click();
	const url = mine.url().replace(/\?.*$/, '');
	const origin = new URL(url).origin;

	const forged = await mine.request.post(`${url}?/answer`, { form: { question: 'no-such-question', choice: 'x' }, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
	expect(forged.status()).toBe(400);
	const id = await mine.locator('input[name="question"]').inputValue();
	const badOption = await mine.request.post(`${url}?/answer`, { form: { question: id, choice: 'forged-option', order: 'x', value: '' }, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
	expect(badOption.status()).toBe(400);
	await mine.reload();
	await expect(mine.locator('nav.qnav button.answered')).toHaveCount(0);

	const other = await signedOutContext(browser);
	const them = await other.newPage();
	await signIn(them, 'wang.fang@example.com');
	expect((await them.goto(url))!.status()).toBe(404);
	expect((await them.goto(`${url}/result`))!.status()).toBe(404);
	const post = await them.request.post(`${url}?/answer`, { form: { question: id, choice: 'x' }, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
	expect(post.status()).toBe(404);
	await owner.close();
	await other.close();
});

test('a technician plays a role-play scenario to a debrief; scores and feedback stay on the server until then', async ({ browser }) => {
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'amy.tran@example.com');
	const feedback = scenarioFeedback('02-complaints', 'leaking-purifier');
	const traffic = recordTraffic(page);
	await page.goto('/learn/courses/complaints');
	await page.locator('a[href$="/scenarios/leaking-purifier"]').click();
	await page.getByRole('button', { name: 'Start the conversation' }).click();
	await expect(page).toHaveURL(/\/learn\/runs\/[0-9a-f-]{36}$/);

	// A replayed reply (same step twice) is applied once.
	const origin = new URL(page.url()).origin;
	const firstChoice = await page.locator('form.choices button[name="choice"]').first().getAttribute('value');
	const forged = await page.request.post(`${page.url()}?/choose`, { form: { choice: 'no-such-reply', step: '0' }, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
	expect(forged.status()).toBe(400);

	for (let turn = 0; turn < 10 && (await page.locator('form.choices').count()); turn++) {
		await expect(page.locator('ol.chat li.current')).toBeVisible();
		await reply(page);
		if (turn === 0) {
			const replay = await page.request.post(`${page.url()}?/choose`, { form: { choice: firstChoice!, step: '0' }, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
			expect(replay.status()).toBe(409);
		}
	}
	// Everything served during the conversation: all but the last data load, which is the debrief.
	const all = await traffic();
	const lastData = all.map((b) => b.url.includes('/__data.json')).lastIndexOf(true);
	const during = all.filter((b, i) => i !== lastData && !(b.type.includes('html') && b.text.includes('Debrief')));
	for (const body of during.filter((b) => /html|json/.test(b.type))) {
		expect(body.text, body.url).not.toMatch(/\b(scores|feedback)\b"?\s*:/);
		for (const f of feedback) expect(body.text.includes(f), `${body.url} leaks feedback`).toBe(false);
	}
	await expect(page.getByRole('heading', { name: 'Debrief' })).toBeVisible();
	await expect(page.getByRole('table')).toContainText('Empathy');
	await expect(page.locator('ol.chat.debrief .feedback').first()).toBeVisible();
	await page.getByRole('link', { name: /Leaking|leak/i }).first().click();
	await expect(page.locator('a', { hasText: 'See the debrief' })).toHaveCount(1);
	await context.close();
});

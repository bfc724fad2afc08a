import type { Page, Request } from '@playwright/test';
import { axeProblems, expect, originHeaders, signedOutContext, signIn, test } from '../fixtures';
import { readQuiz, secretTexts, type KeyedQuestion } from '../quiz-keys';

test.describe.configure({ mode: 'serial' });

const EXAM = '/learn/courses/complaints/quizzes/final-exam';
const PRACTICE = '/learn/courses/complaints/quizzes/practice-understanding';
const DRILL = '/learn/courses/complaints/quizzes/five-steps-drill';

async function start(page: Page, quizPath: string) {
	await page.goto(quizPath);
	await page.locator('form[action="?/start"] button').click();
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}/);
	return page.url().replace(/[?#].*$/, '');
}

/** The number of the first question answered by one choice (radio buttons), and that question. */
async function firstChoiceQuestion(page: Page, url: string, questions: Map<string, KeyedQuestion>) {
	const total = await page.locator('nav.qnav button').count();
	for (let n = 1; n <= total; n++) {
		await page.goto(`${url}?q=${n}`, { waitUntil: 'networkidle' });
		const q = questions.get(await page.locator('input[name="question"]').inputValue())!;
		if (q.type === 'single' || q.type === 'truefalse') return { n, q, total };
	}
	throw new Error('no single-choice question drawn');
}

const choiceOf = (q: KeyedQuestion) => (q.type === 'single' ? q.options!.find((o) => !o.correct)!.id : String(!q.answer));

test('an answer picked is saved at once, in one request, and kept when another question number is tapped', async ({ browser }) => {
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'li.na@example.com');
	const questions = readQuiz('02-complaints', 'final-exam');
	const url = await start(page, EXAM);
	const { n, q, total } = await firstChoiceQuestion(page, url, questions);

	const requests: Request[] = [];
	page.on('request', (r) => requests.push(r));
	const saved = page.waitForResponse((r) => r.url().includes('?/answer') && r.request().method() === 'POST');
	await page.locator(`input[name="choice"][value="${choiceOf(q)}"]`).check();
	const response = await saved;
	// The page updates from the save's own answer: the question's mark in the navigator, the count.
	await expect(page.locator(`nav.qnav button[value="${n}"]`)).toHaveClass(/answered/);
	await expect(page.locator('form#answer [role="status"]')).not.toBeEmpty();
	expect(requests.filter((r) => r.method() === 'POST' && r.url().includes('?/answer'))).toHaveLength(1);
	expect(requests.filter((r) => r.url().includes('__data.json'))).toHaveLength(0);
	// What the save answers holds no key and no explanation.
	const body = await response.text();
	expect(JSON.parse(body)).toMatchObject({ type: 'success', status: 200 });
	expect(body).not.toMatch(/"(correct|explanation|accept|answer|pairs)"/);
	for (const secret of secretTexts(questions)) expect(body).not.toContain(secret);

	// Tapping another number moves there without sending the answer again; coming back, it is there.
	const other = n === total ? 1 : n + 1;
	await page.locator(`nav.qnav button[value="${other}"]`).click();
	await expect(page).toHaveURL(new RegExp(`\\?q=${other}(&|$)`));
	await expect(page.locator('nav.qnav button[aria-current="step"]')).toHaveAttribute('value', String(other));
	expect(requests.filter((r) => r.method() === 'POST' && r.url().includes('?/answer'))).toHaveLength(1);
	await page.locator(`nav.qnav button[value="${n}"]`).click();
	await expect(page.locator('nav.qnav button[aria-current="step"]')).toHaveAttribute('value', String(n));
	await expect(page.locator(`input[name="choice"][value="${choiceOf(q)}"]`)).toBeChecked();
	await page.reload();
	await expect(page.locator(`input[name="choice"][value="${choiceOf(q)}"]`)).toBeChecked();
	expect(await axeProblems(page)).toEqual([]);
	await context.close();
});

test('without JavaScript, tapping another question number saves the answer first', async ({ browser }) => {
	const context = await signedOutContext(browser, { javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'li.na@example.com');
	const questions = readQuiz('02-complaints', 'practice-understanding');
	const url = await start(page, PRACTICE);
	const { n, q, total } = await firstChoiceQuestion(page, url, questions);
	await page.locator(`input[name="choice"][value="${choiceOf(q)}"]`).check();
	const other = n === total ? 1 : n + 1;
	await page.locator(`nav.qnav button[value="${other}"]`).click();
	await expect(page).toHaveURL(new RegExp(`\\?q=${other}&saved=`));
	await expect(page.locator(`nav.qnav button[value="${n}"]`)).toHaveClass(/answered/);
	// Leaving a question without an answer just moves on, saving nothing.
	const next = other === total ? 1 : other + 1;
	await page.locator(`nav.qnav button[value="${next}"]`).click();
	await expect(page).toHaveURL(new RegExp(`\\?q=${next}(#|$)`));
	await expect(page.locator('nav.qnav button.answered')).toHaveCount(1);
	await page.locator(`nav.qnav button[value="${n}"]`).click();
	await expect(page.locator(`input[name="choice"][value="${choiceOf(q)}"]`)).toBeChecked();
	await context.close();
});

test('on a phone, an answer refused because the attempt was closed shows the refusal focused and in view', async ({ browser }) => {
	const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
	const page = await context.newPage();
	await signIn(page, 'li.na@example.com');
	const questions = readQuiz('02-complaints', 'five-steps-drill');
	const url = await start(page, DRILL);
	const { q } = await firstChoiceQuestion(page, url, questions);
	// Submitted meanwhile, as from another tab.
	const submitted = await page.request.post(`${url}?/submit`, { form: {}, headers: originHeaders(page.url()), maxRedirects: 0 });
	expect(submitted.status()).toBe(303);
	await page.locator(`input[name="choice"][value="${choiceOf(q)}"]`).tap();
	const refusal = page.locator('#answer-error');
	await expect(refusal).toBeFocused();
	await expect(refusal).toBeInViewport();
	await expect(refusal).toContainText('already submitted');
	await expect(refusal.locator(`a[href$="/result"]`)).toBeVisible();
	expect(await axeProblems(page)).toEqual([]);
	await context.close();
});

test('on a phone, a number that is not one is refused where the person is looking, with the way on without it', async ({ browser }) => {
	const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
	const page = await context.newPage();
	await signIn(page, 'li.na@example.com');
	const questions = readQuiz('02-complaints', 'practice-understanding');
	const url = await start(page, PRACTICE);
	const total = await page.locator('nav.qnav button').count();
	let n = 1;
	for (; n <= total; n++) {
		await page.goto(`${url}?q=${n}`, { waitUntil: 'networkidle' });
		if (questions.get(await page.locator('input[name="question"]').inputValue())!.type === 'numeric') break;
	}
	expect(n).toBeLessThanOrEqual(total);
	await page.locator('input[name="value"]').fill('twelve');
	await page.locator('form#answer button[type="submit"]').tap();
	const refusal = page.locator('#answer-error');
	await expect(refusal).toBeFocused();
	await expect(refusal).toBeInViewport();
	await expect(refusal).toContainText('Enter a number');
	// Still on the question, the text kept; nothing saved.
	await expect(page.locator('nav.qnav button[aria-current="step"]')).toHaveAttribute('value', String(n));
	await expect(page.locator('input[name="value"]')).toHaveValue('twelve');
	await expect(page.locator(`nav.qnav button[value="${n}"]`)).not.toHaveClass(/answered/);
	if (n < total) await expect(refusal.locator(`a[href="?q=${n + 1}"]`)).toBeVisible();
	await context.close();
});

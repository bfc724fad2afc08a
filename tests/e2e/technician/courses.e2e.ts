import { expect, signedOutContext, signIn, test } from '../fixtures';
import type { Browser, Page } from '@playwright/test';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function phone(browser: Browser, email: string) {
	const context = await browser.newContext({ ...PHONE, storageState: { cookies: [], origins: [] } });
	const page = await context.newPage();
	await signIn(page, email);
	await expect(page).toHaveURL(/\/learn$/);
	return { context, page };
}

/** Reads a lesson to its end and marks it done; with JavaScript the page does not reload. */
async function readAndMarkDone(page: Page) {
	await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
	const done = page.locator('form[action="?/done"] button');
	await done.scrollIntoViewIfNeeded();
	await done.click();
	await expect(page.locator('.finish [role="status"]')).toBeVisible();
	expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
}

test('on a phone, a technician finds a course, reads lessons, leaves and continues where they left off (English)', async ({ browser }) => {
	const { context, page } = await phone(browser, 'amy.tran@example.com');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('link', { name: 'Browse all courses' }).click();
	// Filters name categories and product lines in words, not codes.
	await expect(page.getByLabel('Product line').locator('option')).toHaveText(['All', 'Water purifiers', 'Home appliances', 'Beauty counters', 'General']);
	await page.getByLabel('Category').selectOption({ label: 'Customer communication' });
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/category=communication/);
	await expect(page.getByRole('heading', { name: 'On-site service etiquette and the home visit' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Handling complaints and difficult conversations' }).click();
	await expect(page).toHaveURL(/\/learn\/courses\/complaints$/);
	await expect(page.locator('ol.lessons > li')).toHaveCount(5);
	await page.getByRole('link', { name: 'Start the course' }).click();
	await expect(page).toHaveURL(/\/learn\/courses\/complaints\/why-customers-complain$/);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	await readAndMarkDone(page);
	await expect(page.getByRole('progressbar').first()).toHaveAttribute('aria-valuenow', '20');
	await page.getByRole('link', { name: /Calm the customer first/ }).click();
	await expect(page).toHaveURL(/calm-first$/);
	await readAndMarkDone(page);
	await page.getByRole('link', { name: /The five steps/ }).click();
	await expect(page).toHaveURL(/five-steps$/);

	// Leave, then come back: "continue" leads to the lesson left open.
	await page.goto('/learn');
	const card = page.getByRole('article').filter({ hasText: 'Handling complaints and difficult conversations' });
	await expect(card).toContainText('2/5');
	await card.getByRole('link', { name: 'Continue' }).click();
	await expect(page).toHaveURL(/five-steps$/);
	await page.goto('/learn/courses/complaints');
	await expect(page.getByRole('listitem').filter({ hasText: 'done' })).toHaveCount(2);
	await expect(page.getByRole('link', { name: 'Continue where you left off' })).toHaveAttribute('href', '/learn/courses/complaints/five-steps');
	await context.close();
});

test('在手机上用中文学习：找到课程、阅读、标记完成、离开后继续 (Chinese)', async ({ browser }) => {
	const { context, page } = await phone(browser, 'li.na@example.com');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await page.goto('/learn/courses');
	const course = page.getByRole('link', { name: '上门服务礼仪与家访规范' });
	await expect(course).toBeVisible();
	await course.click();
	await expect(page).toHaveURL(/\/learn\/courses\/home-visit$/);
	await page.locator('a.button[href^="/learn/courses/home-visit/"]').click();
	await expect(page.locator('.lesson-body')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/[\u4e00-\u9fff]/);
	await readAndMarkDone(page);
	const next = page.locator('a[rel="next"]');
	const nextHref = await next.getAttribute('href');
	await next.click();
	await expect(page).toHaveURL(nextHref!);

	await page.goto('/learn');
	await page.locator(`a.button[href="${nextHref}"]`).click();
	await expect(page).toHaveURL(nextHref!);
	await expect(page.locator('.lesson-body')).toHaveAttribute('lang', 'zh-CN');
	await context.close();
});

test('the language switcher changes the interface and the lessons, and is remembered in the profile', async ({ browser }) => {
	const { context, page } = await phone(browser, 'huang.min@example.com');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await page.goto('/learn/courses/ro-purifier/how-ro-works');
	await expect(page.locator('.lesson-body')).toHaveAttribute('lang', 'zh-CN');
	await page.locator('form[action="/language"] button').click();
	await expect(page).toHaveURL(/\/learn\/courses\/ro-purifier\/how-ro-works$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.locator('.lesson-body')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('How reverse osmosis works');

	const other = await signedOutContext(browser);
	const again = await other.newPage();
	await signIn(again, 'huang.min@example.com');
	await expect(again.locator('html')).toHaveAttribute('lang', 'en');
	await other.close();
	await context.close();
});

test('marking a lesson done works without JavaScript', async ({ browser }) => {
	const context = await signedOutContext(browser, { javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'zhang.wei@example.com');
	await page.goto('/learn/courses/customer-care/return-visits');
	await page.locator('form[action="?/done"] button').click();
	await expect(page.locator('.finish [role="status"]')).toBeVisible();
	await page.goto('/learn/courses/customer-care');
	await expect(page.locator('.lessons li.done')).toHaveCount(1);
	await context.close();
});

test('a lesson page loaded again shows what changed since, in another tab or for another reader', async ({ browser }) => {
	// Without JavaScript every visit is a whole page from the server, where pages are reused.
	const tab = async (email: string) => {
		const context = await signedOutContext(browser, { javaScriptEnabled: false });
		const page = await context.newPage();
		await signIn(page, email);
		return { context, page };
	};
	const lesson = '/learn/courses/customer-care/return-visits';
	const one = await tab('wang.fang@example.com');
	const two = await tab('wang.fang@example.com');
	const done = (page: Page) => page.locator('.finish [role="status"]');
	const button = (page: Page) => page.locator('form[action="?/done"] button');
	await one.page.goto(lesson);
	await expect(button(one.page)).toBeVisible();
	await one.page.reload();
	await expect(button(one.page)).toBeVisible();
	await expect(done(one.page)).toHaveCount(0);

	await two.page.goto(lesson);
	await button(two.page).click();
	await expect(done(two.page)).toBeVisible();

	await one.page.reload();
	await expect(done(one.page)).toBeVisible();
	await expect(one.page.getByRole('banner')).toContainText('王芳');

	// Another reader of the same lesson sees their own name and progress.
	const other = await tab('liu.yang@example.com');
	await other.page.goto(lesson);
	await expect(other.page.getByRole('banner')).toContainText('刘洋');
	await expect(other.page.getByRole('banner')).not.toContainText('王芳');
	await expect(button(other.page)).toBeVisible();
	for (const t of [one, two, other]) await t.context.close();
});

test.describe('bad input', () => {
	test.use({ as: 'technician' });

	test('a lesson or course that does not exist is a 404 page, not an error', async ({ page }) => {
		for (const path of ['/learn/courses/complaints/no-such-lesson', '/learn/courses/no-such-course', '/learn/courses/no-such-course/five-steps', '/learn/courses/COMPLAINTS']) {
			const res = await page.goto(path);
			expect(res!.status(), path).toBe(404);
		}
		const bad = await page.goto('/learn/courses?category=cooking');
		expect(bad!.status()).toBe(400);
	});

	test('a progress post for a forged lesson or course is refused and writes nothing', async ({ page, baseURL }) => {
		const before = await (await page.request.get('/learn/courses/complaints', { headers: { accept: 'text/html' } })).text();
		for (const path of ['/learn/courses/complaints/no-such-lesson?/done', '/learn/courses/forged/five-steps?/done', '/learn/courses/complaints/five-steps%00?/done']) {
			const res = await page.request.post(path, { form: {}, headers: { origin: new URL(baseURL!).origin, accept: 'text/html' }, maxRedirects: 0 });
			expect([400, 404], path).toContain(res.status());
		}
		const after = await (await page.request.get('/learn/courses/complaints', { headers: { accept: 'text/html' } })).text();
		const doneCount = (html: string) => (html.match(/class="[^"]*\bdone\b/g) ?? []).length;
		expect(doneCount(after)).toBe(doneCount(before));
	});
});

test.describe('other roles', () => {
	test.use({ as: 'trainer' });

	test('cannot post progress for a course they cannot see', async ({ page, baseURL }) => {
		const res = await page.request.post('/learn/courses/complaints/five-steps?/done', {
			form: {},
			headers: { origin: new URL(baseURL!).origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(res.status()).toBe(403);
	});
});

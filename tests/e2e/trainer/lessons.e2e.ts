import { readdirSync } from 'node:fs';
import { expect, originHeaders, test } from '../fixtures';

test.use({ as: 'trainer' });

/** Every shipped lesson, by course slug and lesson slug, from the content/ folder. */
const lessons = readdirSync('content/courses').flatMap((dir) =>
	readdirSync(`content/courses/${dir}`)
		.filter((f) => f.endsWith('.en.svx'))
		.map((f) => ({ course: dir.replace(/^\d+-/, ''), lesson: f.replace(/^\d+-/, '').replace(/\.en\.svx$/, '') }))
);

/**
 * Each published lesson, in both languages, opened as technicians see it (the trainer's preview
 * records nothing): no hydration warning or error in the console, and every glossary term stays
 * inside its sentence, opens its definition from the keyboard and closes with Escape.
 */
test('every lesson renders without a hydration warning, with its glossary terms inline', async ({ page, baseURL }) => {
	test.setTimeout(180_000);
	expect(lessons.length).toBeGreaterThanOrEqual(20);
	const warnings: string[] = [];
	page.on('console', (msg) => {
		if (msg.type() === 'warning' || msg.type() === 'error') warnings.push(`${page.url()}: ${msg.text()}`);
	});
	let terms = 0;
	try {
		for (const language of ['en', 'zh-CN'] as const) {
			if (language === 'zh-CN') {
				await page.goto('/studio');
				await page.getByRole('button', { name: '切换到中文' }).click();
				await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
			}
			for (const { course, lesson } of lessons) {
				await page.goto(`/studio/courses/${course}/lessons/${lesson}/view`);
				await expect(page.locator('.lesson-body')).toHaveAttribute('lang', language);
				await page.waitForLoadState('networkidle');
				const placement = await page.locator('.lesson-body button.term').evaluateAll((buttons) =>
					buttons.map((b) => ({ parent: b.parentElement!.tagName, text: (b.closest('p, li, td, th') as HTMLElement | null)?.innerText ?? '' }))
				);
				for (const p of placement) {
					expect(['P', 'LI', 'TD', 'TH', 'STRONG', 'EM'], `${course}/${lesson} (${language}): a term outside a sentence`).toContain(p.parent);
					expect(p.text.length, `${course}/${lesson} (${language}): the term's sentence`).toBeGreaterThan(10);
				}
				terms += placement.length;
			}
		}
	} finally {
		// The choice of language is kept with the account: the trainer's other tests expect English.
		await page.request.post('/language', { form: { locale: 'en', next: '/studio' }, headers: originHeaders(baseURL) });
	}
	expect(terms, 'glossary terms seen').toBeGreaterThan(5);
	expect(warnings).toEqual([]);

	// A term opens from the keyboard and closes with Escape, without leaving its paragraph.
	await page.goto('/studio/courses/ro-purifier/lessons/how-ro-works/view');
	const term = page.locator('.lesson-body button.term').first();
	await term.focus();
	await page.keyboard.press('Enter');
	const id = await term.getAttribute('popovertarget');
	await expect(page.locator(`[id="${id}"]`)).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.locator(`[id="${id}"]`)).toBeHidden();
});

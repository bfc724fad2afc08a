import { expect, type Page, type Response } from '@playwright/test';
import type { KeyedQuestion } from './quiz-keys';

/** Answers the question on screen, rightly or wrongly, with the keys read from the content file. */
export async function answer(page: Page, questions: Map<string, KeyedQuestion>, right: boolean) {
	const id = await page.locator('input[name="question"]').inputValue();
	const q = questions.get(id)!;
	const form = page.locator('form[action*="answer"]');
	switch (q.type) {
		case 'single': {
			const option = q.options!.find((o) => Boolean(o.correct) === right)!;
			await form.locator(`input[name="choice"][value="${option.id}"]`).check();
			break;
		}
		case 'multiple':
			for (const o of q.options!) {
				const box = form.locator(`input[name="choice"][value="${o.id}"]`);
				if (Boolean(o.correct) === right) await box.check();
				else await box.uncheck();
			}
			break;
		case 'truefalse':
			await form.locator(`input[name="choice"][value="${String(right ? q.answer : !q.answer)}"]`).check();
			break;
		case 'ordering': {
			const ids = q.items!.map((i) => i.id);
			const order = right ? ids : [...ids].reverse();
			const selects = form.locator('select[name="order"]');
			for (let i = 0; i < order.length; i++) await selects.nth(i).selectOption(order[i]!);
			// The start may already be this order: say it is the answer.
			await form.locator('input[name="orderConfirmed"]').check();
			break;
		}
		case 'matching':
			for (const [i, p] of q.pairs!.entries()) {
				const target = right ? p : q.pairs![(i + 1) % q.pairs!.length]!;
				await form.locator(`select[name="match.${p.id}"]`).selectOption({ label: target.right.en });
			}
			break;
		case 'numeric':
			await form.locator('input[name="value"]').fill(String(right ? q.answer : Number(q.answer) * 3 + 97));
			break;
		case 'text':
			await form.locator('input[name="value"]').fill(right ? q.accept![0]! : 'no idea');
			break;
	}
	await form.locator('button[type="submit"]').click();
}

export async function answerAll(page: Page, questions: Map<string, KeyedQuestion>, right: boolean) {
	const total = await page.locator('nav.qnav button').count();
	for (let i = 1; i <= total; i++) {
		await page.goto(page.url().replace(/\?.*$/, '') + `?q=${i}`);
		await answer(page, questions, right);
		await expect(page.getByRole('status')).toHaveText('Answer saved.');
	}
	await expect(page.locator('nav.qnav button.answered')).toHaveCount(total);
}

/** Collects every byte served to the page: HTML, data, scripts. */
export function recordTraffic(page: Page) {
	const bodies: Array<{ url: string; type: string; text: string }> = [];
	const pending: Promise<void>[] = [];
	page.on('response', (response: Response) => {
		pending.push(
			response
				.body()
				.then((b) => void bodies.push({ url: response.url(), type: response.headers()['content-type'] ?? '', text: b.toString('utf8') }))
				.catch(() => {})
		);
	});
	return async () => {
		await Promise.all(pending);
		return bodies;
	};
}


/** Plays a scenario from its intro page to the debrief, always taking the first reply offered. */
export async function playScenario(page: Page, coursePath: string, scenarioId: string) {
	await page.goto(coursePath);
	await page.locator(`a[href$="/scenarios/${scenarioId}"]`).click();
	await page.locator('form[action="?/start"] button').click();
	await expect(page).toHaveURL(/\/learn\/runs\/[0-9a-f-]{36}$/);
	for (let turn = 0; turn < 10 && (await page.locator('form.choices').count()); turn++) await reply(page);
	await expect(page.locator('ol.chat.debrief')).toBeVisible();
}

/** Takes the first reply offered and waits until the conversation has moved on (or ended). */
export async function reply(page: Page) {
	const step = Number(await page.locator('form.choices input[name="step"]').inputValue());
	await page.locator('form.choices button[name="choice"]').first().click();
	await expect(page.locator(`form.choices input[name="step"][value="${step + 1}"], ol.chat.debrief`)).toHaveCount(1);
}

/**
 * Plays a scenario on its best path: the best replies' texts come from the content file (the
 * page shows replies in the run's own order, behind tokens), and whichever is offered is taken.
 */
export async function playBestPath(page: Page, coursePath: string, courseDir: string, scenarioId: string) {
	const { readFileSync } = await import('node:fs');
	const { parse } = await import('yaml');
	const { bestPathChoices } = await import('../../src/lib/server/scenario/graph');
	const text = readFileSync(`content/courses/${courseDir}/${scenarioId}.scenario.md`, 'utf8');
	const [, front, body] = text.split(/^---$/m);
	const settings = parse(front!) as { start: string };
	const nodes = parse(body!) as Array<{ id: string; outcome?: string; choices?: Array<{ id: string; next: string; text: { en: string }; scores?: Record<string, number> }> }>;
	const graph = { start: settings.start, nodes: nodes.map((n) => ({ ...n, mood: 'calm' as const, line: {}, choices: (n.choices ?? []).map((c) => ({ ...c, feedback: {}, scores: c.scores ?? {} })) })) };
	const best = bestPathChoices(graph as Parameters<typeof bestPathChoices>[0]);
	const texts = new Set(nodes.flatMap((n) => (n.choices ?? []).filter((c) => best.get(n.id)?.has(c.id)).map((c) => c.text.en.trim().replace(/\s+/g, ' '))));
	await page.goto(coursePath);
	await page.locator(`a[href$="/scenarios/${scenarioId}"]`).click();
	await page.locator('form[action="?/start"] button').click();
	await expect(page).toHaveURL(/\/learn\/runs\/[0-9a-f-]{36}$/);
	for (let turn = 0; turn < 20 && (await page.locator('form.choices').count()); turn++) {
		const step = Number(await page.locator('form.choices input[name="step"]').inputValue());
		const buttons = page.locator('form.choices button[name="choice"]');
		const shown = (await buttons.allInnerTexts()).map((t) => t.trim().replace(/\s+/g, ' '));
		const i = shown.findIndex((t) => texts.has(t));
		expect(i, `a best reply among: ${shown.join(' | ')}`).toBeGreaterThanOrEqual(0);
		await buttons.nth(i).click();
		await expect(page.locator(`form.choices input[name="step"][value="${step + 1}"], ol.chat.debrief`)).toHaveCount(1);
	}
	await expect(page.locator('ol.chat.debrief')).toBeVisible();
}

import type { Page } from '@playwright/test';
import { expect, recordPolicyViolations, storageFor, takePolicyViolations, test } from '../fixtures';

test.use({ as: 'trainer' });

/** Fills the question editor for a true/false question and saves it. */
async function trueFalse(page: Page, base: string, q: { id: string; tags: string; en: string; zh: string; answer: boolean }) {
	await page.goto(base, { waitUntil: 'networkidle' });
	await page.getByRole('link', { name: 'True or false' }).click();
	await expect(page.getByRole('heading', { name: 'Add a question', level: 1 })).toBeVisible();
	await page.getByLabel('Question id').fill(q.id);
	await page.getByLabel('Tags').fill(q.tags);
	await page.locator('textarea[name="prompt.en"]').fill(q.en);
	await page.locator('textarea[name="prompt.zh-CN"]').fill(q.zh);
	await page.locator(`input[name="answer"][value="${q.answer}"]`).check();
	await page.locator('textarea[name="explanation.en"]').fill('Safety comes before speed.');
	await page.locator('textarea[name="explanation.zh-CN"]').fill('安全先于速度。');
	await page.getByRole('button', { name: 'Save the question' }).click();
	await expect(page).toHaveURL(new RegExp(`/questions/${q.id}\\?saved$`));
	await expect(page.getByText('Saved in the draft.')).toBeVisible();
}

test('a trainer builds an exam with a draw rule, a scenario with three endings and a certification requiring both; a technician earns it without a restart', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const slug = `quiz-e2e-${Date.now().toString(36)}`;
	await page.goto('/studio', { waitUntil: 'networkidle' });
	await page.getByLabel('Short name in addresses').fill(slug);
	await page.getByLabel('Title (English)').fill('Range hood service');
	await page.getByLabel('Title (Chinese)').fill('油烟机服务');
	await page.getByRole('button', { name: 'Create the course' }).click();
	await expect(page).toHaveURL(new RegExp(`/studio/courses/${slug}$`));

	// A new exam: settings first, no questions yet (the checker says so).
	const add = page.locator('form[action="?/addQuiz"]');
	await add.locator('input[name="id"]').fill('final-check');
	await add.locator('select[name="kind"]').selectOption('exam');
	await add.locator('input[name="titleEn"]').fill('Final check');
	await add.locator('input[name="titleZh"]').fill('结业检查');
	await add.getByRole('button', { name: 'Create and edit' }).click();
	const base = `/studio/courses/${slug}/quizzes/final-check`;
	await expect(page).toHaveURL(new RegExp(`${base}$`));
	await expect(page.getByRole('heading', { name: 'Final check', level: 1 })).toBeVisible();
	await expect(page.getByText(/the body must be a YAML list of questions/)).toBeVisible();

	// Two questions in a "safety" pool, and one single-choice question outside it.
	await trueFalse(page, base, { id: 'power-off', tags: 'safety', en: 'You switch the power off at the socket before opening the hood.', zh: '打开油烟机前，先在插座处断电。', answer: true });
	await trueFalse(page, base, { id: 'gloves-on', tags: 'safety, hands', en: 'You wear gloves when you take the grease filter out.', zh: '取出油网时要戴手套。', answer: true });
	await page.goto(base, { waitUntil: 'networkidle' });
	await page.getByRole('link', { name: 'Single choice' }).click();
	await page.getByLabel('Question id').fill('first-words');
	await page.locator('textarea[name="prompt.en"]').fill('What do you say first at the door?');
	await page.locator('textarea[name="prompt.zh-CN"]').fill('到门口先说什么？');
	await page.locator('input[name="options.0.text.en"]').fill('Your name, the company and why you came');
	await page.locator('input[name="options.0.text.zh-CN"]').fill('自己的姓名、公司和来意');
	await page.locator('input[name="options.1.text.en"]').fill('Where the kitchen is');
	await page.locator('input[name="options.1.text.zh-CN"]').fill('厨房在哪里');
	// No right option yet: refused, with the reason beside the options, and the text kept.
	await page.getByRole('button', { name: 'Save the question' }).click();
	await expect(page.getByText('needs exactly one option with correct: true')).toBeVisible();
	await expect(page.locator('input[name="options.1.text.en"]')).toHaveValue('Where the kitchen is');
	await page.getByLabel('Option 1 is right').check();
	await page.locator('input[name="options.1.explanation.en"]').fill('Introduce yourself first.');
	await page.locator('input[name="options.1.explanation.zh-CN"]').fill('先介绍自己。');
	await page.getByRole('button', { name: 'Save the question' }).click();
	await expect(page.getByText('Saved in the draft.')).toBeVisible();

	// Settings: a pass mark and a draw rule, with the pool's size beside it.
	await page.goto(base, { waitUntil: 'networkidle' });
	await expect(page.getByRole('heading', { name: 'Questions (3)' })).toBeVisible();
	await page.getByLabel('Pass mark (%)').fill('50');
	await page.locator('input[name="draw.0.tag"]').fill('safety');
	await page.locator('input[name="draw.0.count"]').fill('1');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByText('2 questions have this tag')).toBeVisible();
	await expect(page.getByText(/problems to fix/)).toHaveCount(0);

	// Reorder and duplicate, then remove the copy.
	await page.getByRole('button', { name: 'Duplicate first-words' }).click();
	await expect(page.locator('ol.questions > li')).toHaveCount(4);
	await page.locator('ol.questions > li').filter({ hasText: 'first-words-copy' }).getByRole('button', { name: 'Move first-words-copy up' }).click();
	await expect(page.locator('ol.questions > li code').nth(2)).toHaveText('first-words-copy');
	page.once('dialog', (d) => d.accept());
	await page.getByRole('button', { name: 'Remove first-words-copy' }).click();
	await expect(page.locator('ol.questions > li')).toHaveCount(3);

	// Preview: one question drawn from the pool, graded by the server, nothing recorded.
	await page.getByRole('link', { name: 'Preview as a technician' }).click();
	await expect(page.getByText('1 questions drawn from 3')).toBeVisible();
	const drawn = page.locator('ol.preview > li');
	await expect(drawn).toHaveCount(1);
	await drawn.locator('input[name="choice"][value="false"]').check();
	await drawn.getByRole('button', { name: 'Check this answer' }).click();
	await expect(drawn.getByRole('status')).toContainText('wrong');
	await expect(drawn.getByRole('status')).toContainText('Safety comes before speed.');
	await drawn.locator('input[name="choice"][value="true"]').check();
	await drawn.getByRole('button', { name: 'Check this answer' }).click();
	await expect(drawn.getByRole('status')).toContainText('right');

	// A GIFT bank from another system: one question imported, the essay listed with its line.
	await page.goto(base, { waitUntil: 'networkidle' });
	await page.locator('input[name="file"]').setInputFiles({
		name: 'bank.gift',
		mimeType: 'text/plain',
		buffer: Buffer.from('::hood-height::A hood is usually mounted 65–75 cm above the hob. {T}\n\n::essay-one::Describe your last visit. {}\n', 'utf8')
	});
	await page.getByRole('button', { name: 'Import into the draft' }).click();
	await expect(page.getByText('1 questions were added to the draft.')).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'essay-one' })).toContainText('line 3');
	// The course is in two languages: the imported question waits for its Chinese text.
	await expect(page.getByText(/has no zh-CN text/).first()).toBeVisible();
	await page.getByRole('link', { name: 'hood-height' }).click();
	await expect(page.getByText(/has no zh-CN text/).first()).toBeVisible();
	await page.locator('textarea[name="prompt.zh-CN"]').fill('油烟机一般装在灶台上方 65–75 厘米处。');
	await page.getByRole('button', { name: 'Save the question' }).click();
	await expect(page.getByText('Saved in the draft.')).toBeVisible();
	await expect(page.getByText(/has no zh-CN text/)).toHaveCount(0);

	// A role-play scenario with three endings, drawn as a graph and play-tested.
	await page.goto(`/studio/courses/${slug}`, { waitUntil: 'networkidle' });
	const addScenario = page.locator('form[action="?/addScenario"]');
	await addScenario.locator('input[name="id"]').fill('noisy-hood');
	await addScenario.locator('input[name="titleEn"]').fill('The noisy hood');
	await addScenario.locator('input[name="titleZh"]').fill('吵闹的油烟机');
	await addScenario.locator('textarea[name="summaryEn"]').fill('A customer says the new hood roars; find out why before you touch it.');
	await addScenario.locator('textarea[name="summaryZh"]').fill('客户说新装的油烟机声音很大；动手之前先弄清原因。');
	await addScenario.getByRole('button', { name: 'Create and edit' }).click();
	const sc = `/studio/courses/${slug}/scenarios/noisy-hood`;
	await expect(page).toHaveURL(new RegExp(`${sc}$`));
	await expect(page.getByRole('img', { name: /The noisy hood as a graph/ })).toBeVisible();
	for (const [id, outcome, en, zh] of [
		['escalated', 'escalated', 'I want to speak to your manager.', '我要找你们经理。'],
		['lost', 'lost', 'Never mind, I will buy another brand.', '算了，我换个牌子。']
	] as const) {
		const addNode = page.locator('form[action="?/addNode"]');
		await addNode.locator('input[name="id"]').fill(id);
		await addNode.locator('textarea[name="line.en"]').fill(en);
		await addNode.locator('textarea[name="line.zh-CN"]').fill(zh);
		await addNode.locator('select[name="outcome"]').selectOption(outcome);
		await addNode.getByRole('button', { name: 'Add and edit' }).click();
		await expect(page).toHaveURL(new RegExp(`${sc}/nodes/${id}$`));
		await page.goto(sc, { waitUntil: 'networkidle' });
	}
	// Two endings nobody reaches yet: the checker says so.
	await expect(page.getByText(/escalated.*(not reachable|cannot be reached|unreachable)|is not reachable/i).first()).toBeVisible();
	await page.getByRole('link', { name: 'opening' }).click();
	await page.locator('textarea[name="line.en"]').fill('This hood roars like a plane. You installed it last week!');
	await page.locator('textarea[name="line.zh-CN"]').fill('这油烟机吵得像飞机。上周才装的！');
	const replies = [
		['May I switch it on with you and hear it?', '我能和您一起打开听听吗？', 'ending', '3'],
		['All hoods are loud; that is normal.', '油烟机都吵，这很正常。', 'escalated', '-1'],
		['Then return it to the shop.', '那您去店里退吧。', 'lost', '-2']
	];
	for (const [i, [en, zh, next, score]] of replies.entries()) {
		await page.locator(`textarea[name="choices.${i}.text.en"]`).fill(en!);
		await page.locator(`textarea[name="choices.${i}.text.zh-CN"]`).fill(zh!);
		await page.locator(`textarea[name="choices.${i}.feedback.en"]`).fill(`Feedback ${i + 1}.`);
		await page.locator(`textarea[name="choices.${i}.feedback.zh-CN"]`).fill(`反馈 ${i + 1}。`);
		await page.locator(`select[name="choices.${i}.next"]`).selectOption(next!);
		await page.locator(`input[name="choices.${i}.scores.listening"]`).fill(score!);
	}
	await page.getByRole('button', { name: 'Save the node' }).click();
	await expect(page.getByText('Saved in the draft.')).toBeVisible();
	await expect(page.getByText('best path').first()).toBeVisible();
	await page.goto(sc, { waitUntil: 'networkidle' });
	await expect(page.getByText(/Every node can be reached and every path ends\. The best path scores 3 points\./)).toBeVisible();
	await expect(page.locator('svg .edge.best')).toHaveCount(1);
	await expect(page.locator('svg .node')).toHaveCount(4);
	// Play-test shows the points of each reply and the result.
	await page.getByRole('link', { name: 'Play-test' }).click();
	await expect(page.getByRole('link', { name: 'Then return it to the shop.' })).toBeVisible();
	await page.getByRole('link', { name: 'May I switch it on with you and hear it?' }).click();
	await expect(page.getByRole('status')).toContainText('3 of 3 points (100 %; pass mark 70 %)');
	// An ending says what the technician did on the way; the checker holds it to every path.
	await page.goto(`${sc}/nodes/ending`, { waitUntil: 'networkidle' });
	const claim = page.getByLabel('What the ending says about reply opening.reply-1');
	await claim.selectOption('not-made');
	await page.getByRole('button', { name: 'Save the node' }).click();
	await expect(page.getByText(/ending ending says reply opening\.reply-1 was not made, but this path makes it and reaches the ending: opening \[reply-1\] → ending/)).toBeVisible();
	await claim.selectOption('made');
	await page.getByRole('button', { name: 'Save the node' }).click();
	await expect(page.getByText('Saved in the draft.')).toBeVisible();
	await expect(page.getByText(/was not made, but this path/)).toHaveCount(0);

	// Publish the course with its exam and scenario.
	await page.goto(`/studio/courses/${slug}`, { waitUntil: 'networkidle' });
	await expect(page.getByRole('link', { name: 'final-check' })).toBeVisible();
	await page.getByLabel('What changed (shown in the history)').fill('Range hood course with its exam');
	await page.getByRole('button', { name: 'Publish now' }).click();
	await expect(page.getByText('Published as version 1. Technicians see it now.')).toBeVisible();

	// A certification that requires both, published from the studio.
	await page.goto('/studio', { waitUntil: 'networkidle' });
	const addCert = page.locator('form[action="?/createCertification"]');
	await addCert.locator('input[name="id"]').fill(`${slug}-cert`);
	await addCert.locator('input[name="titleEn"]').fill('Range hood technician');
	await addCert.locator('input[name="titleZh"]').fill('油烟机技师');
	await addCert.locator('select[name="course"]').selectOption(slug);
	await addCert.getByRole('button', { name: 'Create and edit' }).click();
	await expect(page).toHaveURL(new RegExp(`/studio/certifications/${slug}-cert$`));
	await page.locator('select[name="levels.0.0.ref"]').selectOption(`quiz:${slug}/final-check`);
	await page.locator('input[name="levels.0.0.minScore"]').fill('50');
	await page.locator('select[name="levels.0.1.ref"]').selectOption(`scenario:${slug}/noisy-hood`);
	await page.locator('input[name="levels.0.1.minScore"]').fill('70');
	// A window longer than the validity is refused by the lifecycle rules, at its line.
	await page.getByLabel('Valid for (days)').fill('30');
	await page.getByLabel('Renewal window before expiry (days)').fill('60');
	await page.getByRole('button', { name: 'Save the certification' }).click();
	await expect(page.getByText(/renewalWindowDays/).first()).toBeVisible();
	await page.getByLabel('Valid for (days)').fill('365');
	await page.getByRole('button', { name: 'Save the certification' }).click();
	await expect(page.getByText(/problems to fix/)).toHaveCount(0);
	await page.getByLabel('What changed (shown in the history)').fill('New certification');
	await page.getByRole('button', { name: 'Publish now' }).click();
	await expect(page.getByText(/Published as version 1/)).toBeVisible();

	// A technician takes the exam at once: one question drawn from the safety pool, answered True.
	const context = await browser.newContext({ storageState: storageFor('technician') });
	const tech = await context.newPage();
	await recordPolicyViolations(tech);
	await tech.goto(`/learn/courses/${slug}`, { waitUntil: 'networkidle' });
	await tech.locator('a[href$="/quizzes/final-check"]').click();
	await tech.getByRole('button', { name: 'Start' }).click();
	await expect(tech).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}/);
	await expect(tech.locator('nav.qnav button')).toHaveCount(1);
	const form = tech.locator('form[action*="answer"]');
	await form.locator('input[name="choice"][value="true"]').check();
	await form.locator('button[type="submit"]').click();
	await expect(tech.getByRole('status')).toHaveText('Answer saved.');
	await tech.getByRole('button', { name: 'Submit the attempt' }).click();
	await expect(tech).toHaveURL(/\/result$/);
	await expect(tech.getByRole('status')).toContainText('Passed');
	// … plays the scenario on its best path, and holds the certification.
	await tech.goto(`/learn/courses/${slug}`, { waitUntil: 'networkidle' });
	await tech.locator('a[href$="/scenarios/noisy-hood"]').click();
	await tech.getByRole('button', { name: 'Start the conversation' }).click();
	await tech.getByRole('button', { name: 'May I switch it on with you and hear it?' }).click();
	await expect(tech.locator('ol.chat.debrief')).toBeVisible();
	await tech.goto('/learn/certifications', { waitUntil: 'networkidle' });
	const held = tech.getByRole('article', { name: 'Range hood technician' });
	await expect(held.locator('.badge').first()).toHaveText('active');
	expect(await takePolicyViolations(tech)).toEqual([]);
	await context.close();

	// The published exam's statistics sit beside its questions.
	await page.goto(base, { waitUntil: 'networkidle' });
	await expect(page.getByText(/Statistics from 1 first attempts at version 1/)).toBeVisible();
});

test('the question editor and the quiz settings work without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ storageState: storageFor('trainer'), javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/studio/courses/ro-purifier/quizzes/practice-membrane-and-filters', { waitUntil: 'networkidle' });
	await page.getByRole('link', { name: 'Matching' }).click();
	await page.getByLabel('Question id').fill('no-js-matching');
	await page.locator('textarea[name="prompt.en"]').fill('Match the stage with what it removes.');
	await page.locator('input[name="pairs.0.left.en"]').fill('PP cotton');
	await page.locator('input[name="pairs.0.right.en"]').fill('Rust and sand');
	await page.locator('input[name="pairs.1.left.en"]').fill('Pre-carbon');
	await page.locator('input[name="pairs.1.right.en"]').fill('Chlorine');
	await page.locator('input[name="distractors.0.en"]').fill('Bacteria');
	await page.getByRole('button', { name: 'Save the question' }).click();
	await expect(page.getByText('Saved in the draft.')).toBeVisible();
	await expect(page.locator('input[name="distractors.0.en"]')).toHaveValue('Bacteria');
	// Refused without a change: the id of another question.
	await page.getByLabel('Question id').fill('water-flow-order');
	await page.getByRole('button', { name: 'Save the question' }).click();
	await expect(page.getByText('the id "water-flow-order" is already used by another question')).toBeVisible();
	await expect(page.locator('input[name="distractors.0.en"]')).toHaveValue('Bacteria');
	// Leave the shipped course as it was.
	await page.goto('/studio/courses/ro-purifier', { waitUntil: 'networkidle' });
	await page.getByRole('button', { name: 'Discard the draft' }).click();
	await expect(page.getByRole('button', { name: 'Discard the draft' })).toHaveCount(0);
	await context.close();
});

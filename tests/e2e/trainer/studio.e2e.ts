import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, storageFor, takePolicyViolations, recordPolicyViolations, test } from '../fixtures';

test.use({ as: 'trainer' });

/** A small valid PNG (solid colour), made here so the test needs no file of its own. */
function png(width: number, height: number): Buffer {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (buf: Buffer) => {
		let c = 0xffffffff;
		for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const out = Buffer.alloc(8 + data.length + 4);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc(body), 8 + data.length);
		return out;
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8;
	ihdr[9] = 2;
	const rows = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set([20, 90, 160], y * (width * 3 + 1) + 1 + x * 3);
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** Replaces the text of one language's editor, as a person typing (CodeMirror, or the plain textarea). */
async function typeLesson(page: Page, language: 'English' | '中文', text: string) {
	const side = page.getByRole('region', { name: language });
	const editor = side.locator('.cm-content');
	await editor.click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.press('Delete');
	await page.keyboard.insertText(text);
	await expect(side.getByRole('status').filter({ hasText: /Saved to the draft/ })).toBeVisible({ timeout: 10_000 });
}

const front = (title: string) => `---\ntitle: ${title}\nsummary: What this lesson teaches.\nminutes: 5\n---\n\n`;

test('a trainer writes a course in the studio and a technician reads it without a restart', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const slug = `studio-e2e-${Date.now().toString(36)}`;
	await page.goto('/studio');
	await expect(page.getByRole('heading', { name: 'Studio', level: 1 })).toBeVisible();
	await page.getByLabel('Short name in addresses').fill(slug);
	await page.getByLabel('Title (English)').fill('Dishwasher installation');
	await page.getByLabel('Title (Chinese)').fill('洗碗机安装');
	await page.getByRole('button', { name: 'Create the course' }).click();
	await expect(page).toHaveURL(new RegExp(`/studio/courses/${slug}$`));
	await expect(page.getByText('Draft, never published')).toBeVisible();

	// A second lesson, in both languages.
	await page.locator('form[action="?/addLesson"] input[name="slug"]').fill('water-supply');
	await page.locator('form[action="?/addLesson"] input[name="titleEn"]').fill('Connecting the water supply');
	await page.locator('form[action="?/addLesson"] input[name="titleZh"]').fill('连接进水');
	await page.getByRole('button', { name: 'Add the lesson' }).click();
	await expect(page).toHaveURL(new RegExp(`/studio/courses/${slug}/lessons/water-supply$`));
	await typeLesson(page, 'English', `${front('Connecting the water supply')}Close the angle valve before you start.\n`);
	await typeLesson(page, '中文', `${front('连接进水')}开始前先关闭角阀。\n`);

	// The first lesson: a problem is flagged at its line, then fixed.
	await page.goto(`/studio/courses/${slug}/lessons/introduction`);
	await typeLesson(page, 'English', `${front('Introduction')}Check the outlet.\n\nA price of {price} is not text.\n`);
	const english = page.getByRole('region', { name: 'English' });
	await expect(english.getByRole('list', { name: /problems/ })).toContainText('Line 9:');
	await expect(english.getByRole('list', { name: /problems/ })).toContainText('"{"');
	await expect(english.locator('.cm-lintRange-error, .cm-lint-marker-error').first()).toBeVisible();

	// A picture, uploaded and placed in the English lesson.
	await page.locator('input[name="picture"]').setInputFiles({ name: 'outlet.png', mimeType: 'image/png', buffer: png(40, 24) });
	await page.getByRole('button', { name: 'Upload picture' }).click();
	await expect(page.getByText(/Uploaded outlet\.png/)).toBeVisible();
	const src = (await page.locator('.alert.ok code').textContent())!;
	expect(src).toMatch(/^\/media\/[0-9a-f]{64}\.png$/);

	await typeLesson(
		page,
		'English',
		`${front('Introduction')}Check the <Term definition="The wall socket the appliance plugs into">outlet</Term> before you unpack.\n\n<Figure src="${src}" alt="A blue test card" />\n\n<KnowledgeCheck question="What do you check first?" options={["The outlet", "The colour of the box"]} answer={0} explanation="A safe outlet comes first." />\n`
	);
	await expect(english.getByRole('list', { name: /problems/ })).toHaveCount(0);
	await expect(english.locator('.preview button.term')).toHaveText('outlet');
	await typeLesson(page, '中文', `${front('简介')}拆箱前先检查<Term definition="电器插头所接的墙上插座">插座</Term>。\n`);

	// Publish.
	await page.goto(`/studio/courses/${slug}`);
	await expect(page.getByText(/problems to fix/)).toHaveCount(0);
	await page.getByLabel('What changed (shown in the history)').fill('First version of the dishwasher course');
	await page.getByRole('button', { name: 'Publish now' }).click();
	await expect(page.getByText('Published as version 1. Technicians see it now.')).toBeVisible();

	// A technician, in another browser, reads it at once.
	const context = await browser.newContext({ storageState: storageFor('technician') });
	const tech = await context.newPage();
	await recordPolicyViolations(tech);
	await tech.goto(`/learn/courses/${slug}/introduction`);
	await expect(tech.getByRole('heading', { name: 'Introduction', level: 1 })).toBeVisible();
	const term = tech.getByRole('button', { name: 'outlet' });
	await expect(term).toBeVisible();
	await term.click();
	await expect(tech.getByText('The wall socket the appliance plugs into')).toBeVisible();
	await tech.keyboard.press('Escape');
	const picture = tech.getByRole('img', { name: 'A blue test card' });
	await picture.scrollIntoViewIfNeeded();
	await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
	// The knowledge check is an island: it answers in the page.
	await tech.getByRole('radio', { name: 'The outlet' }).check();
	await tech.getByRole('button', { name: 'Check' }).click();
	await expect(tech.getByText('Right.')).toBeVisible();
	await tech.goto(`/learn/courses/${slug}/water-supply`);
	await expect(tech.getByText('Close the angle valve before you start.')).toBeVisible();
	expect(await takePolicyViolations(tech)).toEqual([]);
	await context.close();

	// History lists the version with its note.
	await page.goto(`/studio/courses/${slug}/history`);
	await expect(page.getByRole('row').filter({ hasText: 'First version of the dishwasher course' })).toContainText('Grace Lin');
});

test('publishing works without JavaScript, and a problem keeps the course unpublished', async ({ browser }) => {
	const context = await browser.newContext({ storageState: storageFor('trainer'), javaScriptEnabled: false });
	const page = await context.newPage();
	const slug = `studio-nojs-${Date.now().toString(36)}`;
	await page.goto('/studio');
	await page.getByLabel('Short name in addresses').fill(slug);
	await page.getByLabel('Title (English)').fill('Range hood basics');
	await page.getByLabel('Title (Chinese)').fill('油烟机基础');
	await page.getByRole('button', { name: 'Create the course' }).click();
	await expect(page).toHaveURL(new RegExp(`/studio/courses/${slug}$`));

	// A lesson with a script in it: saved to the draft, flagged, and publishing is refused.
	await page.goto(`/studio/courses/${slug}/lessons/introduction`);
	const english = page.getByRole('region', { name: 'English' });
	await english.locator('textarea[name="text"]').fill(`${front('Introduction')}<img src="x" onerror="alert(1)">\n`);
	await english.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('region', { name: 'English' }).getByRole('list', { name: /problems/ })).toContainText('event handlers');
	await page.goto(`/studio/courses/${slug}`);
	await expect(page.getByText(/problems to fix before publishing/)).toBeVisible();
	await page.getByLabel('What changed (shown in the history)').fill('Try');
	await expect(page.getByRole('button', { name: 'Publish now' })).toBeDisabled();

	// Fixed, it publishes.
	await page.goto(`/studio/courses/${slug}/lessons/introduction`);
	await page.getByRole('region', { name: 'English' }).locator('textarea[name="text"]').fill(`${front('Introduction')}Clean the filter every month.\n`);
	await page.getByRole('region', { name: 'English' }).getByRole('button', { name: 'Save' }).click();
	await page.goto(`/studio/courses/${slug}`);
	await page.getByLabel('What changed (shown in the history)').fill('First version');
	await page.getByRole('button', { name: 'Publish now' }).click();
	await expect(page.getByText('Published as version 1. Technicians see it now.')).toBeVisible();
	await page.goto(`/studio/courses/${slug}/lessons/introduction/view`);
	await expect(page.getByText('Clean the filter every month.')).toBeVisible();
	await context.close();
});

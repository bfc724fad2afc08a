import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { createDb } from '../../src/lib/server/db';
import { contentDraft, contentPicture, user } from '../../src/lib/server/db/schema';
import { draftOf, discardDraft } from '../../src/lib/server/content/drafts';
import { exportBank, importBank } from '../../src/lib/server/content/bank';
import { changeQuiz, quizState } from '../../src/lib/server/content/quiz-studio';
import { moveQuestion, readQuizFile } from '../../src/lib/content/quiz-file';
import { questionSchema } from '../../src/lib/content/graded-schema';
import { allQuizzes, findQuiz } from '../../src/lib/server/assessment/catalog';

/** Question banks into and out of quizzes, through the store's drafts (studio and command line). */

let t: TestDb;
let trainer: string;
let scratch: string;
const encoder = new TextEncoder();
const ref = { kind: 'course' as const, key: 'complaints' };
const QUIZ = 'courses/02-complaints/final-exam.quiz.md';

const GIFT = `// A small bank from another system
$CATEGORY: $course$/Complaints/Refunds

::refund-window::How many days does a customer have to ask for a refund in the demo policy? {#7:0}

::calm-first::The first thing to do with an angry customer is to {
=listen until they have finished #Right: people calm down once they feel heard.
~explain the policy #Not yet: they are not ready to hear it.
~offer a discount
}

::essay-one::Describe your last difficult visit. {}
`;

async function draftRows() {
	const [row] = await t.db.select({ n: sql<number>`count(*)::int` }).from(contentDraft);
	return row!.n;
}

beforeAll(async () => {
	t = await freshDb();
	const [row] = await t.db.insert(user).values({ email: 'bank-trainer@example.com', displayName: 'Bank Trainer' }).returning({ id: user.id });
	trainer = row!.id;
	scratch = mkdtempSync(path.join(tmpdir(), 'question-bank-'));
});
afterAll(async () => {
	await t.dispose();
	rmSync(scratch, { recursive: true, force: true });
});

describe('importing a question bank into a quiz', () => {
	it('adds what it can to the draft, lists what it cannot with its line, and the checker sees the rest', async () => {
		const result = await importBank(t.db, { slug: 'complaints', quiz: 'final-exam', bytes: encoder.encode(GIFT), locale: 'en', userId: trainer, revision: 0 });
		expect(result).toMatchObject({ ok: true, report: { format: 'gift', imported: 2, pictures: 0 } });
		if (!result.ok) return;
		expect(result.report.skipped).toEqual([expect.objectContaining({ name: 'essay-one', line: 12, reason: expect.stringMatching(/essay/i) })]);
		const file = (await draftOf(t.db, ref)).find((f) => f.path === QUIZ)!;
		const data = readQuizFile(file.text)!;
		const added = data.questions.slice(-2);
		expect(added).toEqual([
			expect.objectContaining({ id: 'refund-window', type: 'numeric', answer: 7, tags: ['refunds'], prompt: { en: expect.stringContaining('refund') } }),
			expect.objectContaining({ id: 'calm-first', type: 'single' })
		]);
		// The course is written in two languages: the imported questions wait for their Chinese text.
		const state = await quizState(t.db, 'complaints', 'final-exam');
		expect(state.problems.some((p) => /has no zh-CN text/.test(p.message))).toBe(true);
		// What was published is untouched until the draft is published.
		expect(findQuiz('complaints', 'final-exam')!.questions.some((q) => q.id === 'calm-first')).toBe(false);
	});

	it('refuses a bad file or an old revision and changes nothing', async () => {
		await discardDraft(t.db, ref);
		const before = await draftRows();
		const bad = [
			encoder.encode('::broken:: Which one? {=a ~b'),
			encoder.encode(''),
			Uint8Array.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a]),
			Uint8Array.from([0xff, 0xfe, 0x41, 0x00]),
			encoder.encode('<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>')
		];
		for (const bytes of bad) {
			const result = await importBank(t.db, { slug: 'complaints', quiz: 'final-exam', bytes, locale: 'en', userId: trainer, revision: 0 });
			expect(result, new TextDecoder().decode(bytes)).toMatchObject({ ok: false, status: 400, message: expect.any(String) });
		}
		expect(await importBank(t.db, { slug: 'complaints', quiz: 'no-such-quiz', bytes: encoder.encode(GIFT), locale: 'en', userId: trainer, revision: 0 })).toMatchObject({ ok: false, status: 404 });
		expect(await importBank(t.db, { slug: 'no-such-course', quiz: 'final-exam', bytes: encoder.encode(GIFT), locale: 'en', userId: trainer, revision: 0 })).toMatchObject({ ok: false, status: 404 });
		expect(await importBank(t.db, { slug: 'complaints', quiz: 'final-exam', bytes: encoder.encode(GIFT), locale: 'en', userId: trainer, revision: 5 })).toMatchObject({ ok: false, status: 409 });
		expect(await draftRows()).toBe(before);
	});

	it('stores the pictures of a Moodle XML bank and shows them with their question', async () => {
		await discardDraft(t.db, ref);
		// A 1×1 PNG.
		const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>tds-picture</text></name>
    <questiontext format="html"><text><![CDATA[<p>The meter in the picture reads a safe value.</p><img src="@@PLUGINFILE@@/meter.png">]]></text>
      <file name="meter.png" path="/" encoding="base64">${png}</file>
    </questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>`;
		const result = await importBank(t.db, { slug: 'complaints', quiz: 'final-exam', bytes: encoder.encode(xml), locale: 'en', userId: trainer, revision: 0 });
		expect(result).toMatchObject({ ok: true, report: { format: 'moodle-xml', imported: 1, pictures: 1 } });
		const data = readQuizFile((await draftOf(t.db, ref)).find((f) => f.path === QUIZ)!.text)!;
		const q = data.questions.at(-1)!;
		expect(q).toMatchObject({ id: 'tds-picture', type: 'truefalse', answer: true, picture: expect.stringMatching(/^\/media\/[0-9a-f]{64}\.png$/) });
		const [stored] = await t.db.select({ n: sql<number>`count(*)::int` }).from(contentPicture).where(sql`${contentPicture.sha256} = ${String(q.picture).slice(7, 71)}`);
		expect(stored!.n).toBe(1);
		const state = await quizState(t.db, 'complaints', 'final-exam');
		expect(state.problems.filter((p) => /picture/.test(p.message))).toEqual([]);
		// Exported again, the picture travels inside the Moodle XML.
		const out = await exportBank(t.db, { slug: 'complaints', quiz: 'final-exam', format: 'moodle-xml', locale: 'en' });
		expect(out.ok && out.text).toContain(png);
		await discardDraft(t.db, ref);
	});
});

describe('exporting a quiz', () => {
	it('writes every shipped quiz as GIFT and as Moodle XML that imports back to the same questions', async () => {
		const { parseBank } = await import('../../src/lib/content/interchange/index');
		const english = (q: unknown) => JSON.parse(JSON.stringify(q, (k, v) => (k === 'zh-CN' ? undefined : v)));
		const quizzes = allQuizzes();
		expect(quizzes.length).toBeGreaterThan(10);
		for (const published of quizzes) {
			for (const format of ['gift', 'moodle-xml'] as const) {
				const what = `${published.courseSlug}/${published.id} ${format}`;
				const out = await exportBank(t.db, { slug: published.courseSlug, quiz: published.id, format, locale: 'en' });
				expect(out.ok, what).toBe(true);
				if (!out.ok) continue;
				expect(out.count).toBe(published.questions.length);
				const back = parseBank(encoder.encode(out.text), { locale: 'en' });
				expect(back.skipped, what).toEqual([]);
				expect(back.questions.map((q) => questionSchema.parse(q)), what).toEqual(published.questions.map(english));
			}
		}
	});
});

describe('editing a quiz in the draft', () => {
	it('refuses a change made from an older revision, and a refused change opens no draft', async () => {
		await discardDraft(t.db, ref);
		const first = findQuiz('complaints', 'final-exam')!.questions[0]!.id;
		expect(await changeQuiz(t.db, { slug: 'complaints', quiz: 'final-exam', revision: 0, userId: trainer }, (f) => moveQuestion(f, first, 'up') ?? { error: 'cannot move' })).toEqual({
			ok: false,
			status: 400,
			message: 'cannot move'
		});
		expect(await draftRows()).toBe(0);
		const moved = await changeQuiz(t.db, { slug: 'complaints', quiz: 'final-exam', revision: 0, userId: trainer }, (f) => moveQuestion(f, first, 'down')!);
		expect(moved).toMatchObject({ ok: true });
		// A second trainer who still had the page from before the change:
		expect(await changeQuiz(t.db, { slug: 'complaints', quiz: 'final-exam', revision: 0, userId: trainer }, (f) => f)).toMatchObject({ ok: false, status: 409 });
		const state = await quizState(t.db, 'complaints', 'final-exam');
		expect(state.data!.questions[1]!.id).toBe(first);
		await discardDraft(t.db, ref);
	});
});

describe('npm run questions:import / questions:export', () => {
	let dataDir: string;
	function cli(args: string[]) {
		return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
			execFile(process.execPath, ['--import', 'tsx', 'src/cli/questions.ts', ...args], { env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir } }, (error, stdout, stderr) =>
				resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
			);
		});
	}
	beforeAll(async () => {
		dataDir = path.join(scratch, 'cli-data');
		const template = inject('pgliteTemplate');
		if (template) await (await createDb({ dataDir, loadDataDir: new Blob([readFileSync(template)]) })).close();
	});

	it('exports a quiz, imports it into a new quiz with a JSON report, and refuses bad arguments and files', async () => {
		const exported = await cli(['export', '--course', 'ro-purifier', '--quiz', 'final-exam', '--format', 'gift']);
		expect(exported.code, exported.stderr).toBe(0);
		const bank = path.join(scratch, 'ro.gift');
		writeFileSync(bank, exported.stdout + '\n::essay::Tell us about your day. {}\n');
		const imported = await cli(['import', bank, '--course', 'ro-purifier', '--quiz', 'imported-bank', '--json']);
		expect(imported.code, imported.stderr).toBe(0);
		const report = JSON.parse(imported.stdout.trim().split('\n').at(-1)!);
		expect(report).toEqual({ imported: findQuiz('ro-purifier', 'final-exam')!.questions.length, skipped: [{ name: 'essay', line: expect.any(Number), reason: expect.any(String) }] });

		const gbk = path.join(scratch, 'gbk.txt');
		writeFileSync(gbk, Uint8Array.from([0xc4, 0xe3, 0xba, 0xc3]));
		const refused = await Promise.all([
			cli(['import', gbk, '--course', 'ro-purifier', '--quiz', 'x', '--json']),
			cli(['import', bank, '--course', 'ro-purifier']),
			cli(['export', '--course', 'ro-purifier', '--quiz', 'final-exam', '--format', 'docx']),
			cli(['import', path.join(scratch, 'missing.gift'), '--course', 'ro-purifier', '--quiz', 'x']),
			cli(['export', '--course', 'Not Valid', '--quiz', 'x', '--format', 'gift'])
		]);
		expect(refused[0]!.code).toBe(1);
		expect(refused[0]!.stderr).toMatch(/UTF-8/);
		expect(JSON.parse(refused[0]!.stdout.trim().split('\n').at(-1)!)).toMatchObject({ imported: 0, skipped: [] });
		for (const r of refused.slice(1)) {
			expect(r.code, r.stderr).toBe(2);
			expect(r.stderr).toMatch(/^Error: .+\n\nUsage:/);
		}
	}, 120_000);
});

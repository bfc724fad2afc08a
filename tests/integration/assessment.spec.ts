import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { quizAnswer, quizAttempt, quizItemResult } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/users';
import { findQuiz } from '../../src/lib/server/assessment/catalog';
import { findCourse } from '../../src/lib/server/content';
import { answersOf, gradedAttempts, passedQuizzes, saveAnswer, startOrResume, submitAttempt, submitExpired } from '../../src/lib/server/assessment/attempts';
import { matchingRightColumn } from '../../src/lib/server/assessment/draw';
import type { Question } from '../../src/lib/server/assessment/types';
import { cardsFor } from '../../src/lib/server/learning';
import { recordCompleted } from '../../src/lib/server/learning/queries';
import { chooseInRun, findRun, startOrResumeRun } from '../../src/lib/server/scenario/runs';
import { scenarioRun } from '../../src/lib/server/db/schema';
import type { Scenario } from '../../src/lib/server/scenario/types';
import { refusal } from '../helpers/errors';

let t: TestDb;
let ana: string;
let ben: string;
const drill = findQuiz('complaints', 'five-steps-drill')!;
const exam = findQuiz('complaints', 'final-exam')!;
const T0 = new Date('2026-06-01T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

beforeAll(async () => {
	t = await freshDb();
	ana = (await createUser(t.db, { email: 'ana@example.com', displayName: 'Ana', roles: ['technician'] }, null)).id;
	ben = (await createUser(t.db, { email: 'ben@example.com', displayName: 'Ben', roles: ['technician'] }, null)).id;
});
afterAll(() => t.dispose());


/** The right form fields for a question, as a browser that knows the answers would send them. */
function rightFields(q: Question, seed: string): Record<string, string | string[]> {
	switch (q.type) {
		case 'single':
			return { choice: q.options.find((o) => o.correct)!.id };
		case 'multiple':
			return { choice: q.options.filter((o) => o.correct).map((o) => o.id) };
		case 'truefalse':
			return { choice: String(q.answer) };
		case 'ordering':
			return { order: q.items.map((i) => i.id), orderConfirmed: 'yes' };
		case 'matching': {
			const tokens = new Map(matchingRightColumn(q, seed).map((c) => [c.pairId, c.token]));
			return Object.fromEntries(q.pairs.map((p) => [`match.${p.id}`, tokens.get(p.id)!]));
		}
		case 'numeric':
			return { value: String(q.answer) };
		case 'text':
			return { value: q.accept[0]! };
	}
}

describe('quiz attempts', () => {
	it('serve a snapshot of the drawn questions and resume the same open attempt', async () => {
		const a = await startOrResume(t.db, ana, drill, 'en', T0);
		expect(a.number).toBe(1);
		expect((a.questions as Question[]).map((q) => q.id).sort()).toEqual(['drill-first', 'drill-order', 'drill-promise']);
		expect(a.deadlineAt).toEqual(at(60));
		expect(a.seed).toMatch(/^[A-Za-z0-9_-]{24}$/);
		const again = await startOrResume(t.db, ana, drill, 'en', at(5));
		expect(again.id).toBe(a.id);
	});

	it('refuse forged questions, options and another user\'s attempt, writing nothing', async () => {
		const a = await startOrResume(t.db, ana, drill, 'en', T0);
		expect((await refusal(saveAnswer(t.db, ana, a.id, 'no-such-question', { choice: 'thank' }, at(10)))).status).toBe(400);
		expect((await refusal(saveAnswer(t.db, ana, a.id, 'drill-first', { choice: 'forged' }, at(10)))).message).toMatch(/does not belong/);
		expect((await refusal(saveAnswer(t.db, ana, a.id, 'drill-order', { order: ['thank', 'thank', 'listen', 'check-facts', 'ask-wants'] }, at(10)))).status).toBe(400);
		expect((await refusal(saveAnswer(t.db, ben, a.id, 'drill-first', { choice: 'thank' }, at(10)))).status).toBe(404);
		expect((await refusal(saveAnswer(t.db, ana, 'not-a-uuid', 'drill-first', { choice: 'thank' }, at(10)))).status).toBe(404);
		expect(await answersOf(t.db, a.id)).toEqual({});
	});

	it('refuse an answer after the deadline and submit the attempt with what was saved', async () => {
		const a = await startOrResume(t.db, ana, drill, 'en', T0);
		await saveAnswer(t.db, ana, a.id, 'drill-first', { choice: 'thank' }, at(20));
		const late = await refusal(saveAnswer(t.db, ana, a.id, 'drill-promise', { choice: 'false' }, at(61)));
		expect(late.status).toBe(409);
		expect(late.message).toMatch(/Time is up/);
		const [row] = await t.db.select().from(quizAttempt).where(eq(quizAttempt.id, a.id));
		expect(row).toMatchObject({ autoSubmitted: true, submittedAt: at(60), passed: false });
		expect(row!.score).toBe(1);
		expect(Object.keys(await answersOf(t.db, a.id))).toEqual(['drill-first']);
	});

	it('grade a double submit once', async () => {
		const a = await startOrResume(t.db, ana, drill, 'en', at(100));
		expect(a.number).toBe(2);
		for (const q of a.questions as Question[]) await saveAnswer(t.db, ana, a.id, q.id, rightFields(q, a.seed), at(110));
		const [first, second] = await Promise.all([submitAttempt(t.db, a.id, at(120)), submitAttempt(t.db, a.id, at(121))]);
		expect(first.percent).toBe(100);
		expect(second).toMatchObject({ id: a.id, percent: 100, passed: true, submittedAt: at(120) });
		const items = await t.db.select().from(quizItemResult).where(eq(quizItemResult.attemptId, a.id));
		expect(items).toHaveLength(3);
		expect((await refusal(saveAnswer(t.db, ana, a.id, 'drill-first', { choice: 'fix' }, at(122)))).status).toBe(409);
	});

	it('answer a save with the question numbers now answered, and keep answers when a closed or expired attempt refuses one', async () => {
		const cai = (await createUser(t.db, { email: 'cai@example.com', displayName: 'Cai', roles: ['technician'] }, null)).id;
		const a = await startOrResume(t.db, cai, exam, 'en', at(200));
		const qs = a.questions as Question[];
		const first = await saveAnswer(t.db, cai, a.id, qs[2]!.id, rightFields(qs[2]!, a.seed), at(210));
		expect(first).toEqual({ savedAt: at(210), answered: [3] });
		// Saving again changes the answer, not the count; another question adds its number.
		expect((await saveAnswer(t.db, cai, a.id, qs[2]!.id, rightFields(qs[2]!, a.seed), at(211))).answered).toEqual([3]);
		expect((await saveAnswer(t.db, cai, a.id, qs[0]!.id, rightFields(qs[0]!, a.seed), at(212))).answered).toEqual([1, 3]);
		const before = await answersOf(t.db, a.id);
		// Submitted elsewhere (another tab, another process): refused, nothing changes.
		await t.db.update(quizAttempt).set({ submittedAt: at(213) }).where(eq(quizAttempt.id, a.id));
		const closed = await refusal(saveAnswer(t.db, cai, a.id, qs[1]!.id, rightFields(qs[1]!, a.seed), at(214)));
		expect(closed.status).toBe(409);
		expect(closed.message).toMatch(/already submitted/);
		expect(await answersOf(t.db, a.id)).toEqual(before);
		await t.db.update(quizAttempt).set({ submittedAt: null }).where(eq(quizAttempt.id, a.id));
		// Past the deadline: refused, and the attempt is submitted with the answers saved before.
		const late = await refusal(saveAnswer(t.db, cai, a.id, qs[1]!.id, rightFields(qs[1]!, a.seed), new Date(a.deadlineAt!.getTime() + 1000)));
		expect(late.status).toBe(409);
		expect(late.message).toMatch(/Time is up/);
		expect(await answersOf(t.db, a.id)).toEqual(before);
		const [row] = await t.db.select().from(quizAttempt).where(eq(quizAttempt.id, a.id));
		expect(row).toMatchObject({ autoSubmitted: true, submittedAt: a.deadlineAt });
		// Not one of the exam's attempts the trainer's results below count.
		await t.db.delete(quizAttempt).where(eq(quizAttempt.id, a.id));
	});

	it('sweep expired attempts from any process', async () => {
		const b = await startOrResume(t.db, ben, drill, 'en', T0);
		expect(await submitExpired(t.db, at(59))).toEqual([]);
		expect(await submitExpired(t.db, at(90))).toEqual([ben]);
		const [row] = await t.db.select().from(quizAttempt).where(eq(quizAttempt.id, b.id));
		expect(row).toMatchObject({ autoSubmitted: true, percent: 0 });
	});

	it('start only one open attempt when two starts race', async () => {
		const [x, y] = await Promise.all([startOrResume(t.db, ben, drill, 'en', at(200)), startOrResume(t.db, ben, drill, 'en', at(200))]);
		expect(x.id).toBe(y.id);
		const open = await t.db
			.select({ n: sql<number>`count(*)::int` })
			.from(quizAttempt)
			.where(and(eq(quizAttempt.userId, ben), sql`${quizAttempt.submittedAt} is null`));
		expect(open[0]!.n).toBe(1);
	});
});

describe('exams', () => {
	it('limit attempts and enforce the cooldown', async () => {
		expect(exam).toMatchObject({ attempts: 3, cooldownMinutes: 60, required: true, kind: 'exam' });
		const one = await startOrResume(t.db, ana, exam, 'en', T0);
		expect((one.questions as Question[]).length).toBeGreaterThanOrEqual(10);
		await submitAttempt(t.db, one.id, at(300));
		const wait = await refusal(startOrResume(t.db, ana, exam, 'en', at(600)));
		expect(wait.message).toBe('You can try again in 55 minutes.');
		const two = await startOrResume(t.db, ana, exam, 'en', at(300 + 3600));
		await submitAttempt(t.db, two.id, at(4000));
		const three = await startOrResume(t.db, ana, exam, 'en', at(4000 + 3600));
		await submitAttempt(t.db, three.id, at(7700));
		expect((await refusal(startOrResume(t.db, ana, exam, 'en', at(20000)))).message).toBe('You have used all 3 attempts at this exam.');
	});

	it('a course completes when its lessons are done and its required exam is passed', async () => {
		const course = findCourse('complaints')!;
		for (const l of course.lessons) await recordCompleted(t.db, { userId: ben, course, lessonSlug: l.slug, locale: 'en' });
		let card = (await cardsFor(t.db, ben, 'en')).find((c) => c.slug === 'complaints')!;
		expect(card).toMatchObject({ complete: false, done: course.lessons.length });
		const a = await startOrResume(t.db, ben, exam, 'en', at(300));
		for (const q of a.questions as Question[]) await saveAnswer(t.db, ben, a.id, q.id, rightFields(q, a.seed), at(310));
		expect((await submitAttempt(t.db, a.id, at(320))).passed).toBe(true);
		expect((await passedQuizzes(t.db, ben)).has('complaints/final-exam')).toBe(true);
		card = (await cardsFor(t.db, ben, 'en')).find((c) => c.slug === 'complaints')!;
		expect(card.complete).toBe(true);
	});

	it('give the trainer every submitted attempt with its item scores', async () => {
		const attempts = await gradedAttempts(t.db, exam);
		expect(attempts.length).toBe(4);
		for (const a of attempts) expect(a.items.length).toBeGreaterThan(0);
		const passed = attempts.find((a) => a.passed)!;
		expect(passed.items.every((i) => i.score === i.max)).toBe(true);
		expect(await t.db.select().from(quizAnswer).where(eq(quizAnswer.attemptId, passed.id))).not.toHaveLength(0);
	});
});

const SCENARIO: Scenario = {
	id: 'fixture',
	courseSlug: 'complaints',
	title: { en: 'Fixture' },
	summary: { en: 'A fixture.' },
	passMark: 70,
	start: 'door',
	file: 'fixture',
	nodes: [
		{
			id: 'door',
			mood: 'angry',
			line: { en: 'You are late!' },
			choices: [
				{ id: 'sorry', text: { en: 'Sorry' }, feedback: { en: 'Good' }, scores: { empathy: 2 }, next: 'kitchen' },
				{ id: 'excuse', text: { en: 'Traffic' }, feedback: { en: 'Bad' }, scores: { empathy: -2 }, next: 'lost' }
			]
		},
		{
			id: 'kitchen',
			mood: 'upset',
			line: { en: 'It leaks.' },
			choices: [{ id: 'fix', text: { en: 'Fix' }, feedback: { en: 'Good' }, scores: { problemSolving: 2 }, next: 'done' }]
		},
		{ id: 'done', mood: 'pleased', line: { en: 'Thanks.' }, choices: [], outcome: 'resolved' },
		{ id: 'lost', mood: 'furious', line: { en: 'Leave.' }, choices: [], outcome: 'lost' }
	]
};

describe('scenario runs', () => {
	it('record the path on the server, refuse forged and replayed choices, and score at the end', async () => {
		const run = await startOrResumeRun(t.db, ana, SCENARIO, 'en', T0);
		expect((await refusal(chooseInRun(t.db, SCENARIO, run, 'fix', 0, 'en'))).status).toBe(400);
		const step1 = await chooseInRun(t.db, SCENARIO, run, 'sorry', 0, 'en');
		expect(step1).toMatchObject({ nodeId: 'kitchen', finishedAt: null, percent: null });
		expect((await refusal(chooseInRun(t.db, SCENARIO, run, 'sorry', 0, 'en'))).status).toBe(409);
		const done = await chooseInRun(t.db, SCENARIO, step1, 'fix', 1, 'en');
		expect(done).toMatchObject({ outcome: 'resolved', percent: 100, passed: true });
		expect(done.path).toEqual([
			{ nodeId: 'door', choiceId: 'sorry' },
			{ nodeId: 'kitchen', choiceId: 'fix' }
		]);
		expect((await refusal(chooseInRun(t.db, SCENARIO, done, 'fix', 2, 'en'))).status).toBe(409);
		expect((await refusal(findRun(t.db, ben, run.id))).status).toBe(404);
	});

	it('are one open run per person and scenario, however many starts race, and the database itself refuses a second', async () => {
		const racer = (await createUser(t.db, { email: 'racer@example.com', displayName: 'Racer', roles: ['technician'] }, null)).id;
		const runs = await Promise.all(Array.from({ length: 8 }, () => startOrResumeRun(t.db, racer, SCENARIO, 'en', T0)));
		expect(new Set(runs.map((r) => r.id)).size).toBe(1);
		const open = runs[0]!;
		// Written straight into the table, past the service: refused by the partial unique index.
		const twin = t.db.insert(scenarioRun).values({ userId: racer, courseSlug: open.courseSlug, scenarioId: open.scenarioId, locale: 'en', nodeId: open.nodeId, path: [], scores: open.scores });
		await expect(twin).rejects.toMatchObject({ cause: { code: '23505' } });
		// A finished run frees the place for the next one.
		const step = await chooseInRun(t.db, SCENARIO, open, 'sorry', 0, 'en');
		await chooseInRun(t.db, SCENARIO, step, 'fix', 1, 'en');
		const next = await startOrResumeRun(t.db, racer, SCENARIO, 'en', T0);
		expect(next.id).not.toBe(open.id);
	});
});

describe('certifications', () => {
	it('are granted the moment the requirements are met, once, and renewed inside the window from the old expiry', async () => {
		const { findScenario } = await import('../../src/lib/server/assessment/catalog');
		const { bestPathChoices } = await import('../../src/lib/server/scenario/graph');
		const { evaluateCertifications, holdingsOf, findByVerifyCode } = await import('../../src/lib/server/certification/queries');
		const { findCertification } = await import('../../src/lib/server/certification/catalog');
		const def = findCertification('complaint-handling')!;
		const scenario = findScenario('complaints', 'leaking-purifier')!;

		// Ben completed the course and passed the exam above; the scenario is still missing.
		expect(await evaluateCertifications(t.db, ben, [def], at(400))).toEqual([]);
		const best = bestPathChoices(scenario);
		let run = await startOrResumeRun(t.db, ben, scenario, 'en', at(410));
		while (!run.finishedAt) {
			const node = scenario.nodes.find((n) => n.id === run.nodeId)!;
			const choice = node.choices.find((c) => best.get(node.id)?.has(c.id)) ?? node.choices[0]!;
			run = await chooseInRun(t.db, scenario, run, choice.id, run.path.length, 'en', at(420));
		}
		expect(run.passed).toBe(true);

		// The lessons were marked done at the real current time: evaluate just after it.
		const soon = new Date(Date.now() + 86_400_000);
		const granted = await evaluateCertifications(t.db, ben, [def], soon);
		expect(granted).toEqual([{ certificationId: 'complaint-handling', action: 'grant', level: 1 }]);
		expect(await evaluateCertifications(t.db, ben, [def], new Date(soon.getTime() + 1000))).toEqual([]);
		const [first] = await holdingsOf(t.db, ben);
		expect(first!.expiresAt.getTime() - first!.grantedAt.getTime()).toBe(365 * 86_400_000);
		expect((first!.evidence as Array<{ kind: string }>).map((e) => e.kind).sort()).toEqual(['course', 'quiz', 'scenario']);
		const audit = await t.db.execute(sql`select action from audit_event where subject_id = ${first!.id}`);
		expect(JSON.stringify(audit)).toContain('certification.granted');
		const publicView = await findByVerifyCode(t.db, first!.verifyCode);
		expect(publicView).toMatchObject({ name: 'Ben', certificationId: 'complaint-handling', level: 1 });

		// Thirty days before expiry the window (60 days) is open: renewing there loses no time.
		const inWindow = new Date(first!.expiresAt.getTime() - 30 * 86_400_000);
		expect(await evaluateCertifications(t.db, ben, [def], inWindow)).toEqual([]);
		const again = await startOrResume(t.db, ben, exam, 'en', inWindow);
		for (const q of again.questions as Question[]) await saveAnswer(t.db, ben, again.id, q.id, rightFields(q, again.seed), inWindow);
		await submitAttempt(t.db, again.id, new Date(inWindow.getTime() + 60_000));
		let replay = await startOrResumeRun(t.db, ben, scenario, 'en', inWindow);
		while (!replay.finishedAt) {
			const node = scenario.nodes.find((n) => n.id === replay.nodeId)!;
			const choice = node.choices.find((c) => best.get(node.id)?.has(c.id)) ?? node.choices[0]!;
			replay = await chooseInRun(t.db, scenario, replay, choice.id, replay.path.length, 'en', new Date(inWindow.getTime() + 120_000));
		}
		const renewed = await evaluateCertifications(t.db, ben, [def], new Date(inWindow.getTime() + 180_000));
		expect(renewed).toEqual([{ certificationId: 'complaint-handling', action: 'renew', level: 1 }]);
		const cycles = await holdingsOf(t.db, ben);
		expect(cycles).toHaveLength(2);
		expect(cycles[1]!.renewedFromId).toBe(first!.id);
		expect(cycles[1]!.expiresAt.getTime()).toBe(first!.expiresAt.getTime() + 365 * 86_400_000);
	});

	it('refuse a verification code that does not exist', async () => {
		const { findByVerifyCode } = await import('../../src/lib/server/certification/queries');
		expect(await findByVerifyCode(t.db, 'AAAAAAAAAAAAAAAA')).toBeNull();
		expect(await findByVerifyCode(t.db, "'; drop table x; --")).toBeNull();
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { countingSelects, freshDb, type TestDb } from '../helpers/db';
import { certificationHolding, courseAssignment, lessonProgress, quizAttempt, scenarioRun } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo';
import { createUser, findUserByEmail, listTeams } from '../../src/lib/server/users';
import { findCourse } from '../../src/lib/server/content';
import { findScenario } from '../../src/lib/server/assessment/catalog';
import { bestScores } from '../../src/lib/server/scenario/graph';
import { quizTakers, scenarioPlayers } from '../../src/lib/server/assessment/results';
import { learnerRecord } from '../../src/lib/server/learning/learner';
import { load as trainerLoad } from '../../src/routes/(trainer)/trainer/learners/[id=uuid]/+page.server';
import { GET as trainerCsv } from '../../src/routes/(trainer)/trainer/learners/[id=uuid]/transcript.csv/+server';
import { load as managerLoad } from '../../src/routes/(manager)/manager/team/[id=uuid]/+page.server';
import { GET as managerCsv } from '../../src/routes/(manager)/manager/team/[id=uuid]/transcript.csv/+server';

const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const SECRET_KEY = 'answer-key-that-must-not-leave-the-server';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let t: TestDb;
let xiao: string;
let trainer: string;
let marcus: string;
let hannah: string;
let graceName: string;

beforeAll(async () => {
	t = await freshDb();
	await seedDemo(t.db);
	const north = (await listTeams(t.db)).find((team) => team.name.startsWith('North'))!;
	xiao = (await createUser(t.db, { email: 'wang.xiaoming@example.com', displayName: '王小明', roles: ['technician'], teamId: north.id, locale: 'zh-CN', password: 'learner-pass-2026' }, null)).id;
	const grace = (await findUserByEmail(t.db, 'trainer@example.com'))!;
	trainer = grace.id;
	graceName = grace.displayName;
	marcus = (await findUserByEmail(t.db, 'manager@example.com'))!.id;
	hannah = (await findUserByEmail(t.db, 'south.manager@example.com'))!.id;

	const complaints = findCourse('complaints')!;
	// Joining North brought its team course; these dates are given by name instead.
	await t.db.delete(courseAssignment).where(eq(courseAssignment.userId, xiao));
	await t.db.insert(courseAssignment).values([
		{ courseSlug: 'complaints', userId: xiao, dueAt: ago(-10), assignedBy: trainer },
		{ courseSlug: 'ro-purifier', userId: xiao, dueAt: ago(2), assignedBy: trainer }
	]);
	await t.db.insert(lessonProgress).values([
		...complaints.lessons.map((l, i) => ({ userId: xiao, courseSlug: 'complaints', lessonSlug: l.slug, locale: 'zh-CN' as const, contentVersion: complaints.version, openedAt: ago(20 - i), completedAt: ago(20 - i) })),
		// Started on their own: one lesson opened, none done.
		{ userId: xiao, courseSlug: 'customer-care', lessonSlug: findCourse('customer-care')!.lessons[0]!.slug, locale: 'zh-CN' as const, contentVersion: 1, openedAt: ago(1) }
	]);
	const attempt = {
		userId: xiao,
		courseSlug: 'complaints',
		quizId: 'final-exam',
		locale: 'zh-CN' as const,
		kind: 'exam' as const,
		passMark: 80,
		review: 'score' as const,
		shuffleOptions: true,
		seed: 'seed',
		title: { en: 'Final exam', 'zh-CN': '结业考试' },
		questions: [{ id: 'q1', key: SECRET_KEY }],
		contentVersion: complaints.version
	};
	await t.db.insert(quizAttempt).values([
		{ ...attempt, number: 1, startedAt: ago(9), submittedAt: ago(9), score: 6.6667, maxScore: 10, percent: 66.6667, passed: false },
		{ ...attempt, number: 2, startedAt: ago(8), submittedAt: ago(8), score: 8.3333, maxScore: 10, percent: 83.3333, passed: true }
	]);
	await t.db.insert(scenarioRun).values({
		userId: xiao,
		courseSlug: 'complaints',
		scenarioId: 'leaking-purifier',
		locale: 'zh-CN',
		nodeId: 'end',
		contentVersion: complaints.version,
		path: [{ nodeId: 'door', choiceId: SECRET_KEY }],
		scores: { listening: 3, empathy: 2.5 },
		outcome: 'resolved',
		percent: 75,
		passed: true,
		startedAt: ago(7),
		finishedAt: ago(7)
	});
	const [first] = await t.db
		.insert(certificationHolding)
		.values({ userId: xiao, certificationId: 'complaint-handling', level: 1, grantedAt: ago(800), expiresAt: ago(435), verifyCode: 'xiaoexpired00001' })
		.returning();
	const [fresh] = await t.db
		.insert(certificationHolding)
		.values({ userId: xiao, certificationId: 'complaint-handling', level: 1, grantedAt: ago(7), expiresAt: ago(-358), verifyCode: 'xiaofresh0000001' })
		.returning();
	await t.db.insert(certificationHolding).values({
		userId: xiao,
		certificationId: 'complaint-handling',
		level: 2,
		grantedAt: ago(3),
		expiresAt: ago(-358),
		renewedFromId: fresh!.id,
		grantedBy: trainer,
		revokedAt: ago(1),
		revokedBy: trainer,
		revokeReason: '考试作弊',
		verifyCode: 'xiaoupgrade00001'
	});
	expect(first).toBeTruthy();
});
afterAll(() => t.dispose());


const event = (params: Record<string, string>, userId: string | null, locale: 'en' | 'zh-CN' = 'en') =>
	({ locals: { db: t.db, locale, user: userId ? { id: userId } : null }, params, url: new URL('http://localhost/') }) as never;

async function statusOf(run: () => unknown): Promise<number> {
	try {
		await run();
		return 200;
	} catch (e) {
		if (isHttpError(e)) return e.status;
		throw e;
	}
}

describe('a learner record', () => {
	it('gathers the person, their courses, attempts, plays and certification transcript in six queries', async () => {
		const { db, counter } = countingSelects(t.db);
		const record = (await learnerRecord(db, xiao, { kind: 'trainer' }, 'en', now))!;
		expect(counter.selects).toBe(6);
		expect(record.person).toMatchObject({ displayName: '王小明', email: 'wang.xiaoming@example.com', roles: ['technician'], active: true, pending: false });
		expect(record.person.teamName).toMatch(/^North/);

		const courses = record.transcript.courses.map((c) => [c.slug, c.assigned, c.stage, c.due]);
		expect(courses).toEqual([
			['ro-purifier', true, 'not started', 'overdue'],
			['complaints', true, 'finished', 'done'],
			['customer-care', false, 'started', null]
		]);
		// Completed when the required exam was first passed (after the last lesson).
		expect(record.transcript.courses[1]!.completedAt).toBe(ago(8).toISOString());

		expect(record.transcript.attempts.map((a) => [a.number, a.title, a.passed, a.version, a.score])).toEqual([
			[2, 'Final exam', true, findCourse('complaints')!.version, 8.3333],
			[1, 'Final exam', false, findCourse('complaints')!.version, 6.6667]
		]);
		const best = bestScores(findScenario('complaints', 'leaking-purifier')!).perCompetency;
		const [play] = record.transcript.runs;
		expect(play!.competencies.find((c) => c.competency === 'listening')).toEqual({ competency: 'listening', got: 3, best: best.listening });

		const [cert] = record.transcript.certifications;
		expect(cert!.id).toBe('complaint-handling');
		expect(cert!.events.map((e) => [e.kind, e.level])).toEqual([
			['revoked', 2],
			['upgraded', 2],
			['granted', 1],
			['expired', 1],
			['granted', 1]
		]);
		expect(cert!.events[0]).toMatchObject({ reason: '考试作弊', byName: graceName });
	});

	it('never carries an answer key or the replies chosen', async () => {
		const record = await learnerRecord(t.db, xiao, { kind: 'trainer' }, 'en', now);
		expect(JSON.stringify(record)).not.toContain(SECRET_KEY);
	});

	it('is the same for a manager of the person\'s team, and refused (not found) to a manager of another team', async () => {
		const forMarcus = await learnerRecord(t.db, xiao, { kind: 'manager', managerId: marcus }, 'en', now);
		expect(forMarcus?.transcript).toEqual((await learnerRecord(t.db, xiao, { kind: 'trainer' }, 'en', now))!.transcript);
		expect(await learnerRecord(t.db, xiao, { kind: 'manager', managerId: hannah }, 'en', now)).toBeNull();
		expect(await learnerRecord(t.db, trainer, { kind: 'manager', managerId: marcus }, 'en', now)).toBeNull();
	});
});

describe('the pages and the CSV', () => {
	it('answers 404 for an unknown person, and for a manager outside their teams', async () => {
		expect(await statusOf(() => trainerLoad(event({ id: NO_SUCH_ID }, trainer)))).toBe(404);
		expect(await statusOf(() => trainerCsv(event({ id: NO_SUCH_ID }, trainer)))).toBe(404);
		expect(await statusOf(() => managerLoad(event({ id: xiao }, hannah)))).toBe(404);
		expect(await statusOf(() => managerCsv(event({ id: xiao }, hannah)))).toBe(404);
		expect(await statusOf(() => managerLoad(event({ id: NO_SUCH_ID }, marcus)))).toBe(404);
		expect(await statusOf(() => managerLoad(event({ id: xiao }, marcus)))).toBe(200);
		expect(await statusOf(() => trainerLoad(event({ id: xiao }, trainer)))).toBe(200);
	});

	it('sends the transcript as UTF-8 with a byte order mark, a Chinese name intact, one row per course, attempt, play and event', async () => {
		const res = (await trainerCsv(event({ id: xiao }, trainer, 'zh-CN'))) as Response;
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe('attachment; filename="wang.xiaoming-transcript.csv"');
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const header = 'name,email,kind,course,item,title,version,date,due,expires,status,score,max_score,percent,passed,level,detail\r\n';
		const afterBom = bytes.slice(3);
		expect(new TextDecoder().decode(afterBom.slice(0, header.length))).toBe(header);
		// 王小明 in UTF-8, right after the header.
		expect([...afterBom.slice(header.length, header.length + 9)]).toEqual([0xe7, 0x8e, 0x8b, 0xe5, 0xb0, 0x8f, 0xe6, 0x98, 0x8e]);
		const lines = new TextDecoder().decode(afterBom).trimEnd().split('\r\n');
		expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['course', 'course', 'course', 'attempt', 'attempt', 'scenario', 'certification', 'certification', 'certification', 'certification', 'certification']);
		expect(lines).toContain(`王小明,wang.xiaoming@example.com,attempt,complaints,final-exam,结业考试,${findCourse('complaints')!.version},${ago(8).toISOString()},,,exam,8.3,10,83.3,yes,,attempt 2`);
		expect(lines.at(-1)).toBe(`王小明,wang.xiaoming@example.com,certification,,complaint-handling,投诉处理认证,,${ago(1).toISOString()},,,revoked,,,,,2,revoked by ${graceName}; reason: 考试作弊`);
		// The manager's download is the same file.
		const managers = (await managerCsv(event({ id: xiao }, marcus, 'zh-CN'))) as Response;
		expect(new Uint8Array(await managers.arrayBuffer())).toEqual(bytes);
	});
});

describe('who took a quiz or played a scenario', () => {
	it('lists each person once with attempts, best score and whether they passed', async () => {
		const takers = await quizTakers(t.db, 'complaints', 'final-exam');
		expect(takers.find((p) => p.userId === xiao)).toMatchObject({ name: '王小明', attempts: 2, passed: true, lastAt: ago(8) });
		expect(takers.find((p) => p.userId === xiao)!.best).toBeCloseTo(83.3333, 3);
		const players = await scenarioPlayers(t.db, 'complaints', 'leaking-purifier');
		expect(players.find((p) => p.userId === xiao)).toMatchObject({ runs: 1, finished: 1, best: 75, passed: true, lastAt: ago(7) });
	});
});

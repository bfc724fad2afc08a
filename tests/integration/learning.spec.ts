import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { courseAssignment, lessonProgress, outboxMessage } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo';
import { findUserByEmail, listTeams, setActive } from '../../src/lib/server/users';
import { findCourse, listCourses } from '../../src/lib/server/content';
import {
	assignableTechnicians,
	assignmentOverview,
	courseReport,
	progressOf,
	recordCompleted,
	recordOpened
} from '../../src/lib/server/learning/queries';
import { assignCourse } from '../../src/lib/server/learning/assignments';
import { cardsFor } from '../../src/lib/server/learning';
import { courseProgress } from '../../src/lib/server/learning/progress';
import { refusal } from '../helpers/errors';

let t: TestDb;
let tech: string;
let trainer: string;
const course = findCourse('complaints')!;

beforeAll(async () => {
	t = await freshDb();
	await seedDemo(t.db);
	tech = (await findUserByEmail(t.db, 'technician@example.com'))!.id;
	trainer = (await findUserByEmail(t.db, 'trainer@example.com'))!.id;
});
afterAll(() => t.dispose());


describe('the content index', () => {
	it('holds the four first courses, each with at least four lessons in English and Chinese', () => {
		const slugs = listCourses().map((c) => c.slug);
		expect(slugs).toEqual(['home-visit', 'complaints', 'customer-care', 'ro-purifier']);
		for (const c of listCourses()) {
			expect(c.lessons.length, c.slug).toBeGreaterThanOrEqual(4);
			for (const l of c.lessons) expect(Object.keys(l.versions).sort(), `${c.slug}/${l.slug}`).toEqual(['en', 'zh-CN']);
		}
		expect(course.lessons.map((l) => l.slug)).toContain('five-steps');
	});
});

describe('lesson progress', () => {
	it('records opening and completion with the language and course version read', async () => {
		const lesson = course.lessons[0]!.slug;
		await recordOpened(t.db, { userId: tech, course, lessonSlug: lesson, locale: 'zh-CN' }, new Date('2026-05-01T08:00:00Z'));
		let [row] = await t.db.select().from(lessonProgress).where(eq(lessonProgress.userId, tech));
		expect(row).toMatchObject({ courseSlug: 'complaints', lessonSlug: lesson, locale: 'zh-CN', contentVersion: course.version, completedAt: null });
		await recordCompleted(t.db, { userId: tech, course, lessonSlug: lesson, locale: 'zh-CN' }, new Date('2026-05-01T08:10:00Z'));
		await recordCompleted(t.db, { userId: tech, course, lessonSlug: lesson, locale: 'en' }, new Date('2026-05-02T08:10:00Z'));
		[row] = await t.db.select().from(lessonProgress).where(eq(lessonProgress.userId, tech));
		expect(row!.completedAt).toEqual(new Date('2026-05-01T08:10:00Z'));
		const p = courseProgress(course, await progressOf(t.db, tech));
		expect(p).toMatchObject({ done: 1, total: course.lessons.length, complete: false, next: course.lessons[1]!.slug });
	});

	it('continues where the technician left off', async () => {
		const third = course.lessons[2]!.slug;
		await recordOpened(t.db, { userId: tech, course, lessonSlug: third, locale: 'en' }, new Date('2026-05-03T08:00:00Z'));
		expect(courseProgress(course, await progressOf(t.db, tech)).next).toBe(third);
	});

	it('reads every lesson, and the course then waits for its required exam', async () => {
		for (const l of course.lessons) await recordCompleted(t.db, { userId: tech, course, lessonSlug: l.slug, locale: 'en' });
		const p = courseProgress(course, await progressOf(t.db, tech));
		expect(p).toMatchObject({ complete: true, percent: 100, next: null });
		const cards = await cardsFor(t.db, tech, 'en');
		// The complaints course requires its final exam: lessons alone do not complete it.
		expect(cards.find((c) => c.slug === 'complaints')).toMatchObject({ complete: false, done: course.lessons.length, next: null });
		expect(cards.find((c) => c.slug === 'home-visit')).toMatchObject({ started: false, done: 0 });
	});
});

describe('assignments', () => {
	it('assign a course to a whole team, one row per active technician, and a new date replaces the old', async () => {
		const north = (await listTeams(t.db)).find((team) => team.name === 'North service team')!;
		expect(north.members).toBe(7);
		const first = await assignCourse(t.db, { courseSlug: 'home-visit', userIds: [], teamId: north.id, dueAt: new Date('2026-12-01T23:59:59Z'), actorId: trainer });
		expect(first.plan.people).toHaveLength(7);
		const again = await assignCourse(t.db, { courseSlug: 'home-visit', userIds: [], teamId: north.id, dueAt: new Date('2026-12-15T23:59:59Z'), actorId: trainer });
		expect(again.plan.people.map((p) => p.change.kind)).toEqual(Array(7).fill('move'));
		const rows = await t.db.select().from(courseAssignment).where(eq(courseAssignment.courseSlug, 'home-visit'));
		expect(rows).toHaveLength(7);
		expect(new Set(rows.map((r) => r.dueAt.toISOString()))).toEqual(new Set(['2026-12-15T23:59:59.000Z']));
	});

	it('tells each technician about a new course, and about a new date, once, in their language (the outbox without SMTP)', async () => {
		const li = (await findUserByEmail(t.db, 'chen.jie@example.com'))!;
		const inbox = async () => t.db.select().from(outboxMessage).where(and(eq(outboxMessage.toUserId, li.id), eq(outboxMessage.kind, 'course_assigned')));
		const notify = { smtp: false, origin: 'http://localhost' };
		await assignCourse(t.db, { courseSlug: 'customer-care', userIds: [li.id], teamId: null, dueAt: new Date('2026-12-20T15:59:59Z'), actorId: trainer }, notify);
		let messages = await inbox();
		expect(messages).toHaveLength(1);
		expect(messages[0]!).toMatchObject({ toAddress: li.email, nextAttemptAt: null });
		expect(messages[0]!.body).toContain('http://localhost/learn/courses/customer-care');
		// The same date again: nothing new. Another date: one message saying so.
		await assignCourse(t.db, { courseSlug: 'customer-care', userIds: [li.id], teamId: null, dueAt: new Date('2026-12-20T15:59:59Z'), actorId: trainer }, notify);
		expect(await inbox()).toHaveLength(1);
		await assignCourse(t.db, { courseSlug: 'customer-care', userIds: [li.id], teamId: null, dueAt: new Date('2026-12-27T15:59:59Z'), actorId: trainer }, { ...notify, smtp: true });
		messages = await inbox();
		expect(messages).toHaveLength(2);
		const redated = messages.find((msg) => msg.id !== messages[0]!.id && msg.subject !== messages[0]!.subject)!;
		expect(redated.nextAttemptAt).not.toBeNull();
		expect(li.locale === 'zh-CN' ? redated.subject : redated.subject.toLowerCase()).toMatch(/due date|截止日期/);
	});

	it('assign to named technicians, refusing anyone who is not an active technician', async () => {
		const li = (await findUserByEmail(t.db, 'chen.jie@example.com'))!.id;
		expect((await assignCourse(t.db, { courseSlug: 'ro-purifier', userIds: [li], teamId: null, dueAt: new Date('2026-12-01T00:00:00Z'), actorId: trainer })).plan.people).toHaveLength(1);
		expect((await refusal(assignCourse(t.db, { courseSlug: 'ro-purifier', userIds: [trainer], teamId: null, dueAt: new Date(), actorId: trainer }))).field).toBe('userIds');
		expect((await refusal(assignCourse(t.db, { courseSlug: 'ro-purifier', userIds: [], teamId: null, dueAt: new Date(), actorId: trainer }))).field).toBe('userIds');
		expect((await refusal(assignCourse(t.db, { courseSlug: 'ro-purifier', userIds: [], teamId: '00000000-0000-4000-8000-000000000000', dueAt: new Date(), actorId: trainer }))).field).toBe('teamId');
		const wu = (await findUserByEmail(t.db, 'wu.xia@example.com'))!.id;
		await setActive(t.db, wu, false, null);
		expect((await refusal(assignCourse(t.db, { courseSlug: 'ro-purifier', userIds: [wu], teamId: null, dueAt: new Date(), actorId: trainer }))).field).toBe('userIds');
		expect((await assignableTechnicians(t.db)).some((p) => p.id === wu)).toBe(false);
		await setActive(t.db, wu, true, null);
	});

	it('report each assignee\'s progress in one query, and the overview per course', async () => {
		const homeVisit = findCourse('home-visit')!;
		for (const l of homeVisit.lessons.slice(0, 2)) await recordCompleted(t.db, { userId: tech, course: homeVisit, lessonSlug: l.slug, locale: 'en' });
		const report = await courseReport(t.db, homeVisit);
		expect(report).toHaveLength(7);
		const mine = report.find((r) => r.userId === tech)!;
		expect(mine).toMatchObject({ done: 2, completedAt: null });
		expect(mine.lastOpenedAt).toBeInstanceOf(Date);
		expect(report.filter((r) => r.userId !== tech).every((r) => r.done === 0 && r.lastOpenedAt === null)).toBe(true);
		for (const l of homeVisit.lessons) await recordCompleted(t.db, { userId: tech, course: homeVisit, lessonSlug: l.slug, locale: 'en' });
		const done = (await courseReport(t.db, homeVisit)).find((r) => r.userId === tech)!;
		expect(done.done).toBe(homeVisit.lessons.length);
		expect(done.completedAt).toBeInstanceOf(Date);
		const overview = await assignmentOverview(t.db, listCourses());
		expect(overview.find((o) => o.slug === 'home-visit')).toEqual({ slug: 'home-visit', assigned: 7, finished: 1 });
		expect(overview.find((o) => o.slug === 'ro-purifier')).toEqual({ slug: 'ro-purifier', assigned: 1, finished: 0 });
	});
});

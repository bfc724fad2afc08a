import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { assignmentRow, freshDb, rowsOf, type TestDb } from '../helpers/db';
import { auditEvent, courseAssignment, lessonProgress, outboxMessage, team, teamCourseAssignment } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo';
import { findUserByEmail, setTeam } from '../../src/lib/server/users';
import { findCourse } from '../../src/lib/server/content';
import { recordCompleted } from '../../src/lib/server/learning/queries';
import {
	assignCourse,
	previewAssignment,
	redatePersonAssignment,
	removePersonAssignment,
	removeTeamAssignment,
	teamAssignmentsOf
} from '../../src/lib/server/learning/assignments';
import { refusal } from '../helpers/errors';
import { parseDueDate } from '../../src/lib/server/learning/due-date';
import { calendarDay } from '../../src/lib/zoned-time';

let t: TestDb;
const notify = { smtp: false, origin: 'http://localhost' };
const ids: Record<string, string> = {};
let north: string;
let south: string;
const at = (days: number) => {
	const now = new Date();
	// The end of that calendar day in the organisation's zone (the demo's), as due dates are stored.
	return parseDueDate(calendarDay(new Date(now.getTime() + days * 86_400_000), 'Asia/Shanghai'), 'Asia/Shanghai')!;
};

beforeAll(async () => {
	t = await freshDb();
	await seedDemo(t.db);
	for (const email of ['trainer@example.com', 'technician@example.com', 'li.na@example.com', 'sam.ortiz@example.com', 'priya.nair@example.com', 'chen.jie@example.com', 'zhang.wei@example.com', 'admin@example.com']) {
		ids[email.split('@')[0]!] = (await findUserByEmail(t.db, email))!.id;
	}
	const teams = await t.db.select().from(team);
	north = teams.find((x) => x.name === 'North service team')!.id;
	south = teams.find((x) => x.name === 'South service team')!.id;
});
afterAll(() => t.dispose());

const rowOf = (userId: string, courseSlug: string) => assignmentRow(t.db, userId, courseSlug);
const messagesTo = (userId: string, kind: string) => t.db.select().from(outboxMessage).where(and(eq(outboxMessage.toUserId, userId), eq(outboxMessage.kind, kind)));
/** The assignment tables, hashed: a refusal or a preview must leave them as they were. */
async function snapshot() {
	const [row] = rowsOf<{ h: string }>(
		await t.db.execute(sql`select md5(
			coalesce((select string_agg(to_jsonb(x)::text, ',' order by x.id) from course_assignment x), '') ||
			coalesce((select string_agg(to_jsonb(y)::text, ',' order by y.team_id, y.course_slug) from team_course_assignment y), '') ||
			(select count(*)::text from outbox_message) || (select count(*)::text from audit_event)) as h`)
	);
	return row!.h;
}

describe('the demo', () => {
	it('records the North team\'s assignment of the complaints course, and Sam\'s own later date', async () => {
		const [row] = await t.db.select().from(teamCourseAssignment).where(eq(teamCourseAssignment.teamId, north));
		expect(row).toMatchObject({ courseSlug: 'complaints', dueAt: at(21), assignedBy: ids.trainer });
		const rows = await t.db.select().from(courseAssignment).where(eq(courseAssignment.courseSlug, 'complaints'));
		expect(rows).toHaveLength(7);
		expect(rows.every((r) => r.teamId === north)).toBe(true);
		expect((await rowOf(ids['sam.ortiz']!, 'complaints'))!.dueAt).toEqual(at(35));
		expect(await teamAssignmentsOf(t.db, 'complaints')).toEqual([{ teamId: north, teamName: 'North service team', archived: false, dueAt: at(21), people: 7 }]);
	});
});

describe('assignments follow the team', () => {
	it('someone who joins gets the team\'s courses with its due date, and is told', async () => {
		const chen = ids['chen.jie']!;
		expect(await rowOf(chen, 'complaints')).toBeUndefined();
		await setTeam(t.db, chen, north, ids.admin!, notify);
		expect(await rowOf(chen, 'complaints')).toMatchObject({ teamId: north, dueAt: at(21) });
		expect(await messagesTo(chen, 'course_assigned')).toHaveLength(1);
		const [event] = await t.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'course.assignments_followed_team'), eq(auditEvent.subjectId, chen)));
		expect(event!.detail).toMatchObject({ from: south, to: north, changes: [{ course: 'complaints', change: 'assigned' }] });
	});

	it('someone who leaves loses what came from the team, keeps what was given by name and all progress', async () => {
		const priya = ids['priya.nair']!;
		await assignCourse(t.db, { courseSlug: 'ro-purifier', userIds: [priya], teamId: null, dueAt: at(30), actorId: ids.trainer! });
		const course = findCourse('complaints')!;
		await recordCompleted(t.db, { userId: priya, course, lessonSlug: course.lessons[0]!.slug, locale: 'en' });
		await setTeam(t.db, priya, null, ids.admin!, notify);
		expect(await rowOf(priya, 'complaints')).toBeUndefined();
		expect(await rowOf(priya, 'ro-purifier')).toMatchObject({ teamId: null, dueAt: at(30) });
		expect(await t.db.select().from(lessonProgress).where(eq(lessonProgress.userId, priya))).toHaveLength(1);
		const [told] = await messagesTo(priya, 'course_unassigned');
		expect(told!.subject).toContain('no longer assigned');
		// Back in the team: the course comes back with the team's date.
		await setTeam(t.db, priya, north, ids.admin!, notify);
		expect(await rowOf(priya, 'complaints')).toMatchObject({ teamId: north, dueAt: at(21) });
	});

	it('a refused team change changes nothing', async () => {
		const before = await snapshot();
		await refusal(setTeam(t.db, ids['priya.nair']!, '00000000-0000-4000-8000-000000000001', ids.admin!, notify));
		expect(await snapshot()).toBe(before);
	});
});

describe('assigning again with another date', () => {
	it('previews who gets it, whose date moves, whose own date is kept and who has completed it, writing nothing', async () => {
		const li = ids['li.na']!;
		// Li Na holds the course by name (her row becomes her own); Zhang Wei has finished it.
		await assignCourse(t.db, { courseSlug: 'complaints', userIds: [li], teamId: null, dueAt: at(10), actorId: ids.trainer! });
		const course = findCourse('complaints')!;
		for (const l of course.lessons) await recordCompleted(t.db, { userId: ids['zhang.wei']!, course, lessonSlug: l.slug, locale: 'zh-CN' });
		const before = await snapshot();
		const { plan } = await previewAssignment(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(28), actorId: ids.trainer! });
		expect(await snapshot()).toBe(before);
		expect(plan.needsConfirmation).toBe(true);
		expect(plan.team).toEqual({ id: north, from: at(21), to: at(28) });
		const by = Object.fromEntries(plan.people.map((p) => [p.userId, p]));
		expect(by[ids.technician!]!.change).toEqual({ kind: 'move', from: at(21) });
		expect(by[ids['sam.ortiz']!]!.change).toEqual({ kind: 'keep', due: at(35), why: 'own-date' });
		expect(by[li]!.change).toEqual({ kind: 'keep', due: at(10), why: 'individual' });
		expect(by[ids['zhang.wei']!]!).toMatchObject({ completed: true, change: { kind: 'move' } });
		expect(by[ids['chen.jie']!]!.change).toEqual({ kind: 'move', from: at(21) });
	});

	it('applies the plan: the team and its members on its date move, the kept dates stay, each mover is told', async () => {
		const before = (await messagesTo(ids.technician!, 'course_assigned')).length;
		await assignCourse(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(28), actorId: ids.trainer! }, notify);
		expect((await t.db.select().from(teamCourseAssignment).where(eq(teamCourseAssignment.teamId, north)))[0]!.dueAt).toEqual(at(28));
		expect((await rowOf(ids.technician!, 'complaints'))!.dueAt).toEqual(at(28));
		expect((await rowOf(ids['sam.ortiz']!, 'complaints'))!.dueAt).toEqual(at(35));
		expect(await rowOf(ids['li.na']!, 'complaints')).toMatchObject({ teamId: null, dueAt: at(10) });
		expect(await messagesTo(ids.technician!, 'course_assigned')).toHaveLength(before + 1);
		expect(await messagesTo(ids['sam.ortiz']!, 'course_assigned')).toHaveLength(0);
		const events = await t.db.select().from(auditEvent).where(eq(auditEvent.action, 'course.assigned')).orderBy(asc(auditEvent.id));
		expect(events.at(-1)!.detail).toMatchObject({ team: { id: north, name: 'North service team' } });
	});
});

describe('one person, and removal', () => {
	it('changes one person\'s date on their row only, and says when nothing changes', async () => {
		const tom = ids.technician!;
		expect(await redatePersonAssignment(t.db, { courseSlug: 'complaints', userId: tom, dueAt: at(40), actorId: ids.trainer! }, notify)).toEqual({ changed: true, name: 'Tom Chen' });
		expect(await rowOf(tom, 'complaints')).toMatchObject({ teamId: north, dueAt: at(40) });
		expect((await rowOf(ids['chen.jie']!, 'complaints'))!.dueAt).toEqual(at(28));
		expect((await redatePersonAssignment(t.db, { courseSlug: 'complaints', userId: tom, dueAt: at(40), actorId: ids.trainer! })).changed).toBe(false);
		// The team's next date keeps it.
		const { plan } = await previewAssignment(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(30), actorId: ids.trainer! });
		expect(plan.people.find((p) => p.userId === tom)!.change).toEqual({ kind: 'keep', due: at(40), why: 'own-date' });
	});

	it('removes one person\'s assignment, and tells them', async () => {
		const chen = ids['chen.jie']!;
		expect(await removePersonAssignment(t.db, { courseSlug: 'complaints', userId: chen, actorId: ids.trainer! }, notify)).toEqual({ name: '陈杰' });
		expect(await rowOf(chen, 'complaints')).toBeUndefined();
		const [told] = await messagesTo(chen, 'course_unassigned');
		expect(told!.subject).toContain('不再分配');
	});

	it('removes a team\'s assignment for everyone who had it from the team; a course given by name stays', async () => {
		const result = await removeTeamAssignment(t.db, { courseSlug: 'complaints', teamId: north, actorId: ids.trainer! }, notify);
		expect(result.teamName).toBe('North service team');
		expect(await t.db.select().from(teamCourseAssignment).where(eq(teamCourseAssignment.teamId, north))).toEqual([]);
		const left = await t.db.select().from(courseAssignment).where(eq(courseAssignment.courseSlug, 'complaints'));
		expect(left.map((r) => r.userId)).toEqual([ids['li.na']]);
		expect(result.people).toBeGreaterThanOrEqual(5);
		// Whoever joins North now gets nothing from it.
		await setTeam(t.db, ids['chen.jie']!, south, ids.admin!, notify);
		await setTeam(t.db, ids['chen.jie']!, north, ids.admin!, notify);
		expect(await rowOf(ids['chen.jie']!, 'complaints')).toBeUndefined();
	});

	it('refusals change nothing: an archived team, a removal or a date for someone without the course', async () => {
		await t.db.update(team).set({ archivedAt: new Date() }).where(eq(team.id, south));
		const before = await snapshot();
		const archived = await refusal(assignCourse(t.db, { courseSlug: 'home-visit', userIds: [], teamId: south, dueAt: at(20), actorId: ids.trainer! }, notify));
		expect(archived).toMatchObject({ field: 'teamId', status: 409 });
		expect(archived.message).toContain('archived');
		expect((await refusal(removeTeamAssignment(t.db, { courseSlug: 'complaints', teamId: north, actorId: ids.trainer! }, notify))).status).toBe(404);
		expect((await refusal(removePersonAssignment(t.db, { courseSlug: 'complaints', userId: ids['chen.jie']!, actorId: ids.trainer! }, notify))).status).toBe(404);
		expect((await refusal(redatePersonAssignment(t.db, { courseSlug: 'complaints', userId: ids['chen.jie']!, dueAt: at(9), actorId: ids.trainer! }, notify))).status).toBe(404);
		expect(await snapshot()).toBe(before);
		await t.db.update(team).set({ archivedAt: null }).where(eq(team.id, south));
	});
});

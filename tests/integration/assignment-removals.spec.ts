import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { assignmentRow, countStatements, freshDb, rowsOf, type TestDb } from '../helpers/db';
import { auditEvent, courseAssignment, outboxMessage, team, teamCourseExclusion } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/demo';
import { findUserByEmail, setActive, setRoles, setTeam } from '../../src/lib/server/users';
import { assignCourse, previewAssignment, removePersonAssignment, removeTeamAssignment } from '../../src/lib/server/learning/assignments';
import { parseDueDate } from '../../src/lib/server/learning/due-date';
import { calendarDay } from '../../src/lib/zoned-time';

let t: TestDb;
const notify = { smtp: false, origin: 'http://localhost' };
const ids: Record<string, string> = {};
let north: string;
let south: string;
const at = (days: number) => parseDueDate(calendarDay(new Date(Date.now() + days * 86_400_000), 'Asia/Shanghai'), 'Asia/Shanghai')!;

beforeAll(async () => {
	t = await freshDb();
	await seedDemo(t.db);
	const people = ['trainer', 'admin', 'technician', 'li.na', 'sam.ortiz', 'wang.fang', 'liu.yang', 'chen.jie', 'huang.min', 'zhao.lei', 'wu.xia'];
	for (const name of people) ids[name] = (await findUserByEmail(t.db, `${name}@example.com`))!.id;
	const teams = await t.db.select().from(team);
	north = teams.find((x) => x.name === 'North service team')!.id;
	south = teams.find((x) => x.name === 'South service team')!.id;
});
afterAll(() => t.dispose());

const rowOf = (userId: string, courseSlug: string) => assignmentRow(t.db, userId, courseSlug);
const exclusionsOf = (userId: string) => t.db.select().from(teamCourseExclusion).where(eq(teamCourseExclusion.userId, userId));
const messagesTo = async (userId: string, kind: string) =>
	(await t.db.select().from(outboxMessage).where(and(eq(outboxMessage.toUserId, userId), eq(outboxMessage.kind, kind)))).length;
const lastAudit = async (action: string, subjectId?: string) =>
	(await t.db.select().from(auditEvent).where(and(eq(auditEvent.action, action), subjectId ? eq(auditEvent.subjectId, subjectId) : undefined)).orderBy(asc(auditEvent.id))).at(-1);
/** The assignment tables (removals included), hashed: a preview must leave them as they were. */
async function snapshot() {
	const [row] = rowsOf<{ h: string }>(
		await t.db.execute(sql`select md5(
			coalesce((select string_agg(to_jsonb(x)::text, ',' order by x.id) from course_assignment x), '') ||
			coalesce((select string_agg(to_jsonb(y)::text, ',' order by y.team_id, y.course_slug) from team_course_assignment y), '') ||
			coalesce((select string_agg(to_jsonb(z)::text, ',' order by z.team_id, z.course_slug, z.user_id) from team_course_exclusion z), '') ||
			(select count(*)::text from outbox_message) || (select count(*)::text from audit_event)) as h`)
	);
	return row!.h;
}

describe('a course removed for one member stays removed', () => {
	it('removing a member\'s course of their team records who removed it and when, audited', async () => {
		const tom = ids.technician!;
		await removePersonAssignment(t.db, { courseSlug: 'complaints', userId: tom, actorId: ids.trainer! }, notify);
		const [kept] = await exclusionsOf(tom);
		expect(kept).toMatchObject({ teamId: north, courseSlug: 'complaints', removedBy: ids.trainer });
		expect(kept!.removedAt).toBeInstanceOf(Date);
		expect((await lastAudit('course.assignment_removed'))!.detail).toMatchObject({ userId: tom, teamId: north, staysRemovedIn: north });
	});

	it('the preview of a new team date lists them apart, as staying removed, and writes nothing', async () => {
		const before = await snapshot();
		const { plan } = await previewAssignment(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(28), actorId: ids.trainer! });
		expect(await snapshot()).toBe(before);
		expect(plan.excluded).toEqual([{ userId: ids.technician, displayName: 'Tom Chen', completed: false }]);
		expect(plan.people.map((p) => p.userId)).not.toContain(ids.technician);
		expect(plan.people.length).toBe(6);
		expect(plan.needsConfirmation).toBe(true);
	});

	it('a new team date passes them by: no row, no message; the others move; audited', async () => {
		const tom = ids.technician!;
		const told = await messagesTo(tom, 'course_assigned');
		await assignCourse(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(28), actorId: ids.trainer! }, notify);
		expect(await rowOf(tom, 'complaints')).toBeUndefined();
		expect(await messagesTo(tom, 'course_assigned')).toBe(told);
		expect(await rowOf(ids['li.na']!, 'complaints')).toMatchObject({ teamId: north, dueAt: at(28) });
		expect(await exclusionsOf(tom)).toHaveLength(1);
		expect((await lastAudit('course.assigned'))!.detail).toMatchObject({ passedBy: [tom] });
	});

	it('assigning the course to the person by name gives it back and ends the removal', async () => {
		const tom = ids.technician!;
		await assignCourse(t.db, { courseSlug: 'complaints', userIds: [tom], teamId: null, dueAt: at(30), actorId: ids.trainer! }, notify);
		expect(await rowOf(tom, 'complaints')).toMatchObject({ teamId: null, dueAt: at(30) });
		expect(await exclusionsOf(tom)).toEqual([]);
		expect((await lastAudit('course.assigned'))!.detail).toMatchObject({ removalsEnded: [tom] });
	});

	it('leaving the team forgets the removals made in it: coming back brings the team\'s courses like any new member', async () => {
		const li = ids['li.na']!;
		await removePersonAssignment(t.db, { courseSlug: 'complaints', userId: li, actorId: ids.trainer! }, notify);
		expect(await exclusionsOf(li)).toHaveLength(1);
		await setTeam(t.db, li, south, ids.admin!, notify);
		expect(await exclusionsOf(li)).toEqual([]);
		expect((await lastAudit('course.assignments_followed_team', li))!.detail).toMatchObject({ from: north, to: south, removalsEnded: ['complaints'] });
		await setTeam(t.db, li, north, ids.admin!, notify);
		expect(await rowOf(li, 'complaints')).toMatchObject({ teamId: north, dueAt: at(28) });
	});
});

describe('becoming an active technician again inside a team', () => {
	it('reactivation brings the team\'s courses with its date, told as on joining, except one removed for them', async () => {
		const wang = ids['wang.fang']!;
		await removePersonAssignment(t.db, { courseSlug: 'complaints', userId: wang, actorId: ids.trainer! }, notify);
		await setActive(t.db, wang, false, ids.admin!);
		await assignCourse(t.db, { courseSlug: 'home-visit', userIds: [], teamId: north, dueAt: at(25), actorId: ids.trainer! }, notify);
		expect(await rowOf(wang, 'home-visit')).toBeUndefined();
		const told = await messagesTo(wang, 'course_assigned');
		await setActive(t.db, wang, true, ids.admin!, notify);
		expect(await rowOf(wang, 'home-visit')).toMatchObject({ teamId: north, dueAt: at(25), assignedBy: ids.admin });
		expect(await rowOf(wang, 'complaints')).toBeUndefined();
		expect(await messagesTo(wang, 'course_assigned')).toBe(told + 1);
		expect((await lastAudit('course.assignments_followed_team', wang))!.detail).toEqual({
			from: null,
			to: north,
			reason: 'eligible',
			changes: [{ course: 'home-visit', change: 'assigned', dueAt: at(25).toISOString() }]
		});
	});

	it('being given the technician role does the same; other role changes give nothing', async () => {
		const liu = ids['liu.yang']!;
		await setRoles(t.db, liu, ['trainer'], ids.admin!);
		await assignCourse(t.db, { courseSlug: 'customer-care', userIds: [], teamId: north, dueAt: at(26), actorId: ids.trainer! }, notify);
		expect(await rowOf(liu, 'customer-care')).toBeUndefined();
		await setRoles(t.db, liu, ['technician', 'trainer'], ids.admin!, notify);
		expect(await rowOf(liu, 'customer-care')).toMatchObject({ teamId: north, dueAt: at(26) });
		expect(await rowOf(liu, 'complaints')).toMatchObject({ teamId: north, dueAt: at(28) });
		const events = async () => (await t.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'course.assignments_followed_team'), eq(auditEvent.subjectId, liu)))).length;
		const before = await events();
		await setRoles(t.db, liu, ['technician'], ids.admin!, notify);
		expect(await events()).toBe(before);
	});

	it('an inactive person given the role gets nothing until reactivated', async () => {
		const sam = ids['sam.ortiz']!;
		await setActive(t.db, sam, false, ids.admin!);
		await setRoles(t.db, sam, ['trainer'], ids.admin!);
		// Out of the team and back while inactive: no course of the team is held any more.
		await setTeam(t.db, sam, null, ids.admin!, notify);
		await setTeam(t.db, sam, north, ids.admin!, notify);
		await setRoles(t.db, sam, ['technician'], ids.admin!, notify);
		expect(await rowOf(sam, 'customer-care')).toBeUndefined();
		await setActive(t.db, sam, true, ids.admin!, notify);
		expect(await rowOf(sam, 'customer-care')).toMatchObject({ teamId: north, dueAt: at(26) });
		expect(await rowOf(sam, 'complaints')).toMatchObject({ teamId: north, dueAt: at(28) });
	});
});

describe('statements do not grow with the people or courses', () => {
	it('assigning a team again takes as many statements with more members', async () => {
		const small = await countStatements(t.db, () => assignCourse(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(29), actorId: ids.trainer! }, notify));
		for (const name of ['huang.min', 'zhao.lei', 'wu.xia']) await setTeam(t.db, ids[name]!, north, ids.admin!, notify);
		await removePersonAssignment(t.db, { courseSlug: 'complaints', userId: ids['zhao.lei']!, actorId: ids.trainer! }, notify);
		const large = await countStatements(t.db, () => assignCourse(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(31), actorId: ids.trainer! }, notify));
		expect(small).toBeGreaterThan(5);
		expect(large).toBe(small);
		expect(await rowOf(ids['wu.xia']!, 'complaints')).toMatchObject({ dueAt: at(31) });
		expect(await rowOf(ids['zhao.lei']!, 'complaints')).toBeUndefined();
	});

	it('reactivation takes as many statements for one course as for four', async () => {
		const wang = ids['wang.fang']!;
		const chen = ids['chen.jie']!;
		await setActive(t.db, wang, false, ids.admin!);
		await assignCourse(t.db, { courseSlug: 'ro-purifier', userIds: [], teamId: north, dueAt: at(27), actorId: ids.trainer! }, notify);
		const one = await countStatements(t.db, () => setActive(t.db, wang, true, ids.admin!, notify));
		expect(await rowOf(wang, 'ro-purifier')).toMatchObject({ teamId: north, dueAt: at(27) });
		await setActive(t.db, chen, false, ids.admin!);
		await setTeam(t.db, chen, north, ids.admin!, notify);
		expect(await rowOf(chen, 'complaints')).toBeUndefined();
		const four = await countStatements(t.db, () => setActive(t.db, chen, true, ids.admin!, notify));
		expect(one).toBeGreaterThan(5);
		expect(four).toBe(one);
		expect((await t.db.select().from(courseAssignment).where(eq(courseAssignment.userId, chen))).map((r) => r.courseSlug).sort()).toEqual(['complaints', 'customer-care', 'home-visit', 'ro-purifier']);
	});
});

describe('removing the team\'s assignment', () => {
	it('drops its removals for single members, audited', async () => {
		const removed = await t.db.select().from(teamCourseExclusion).where(and(eq(teamCourseExclusion.teamId, north), eq(teamCourseExclusion.courseSlug, 'complaints')));
		expect(removed.map((r) => r.userId).sort()).toEqual([ids['wang.fang'], ids['zhao.lei']].sort());
		await removeTeamAssignment(t.db, { courseSlug: 'complaints', teamId: north, actorId: ids.trainer! }, notify);
		expect(await t.db.select().from(teamCourseExclusion).where(eq(teamCourseExclusion.courseSlug, 'complaints'))).toEqual([]);
		expect((await lastAudit('course.assignment_removed'))!.detail).toMatchObject({ teamId: north, removalsEnded: expect.arrayContaining([ids['wang.fang'], ids['zhao.lei']]) });
		// Assigned to the team anew, it reaches everyone in it again.
		await assignCourse(t.db, { courseSlug: 'complaints', userIds: [], teamId: north, dueAt: at(33), actorId: ids.trainer! }, notify);
		expect(await rowOf(ids['zhao.lei']!, 'complaints')).toMatchObject({ teamId: north, dueAt: at(33) });
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { countingSelects, freshDb, rowsOf, type TestDb } from '../helpers/db';
import { auditEvent, certificationHolding, jobType, team } from '../../src/lib/server/db/schema';
import { createUser, getUser, listTeams, listUsers, setActive, setRoles, setTeam, teamsLedBy } from '../../src/lib/server/users';
import {
	addMember,
	createTeam,
	getTeamDetail,
	linkManager,
	listTeamSummaries,
	removeMember,
	setTeamArchived,
	technicianCounts,
	unlinkManager,
	updateTeam
} from '../../src/lib/server/teams';
import { listAudit, type AuditRow } from '../../src/lib/server/audit';
import { assignCourse } from '../../src/lib/server/learning/assignments';
import { createJob } from '../../src/lib/server/dispatch/jobs';
import { listCourses } from '../../src/lib/server/content';
import { findLearner } from '../../src/lib/server/learning/learner';
import { refusal } from '../helpers/errors';
import { load as auditLoad } from '../../src/routes/(admin)/admin/audit/+page.server';


let t: TestDb;
let adminId: string;
let techId: string;
let trainerId: string;
let managerId: string;

/** Every table's row count and hash: a refusal must leave all of them as they were. */
async function snapshot() {
	const tables = ['team', 'user', 'user_role', 'team_manager', 'audit_event', 'course_assignment', 'team_course_assignment', 'job'];
	const parts = tables.map((name) => `select '${name}' as name, md5(coalesce(string_agg(to_jsonb(x)::text, '|' order by to_jsonb(x)::text), '')) as h from "${name}" x`);
	return rowsOf<{ name: string; h: string }>(await t.db.execute(sql.raw(parts.join(' union all '))));
}

beforeAll(async () => {
	t = await freshDb();
	const person = async (email: string, roles: Parameters<typeof createUser>[1]['roles']) =>
		(await createUser(t.db, { email, displayName: email.split('@')[0]!, roles }, null)).id;
	adminId = await person('root@example.com', ['admin']);
	techId = await person('tech@example.com', ['technician']);
	trainerId = await person('trainer@example.com', ['trainer']);
	managerId = await person('boss@example.com', ['manager']);
});
afterAll(() => t.dispose());

describe('teams', () => {
	let eastId: string;

	it('are created with a region and a zone (canonical name; empty: the organisation\'s), audited', async () => {
		const east = await createTeam(t.db, { name: ' East ', region: 'Shanghai', timeZone: 'asia/shanghai' }, adminId);
		eastId = east.id;
		expect(east).toMatchObject({ name: 'East', region: 'Shanghai', timeZone: 'Asia/Shanghai', archivedAt: null });
		const west = await createTeam(t.db, { name: 'West', region: 'Urumqi', timeZone: '' }, adminId);
		expect(west.timeZone).toBeNull();
		const [entry] = await listAudit(t.db, { subject: { type: 'team', id: east.id } });
		expect(entry).toMatchObject({ action: 'team.created', actorName: 'root', subject: { kind: 'name', name: 'East' } });
	});

	it('refuses a taken name (any case), an unknown zone or an empty region, changing nothing', async () => {
		const before = await snapshot();
		expect(await refusal(createTeam(t.db, { name: 'east', region: 'X', timeZone: '' }, adminId))).toMatchObject({ field: 'name', status: 409 });
		expect(await refusal(createTeam(t.db, { name: 'North', region: 'X', timeZone: 'Mars/Olympus' }, adminId))).toMatchObject({ field: 'timeZone', status: 400 });
		expect(await refusal(createTeam(t.db, { name: 'North', region: '  ', timeZone: '' }, adminId))).toMatchObject({ field: 'region' });
		expect(await refusal(updateTeam(t.db, eastId, { name: 'West', region: 'X', timeZone: '' }, adminId))).toMatchObject({ field: 'name', status: 409 });
		expect(await refusal(updateTeam(t.db, eastId, { name: 'East', region: 'X', timeZone: '+08:00' }, adminId))).toMatchObject({ field: 'timeZone' });
		expect(await refusal(updateTeam(t.db, crypto.randomUUID(), { name: 'Q', region: 'X', timeZone: '' }, adminId))).toMatchObject({ status: 404 });
		expect(await snapshot()).toEqual(before);
	});

	it('are renamed and moved to another zone, the audit keeping what was before', async () => {
		expect(await updateTeam(t.db, eastId, { name: 'East coast', region: 'Shanghai', timeZone: '' }, adminId)).toEqual({ changed: true });
		expect(await updateTeam(t.db, eastId, { name: 'East coast', region: 'Shanghai', timeZone: '' }, adminId)).toEqual({ changed: false });
		const [row] = await t.db.select().from(team).where(eq(team.id, eastId));
		expect(row).toMatchObject({ name: 'East coast', timeZone: null });
		const [entry] = await listAudit(t.db, { subject: { type: 'team', id: eastId } });
		expect(entry!.action).toBe('team.changed');
		expect(entry!.detail).toEqual({ changes: { name: { before: 'East', after: 'East coast' }, timeZone: { before: 'Asia/Shanghai', after: null } } });
	});

	it('take technicians as members through setTeam, and refuse others, changing nothing', async () => {
		expect((await addMember(t.db, eastId, techId, adminId)).changed).toBe(true);
		expect((await getUser(t.db, techId))!.teamId).toBe(eastId);
		const [moved] = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, techId)).orderBy(sql`${auditEvent.id} desc`).limit(1);
		expect(moved).toMatchObject({ action: 'user.team_changed', detail: { before: null, after: eastId } });
		const before = await snapshot();
		expect(await refusal(addMember(t.db, eastId, trainerId, adminId))).toMatchObject({ field: 'userId', status: 409, message: expect.stringMatching(/Only technicians/) });
		expect(await refusal(addMember(t.db, eastId, crypto.randomUUID(), adminId))).toMatchObject({ status: 404 });
		expect(await refusal(removeMember(t.db, eastId, trainerId, adminId))).toMatchObject({ status: 409 });
		expect(await snapshot()).toEqual(before);
		const detail = (await getTeamDetail(t.db, eastId))!;
		expect(detail.members.map((p) => p.id)).toEqual([techId]);
		expect(detail.candidates.map((p) => p.id)).not.toContain(techId);
	});

	it('are led by linked managers only, who then see the team', async () => {
		expect(await teamsLedBy(t.db, managerId)).toEqual([]);
		const before = await snapshot();
		expect(await refusal(linkManager(t.db, eastId, trainerId, adminId))).toMatchObject({ field: 'userId', message: expect.stringMatching(/manager role/) });
		expect(await snapshot()).toEqual(before);
		expect((await linkManager(t.db, eastId, managerId, adminId)).changed).toBe(true);
		expect((await linkManager(t.db, eastId, managerId, adminId)).changed).toBe(false);
		const led = await teamsLedBy(t.db, managerId);
		expect(led.map((x) => x.name)).toEqual(['East coast']);
		expect(led[0]!.members.map((p) => p.id)).toEqual([techId]);
		const [entry] = await listAudit(t.db, { subject: { type: 'team', id: eastId } });
		expect(entry).toMatchObject({ action: 'team.manager_linked', detail: { userId: managerId, manager: 'boss' } });
		await unlinkManager(t.db, eastId, managerId, adminId);
		expect(await teamsLedBy(t.db, managerId)).toEqual([]);
		expect(await refusal(unlinkManager(t.db, eastId, managerId, adminId))).toMatchObject({ status: 409 });
		await linkManager(t.db, eastId, managerId, adminId);
	});

	it('archived, take no new members, managers, jobs or course assignments, keep their people and history; unarchived, take them again', async () => {
		const newcomer = (await createUser(t.db, { email: 'new@example.com', displayName: 'New', roles: ['technician'] }, null)).id;
		const otherManager = (await createUser(t.db, { email: 'boss2@example.com', displayName: 'Boss 2', roles: ['manager'] }, null)).id;
		const [type] = await t.db.insert(jobType).values({ name: 'Survey', productLine: 'general' }).returning();
		expect(await setTeamArchived(t.db, eastId, true, adminId)).toEqual({ changed: true });
		expect(await setTeamArchived(t.db, eastId, true, adminId)).toEqual({ changed: false });
		const before = await snapshot();
		expect(await refusal(addMember(t.db, eastId, newcomer, adminId))).toMatchObject({ status: 409, message: expect.stringMatching(/archived/) });
		expect(await refusal(setTeam(t.db, newcomer, eastId, adminId))).toMatchObject({ field: 'teamId', status: 409 });
		expect(await refusal(createUser(t.db, { email: 'late@example.com', displayName: 'Late', roles: ['technician'], teamId: eastId }, adminId))).toMatchObject({ field: 'teamId' });
		expect(await refusal(linkManager(t.db, eastId, otherManager, adminId))).toMatchObject({ status: 409 });
		const course = listCourses()[0]!.slug;
		expect(await refusal(assignCourse(t.db, { courseSlug: course, userIds: [], teamId: eastId, dueAt: new Date(Date.now() + 9e8), actorId: trainerId }))).toMatchObject({ field: 'teamId' });
		const jobResult = await createJob(t.db, { kind: 'user', userId: managerId, teamIds: 'all' }, { jobTypeId: type!.id, teamId: eastId, siteLabel: 'Flat 1', scheduledAt: new Date(Date.now() + 9e8), durationMinutes: 60 });
		expect(jobResult).toMatchObject({ ok: false, refusal: { code: 'invalid', field: 'teamId' } });
		expect(await snapshot()).toEqual(before);
		// Its people and history stay; a member may still leave.
		expect((await getTeamDetail(t.db, eastId))!.members.map((p) => p.id)).toEqual([techId]);
		expect((await teamsLedBy(t.db, managerId)).map((x) => x.id)).toEqual([eastId]);
		// The manager's team pages say so, with the day it was archived.
		const archivedAt = (await listTeamSummaries(t.db)).find((x) => x.id === eastId)!.archivedAt!;
		expect((await teamsLedBy(t.db, managerId))[0]!.archivedAt).toEqual(archivedAt);
		expect((await findLearner(t.db, techId, { kind: 'manager', managerId }))!.teamArchivedAt).toEqual(archivedAt);
		expect((await listTeams(t.db)).map((x) => x.id)).not.toContain(eastId);
		expect((await listTeamSummaries(t.db)).find((x) => x.id === eastId)!.archivedAt).not.toBeNull();

		expect(await setTeamArchived(t.db, eastId, false, adminId)).toEqual({ changed: true });
		expect((await addMember(t.db, eastId, newcomer, adminId)).changed).toBe(true);
		const actions = (await listAudit(t.db, { subject: { type: 'team', id: eastId } })).map((e) => e.action);
		expect(actions.slice(0, 2)).toEqual(['team.unarchived', 'team.archived']);
		await removeMember(t.db, eastId, newcomer, adminId);
		expect((await getUser(t.db, newcomer))!.teamId).toBeNull();
	});
});

describe('roles', () => {
	it('a user keeps at least one role: none is refused with a clear message, changing nothing', async () => {
		const before = await snapshot();
		const e = await refusal(setRoles(t.db, techId, [], adminId));
		expect(e).toMatchObject({ field: 'roles', status: 400, message: 'A user keeps at least one role. To block sign-in, deactivate the user instead.' });
		expect(await refusal(createUser(t.db, { email: 'nobody@example.com', displayName: 'Nobody', roles: [] }, adminId))).toMatchObject({ field: 'roles' });
		expect(await snapshot()).toEqual(before);
	});
});

describe('the trainer\'s counts', () => {
	it('agree with the team pages: active technicians only, archived teams apart, adding up to the total', async () => {
		const north = await createTeam(t.db, { name: 'North', region: 'Beijing', timeZone: '' }, adminId);
		const old = await createTeam(t.db, { name: 'Old', region: 'Gone', timeZone: '' }, adminId);
		const person = async (email: string, roles: Parameters<typeof createUser>[1]['roles'], teamId: string) =>
			(await createUser(t.db, { email, displayName: email, roles, teamId }, null)).id;
		await person('n1@example.com', ['technician'], north.id);
		await person('n2@example.com', ['technician', 'trainer'], north.id);
		// Not members: a trainer placed in the team by hand, and a deactivated technician.
		await person('n3@example.com', ['trainer'], north.id);
		await setActive(t.db, await person('n4@example.com', ['technician'], north.id), false, adminId);
		await person('o1@example.com', ['technician'], old.id);
		await setTeamArchived(t.db, old.id, true, adminId);

		const counts = await technicianCounts(t.db);
		const activeTechnicians = (await listUsers(t.db, { role: 'technician' })).filter((u) => u.active);
		expect(counts.active).toBe(activeTechnicians.length);
		expect(counts.teams.map((x) => x.name)).not.toContain('Old');
		const northCount = counts.teams.find((x) => x.id === north.id)!.members;
		expect(northCount).toBe(2);
		expect(northCount).toBe((await getTeamDetail(t.db, north.id))!.members.filter((p) => p.active && p.roles.includes('technician')).length);
		expect(northCount).toBe((await listTeams(t.db)).find((x) => x.id === north.id)!.members);
		expect(counts.teams.reduce((s, x) => s + x.members, 0) + counts.outside).toBe(counts.active);
		expect(counts.outside).toBe(activeTechnicians.filter((u) => !u.teamId || u.teamId === old.id).length);
	});
});

describe('the audit log', () => {
	it('names people, teams, jobs (site and time) and certifications (title and holder) instead of ids, in one query', async () => {
		const [type] = await t.db.insert(jobType).values({ name: 'Install', productLine: 'general' }).returning();
		const [east] = await t.db.select().from(team).where(eq(team.name, 'East coast'));
		const at = new Date('2030-05-06T02:30:00Z');
		const created = await createJob(t.db, { kind: 'user', userId: managerId, teamIds: 'all' }, { jobTypeId: type!.id, teamId: east!.id, siteLabel: 'Flat 9', scheduledAt: at, durationMinutes: 30 });
		expect(created.ok).toBe(true);
		const [holding] = await t.db
			.insert(certificationHolding)
			.values({ userId: techId, certificationId: 'no-such-certification', level: 2, grantedAt: new Date(), expiresAt: new Date(Date.now() + 9e9), verifyCode: 'audit-test-code-1' })
			.returning();
		await t.db.insert(auditEvent).values({ actorId: null, action: 'certification.granted', subjectType: 'certification', subjectId: holding!.id });
		await t.db.insert(auditEvent).values({ actorId: null, action: 'content.published', subjectType: 'course', subjectId: 'complaints' });
		const rows = await listAudit(t.db, { limit: 5 });
		expect(rows[0]).toMatchObject({ subjectId: 'complaints', subject: null });
		expect(rows[1]!.subject).toEqual({ kind: 'certification', title: 'no-such-certification', level: 2, holder: 'tech' });
		const jobEntry = rows.find((r) => r.action === 'job.created')!;
		expect(jobEntry.subject).toEqual({ kind: 'job', site: 'Flat 9', at });
		const userEntry = (await listAudit(t.db, { subject: { type: 'user', id: techId } }))[0]!;
		expect(userEntry.subject).toEqual({ kind: 'name', name: 'tech' });
	});
	it('names the teams a person left and joined, in the same one query, and says "no team" for none', async () => {
		const summaries = await listTeamSummaries(t.db);
		const west = summaries.find((x) => x.name === 'West')!;
		const east = summaries.find((x) => x.name === 'East coast')!;
		const mover = (await createUser(t.db, { email: 'mover@example.com', displayName: 'Mover', roles: ['technician'], teamId: west.id }, adminId)).id;
		await setTeam(t.db, mover, east.id, adminId);
		await removeMember(t.db, east.id, mover, adminId);
		const { db, counter } = countingSelects(t.db);
		const page = (await auditLoad({ locals: { db, locale: 'en' }, url: new URL('http://localhost/admin/audit') } as never)) as { rows: AuditRow[] };
		const moves = page.rows.filter((r) => r.subjectId === mover && r.action === 'user.team_changed');
		expect(counter.selects).toBe(1);
		expect(moves.map((r) => r.teams)).toEqual([
			{ from: 'East coast', to: null },
			{ from: 'West', to: 'East coast' }
		]);
		expect(moves[1]!.detail).toEqual({ before: west.id, after: east.id });
		// Other entries carry no teams.
		expect((await listAudit(t.db, { subject: { type: 'team', id: east.id } })).every((r) => r.teams === null)).toBe(true);
	});
});

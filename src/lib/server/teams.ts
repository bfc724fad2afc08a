import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from './db';
import type { Executor } from './db/types';
import { organisation, team, teamManager, user } from './db/schema';
import { userRolesSql } from './db/sql';
import { recordAudit } from './audit';
import { ServiceError } from './errors';
import { setTeam, sortRoles } from './users';
import { managerProblem, memberProblem, validateTeam, TEAM_NAME_MAX, TEAM_REGION_MAX, type ManagerProblem, type MemberProblem, type TeamDraft, type TeamProblem } from './team-rules';
import { text } from './forms';
import { m } from '../paraglide/messages.js';
import { z } from 'zod';

/** The team form's fields; the rules themselves (zone names included) are `validateTeam`'s. */
export const teamSchema = z.object({
	name: text(TEAM_NAME_MAX, () => m.field_name()),
	region: text(TEAM_REGION_MAX, () => m.field_region()),
	timeZone: z
		.string({ error: () => m.form_must_be_text({ label: m.field_time_zone() }) })
		.trim()
		.max(64, { error: () => m.team_zone_unknown() })
		.optional()
		.transform((v) => v ?? '')
});

/** A person picked in a team's forms. */
export const personSchema = z.object({ userId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: () => m.team_choose_person() }) });

/** The organisation's zone: the local time of every team without one of its own. */
export async function organisationTimeZone(db: Executor): Promise<string> {
	const [row] = await db.select({ timeZone: organisation.timeZone }).from(organisation);
	return row?.timeZone ?? 'Asia/Shanghai';
}

/** The people a team's pages and counts call members: active technicians whose team it is. */
export const isActiveTechnician = sql`("user"."active" and exists (select 1 from "user_role" ur where ur.user_id = "user"."id" and ur.role = 'technician'))`;

const FIELD_LABEL: Record<keyof TeamDraft, () => string> = {
	name: () => m.field_name(),
	region: () => m.field_region(),
	timeZone: () => m.field_time_zone()
};

function problemMessage(field: keyof TeamDraft, problem: TeamProblem): string {
	if (problem === 'unknown-zone') return m.team_zone_unknown();
	if (problem === 'too-long') return m.form_too_long({ label: FIELD_LABEL[field](), max: field === 'name' ? TEAM_NAME_MAX : TEAM_REGION_MAX });
	return m.form_required({ label: FIELD_LABEL[field]() });
}

function checkDraft(draft: TeamDraft) {
	const checked = validateTeam(draft);
	if (checked.ok) return checked.team;
	const [field, problem] = Object.entries(checked.problems)[0] as [keyof TeamDraft, TeamProblem];
	throw new ServiceError(problemMessage(field, problem), field, 400);
}

const MEMBER_MESSAGE: Record<MemberProblem, () => string> = {
	'team-archived': () => m.team_archived_refused(),
	'not-technician': () => m.team_member_not_technician(),
	inactive: () => m.team_person_inactive()
};
const MANAGER_MESSAGE: Record<ManagerProblem, () => string> = {
	'team-archived': () => m.team_archived_refused(),
	'not-manager': () => m.team_manager_not_manager(),
	inactive: () => m.team_person_inactive()
};

async function assertNameFree(tx: Executor, name: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: team.id })
		.from(team)
		.where(and(sql`lower(${team.name}) = lower(${name})`, exceptId ? ne(team.id, exceptId) : undefined));
	if (taken) throw new ServiceError(m.team_name_taken({ name }), 'name', 409);
}

async function lockTeam(tx: Executor, teamId: string) {
	const [row] = await tx.select().from(team).where(eq(team.id, teamId)).for('update');
	if (!row) throw new ServiceError(m.team_not_found(), null, 404);
	return row;
}

export async function createTeam(db: Db, draft: TeamDraft, actorId: string | null) {
	const values = checkDraft(draft);
	return db.transaction(async (tx) => {
		await assertNameFree(tx, values.name);
		const [created] = await tx.insert(team).values(values).returning();
		if (!created) throw new Error('Insert returned no team');
		await recordAudit(tx, { actorId, action: 'team.created', subjectType: 'team', subjectId: created.id, detail: values });
		return created;
	});
}

/** Renames a team, or changes its region or time zone; the audit keeps what each was before. */
export async function updateTeam(db: Db, teamId: string, draft: TeamDraft, actorId: string | null) {
	const values = checkDraft(draft);
	return db.transaction(async (tx) => {
		const before = await lockTeam(tx, teamId);
		if (before.name === values.name && before.region === values.region && before.timeZone === values.timeZone) return { changed: false };
		await assertNameFree(tx, values.name, teamId);
		await tx.update(team).set(values).where(eq(team.id, teamId));
		const changes: Record<string, { before: string | null; after: string | null }> = {};
		for (const key of ['name', 'region', 'timeZone'] as const)
			if (before[key] !== values[key]) changes[key] = { before: before[key], after: values[key] };
		await recordAudit(tx, { actorId, action: 'team.changed', subjectType: 'team', subjectId: teamId, detail: { changes } });
		return { changed: true };
	});
}

/** An archived team keeps its members, managers and history, and takes nothing new until unarchived. */
export async function setTeamArchived(db: Db, teamId: string, archived: boolean, actorId: string | null, now = new Date()) {
	return db.transaction(async (tx) => {
		const before = await lockTeam(tx, teamId);
		if (Boolean(before.archivedAt) === archived) return { changed: false };
		await tx.update(team).set({ archivedAt: archived ? now : null }).where(eq(team.id, teamId));
		await recordAudit(tx, { actorId, action: archived ? 'team.archived' : 'team.unarchived', subjectType: 'team', subjectId: teamId, detail: { name: before.name } });
		return { changed: true };
	});
}

async function personOf(db: Executor, userId: string) {
	const [row] = await db
		.select({ id: user.id, displayName: user.displayName, email: user.email, active: user.active, teamId: user.teamId, roles: userRolesSql })
		.from(user)
		.where(eq(user.id, userId));
	if (!row) throw new ServiceError(m.user_not_found(), 'userId', 404);
	return { ...row, roles: sortRoles(row.roles ?? []) };
}

async function teamRow(db: Executor, teamId: string) {
	const [row] = await db.select().from(team).where(eq(team.id, teamId));
	if (!row) throw new ServiceError(m.team_not_found(), null, 404);
	return row;
}

/**
 * Makes a technician a member of the team (moving them from any other). Membership always
 * changes through `setTeam`, which records it and keeps what follows from it in step.
 */
export async function addMember(db: Db, teamId: string, userId: string, actorId: string | null) {
	const found = await teamRow(db, teamId);
	const person = await personOf(db, userId);
	const problem = memberProblem(found, person);
	if (problem) throw new ServiceError(MEMBER_MESSAGE[problem](), 'userId', 409);
	if (person.teamId === teamId) return { changed: false, person };
	await setTeam(db, userId, teamId, actorId);
	return { changed: true, person };
}

/** Takes a member out of the team (they belong to no team afterwards), also from an archived team. */
export async function removeMember(db: Db, teamId: string, userId: string, actorId: string | null) {
	await teamRow(db, teamId);
	const person = await personOf(db, userId);
	if (person.teamId !== teamId) throw new ServiceError(m.team_not_a_member({ name: person.displayName }), 'userId', 409);
	await setTeam(db, userId, null, actorId);
	return { changed: true, person };
}

/** Lets a manager see and dispatch for the team. */
export async function linkManager(db: Db, teamId: string, userId: string, actorId: string | null) {
	return db.transaction(async (tx) => {
		const found = await lockTeam(tx, teamId);
		const person = await personOf(tx, userId);
		const problem = managerProblem(found, person);
		if (problem) throw new ServiceError(MANAGER_MESSAGE[problem](), 'userId', 409);
		const inserted = await tx.insert(teamManager).values({ teamId, userId }).onConflictDoNothing().returning();
		if (!inserted.length) return { changed: false, person };
		await recordAudit(tx, { actorId, action: 'team.manager_linked', subjectType: 'team', subjectId: teamId, detail: { userId, manager: person.displayName } });
		return { changed: true, person };
	});
}

export async function unlinkManager(db: Db, teamId: string, userId: string, actorId: string | null) {
	return db.transaction(async (tx) => {
		await lockTeam(tx, teamId);
		const person = await personOf(tx, userId);
		const removed = await tx.delete(teamManager).where(and(eq(teamManager.teamId, teamId), eq(teamManager.userId, userId))).returning();
		if (!removed.length) throw new ServiceError(m.team_not_a_manager({ name: person.displayName }), 'userId', 409);
		await recordAudit(tx, { actorId, action: 'team.manager_unlinked', subjectType: 'team', subjectId: teamId, detail: { userId, manager: person.displayName } });
		return { changed: true, person };
	});
}

export interface TeamSummary {
	id: string;
	name: string;
	region: string;
	timeZone: string | null;
	archivedAt: Date | null;
	/** Active technicians of the team. */
	members: number;
	managers: string[];
}

/**
 * Every team with its member count (active technicians, as everywhere teams are counted) and its
 * managers' names, in one query; active teams first.
 */
export async function listTeamSummaries(db: Executor, options: { includeArchived?: boolean } = { includeArchived: true }): Promise<TeamSummary[]> {
	const rows = await db
		.select({
			id: team.id,
			name: team.name,
			region: team.region,
			timeZone: team.timeZone,
			archivedAt: team.archivedAt,
			members: sql<number>`(select count(*)::int from "user" where "user"."team_id" = "team"."id" and ${isActiveTechnician})`,
			managers: sql<string[] | null>`(select array_agg(mu.display_name order by mu.display_name) from "team_manager" tm join "user" mu on mu.id = tm.user_id where tm.team_id = "team"."id")`
		})
		.from(team)
		.where(options.includeArchived ? undefined : isNull(team.archivedAt))
		.orderBy(sql`${team.archivedAt} is not null`, asc(team.name));
	return rows.map((r) => ({ ...r, managers: r.managers ?? [] }));
}

export interface TeamPerson {
	id: string;
	displayName: string;
	email: string;
	active: boolean;
	roles: ReturnType<typeof sortRoles>;
}

/** One team with its members and managers, and who could join or lead it, in three queries. */
export async function getTeamDetail(db: Executor, teamId: string) {
	const [found] = await db.select().from(team).where(eq(team.id, teamId));
	if (!found) return null;
	const people = await db
		.select({
			id: user.id,
			displayName: user.displayName,
			email: user.email,
			active: user.active,
			teamId: user.teamId,
			teamName: sql<string | null>`(select t.name from "team" t where t.id = "user"."team_id")`,
			roles: userRolesSql,
			manages: sql<boolean>`exists (select 1 from "team_manager" tm where tm.user_id = "user"."id" and tm.team_id = ${teamId})`
		})
		.from(user)
		.where(
			sql`"user"."team_id" = ${teamId} or exists (select 1 from "team_manager" tm where tm.user_id = "user"."id" and tm.team_id = ${teamId})
				or ("user"."active" and exists (select 1 from "user_role" ur where ur.user_id = "user"."id" and ur.role in ('technician', 'manager')))`
		)
		.orderBy(asc(user.displayName), asc(user.email));
	const all = people.map((p) => ({ ...p, roles: sortRoles(p.roles ?? []) }));
	const members = all.filter((p) => p.teamId === teamId);
	const managers = all.filter((p) => p.manages);
	return {
		team: found,
		members,
		managers,
		/** Active technicians of other teams or none, who could be added. */
		candidates: all.filter((p) => p.active && p.teamId !== teamId && p.roles.includes('technician')),
		/** Active managers not yet leading this team. */
		managerCandidates: all.filter((p) => p.active && !p.manages && p.roles.includes('manager'))
	};
}

/**
 * The trainer's overview: active technicians in all, per active team, and outside any active team
 * (in none, or in an archived one), so that the team counts add up to the total. Members are
 * counted as the team pages count them (`isActiveTechnician`).
 */
export async function technicianCounts(db: Executor) {
	const [teams, [total]] = await Promise.all([
		listTeamSummaries(db, { includeArchived: false }),
		db.select({ n: sql<number>`count(*)::int` }).from(user).where(isActiveTechnician)
	]);
	const active = total?.n ?? 0;
	const inTeams = teams.reduce((sum, t) => sum + t.members, 0);
	return { active, teams: teams.map((t) => ({ id: t.id, name: t.name, region: t.region, members: t.members })), outside: active - inTeams };
}

/** The teams a manager leads, for their user page. */
export async function teamsManagedBy(db: Executor, userId: string) {
	return db
		.select({ id: team.id, name: team.name, archivedAt: team.archivedAt })
		.from(teamManager)
		.innerJoin(team, eq(team.id, teamManager.teamId))
		.where(eq(teamManager.userId, userId))
		.orderBy(asc(team.name));
}

export async function teamExists(db: Executor, teamId: string): Promise<boolean> {
	const [row] = await db.select({ id: team.id }).from(team).where(eq(team.id, teamId));
	return Boolean(row);
}

export async function findTeamByName(db: Executor, name: string) {
	const [row] = await db.select().from(team).where(sql`lower(${team.name}) = lower(${name.trim()})`);
	return row ?? null;
}

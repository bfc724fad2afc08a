import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { certificationHolding, jobType, team, teamManager, user } from '../db/schema';
import { evaluateEligibility } from '../certification/eligibility';
import type { Holding } from '../certification/types';
import type { JobTypeView, TechnicianEligibility, TechnicianRef } from './types';
import { teamZoneSql } from '../organisation';

const requirementsSql = sql<Array<{ certificationId: string; minLevel: number }>>`coalesce(
	(select json_agg(json_build_object('certificationId', r.certification_id, 'minLevel', r.min_level) order by r.certification_id)
	 from "job_type_requirement" r where r.job_type_id = "job_type"."id"), '[]'::json)`;

/** Job types with their requirements, in one query; archived ones only when asked. */
export async function listJobTypes(db: Executor, options: { includeArchived?: boolean; ids?: string[] } = {}): Promise<JobTypeView[]> {
	const conditions: SQL[] = [];
	if (!options.includeArchived) conditions.push(isNull(jobType.archivedAt));
	if (options.ids) {
		if (options.ids.length === 0) return [];
		conditions.push(inArray(jobType.id, options.ids));
	}
	return db
		.select({ id: jobType.id, name: jobType.name, productLine: jobType.productLine, archivedAt: jobType.archivedAt, requirements: requirementsSql })
		.from(jobType)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(jobType.name));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** One job type (archived included), or null for an unknown or malformed id. */
export async function findJobType(db: Executor, id: string): Promise<JobTypeView | null> {
	if (!isUuid(id)) return null;
	return (await listJobTypes(db, { includeArchived: true, ids: [id] }))[0] ?? null;
}

const isTechnician = sql`exists (select 1 from "user_role" ur where ur.user_id = "user"."id" and ur.role = 'technician')`;

/**
 * Active technicians, by name: all of them, those of some teams, or those with the given ids
 * (unknown, inactive or non-technician ids are simply absent).
 */
export async function listTechnicians(db: Executor, options: { teamIds?: string[] | 'all'; ids?: string[] } = {}): Promise<TechnicianRef[]> {
	const conditions: SQL[] = [eq(user.active, true), isTechnician];
	const teamIds = options.teamIds ?? 'all';
	if (teamIds !== 'all') {
		if (teamIds.length === 0) return [];
		conditions.push(inArray(user.teamId, teamIds));
	}
	if (options.ids) {
		const ids = options.ids.filter(isUuid);
		if (ids.length === 0) return [];
		conditions.push(inArray(user.id, ids));
	}
	return db
		.select({ technicianId: user.id, name: user.displayName, email: user.email, teamId: user.teamId, teamName: team.name })
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(and(...conditions))
		.orderBy(asc(user.displayName), asc(user.id));
}

/** Every cycle the given technicians hold of the given certifications (revoked and expired too). */
export async function holdingsFor(db: Executor, userIds: string[], certificationIds: string[]) {
	if (userIds.length === 0 || certificationIds.length === 0) return [];
	return db
		.select({
			id: certificationHolding.id,
			userId: certificationHolding.userId,
			certificationId: certificationHolding.certificationId,
			level: certificationHolding.level,
			grantedAt: certificationHolding.grantedAt,
			expiresAt: certificationHolding.expiresAt,
			revokedAt: certificationHolding.revokedAt,
			revokeReason: certificationHolding.revokeReason,
			renewedFromId: certificationHolding.renewedFromId,
			renewalDueFrom: certificationHolding.renewalDueFrom
		})
		.from(certificationHolding)
		.where(and(inArray(certificationHolding.userId, userIds), inArray(certificationHolding.certificationId, certificationIds)));
}

/** Groups holdings by technician. */
export function byUser<T extends Holding & { userId: string }>(rows: T[]): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const row of rows) {
		const list = map.get(row.userId);
		if (list) list.push(row);
		else map.set(row.userId, [row]);
	}
	return map;
}

/**
 * Eligibility of each technician for a job type at `at` (and until `end`, when the job's end is
 * known), with a reason per unmet requirement: two queries whatever the number of technicians.
 */
export async function eligibilityOf(
	db: Executor,
	type: JobTypeView,
	technicians: TechnicianRef[],
	at: Date,
	end?: Date
): Promise<TechnicianEligibility[]> {
	const rows = await holdingsFor(
		db,
		technicians.map((t) => t.technicianId),
		type.requirements.map((r) => r.certificationId)
	);
	const held = byUser(rows);
	return technicians.map((t) => ({ ...t, ...evaluateEligibility(type.requirements, held.get(t.technicianId) ?? [], at, end) }));
}

/**
 * Eligible technicians for a job type at an instant, paged by id (keyset: `after` is the last id
 * of the previous page). The SQL states the same rule as `evaluateEligibility`: for every
 * requirement a cycle with granted ≤ at < expires, not revoked at `at`, level ≥ minimum and, when
 * `end` is given, expiring no earlier than the job's end.
 */
export async function eligibleTechnicians(db: Executor, options: EligibleQuery): Promise<{ items: TechnicianRef[]; next: string | null }> {
	if (options.teamIds !== undefined && options.teamIds !== 'all' && options.teamIds.length === 0) return { items: [], next: null };
	const rows = await eligibleTechniciansQuery(db, options);
	const items = rows.slice(0, options.limit);
	return { items, next: rows.length > options.limit ? items.at(-1)!.technicianId : null };
}

export interface EligibleQuery {
	type: JobTypeView;
	at: Date;
	end?: Date;
	teamIds?: string[] | 'all';
	limit: number;
	after?: string;
}

/** The statement behind `eligibleTechnicians` (one more row than the page, to know if more follow). */
export function eligibleTechniciansQuery(db: Executor, options: EligibleQuery) {
	const { type, limit } = options;
	// As ISO text with an explicit cast: drizzle's postgres.js driver does not serialise Date
	// values inside raw SQL fragments (PGlite does), so both engines get the same text.
	const at = sql`${options.at.toISOString()}::timestamptz`;
	const until = sql`${(options.end ?? options.at).toISOString()}::timestamptz`;
	// The cursor is repeated on the role lookup: PostgreSQL merges users and roles in id order and
	// would otherwise read every role row before the page (measured: 56,000 rows for 50 results).
	const after = options.after;
	const technician = after
		? sql`exists (select 1 from "user_role" ur where ur.user_id = "user"."id" and ur.role = 'technician' and ur.user_id > ${after})`
		: isTechnician;
	const conditions: SQL[] = [eq(user.active, true), technician];
	const teamIds = options.teamIds ?? 'all';
	if (teamIds !== 'all') conditions.push(inArray(user.teamId, teamIds));
	if (after) conditions.push(gt(user.id, after));
	for (const r of type.requirements) {
		conditions.push(sql`exists (select 1 from "certification_holding" h
			where h.user_id = "user"."id" and h.certification_id = ${r.certificationId} and h.level >= ${r.minLevel}
			and h.granted_at <= ${at} and h.expires_at > ${at} and h.expires_at >= ${until}
			and (h.revoked_at is null or h.revoked_at > ${at}))`);
	}
	return db
		.select({ technicianId: user.id, name: user.displayName, email: user.email, teamId: user.teamId, teamName: team.name })
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(and(...conditions))
		.orderBy(asc(user.id))
		.limit(limit + 1);
}

/** The ids of the teams a manager leads. */
export async function teamIdsLedBy(db: Executor, userId: string): Promise<string[]> {
	const rows = await db.select({ id: teamManager.teamId }).from(teamManager).where(eq(teamManager.userId, userId));
	return rows.map((r) => r.id);
}

/** The teams a manager leads, by name: what their dispatch pages may show. One query. */
export async function managerScope(db: Executor, userId: string) {
	const teams = await db
		.select({ id: team.id, name: team.name, archived: sql<boolean>`${team.archivedAt} is not null`, timeZone: teamZoneSql })
		.from(teamManager)
		.innerJoin(team, eq(team.id, teamManager.teamId))
		.where(eq(teamManager.userId, userId))
		.orderBy(asc(team.name));
	return { teams, teamIds: teams.map((t) => t.id) };
}

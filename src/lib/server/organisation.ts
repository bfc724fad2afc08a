import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './db';
import type { Executor } from './db/types';
import { organisation, team, user } from './db/schema';
import { recordAudit } from './audit';
import { ServiceError } from './errors';
import { canonicalTimeZone, resolveTimeZone } from '../time-zone';
import { DEFAULT_TIME_ZONE } from '../format';
import { m } from '../paraglide/messages.js';

/**
 * The organisation's time zone: due and expiry dates are calendar days in it, and it is the local
 * time of every team without its own zone. One row (id 1), inserted by the migrations.
 */
export async function organisationTimeZone(db: Executor): Promise<string> {
	const [row] = await db.select({ timeZone: organisation.timeZone }).from(organisation).where(eq(organisation.id, 1));
	return resolveTimeZone(row?.timeZone, DEFAULT_TIME_ZONE);
}

/** Sets the organisation's zone (an IANA name the platform knows), audited with before and after. */
export async function setOrganisationTimeZone(db: Db, actorId: string, value: string): Promise<{ changed: boolean; timeZone: string }> {
	const zone = canonicalTimeZone(value);
	if (!zone) throw new ServiceError(m.zone_unknown(), 'timeZone');
	return db.transaction(async (tx) => {
		const [row] = await tx.select({ timeZone: organisation.timeZone }).from(organisation).where(eq(organisation.id, 1)).for('update');
		const before = row?.timeZone ?? null;
		if (before === zone) return { changed: false, timeZone: zone };
		await tx.insert(organisation).values({ id: 1, timeZone: zone }).onConflictDoUpdate({ target: organisation.id, set: { timeZone: zone } });
		await recordAudit(tx, { actorId, action: 'organisation.time_zone_changed', subjectType: 'organisation', subjectId: '1', detail: { before, after: zone } });
		return { changed: true, timeZone: zone };
	});
}

/**
 * A person's display zone: a name the platform knows, or null for automatic (their team's, else
 * the organisation's). Audited with before and after when it changes.
 */
export async function setPersonalTimeZone(db: Db, userId: string, value: string | null): Promise<{ changed: boolean; timeZone: string | null }> {
	const zone = value === null || value.trim() === '' ? null : canonicalTimeZone(value);
	if (value !== null && value.trim() !== '' && !zone) throw new ServiceError(m.zone_unknown(), 'timeZone');
	return db.transaction(async (tx) => {
		const [row] = await tx.select({ timeZone: user.timeZone }).from(user).where(eq(user.id, userId)).for('update');
		if (!row) throw new ServiceError(m.user_not_found(), null, 404);
		if (row.timeZone === zone) return { changed: false, timeZone: zone };
		await tx.update(user).set({ timeZone: zone }).where(eq(user.id, userId));
		await recordAudit(tx, { actorId: userId, action: 'user.time_zone_changed', subjectType: 'user', subjectId: userId, detail: { before: row.timeZone, after: zone } });
		return { changed: true, timeZone: zone };
	});
}

/** SQL: a team's local time (its own zone, else the organisation's), for selects joined to `team`. */
export const teamZoneSql = sql<string | null>`coalesce(${team.timeZone}, (select o.time_zone from "organisation" o where o.id = 1))`;

/** The local time of each team (its own zone, else the organisation's), by team id: one query. */
export async function teamTimeZones(db: Executor, teamIds: readonly string[]): Promise<Map<string, string>> {
	if (teamIds.length === 0) return new Map();
	const rows = await db.select({ id: team.id, timeZone: teamZoneSql }).from(team).where(inArray(team.id, [...teamIds]));
	return new Map(rows.map((r) => [r.id, resolveTimeZone(r.timeZone, DEFAULT_TIME_ZONE)]));
}

/**
 * A person's zones as the session lookup reads them: their display zone (own, else team's, else the
 * organisation's), the organisation's and their own choice. One query; for a page rendered right
 * after a change.
 */
export async function zonesOf(db: Executor, userId: string): Promise<{ timeZone: string; organisationTimeZone: string; ownTimeZone: string | null }> {
	const [row] = await db
		.select({ own: user.timeZone, team: sql<string | null>`(select t.time_zone from "team" t where t.id = ${user.teamId})`, org: sql<string | null>`(select o.time_zone from "organisation" o where o.id = 1)` })
		.from(user)
		.where(eq(user.id, userId));
	return {
		timeZone: resolveTimeZone(row?.own, row?.team, row?.org, DEFAULT_TIME_ZONE),
		organisationTimeZone: resolveTimeZone(row?.org, DEFAULT_TIME_ZONE),
		ownTimeZone: row?.own ?? null
	};
}

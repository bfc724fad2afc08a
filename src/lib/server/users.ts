import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from './db';
import type { Executor } from './db/types';
import { invitation, session, team, teamManager, user, userRole } from './db/schema';
import { recordAudit } from './audit';
import { userRolesSql } from './db/sql';
import { ServiceError } from './errors';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from './auth/password';
import { generateToken, hashToken, invalidateUserSessions } from './auth/session';
import {
	ACCOUNT_POLICY,
	addressPolicy,
	accountKey,
	addressKey,
	claimAttempt,
	clearFailures,
	lockMessage,
	minutesLocked,
	releaseAttempt
} from './auth/rate-limit';
import { ROLES, type Role } from './auth/roles';
import { rolesProblem } from './team-rules';
import type { Locale } from '../i18n/locales';
import { m } from '../paraglide/messages.js';
import { defaultNotify, followRegainedEligibility, followTeamChange, type NotifyOptions } from './learning/assignments';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** Roles in their canonical order, without repeats. */
export function sortRoles(roles: Iterable<Role>): Role[] {
	const set = new Set(roles);
	return ROLES.filter((r) => set.has(r));
}

export interface NewUser {
	email: string;
	displayName: string;
	roles: Role[];
	teamId?: string | null;
	locale?: Locale;
	/** Set for accounts made with a password (demo data, the command line); invited users choose theirs. */
	password?: string;
}

async function assertEmailFree(db: Executor, email: string) {
	const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
	if (existing) throw new ServiceError(m.user_email_taken(), 'email', 409);
}

/** A team someone may join: it exists and is not archived. */
async function assertTeamOpen(db: Executor, teamId: string | null | undefined) {
	if (!teamId) return;
	const [row] = await db.select({ id: team.id, archivedAt: team.archivedAt }).from(team).where(eq(team.id, teamId));
	if (!row) throw new ServiceError(m.error_team_missing(), 'teamId', 400);
	if (row.archivedAt) throw new ServiceError(m.team_archived_refused(), 'teamId', 409);
}

/** Every user keeps at least one role: one without any could open no page (deactivate instead). */
function assertSomeRole(roles: Role[]) {
	if (rolesProblem(roles)) throw new ServiceError(m.user_roles_none_left(), 'roles', 400);
}

export async function createUser(db: Db, input: NewUser, actorId: string | null) {
	const email = normalizeEmail(input.email);
	const roles = sortRoles(input.roles);
	if (input.password !== undefined) {
		const problem = passwordProblem(input.password, email);
		if (problem) throw new ServiceError(problem, 'password');
	}
	const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
	return db.transaction(async (tx) => {
		await assertEmailFree(tx, email);
		await assertTeamOpen(tx, input.teamId);
		assertSomeRole(roles);
		const [created] = await tx
			.insert(user)
			.values({
				email,
				displayName: input.displayName.trim(),
				locale: input.locale ?? 'en',
				teamId: input.teamId ?? null,
				passwordHash
			})
			.returning();
		if (!created) throw new Error('Insert returned no user');
		if (roles.length) await tx.insert(userRole).values(roles.map((role) => ({ userId: created.id, role })));
		await recordAudit(tx, {
			actorId,
			action: 'user.created',
			subjectType: 'user',
			subjectId: created.id,
			detail: { email, roles, teamId: created.teamId, via: passwordHash ? 'password' : 'invitation' }
		});
		// Someone created in a team joins it: they get its courses like any later member.
		if (created.teamId) await followTeamChange(tx, { userId: created.id, from: null, to: created.teamId, actorId }, defaultNotify());
		return { ...created, roles };
	});
}

/** Issues a new one-time link for a user who has not yet set a password; older links stop working. */
async function issueInvitation(tx: Executor, userId: string, actorId: string | null, now: Date) {
	await tx
		.update(invitation)
		.set({ expiresAt: now })
		.where(and(eq(invitation.userId, userId), isNull(invitation.acceptedAt)));
	const token = generateToken();
	const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
	await tx.insert(invitation).values({ tokenHash: hashToken(token), userId, invitedBy: actorId, expiresAt });
	return { token, expiresAt };
}

/** Admin invites by email: the account exists at once (without a password) and gets a one-time link. */
export async function inviteUser(db: Db, input: Omit<NewUser, 'password'>, actorId: string | null, now = new Date()) {
	const created = await createUser(db, input, actorId);
	const link = await db.transaction(async (tx) => {
		const issued = await issueInvitation(tx, created.id, actorId, now);
		await recordAudit(tx, {
			actorId,
			action: 'user.invited',
			subjectType: 'user',
			subjectId: created.id,
			detail: { email: created.email, expiresAt: issued.expiresAt.toISOString() }
		});
		return issued;
	});
	return { user: created, ...link };
}

/** A fresh link for an invited user who has not accepted yet (the old one stops working). */
export async function reinviteUser(db: Db, userId: string, actorId: string | null, now = new Date()) {
	return db.transaction(async (tx) => {
		const [target] = await tx.select().from(user).where(eq(user.id, userId));
		if (!target) throw new ServiceError(m.user_not_found(), null, 404);
		if (target.passwordHash) throw new ServiceError(m.user_has_password(), null, 409);
		const issued = await issueInvitation(tx, userId, actorId, now);
		await recordAudit(tx, {
			actorId,
			action: 'user.invited',
			subjectType: 'user',
			subjectId: userId,
			detail: { email: target.email, expiresAt: issued.expiresAt.toISOString(), again: true }
		});
		return { user: target, ...issued };
	});
}

export type InvitationLookup =
	| { ok: true; invitationId: string; userId: string; email: string; displayName: string }
	| { ok: false; reason: string };

export async function findInvitation(db: Executor, token: string, now = new Date()): Promise<InvitationLookup> {
	if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return { ok: false, reason: m.invite_link_invalid() };
	const [row] = await db
		.select({
			id: invitation.id,
			expiresAt: invitation.expiresAt,
			acceptedAt: invitation.acceptedAt,
			userId: user.id,
			email: user.email,
			displayName: user.displayName,
			active: user.active
		})
		.from(invitation)
		.innerJoin(user, eq(user.id, invitation.userId))
		.where(eq(invitation.tokenHash, hashToken(token)));
	if (!row) return { ok: false, reason: m.invite_link_invalid() };
	if (row.acceptedAt) return { ok: false, reason: m.invite_used() };
	if (row.expiresAt.getTime() <= now.getTime())
		return { ok: false, reason: m.invite_expired() };
	if (!row.active) return { ok: false, reason: m.invite_account_deactivated() };
	return { ok: true, invitationId: row.id, userId: row.userId, email: row.email, displayName: row.displayName };
}

export async function acceptInvitation(db: Db, token: string, password: string, now = new Date()) {
	const found = await findInvitation(db, token, now);
	if (!found.ok) throw new ServiceError(found.reason, null, 410);
	const problem = passwordProblem(password, found.email);
	if (problem) throw new ServiceError(problem, 'password');
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		// The guard on accepted_at makes a double submit of the same link succeed only once.
		const used = await tx
			.update(invitation)
			.set({ acceptedAt: now })
			.where(and(eq(invitation.id, found.invitationId), isNull(invitation.acceptedAt)))
			.returning({ id: invitation.id });
		if (!used.length) throw new ServiceError(m.invite_used(), null, 410);
		await tx.update(user).set({ passwordHash }).where(eq(user.id, found.userId));
		await recordAudit(tx, {
			actorId: found.userId,
			action: 'user.invitation_accepted',
			subjectType: 'user',
			subjectId: found.userId
		});
		return { userId: found.userId, email: found.email, roles: await rolesOf(tx, found.userId) };
	});
}

async function activeAdminCount(tx: Executor, excludingUserId: string): Promise<number> {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(userRole)
		.innerJoin(user, eq(user.id, userRole.userId))
		.where(and(eq(userRole.role, 'admin'), eq(user.active, true), sql`${user.id} <> ${excludingUserId}`));
	return row?.n ?? 0;
}

async function rolesOf(tx: Executor, userId: string): Promise<Role[]> {
	const rows = await tx.select({ role: userRole.role }).from(userRole).where(eq(userRole.userId, userId));
	return sortRoles(rows.map((r) => r.role));
}

/** Changing roles; someone given the technician role (and active) gets their team's courses as on joining it. */
export async function setRoles(db: Db, userId: string, roles: Role[], actorId: string | null, notify: NotifyOptions = defaultNotify()) {
	const next = sortRoles(roles);
	return db.transaction(async (tx) => {
		const [target] = await tx.select({ id: user.id, active: user.active }).from(user).where(eq(user.id, userId)).for('update');
		if (!target) throw new ServiceError(m.user_not_found(), null, 404);
		const before = await rolesOf(tx, userId);
		if (before.includes('admin') && !next.includes('admin') && target.active && (await activeAdminCount(tx, userId)) === 0)
			throw new ServiceError(m.user_last_admin(), 'roles', 409);
		assertSomeRole(next);
		if (before.join() === next.join()) return { before, after: next, changed: false };
		await tx.delete(userRole).where(eq(userRole.userId, userId));
		if (next.length) await tx.insert(userRole).values(next.map((role) => ({ userId, role })));
		await recordAudit(tx, {
			actorId,
			action: 'user.roles_changed',
			subjectType: 'user',
			subjectId: userId,
			detail: { before, after: next }
		});
		if (target.active && next.includes('technician') && !before.includes('technician')) await followRegainedEligibility(tx, { userId, actorId }, notify);
		return { before, after: next, changed: true };
	});
}

/**
 * Deactivation ends every session of the user at once; reactivation lets them sign in again and
 * gives a technician their team's courses as on joining it.
 */
export async function setActive(db: Db, userId: string, active: boolean, actorId: string | null, notify: NotifyOptions = defaultNotify()) {
	return db.transaction(async (tx) => {
		const [target] = await tx.select({ id: user.id, active: user.active }).from(user).where(eq(user.id, userId)).for('update');
		if (!target) throw new ServiceError(m.user_not_found(), null, 404);
		if (!active && actorId === userId) throw new ServiceError(m.user_cannot_deactivate_self(), null, 409);
		if (target.active === active) return { changed: false };
		if (!active && (await rolesOf(tx, userId)).includes('admin') && (await activeAdminCount(tx, userId)) === 0)
			throw new ServiceError(m.user_last_admin(), null, 409);
		await tx.update(user).set({ active }).where(eq(user.id, userId));
		if (!active) await invalidateUserSessions(tx, userId);
		await recordAudit(tx, {
			actorId,
			action: active ? 'user.reactivated' : 'user.deactivated',
			subjectType: 'user',
			subjectId: userId
		});
		if (active) await followRegainedEligibility(tx, { userId, actorId }, notify);
		return { changed: true };
	});
}

/**
 * Moves a person to another team (or none); an archived team takes no one new. Every membership change goes through here, so that
 * course assignments follow it in the same transaction: the new team's courses are given, those
 * of the team left end (see followTeamChange), and the person is told.
 */
export async function setTeam(db: Db, userId: string, teamId: string | null, actorId: string | null, notify: NotifyOptions = defaultNotify()) {
	return db.transaction(async (tx) => {
		const [target] = await tx.select({ teamId: user.teamId }).from(user).where(eq(user.id, userId)).for('update');
		if (!target) throw new ServiceError(m.user_not_found(), null, 404);
		if (target.teamId === teamId) return { changed: false };
		await assertTeamOpen(tx, teamId);
		await tx.update(user).set({ teamId }).where(eq(user.id, userId));
		await followTeamChange(tx, { userId, from: target.teamId, to: teamId, actorId }, notify);
		await recordAudit(tx, {
			actorId,
			action: 'user.team_changed',
			subjectType: 'user',
			subjectId: userId,
			detail: { before: target.teamId, after: teamId }
		});
		return { changed: true };
	});
}

export async function updateProfile(db: Executor, userId: string, input: { displayName: string; locale: Locale }) {
	await db.update(user).set({ displayName: input.displayName.trim(), locale: input.locale }).where(eq(user.id, userId));
}

/** Changing the password ends every other session of the user (a stolen cookie stops working). */
export async function changePassword(
	db: Db,
	userId: string,
	current: string,
	next: string,
	keepSessionId: string,
	now = new Date()
) {
	const [row] = await db.select({ email: user.email, passwordHash: user.passwordHash }).from(user).where(eq(user.id, userId));
	if (!row) throw new ServiceError(m.user_not_found(), null, 404);
	// Guessing the current password from a stolen session counts against the account's sign-in
	// limit, with the sign-in's own message once it is reached.
	const key = accountKey(row.email);
	const claim = await claimAttempt(db, key, ACCOUNT_POLICY, now);
	if (!claim.allowed) throw new ServiceError(lockMessage(Math.max(minutesLocked(claim.counter, now), 1)), 'currentPassword', 429);
	if (!row.passwordHash || !(await verifyPassword(row.passwordHash, current))) {
		const minutes = minutesLocked(claim.counter, now);
		throw new ServiceError(minutes > 0 ? lockMessage(minutes) : m.password_current_wrong(), 'currentPassword', minutes > 0 ? 429 : 400);
	}
	await clearFailures(db, key);
	if (current === next) throw new ServiceError(m.password_same_as_current(), 'newPassword');
	const problem = passwordProblem(next, row.email);
	if (problem) throw new ServiceError(problem, 'newPassword');
	const passwordHash = await hashPassword(next);
	await db.transaction(async (tx) => {
		await tx.update(user).set({ passwordHash }).where(eq(user.id, userId));
		await invalidateUserSessions(tx, userId, keepSessionId);
		await recordAudit(tx, { actorId: userId, action: 'user.password_changed', subjectType: 'user', subjectId: userId });
	});
}

/** Sets a new password from the command line and ends every session of the user. */
export async function resetPassword(db: Db, userId: string, password: string, actorId: string | null) {
	const [row] = await db.select({ email: user.email }).from(user).where(eq(user.id, userId));
	if (!row) throw new ServiceError(m.user_not_found(), null, 404);
	const problem = passwordProblem(password, row.email);
	if (problem) throw new ServiceError(problem, 'password');
	const passwordHash = await hashPassword(password);
	await db.transaction(async (tx) => {
		await tx.update(user).set({ passwordHash }).where(eq(user.id, userId));
		await invalidateUserSessions(tx, userId);
		await recordAudit(tx, { actorId, action: 'user.password_reset', subjectType: 'user', subjectId: userId });
	});
}

export type SignIn = { ok: true; userId: string; roles: Role[] } | { ok: false; message: string; status: 400 | 429 };

/**
 * One message for an unknown email and a wrong password, and the same argon2 work for both.
 * `badCredentials()` is in the request's language; `BAD_CREDENTIALS` is its English text.
 */
export const badCredentials = (): string => m.login_bad_credentials();
export const BAD_CREDENTIALS: string = m.login_bad_credentials({}, { locale: 'en' });

/**
 * Checks a sign-in against the per-account and per-address limits (kept in the database so
 * every app process shares them), then the password. The attempt is counted before the password
 * is checked, in one atomic step per key (`claimAttempt`), so a burst of simultaneous guesses
 * gets no more password checks than the limit allows; a right password gives its count back.
 */
export async function authenticate(db: Db, emailInput: string, password: string, address: string, now = new Date()): Promise<SignIn> {
	const email = normalizeEmail(emailInput);
	const account = accountKey(email);
	const origin = addressKey(address);
	const policy = addressPolicy();
	const [byAccount, byAddress] = await Promise.all([claimAttempt(db, account, ACCOUNT_POLICY, now), claimAttempt(db, origin, policy, now)]);
	if (!byAccount.allowed || !byAddress.allowed) {
		return { ok: false, message: lockMessage(Math.max(minutesLocked(byAccount.counter, now), minutesLocked(byAddress.counter, now), 1)), status: 429 };
	}

	const [row] = await db
		.select({ id: user.id, passwordHash: user.passwordHash, active: user.active, roles: userRolesSql })
		.from(user)
		.where(eq(user.email, email));
	const valid =
		row?.passwordHash && row.active
			? await verifyPassword(row.passwordHash, password)
			: await verifyAgainstDummy(password);
	if (valid && row) {
		await Promise.all([clearFailures(db, account), releaseAttempt(db, origin, policy)]);
		return { ok: true, userId: row.id, roles: sortRoles(row.roles ?? []) };
	}
	const locked = Math.max(minutesLocked(byAccount.counter, now), minutesLocked(byAddress.counter, now));
	if (locked > 0) return { ok: false, message: lockMessage(locked), status: 429 };
	return { ok: false, message: badCredentials(), status: 400 };
}

export interface UserRow {
	id: string;
	email: string;
	displayName: string;
	active: boolean;
	pending: boolean;
	teamId: string | null;
	teamName: string | null;
	roles: Role[];
	createdAt: Date;
}

/** Users with their roles and team in one query, filtered by text, role and team. */
export async function listUsers(
	db: Executor,
	filter: { q?: string; role?: Role; teamId?: string; limit?: number } = {}
): Promise<UserRow[]> {
	const conditions = [];
	if (filter.q) {
		const like = `%${filter.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
		conditions.push(or(ilike(user.email, like), ilike(user.displayName, like)));
	}
	if (filter.role)
		conditions.push(
			inArray(user.id, db.select({ id: userRole.userId }).from(userRole).where(eq(userRole.role, filter.role)))
		);
	if (filter.teamId) conditions.push(eq(user.teamId, filter.teamId));
	const rows = await db
		.select({
			id: user.id,
			email: user.email,
			displayName: user.displayName,
			active: user.active,
			pending: sql<boolean>`${user.passwordHash} is null`,
			teamId: user.teamId,
			teamName: team.name,
			roles: userRolesSql,
			createdAt: user.createdAt
		})
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(user.displayName), asc(user.email))
		.limit(filter.limit ?? 500);
	return rows.map((r) => ({ ...r, roles: sortRoles(r.roles ?? []) }));
}

/**
 * Teams with their member count: active technicians, the people a team assignment reaches and a
 * team page lists as members. Archived teams come only when asked for (a list to pick from leaves
 * them out: they take no one new).
 */
export async function listTeams(db: Executor, options: { includeArchived?: boolean } = {}) {
	return db
		.select({
			id: team.id,
			name: team.name,
			region: team.region,
			archived: sql<boolean>`${team.archivedAt} is not null`,
			// Names written out: drizzle leaves columns unqualified in a one-table query, so `team_id = id`
			// would compare the member's own columns and count nobody.
			members: sql<number>`(select count(*)::int from "user" u where u.team_id = "team"."id" and u.active
				and exists (select 1 from "user_role" ur where ur.user_id = u.id and ur.role = 'technician'))`
		})
		.from(team)
		.where(options.includeArchived ? undefined : isNull(team.archivedAt))
		.orderBy(asc(team.name));
}

/** Teams a manager leads, each with its active members and their roles, in two queries. */
export async function teamsLedBy(db: Executor, managerId: string) {
	const teams = await db
		.select({ id: team.id, name: team.name, region: team.region, archivedAt: team.archivedAt })
		.from(teamManager)
		.innerJoin(team, eq(team.id, teamManager.teamId))
		.where(eq(teamManager.userId, managerId))
		.orderBy(asc(team.name));
	if (!teams.length) return [];
	const members = await db
		.select({
			id: user.id,
			email: user.email,
			displayName: user.displayName,
			teamId: user.teamId,
			active: user.active,
			pending: sql<boolean>`${user.passwordHash} is null`,
			roles: userRolesSql
		})
		.from(user)
		.where(inArray(user.teamId, teams.map((t) => t.id)))
		.orderBy(asc(user.displayName));
	return teams.map((t) => ({
		...t,
		members: members.filter((m) => m.teamId === t.id).map((m) => ({ ...m, roles: sortRoles(m.roles ?? []) }))
	}));
}

export async function findUserByEmail(db: Executor, email: string) {
	const [row] = await db.select().from(user).where(eq(user.email, normalizeEmail(email)));
	return row ?? null;
}

export async function countSessions(db: Executor, userId: string): Promise<number> {
	const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(session).where(eq(session.userId, userId));
	return row?.n ?? 0;
}

/** The technician's own place in the organisation: team, its managers and teammates. */
export async function teamOf(db: Executor, userId: string) {
	const [me] = await db
		.select({ teamId: user.teamId, teamName: team.name, region: team.region })
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(eq(user.id, userId));
	if (!me?.teamId) return null;
	const people = await db
		.select({
			id: user.id,
			displayName: user.displayName,
			email: user.email,
			manages: sql<boolean>`exists (select 1 from "team_manager" tm where tm.user_id = "user"."id" and tm.team_id = ${me.teamId})`
		})
		.from(user)
		.where(
			and(
				eq(user.active, true),
				or(
					eq(user.teamId, me.teamId),
					inArray(user.id, db.select({ id: teamManager.userId }).from(teamManager).where(eq(teamManager.teamId, me.teamId)))
				)
			)
		)
		.orderBy(asc(user.displayName));
	return {
		name: me.teamName ?? '',
		region: me.region ?? '',
		managers: people.filter((p) => p.manages),
		teammates: people.filter((p) => !p.manages && p.id !== userId)
	};
}

/** Counts for the admin's overview in one query. */
export async function userCounts(db: Executor) {
	const [row] = await db
		.select({
			active: sql<number>`count(*) filter (where ${user.active} and ${user.passwordHash} is not null)::int`,
			pending: sql<number>`count(*) filter (where ${user.active} and ${user.passwordHash} is null)::int`,
			inactive: sql<number>`count(*) filter (where not ${user.active})::int`,
			technicians: sql<number>`count(*) filter (where ${user.active} and exists (select 1 from "user_role" ur where ur.user_id = "user"."id" and ur.role = 'technician'))::int`
		})
		.from(user);
	return row ?? { active: 0, pending: 0, inactive: 0, technicians: 0 };
}

export async function getUser(db: Executor, userId: string): Promise<UserRow | null> {
	const [row] = await db
		.select({
			id: user.id,
			email: user.email,
			displayName: user.displayName,
			active: user.active,
			pending: sql<boolean>`${user.passwordHash} is null`,
			teamId: user.teamId,
			teamName: team.name,
			roles: userRolesSql,
			createdAt: user.createdAt
		})
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(eq(user.id, userId));
	return row ? { ...row, roles: sortRoles(row.roles ?? []) } : null;
}

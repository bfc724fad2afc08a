import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64url, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lte, ne, sql } from 'drizzle-orm';
import type { Cookies } from '@sveltejs/kit';
import type { Executor } from '../db/types';
import { session, user } from '../db/schema';
import { userRolesSql } from '../db/sql';
import type { Role } from './roles';
import { resolveTimeZone } from '../../time-zone';
import { DEFAULT_TIME_ZONE } from '../../format';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Lucia's guide: sessions last 30 days and are extended when fewer than 15 remain. */
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
export const SESSION_RENEW_BELOW_MS = 15 * DAY_MS;
export const SESSION_COOKIE = 'sr_session';

/** 18 random bytes, base64url: 144 bits of entropy (Lucia's guide). */
export function generateToken(): string {
	const bytes = new Uint8Array(18);
	crypto.getRandomValues(bytes);
	return encodeBase64url(bytes);
}

/** Only this hash is stored, so a leaked table cannot be replayed as cookies. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Sliding expiry: the new expiry when a session is used with less than 15 days left, else null. */
export function renewedExpiry(expiresAt: Date, now: Date): Date | null {
	if (expiresAt.getTime() - now.getTime() >= SESSION_RENEW_BELOW_MS) return null;
	return new Date(now.getTime() + SESSION_LIFETIME_MS);
}

export interface SessionUser {
	id: string;
	email: string;
	displayName: string;
	locale: 'en' | 'zh-CN';
	teamId: string | null;
	roles: Role[];
	/**
	 * Changes whenever the user's learning progress is written (rows and their last writing
	 * transaction): pages rendered from that progress can be reused while it stays the same.
	 */
	progressStamp: string;
	/** The zone this person reads times in: their own, else their team's, else the organisation's. */
	timeZone: string;
	/** The organisation's zone: due and expiry dates are calendar days in it. */
	organisationTimeZone: string;
	/** The zone the person chose themselves (null: automatic). */
	ownTimeZone: string | null;
}

export interface ValidatedSession {
	id: string;
	userId: string;
	expiresAt: Date;
	/** True when this validation extended the session: its cookie must be sent again. */
	renewed?: boolean;
}

export type SessionValidation =
	| { session: ValidatedSession; user: SessionUser }
	| { session: null; user: null };

export async function createSession(
	db: Executor,
	token: string,
	userId: string,
	now = new Date()
): Promise<ValidatedSession> {
	const row = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS)
	};
	await db.insert(session).values(row);
	return row;
}

function prepareSessionLookup(db: Executor) {
	return db
		.select({
			id: session.id,
			userId: session.userId,
			expiresAt: session.expiresAt,
			email: user.email,
			displayName: user.displayName,
			locale: user.locale,
			teamId: user.teamId,
			active: user.active,
			roles: userRolesSql,
			ownTimeZone: user.timeZone,
			teamTimeZone: sql<string | null>`(select t.time_zone from "team" t where t.id = "user"."team_id")`,
			organisationTimeZone: sql<string | null>`(select o.time_zone from "organisation" o where o.id = 1)`,
			progressStamp: sql<string>`(select count(*) || ':' || coalesce(max(lp.xmin::text::bigint), 0) from "lesson_progress" lp where lp.user_id = "user"."id")`
		})
		.from(session)
		.innerJoin(user, eq(user.id, session.userId))
		.where(eq(session.id, sql.placeholder('id')))
		.prepare('session_lookup');
}

/**
 * Every request with a session cookie runs this lookup, so its SQL is built once per database
 * handle (a prepared statement on PostgreSQL) instead of once per request.
 */
const sessionLookups = new WeakMap<Executor, ReturnType<typeof prepareSessionLookup>>();

/** One indexed query: the session, its active user and the user's roles; expired sessions are removed. */
export async function validateSessionToken(
	db: Executor,
	token: string,
	now = new Date()
): Promise<SessionValidation> {
	if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return { session: null, user: null };
	const sessionId = hashToken(token);
	let lookup = sessionLookups.get(db);
	if (!lookup) sessionLookups.set(db, (lookup = prepareSessionLookup(db)));
	const [row] = await lookup.execute({ id: sessionId });
	if (!row) return { session: null, user: null };
	if (!row.active || row.expiresAt.getTime() <= now.getTime()) {
		await db.delete(session).where(eq(session.id, sessionId));
		return { session: null, user: null };
	}
	let expiresAt = row.expiresAt;
	const renewed = renewedExpiry(expiresAt, now);
	if (renewed) {
		await db.update(session).set({ expiresAt: renewed }).where(eq(session.id, sessionId));
		expiresAt = renewed;
	}
	return {
		session: { id: row.id, userId: row.userId, expiresAt, renewed: renewed !== null },
		user: {
			id: row.userId,
			email: row.email,
			displayName: row.displayName,
			locale: row.locale,
			teamId: row.teamId,
			roles: row.roles ?? [],
			progressStamp: row.progressStamp,
			timeZone: resolveTimeZone(row.ownTimeZone, row.teamTimeZone, row.organisationTimeZone, DEFAULT_TIME_ZONE),
			organisationTimeZone: resolveTimeZone(row.organisationTimeZone, DEFAULT_TIME_ZONE),
			ownTimeZone: row.ownTimeZone
		}
	};
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
	await db.delete(session).where(eq(session.id, sessionId));
}

/** Ends every session of a user, or every one but `keepSessionId` (after a password change). */
export async function invalidateUserSessions(
	db: Executor,
	userId: string,
	keepSessionId?: string
): Promise<void> {
	await db
		.delete(session)
		.where(
			keepSessionId
				? and(eq(session.userId, userId), ne(session.id, keepSessionId))
				: eq(session.userId, userId)
		);
}

export async function deleteExpiredSessions(db: Executor, now = new Date()): Promise<void> {
	await db.delete(session).where(lte(session.expiresAt, now));
}

export function setSessionCookie(
	cookies: Cookies,
	token: string,
	expiresAt: Date,
	secure: boolean
): void {
	cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		path: '/',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

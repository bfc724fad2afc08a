import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import type { Executor } from '../db/types';
import { API_SCOPES, apiToken, user, type ApiScope } from '../db/schema';
import { recordAudit } from '../audit';
import { hashToken } from '../auth/session';
import { ServiceError } from '../errors';
import { m } from '../../paraglide/messages.js';

export const TOKEN_PREFIX = 'sr_';
export const TOKEN_NAME_MAX = 80;
/** `sr_` and 32 random bytes in base64url without padding: 256 bits of entropy. */
export const TOKEN_PATTERN = /^sr_[A-Za-z0-9_-]{43}$/;
/** Rule "last used": written at most once a minute, so that a busy token does not write on every call. */
export const LAST_USED_EVERY_MS = 60_000;

export const isScope = (value: string): value is ApiScope => (API_SCOPES as readonly string[]).includes(value);

/** A new secret token, shown once to the person who creates it; only `hashToken(secret)` is stored. */
export function generateApiToken(): string {
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	return TOKEN_PREFIX + encodeBase64urlNoPadding(bytes);
}

export interface TokenDraft {
	name: string;
	scopes: readonly string[];
}

/**
 * Rule "token draft": a name of 1–80 characters after trimming, and at least one scope, each one
 * of API_SCOPES. Returns the cleaned draft (scopes once each, in API_SCOPES order) or the problem
 * per field as a message.
 */
export function checkTokenDraft(draft: TokenDraft): { ok: true; name: string; scopes: ApiScope[] } | { ok: false; field: 'name' | 'scopes'; message: string } {
	const name = draft.name.trim();
	if (!name) return { ok: false, field: 'name', message: m.token_name_required() };
	if (name.length > TOKEN_NAME_MAX) return { ok: false, field: 'name', message: m.token_name_too_long({ max: TOKEN_NAME_MAX }) };
	const unknown = draft.scopes.find((s) => !isScope(s));
	if (unknown !== undefined) return { ok: false, field: 'scopes', message: m.token_scope_unknown({ scope: unknown.slice(0, 40), scopes: API_SCOPES.join(', ') }) };
	if (draft.scopes.length === 0) return { ok: false, field: 'scopes', message: m.token_scopes_none() };
	return { ok: true, name, scopes: API_SCOPES.filter((s) => draft.scopes.includes(s)) };
}

/** Rule "last used": true when the stored time is missing or at least a minute old. */
export function shouldTouch(lastUsedAt: Date | null, now: Date): boolean {
	return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_EVERY_MS;
}

export interface TokenSummary {
	id: string;
	name: string;
	scopes: ApiScope[];
	createdAt: Date;
	createdByName: string | null;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
	revokedByName: string | null;
}

/** Creates a token; returns it with the secret, which is never stored and cannot be shown again. Audited. */
export async function createApiToken(db: Db, draft: TokenDraft, actorId: string | null): Promise<{ token: TokenSummary; secret: string }> {
	const checked = checkTokenDraft(draft);
	if (!checked.ok) throw new ServiceError(checked.message, checked.field);
	const secret = generateApiToken();
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(apiToken)
			.values({ name: checked.name, scopes: checked.scopes, tokenHash: hashToken(secret), createdBy: actorId })
			.onConflictDoNothing({ target: apiToken.name })
			.returning();
		if (!row) throw new ServiceError(m.token_name_taken({ name: checked.name }), 'name', 409);
		await recordAudit(tx, { actorId, action: 'api_token.created', subjectType: 'api_token', subjectId: row.id, detail: { name: row.name, scopes: row.scopes } });
		const [summary] = await summaries(tx, row.id);
		return { token: summary!, secret };
	});
}

function summaries(db: Executor, id?: string) {
	const creator = alias(user, 'creator');
	const revoker = alias(user, 'revoker');
	return db
		.select({
			id: apiToken.id,
			name: apiToken.name,
			scopes: apiToken.scopes,
			createdAt: apiToken.createdAt,
			createdByName: creator.displayName,
			lastUsedAt: apiToken.lastUsedAt,
			revokedAt: apiToken.revokedAt,
			revokedByName: revoker.displayName
		})
		.from(apiToken)
		.leftJoin(creator, eq(creator.id, apiToken.createdBy))
		.leftJoin(revoker, eq(revoker.id, apiToken.revokedBy))
		.where(id ? eq(apiToken.id, id) : undefined)
		.orderBy(sql`${apiToken.revokedAt} is not null`, asc(apiToken.name));
}

/** Every token, active ones first, by name: never the hash. One query. */
export function listApiTokens(db: Executor): Promise<TokenSummary[]> {
	return summaries(db);
}

/** A token by its name (unique), or null. */
export async function findApiTokenByName(db: Executor, name: string): Promise<TokenSummary | null> {
	const [row] = await db.select({ id: apiToken.id }).from(apiToken).where(eq(apiToken.name, name.trim()));
	return row ? ((await summaries(db, row.id))[0] ?? null) : null;
}

/**
 * Revokes a token at once: the next call with it is refused. Revoking it again is refused and
 * changes nothing. Audited.
 */
export async function revokeApiToken(db: Db, id: string, actorId: string | null, now = new Date()): Promise<TokenSummary> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(apiToken)
			.set({ revokedAt: now, revokedBy: actorId })
			.where(and(eq(apiToken.id, id), isNull(apiToken.revokedAt)))
			.returning({ id: apiToken.id, name: apiToken.name });
		if (!row) {
			const [existing] = await tx.select({ name: apiToken.name }).from(apiToken).where(eq(apiToken.id, id));
			if (!existing) throw new ServiceError(m.token_not_found(), null, 404);
			throw new ServiceError(m.token_already_revoked({ name: existing.name }), null, 409);
		}
		await recordAudit(tx, { actorId, action: 'api_token.revoked', subjectType: 'api_token', subjectId: row.id, detail: { name: row.name } });
		const [summary] = await summaries(tx, row.id);
		return summary!;
	});
}

/** The caller of an API request, as kept on `event.locals.apiToken`. */
export interface ApiCaller {
	id: string;
	name: string;
	scopes: ApiScope[];
}

export type TokenIdentity = { status: 'valid'; caller: ApiCaller } | { status: 'revoked'; caller: ApiCaller } | { status: 'unknown' };

/**
 * Who presents `secret`: one lookup by the hash's unique index. A valid token's last use is
 * recorded at most once a minute (the condition sits in the UPDATE, so concurrent calls write once).
 */
export async function identifyApiToken(db: Executor, secret: string, now = new Date()): Promise<TokenIdentity> {
	if (!TOKEN_PATTERN.test(secret)) return { status: 'unknown' };
	const [row] = await db
		.select({ id: apiToken.id, name: apiToken.name, scopes: apiToken.scopes, lastUsedAt: apiToken.lastUsedAt, revokedAt: apiToken.revokedAt })
		.from(apiToken)
		.where(eq(apiToken.tokenHash, hashToken(secret)));
	if (!row) return { status: 'unknown' };
	const caller = { id: row.id, name: row.name, scopes: row.scopes };
	if (row.revokedAt) return { status: 'revoked', caller };
	if (shouldTouch(row.lastUsedAt, now)) {
		const stale = new Date(now.getTime() - LAST_USED_EVERY_MS);
		await db
			.update(apiToken)
			.set({ lastUsedAt: now })
			.where(and(eq(apiToken.id, row.id), or(isNull(apiToken.lastUsedAt), lte(apiToken.lastUsedAt, stale))));
	}
	return { status: 'valid', caller };
}

/** The caller for a valid token; null for an unknown, malformed or revoked one. */
export async function authenticateApiToken(db: Executor, secret: string, now = new Date()): Promise<ApiCaller | null> {
	const identity = await identifyApiToken(db, secret, now);
	return identity.status === 'valid' ? identity.caller : null;
}

import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { z } from 'zod';
import { DURATION_MAX, OVERRIDE_REASON_MAX, SITE_LABEL_MAX } from '../dispatch/rules';
import { ApiError, type Issue } from './respond';

/**
 * Request parsing for the dispatch API: every function here either returns clean values or
 * throws an ApiError with a message a client's developer can act on.
 */

export const MAX_IDS = 200;
export const LIMIT_MAX = 200;
export const LIMIT_DEFAULT = 50;
/** Far above any valid request (200 ids and a 1000-character reason are a few KiB). */
export const BODY_MAX_BYTES = 64 * 1024;
export const INSTANT_HINT = 'an ISO 8601 date and time with a timezone, such as 2026-06-01T09:00:00Z or 2026-06-01T17:00:00+08:00';

// ------------------------------------------------------------------ instants

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (year: number, month: number) => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/**
 * Rule "instant": an ISO 8601 / RFC 3339 date and time WITH a timezone (`Z` or `±hh:mm`), seconds
 * and fractions optional, every field in range (no 24:00, no leap second, no 30 February). A
 * time without a zone is refused: it would mean a different moment on every server. Fractions
 * beyond milliseconds are cut. Returns null when malformed.
 */
export function parseInstant(value: string): Date | null {
	const match = INSTANT.exec(value);
	if (!match) return null;
	const [, y, mo, d, h, mi, s = '0', frac = '', z, sign, oh, om] = match;
	const year = Number(y);
	const month = Number(mo);
	const day = Number(d);
	const hour = Number(h);
	const minute = Number(mi);
	const second = Number(s);
	if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
	if (hour > 23 || minute > 59 || second > 59) return null;
	let offset = 0;
	if (!z) {
		if (Number(oh) > 23 || Number(om) > 59) return null;
		offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
	}
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	date.setUTCHours(hour, minute - offset, second, Number(frac.padEnd(3, '0').slice(0, 3)));
	return date;
}

const instant = (field: string) =>
	z.string({ error: `${field} must be ${INSTANT_HINT}.` }).transform((value, ctx) => {
		const date = parseInstant(value);
		if (date) return date;
		ctx.addIssue({ code: 'custom', message: `${field} must be ${INSTANT_HINT}; got "${value.slice(0, 60)}".` });
		return z.NEVER;
	});

// ------------------------------------------------------------------ issues

function fieldOf(path: readonly PropertyKey[]): string {
	return path.map(String).join('.');
}

/** Zod's issues as `{ field, message }`, with the first as the error's message. */
export function invalidRequest(error: z.ZodError): ApiError {
	const issues: Issue[] = error.issues.flatMap((issue) => {
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), message: `Unknown field "${fieldOf([...issue.path, key])}".` }));
		}
		const field = fieldOf(issue.path);
		const message = issue.message.startsWith(field) || !field ? issue.message : `${field}: ${issue.message}`;
		return [{ field, message }];
	});
	return new ApiError(400, 'invalid-request', issues[0]?.message ?? 'The request is not valid.', { issues });
}

function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const parsed = schema.safeParse(input);
	if (!parsed.success) throw invalidRequest(parsed.error);
	return parsed.data;
}

// ------------------------------------------------------------------ bodies

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads a JSON request body: `Content-Type: application/json`, at most BODY_MAX_BYTES (counted
 * while reading, whatever Content-Length says), valid UTF-8, valid JSON.
 */
export async function readJsonBody(request: Request, maxBytes = BODY_MAX_BYTES): Promise<unknown> {
	const type = request.headers.get('content-type') ?? '';
	if (!JSON_TYPE.test(type)) {
		throw new ApiError(415, 'unsupported-media-type', `Send the body as JSON with Content-Type: application/json${type ? ` (got ${type.slice(0, 60)})` : ''}.`);
	}
	const tooLarge = () => new ApiError(413, 'payload-too-large', `The body is larger than ${maxBytes} bytes.`);
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
	if (!request.body) throw new ApiError(400, 'invalid-json', 'The body is empty; send a JSON object.');
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = request.body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > maxBytes) {
				void reader.cancel().catch(() => {});
				throw tooLarge();
			}
			chunks.push(value);
		}
	} catch (e) {
		if (e instanceof ApiError) throw e;
		// The server's own limit (adapter-node's BODY_SIZE_LIMIT) fails the stream with status 413.
		if ((e as { status?: number }).status === 413) throw tooLarge();
		throw new ApiError(400, 'invalid-json', 'The body could not be read.');
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		throw new ApiError(400, 'invalid-json', 'The body is not valid UTF-8.');
	}
	if (!text.trim()) throw new ApiError(400, 'invalid-json', 'The body is empty; send a JSON object.');
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new ApiError(400, 'invalid-json', `The body is not valid JSON: ${(e as Error).message}`);
	}
}

const id = (field: string) =>
	z
		.string({ error: `${field} must be a string.` })
		.min(1, { error: `${field} must not be empty.` })
		.max(100, { error: `${field} is at most 100 characters.` });

const durationMinutes = z
	.number({ error: 'durationMinutes must be a number.' })
	.int({ error: 'durationMinutes must be a whole number of minutes.' })
	.min(1, { error: `durationMinutes must be from 1 to ${DURATION_MAX}.` })
	.max(DURATION_MAX, { error: `durationMinutes must be from 1 to ${DURATION_MAX}.` });

/**
 * Text stored as sent: PostgreSQL text cannot hold NUL, and an unpaired surrogate (legal in JSON's
 * \u escapes, not in Unicode) would silently become U+FFFD.
 */
const isStorableText = (value: string) => value.isWellFormed() && !value.includes('\u0000');
const storable = (field: string) => ({ error: `${field} must be text without NUL characters or unpaired surrogates.` });

const object = (message: string) => ({ error: (issue: { input?: unknown; code?: string }) => (issue.code === 'invalid_type' ? message : undefined) });

export const eligibilityBodySchema = z.strictObject(
	{
		jobTypeId: id('jobTypeId'),
		technicianIds: z
			.array(id('Each technician id'), { error: 'technicianIds must be an array of technician ids.' })
			.min(1, { error: `technicianIds must hold 1 to ${MAX_IDS} ids.` })
			.max(MAX_IDS, { error: `technicianIds must hold 1 to ${MAX_IDS} ids.` }),
		at: instant('at'),
		durationMinutes: durationMinutes.optional()
	},
	object('The body must be a JSON object.')
);
export type EligibilityRequest = z.output<typeof eligibilityBodySchema>;

export function parseEligibilityBody(body: unknown): EligibilityRequest {
	const parsed = parseWith(eligibilityBodySchema, body);
	return { ...parsed, technicianIds: [...new Set(parsed.technicianIds.map((id) => id.toLowerCase()))] };
}

export const jobBodySchema = z.strictObject(
	{
		jobTypeId: id('jobTypeId'),
		technicianId: id('technicianId'),
		siteLabel: z
			.string({ error: 'siteLabel must be a string.' })
			.trim()
			.min(1, { error: 'siteLabel (the customer or site) is required.' })
			.max(SITE_LABEL_MAX, { error: `siteLabel is at most ${SITE_LABEL_MAX} characters.` })
			.refine(isStorableText, storable('siteLabel')),
		scheduledAt: instant('scheduledAt'),
		durationMinutes,
		teamId: id('teamId').optional(),
		overrideReason: z
			.string({ error: 'overrideReason must be a string.' })
			.max(OVERRIDE_REASON_MAX, { error: `overrideReason is at most ${OVERRIDE_REASON_MAX} characters.` })
			.refine(isStorableText, storable('overrideReason'))
			.nullable()
			.optional()
	},
	object('The body must be a JSON object.')
);
export type JobRequest = z.output<typeof jobBodySchema>;

export function parseJobBody(body: unknown): JobRequest {
	return parseWith(jobBodySchema, body);
}

const overrideReasonField = z
	.string({ error: 'overrideReason must be a string.' })
	.max(OVERRIDE_REASON_MAX, { error: `overrideReason is at most ${OVERRIDE_REASON_MAX} characters.` })
	.refine(isStorableText, storable('overrideReason'))
	.nullable()
	.optional();

/** A change to a job: every field optional, at least one given. */
export const jobEditBodySchema = z
	.strictObject(
		{
			jobTypeId: id('jobTypeId').optional(),
			siteLabel: z
				.string({ error: 'siteLabel must be a string.' })
				.trim()
				.min(1, { error: 'siteLabel (the customer or site) must not be empty.' })
				.max(SITE_LABEL_MAX, { error: `siteLabel is at most ${SITE_LABEL_MAX} characters.` })
				.refine(isStorableText, storable('siteLabel'))
				.optional(),
			scheduledAt: instant('scheduledAt').optional(),
			durationMinutes: durationMinutes.optional(),
			overrideReason: overrideReasonField
		},
		object('The body must be a JSON object.')
	)
	.refine((edit) => edit.jobTypeId !== undefined || edit.siteLabel !== undefined || edit.scheduledAt !== undefined || edit.durationMinutes !== undefined, {
		error: 'Give at least one of scheduledAt, siteLabel, jobTypeId or durationMinutes to change.'
	});
export type JobEditRequest = z.output<typeof jobEditBodySchema>;

export function parseJobEditBody(body: unknown): JobEditRequest {
	return parseWith(jobEditBodySchema, body);
}

export const jobCancelBodySchema = z.strictObject(
	{
		reason: z
			.string({ error: 'reason must be a string.' })
			.trim()
			.min(1, { error: 'reason (why the job is cancelled) must not be empty.' })
			.max(OVERRIDE_REASON_MAX, { error: `reason is at most ${OVERRIDE_REASON_MAX} characters.` })
			.refine(isStorableText, storable('reason'))
	},
	object('The body must be a JSON object.')
);
export type JobCancelRequest = z.output<typeof jobCancelBodySchema>;

export function parseJobCancelBody(body: unknown): JobCancelRequest {
	return parseWith(jobCancelBodySchema, body);
}

// ------------------------------------------------------------------ query strings

/**
 * The query string as single values: a parameter that is not `allowed`, or given twice, is
 * refused rather than silently ignored (a misspelt `durationMinute` must not change the answer).
 */
export function queryValues<K extends string>(params: URLSearchParams, allowed: readonly K[]): Partial<Record<K, string>> {
	const values: Partial<Record<K, string>> = {};
	const issues: Issue[] = [];
	for (const key of new Set(params.keys())) {
		if (!(allowed as readonly string[]).includes(key)) issues.push({ field: key, message: `Unknown query parameter "${key.slice(0, 40)}"; this endpoint takes ${allowed.join(', ')}.` });
		else if (params.getAll(key).length > 1) issues.push({ field: key, message: `Give the query parameter "${key}" once.` });
		else values[key as K] = params.get(key)!;
	}
	if (issues.length) throw new ApiError(400, 'invalid-request', issues[0]!.message, { issues });
	return values;
}

const wholeNumber = (field: string, min: number, max: number) =>
	z.string().transform((value, ctx) => {
		if (/^\d{1,6}$/.test(value)) {
			const n = Number(value);
			if (n >= min && n <= max) return n;
		}
		ctx.addIssue({ code: 'custom', message: `${field} must be a whole number from ${min} to ${max}; got "${value.slice(0, 20)}".` });
		return z.NEVER;
	});

const required = (field: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required in the query string.` : undefined) });

const eligibilityQuerySchema = z.object({
	jobTypeId: z.string(required('jobTypeId')),
	technicianId: z.string(required('technicianId')),
	at: z.string(required('at')).pipe(instant('at')),
	durationMinutes: wholeNumber('durationMinutes', 1, DURATION_MAX).optional()
});

/** `GET /eligibility?jobTypeId&technicianId&at[&durationMinutes]`: one technician. */
export function parseEligibilityQuery(params: URLSearchParams): EligibilityRequest {
	const q = parseWith(eligibilityQuerySchema, queryValues(params, ['jobTypeId', 'technicianId', 'at', 'durationMinutes']));
	return { jobTypeId: q.jobTypeId, technicianIds: [q.technicianId.toLowerCase()], at: q.at, durationMinutes: q.durationMinutes };
}

const eligibleQuerySchema = z.object({
	at: z.string(required('at')).pipe(instant('at')),
	durationMinutes: wholeNumber('durationMinutes', 1, DURATION_MAX).optional(),
	limit: wholeNumber('limit', 1, LIMIT_MAX).default(LIMIT_DEFAULT),
	cursor: z.string().optional()
});
export type EligibleQuery = z.output<typeof eligibleQuerySchema>;

export function parseEligibleQuery(params: URLSearchParams): EligibleQuery {
	return parseWith(eligibleQuerySchema, queryValues(params, ['at', 'durationMinutes', 'limit', 'cursor']));
}

const certificationsQuerySchema = z.object({ at: instant('at').optional() });

/** `?at=` is optional here: without it, the certifications now. */
export function parseCertificationsQuery(params: URLSearchParams, now = new Date()): { at: Date } {
	const q = parseWith(certificationsQuerySchema, queryValues(params, ['at']));
	return { at: q.at ?? now };
}

// ------------------------------------------------------------------ cursors

/** What a page of eligible technicians continues from, and the query it belongs to. */
export interface Cursor {
	after: string;
	jobTypeId: string;
	at: Date;
	durationMinutes: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque cursor: base64url of a small JSON array. Opaque to clients, so its form can change. */
export function encodeCursor(cursor: Cursor): string {
	const payload = [1, cursor.after, cursor.jobTypeId, cursor.at.getTime(), cursor.durationMinutes];
	return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(payload)));
}

/** Reads a cursor, or null when it is not one this server made. */
export function decodeCursor(value: string): Cursor | null {
	if (value.length > 300 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
	let payload: unknown;
	try {
		payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64urlIgnorePadding(value)));
	} catch {
		return null;
	}
	if (!Array.isArray(payload) || payload.length !== 5 || payload[0] !== 1) return null;
	const [, after, jobTypeId, at, durationMinutes] = payload as unknown[];
	if (typeof after !== 'string' || !UUID.test(after) || typeof jobTypeId !== 'string' || !UUID.test(jobTypeId)) return null;
	if (typeof at !== 'number' || !Number.isSafeInteger(at) || Number.isNaN(new Date(at).getTime())) return null;
	if (durationMinutes !== null && (typeof durationMinutes !== 'number' || !Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > DURATION_MAX)) return null;
	return { after, jobTypeId, at: new Date(at), durationMinutes: durationMinutes as number | null };
}

/**
 * The id to continue after, from `cursor` given with a query: refused when malformed or made for
 * another job type, instant or duration (its page boundary would mean nothing there).
 */
export function cursorFor(value: string | undefined, query: { jobTypeId: string; at: Date; durationMinutes?: number }): string | undefined {
	if (value === undefined) return undefined;
	const cursor = decodeCursor(value);
	if (!cursor) throw new ApiError(400, 'invalid-cursor', 'cursor is not a cursor from this API; pass nextCursor from the previous page unchanged.', { issues: [{ field: 'cursor', message: 'Not a cursor from this API.' }] });
	if (cursor.jobTypeId !== query.jobTypeId.toLowerCase() || cursor.at.getTime() !== query.at.getTime() || cursor.durationMinutes !== (query.durationMinutes ?? null)) {
		throw new ApiError(400, 'invalid-cursor', 'cursor belongs to another query; repeat the same job type, at and durationMinutes as for the first page.', {
			issues: [{ field: 'cursor', message: 'Made for another query.' }]
		});
	}
	return cursor.after;
}

/**
 * JSON responses of the dispatch API. Every error has one shape, `{ error: { code, message,
 * details? } }`, so that a client handles them all in one place.
 */

export const API_ERROR_CODES = [
	'unauthorized',
	'forbidden',
	'not-found',
	'method-not-allowed',
	'invalid-json',
	'invalid-request',
	'unsupported-media-type',
	'payload-too-large',
	'invalid-cursor',
	'unknown-job-type',
	'unknown-technician',
	'unknown-team',
	'job-type-archived',
	'job-cancelled',
	'other-team',
	'not-eligible',
	'service-unavailable'
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export type ApiErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415;

/** One problem with one field of a request; `field` is a dotted path such as `technicianIds.3`. */
export interface Issue {
	field: string;
	message: string;
}

export interface ErrorDetails {
	issues?: Issue[];
	technicianIds?: string[];
	technicianId?: string;
	reasons?: unknown[];
	allowed?: string[];
	scope?: string;
	technicianTeamId?: string | null;
	jobTeamId?: string;
}

/** A refusal thrown by request parsing or an operation; `endpoint()` turns it into a response. */
export class ApiError extends Error {
	constructor(
		readonly status: ApiErrorStatus,
		readonly code: ApiErrorCode,
		message: string,
		readonly details?: ErrorDetails,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
		this.name = 'ApiError';
	}
}

/**
 * A JSON response. API answers depend on the token and the moment, so no cache may keep them
 * unless the caller says otherwise (the OpenAPI document does).
 */
export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
	return new Response(JSON.stringify(body), {
		status: init.status ?? 200,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...init.headers }
	});
}

export function errorBody(code: ApiErrorCode, message: string, details?: ErrorDetails) {
	return { error: details ? { code, message, details } : { code, message } };
}

export function errorResponse(e: ApiError): Response {
	return apiJson(errorBody(e.code, e.message, e.details), { status: e.status, headers: e.headers });
}

/** RFC 6750 §3: the challenge sent with 401 (and, naming the scope, with 403). */
export const BEARER_CHALLENGE = 'Bearer realm="serviceready"';

import { error, json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { extractLocaleFromRequest } from '$lib/paraglide/runtime';
import { isDatabaseUnavailable } from './db/connection';
import { isApiRoute } from './api/handle';
import { errorBody } from './api/respond';

/** Seconds a client is asked to wait before trying again (RFC 9110 §10.2.3, Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Requests whose load, action or endpoint met an unreachable database. SvelteKit catches those
 * errors itself and reports them to `handleError`, which notes the request here; the hook then
 * answers 503 instead of the 500 SvelteKit rendered. Keyed by `locals`: SvelteKit hands
 * `resolve` and `handleError` shallow copies of the event, which all share that one object.
 */
const unavailableRequests = new WeakSet<App.Locals>();

/**
 * For `handleError`: true (and the request noted) when the error is an unreachable database. It
 * is logged in one line: an outage is expected to pass, and a stack per request would bury the log.
 */
export function noteUnavailable(e: unknown, event: RequestEvent): boolean {
	if (!isDatabaseUnavailable(e)) return false;
	unavailableRequests.add(event.locals);
	logUnavailable(e, event);
	return true;
}

function logUnavailable(e: unknown, event: RequestEvent) {
	const cause = (e as { cause?: { message?: unknown } }).cause?.message ?? (e as { message?: unknown }).message;
	console.error(`Database unavailable, answered 503: ${event.request.method} ${event.url.pathname}: ${String(cause)}`);
}

/**
 * While the database cannot be reached (PostgreSQL restarting or failing over), every request is
 * answered 503 with "try again" — pages with the static error page, form actions and data in the
 * shape SvelteKit's client reads, the API with its JSON error — instead of a 500. Nothing else is
 * needed to recover: the connection pool reconnects on the next query once the server is back.
 * Runs first, so that it also sees failures of the session lookup in the hooks after it.
 */
export const handleUnavailable: Handle = async ({ event, resolve }) => {
	try {
		const response = await resolve(event);
		if (!unavailableRequests.has(event.locals)) return response;
	} catch (e) {
		if (!isDatabaseUnavailable(e)) throw e;
		logUnavailable(e, event);
	}
	return unavailableResponse(event);
};

function unavailableResponse(event: RequestEvent): Response {
	const headers = { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' };
	if (isApiRoute(event.route.id)) {
		const body = errorBody('service-unavailable', `The service cannot reach its database for a moment; try again in ${RETRY_AFTER_SECONDS} seconds.`);
		return json(body, { status: 503, headers });
	}
	// The person's language without the database: their language cookie (kept equal to their
	// profile), else the browser's Accept-Language.
	const message = m.fault_unavailable({}, { locale: extractLocaleFromRequest(event.request) });
	const accept = event.request.headers.get('accept') ?? '';
	if (event.request.method === 'POST' && !event.isDataRequest && accept.includes('application/json')) {
		// A form action sent by `use:enhance`: its client shows the error page with this status.
		return json({ type: 'error', error: { message } }, { status: 503, headers });
	}
	// Pages get src/error.html (no layout: its data needs the database), data requests JSON.
	error(503, { message });
}

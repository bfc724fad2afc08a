import type { Handle } from '@sveltejs/kit';
import { recordAudit } from '../audit';
import { identifyApiToken, type ApiCaller } from './tokens';
import { ApiError, BEARER_CHALLENGE, errorResponse } from './respond';

export const API_PREFIX = '/api/v1';
/** The API's description is public, so that a client can be built before it holds a token (route ids). */
export const PUBLIC_API_ROUTES = ['/api/v1/openapi.json'];

/** Whether SvelteKit routed the request to the API (route ids under /api/v1), however the path was spelled. */
export const isApiRoute = (routeId: string | null) => routeId !== null && (routeId === API_PREFIX || routeId.startsWith(API_PREFIX + '/'));

/** RFC 6750 §2.1: `Authorization: Bearer <token>`; the scheme is case-insensitive. */
export function readBearer(header: string | null): { ok: true; token: string } | { ok: false; problem: 'missing' | 'malformed' } {
	if (header === null || header.trim() === '') return { ok: false, problem: 'missing' };
	const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
	return match ? { ok: true, token: match[1]! } : { ok: false, problem: 'malformed' };
}

function unauthorized(message: string, invalidToken: boolean): Response {
	return errorResponse(
		new ApiError(401, 'unauthorized', message, undefined, {
			'www-authenticate': invalidToken ? `${BEARER_CHALLENGE}, error="invalid_token"` : BEARER_CHALLENGE
		})
	);
}

/**
 * Authenticates a call to /api/v1 by its bearer token (never by a cookie), puts the caller on
 * `event.locals.apiToken`, and audits the call with its final status — also when refused, as long
 * as the token is known (a revoked token's use is worth seeing). One insert per call.
 */
export const handleApiRequest: Handle = async ({ event, resolve }) => {
	event.locals.apiToken = null;
	if (event.route.id !== null && PUBLIC_API_ROUTES.includes(event.route.id)) return resolve(event);
	const bearer = readBearer(event.request.headers.get('authorization'));
	if (!bearer.ok) {
		return bearer.problem === 'missing'
			? unauthorized('An API token is required: send the header Authorization: Bearer <token>.', false)
			: unauthorized('The Authorization header must be "Bearer <token>".', true);
	}
	const identity = await identifyApiToken(event.locals.db, bearer.token);
	if (identity.status === 'unknown') return unauthorized('This API token is not valid.', true);
	let response: Response;
	if (identity.status === 'revoked') {
		response = unauthorized('This API token has been revoked.', true);
	} else {
		event.locals.apiToken = identity.caller;
		response = await resolve(event);
	}
	await auditCall(event.locals.db, identity.caller, event.request.method, event.url.pathname, response.status);
	return response;
};

async function auditCall(db: App.Locals['db'], caller: ApiCaller, method: string, path: string, status: number) {
	try {
		await recordAudit(db, { actorId: null, action: 'api.call', subjectType: 'api_token', subjectId: caller.id, detail: { token: caller.name, method, path: path.slice(0, 500), status } });
	} catch (e) {
		// The call has already happened (a job may exist): failing it now would invite a retry that
		// creates the job twice. The failure is logged for the operator instead.
		console.error(`Auditing API call ${method} ${path} by token "${caller.name}" failed:`, e);
	}
}

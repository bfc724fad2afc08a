import type { RequestEvent } from '@sveltejs/kit';
import type { ApiScope } from '../db/schema';
import type { ApiCaller } from './tokens';
import { ApiError, BEARER_CHALLENGE, errorResponse } from './respond';

/**
 * A dispatch API handler: answers only a caller holding `scope`, and turns an ApiError thrown
 * anywhere below into its JSON response. The hook has already refused calls without a valid token;
 * the check here is a second lock, so that a handler can never run without one.
 */
export function endpoint<E extends RequestEvent>(scope: ApiScope, run: (event: E, caller: ApiCaller) => Promise<Response>): (event: E) => Promise<Response> {
	return async (event) => {
		const caller = event.locals.apiToken;
		if (!caller) return errorResponse(new ApiError(401, 'unauthorized', 'A valid API token is required.', undefined, { 'www-authenticate': BEARER_CHALLENGE }));
		if (!caller.scopes.includes(scope)) {
			return errorResponse(
				new ApiError(403, 'forbidden', `This token lacks the scope ${scope}, which ${event.request.method} ${event.url.pathname} needs.`, { scope }, {
					'www-authenticate': `${BEARER_CHALLENGE}, error="insufficient_scope", scope="${scope}"`
				})
			);
		}
		try {
			return await run(event, caller);
		} catch (e) {
			if (e instanceof ApiError) return errorResponse(e);
			throw e;
		}
	};
}

/** The `fallback` of an API route: JSON 405 naming the methods it takes (HEAD comes with GET). */
export function methodNotAllowed(...allowed: Array<'GET' | 'POST' | 'PATCH'>) {
	const list: string[] = allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed;
	return async ({ request }: RequestEvent) =>
		errorResponse(new ApiError(405, 'method-not-allowed', `${request.method} is not allowed here; use ${allowed.join(' or ')}.`, { allowed: list }, { allow: list.join(', ') }));
}

/** Any path under /api/v1 that names no endpoint. */
export async function notFound({ request, url }: RequestEvent): Promise<Response> {
	return errorResponse(new ApiError(404, 'not-found', `No endpoint ${request.method} ${url.pathname}; see /api/v1/openapi.json.`));
}

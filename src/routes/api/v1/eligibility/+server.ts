import type { RequestHandler } from './$types';
import { endpoint, methodNotAllowed } from '$lib/server/api/endpoint';
import { apiJson } from '$lib/server/api/respond';
import { parseEligibilityBody, parseEligibilityQuery, readJsonBody } from '$lib/server/api/parse';
import { eligibility } from '$lib/server/api/dispatch';

/** One technician, from the query string. */
export const GET: RequestHandler = endpoint('eligibility:read', async ({ locals, url }) => {
	return apiJson(await eligibility(locals.db, parseEligibilityQuery(url.searchParams)));
});

/** Up to 200 technicians at once. */
export const POST: RequestHandler = endpoint('eligibility:read', async ({ locals, request }) => {
	return apiJson(await eligibility(locals.db, parseEligibilityBody(await readJsonBody(request))));
});

export const fallback = methodNotAllowed('GET', 'POST');

import type { RequestHandler } from './$types';
import { endpoint, methodNotAllowed } from '$lib/server/api/endpoint';
import { apiJson } from '$lib/server/api/respond';
import { queryValues } from '$lib/server/api/parse';
import { jobTypesList } from '$lib/server/api/dispatch';

export const GET: RequestHandler = endpoint('eligibility:read', async ({ locals, url }) => {
	queryValues(url.searchParams, []);
	return apiJson(await jobTypesList(locals.db));
});

export const fallback = methodNotAllowed('GET');

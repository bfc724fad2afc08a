import type { RequestHandler } from './$types';
import { endpoint, methodNotAllowed } from '$lib/server/api/endpoint';
import { apiJson } from '$lib/server/api/respond';
import { parseEligibleQuery } from '$lib/server/api/parse';
import { eligibleTechniciansPage } from '$lib/server/api/dispatch';

export const GET: RequestHandler = endpoint('eligibility:read', async ({ locals, params, url }) => {
	const query = parseEligibleQuery(url.searchParams);
	return apiJson(await eligibleTechniciansPage(locals.db, params.id, query));
});

export const fallback = methodNotAllowed('GET');

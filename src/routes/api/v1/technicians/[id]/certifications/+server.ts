import type { RequestHandler } from './$types';
import { endpoint, methodNotAllowed } from '$lib/server/api/endpoint';
import { apiJson } from '$lib/server/api/respond';
import { parseCertificationsQuery } from '$lib/server/api/parse';
import { technicianCertifications } from '$lib/server/api/dispatch';

export const GET: RequestHandler = endpoint('eligibility:read', async ({ locals, params, url }) => {
	const { at } = parseCertificationsQuery(url.searchParams);
	return apiJson(await technicianCertifications(locals.db, params.id, at));
});

export const fallback = methodNotAllowed('GET');

import type { RequestHandler } from './$types';
import { endpoint, methodNotAllowed } from '$lib/server/api/endpoint';
import { apiJson } from '$lib/server/api/respond';
import { parseJobEditBody, readJsonBody } from '$lib/server/api/parse';
import { editJob } from '$lib/server/api/dispatch';

export const PATCH: RequestHandler = endpoint('jobs:write', async ({ locals, params, request }, caller) => {
	const edit = parseJobEditBody(await readJsonBody(request));
	return apiJson(await editJob(locals.db, caller, params.id, edit));
});

export const fallback = methodNotAllowed('PATCH');

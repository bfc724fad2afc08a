import type { RequestHandler } from './$types';
import { endpoint, methodNotAllowed } from '$lib/server/api/endpoint';
import { apiJson } from '$lib/server/api/respond';
import { parseJobCancelBody, readJsonBody } from '$lib/server/api/parse';
import { cancelJob } from '$lib/server/api/dispatch';

export const POST: RequestHandler = endpoint('jobs:write', async ({ locals, params, request }, caller) => {
	const cancel = parseJobCancelBody(await readJsonBody(request));
	return apiJson(await cancelJob(locals.db, caller, params.id, cancel));
});

export const fallback = methodNotAllowed('POST');

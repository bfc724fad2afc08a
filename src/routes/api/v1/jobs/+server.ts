import type { RequestHandler } from './$types';
import { endpoint, methodNotAllowed } from '$lib/server/api/endpoint';
import { apiJson } from '$lib/server/api/respond';
import { parseJobBody, readJsonBody } from '$lib/server/api/parse';
import { createJob } from '$lib/server/api/dispatch';

export const POST: RequestHandler = endpoint('jobs:write', async ({ locals, request }, caller) => {
	const job = parseJobBody(await readJsonBody(request));
	return apiJson(await createJob(locals.db, caller, job), { status: 201 });
});

export const fallback = methodNotAllowed('POST');

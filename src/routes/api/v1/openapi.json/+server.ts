import type { RequestHandler } from './$types';
import { methodNotAllowed } from '$lib/server/api/endpoint';
import { openApiResponse } from '$lib/server/api/openapi';

/** Public: the description of the API, for building a client before holding a token. */
export const GET: RequestHandler = ({ request }) => openApiResponse(request);

export const fallback = methodNotAllowed('GET');

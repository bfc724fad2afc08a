import { notFound } from '$lib/server/api/endpoint';

/** Every method on a path under /api/v1 that names no endpoint: a JSON 404, not the HTML error page. */
export const fallback = notFound;

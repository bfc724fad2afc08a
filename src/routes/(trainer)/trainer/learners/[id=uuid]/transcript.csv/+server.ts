import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { transcriptCsv } from '$lib/server/learning/learner';
import { m } from '$lib/paraglide/messages.js';

export const GET: RequestHandler = async ({ locals, params }) => {
	const csv = await transcriptCsv(locals.db, params.id, { kind: 'trainer' }, locals.locale);
	if (!csv) error(404, m.learner_not_found());
	return csv;
};

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { learnerRecord } from '$lib/server/learning/learner';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const record = await learnerRecord(locals.db, params.id, { kind: 'trainer' }, locals.locale);
	if (!record) error(404, m.learner_not_found());
	return record;
};

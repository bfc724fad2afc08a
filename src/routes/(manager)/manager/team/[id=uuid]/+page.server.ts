import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { learnerRecord } from '$lib/server/learning/learner';
import { m } from '$lib/paraglide/messages.js';

/** A member of a team the manager leads; anyone else is not found, as an unknown id is. */
export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const record = await learnerRecord(locals.db, params.id, { kind: 'manager', managerId: locals.user.id }, locals.locale);
	if (!record) error(404, m.learner_not_found());
	return record;
};

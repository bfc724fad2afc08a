import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { teamsLedBy } from '$lib/server/users';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	return { teams: await teamsLedBy(locals.db, locals.user.id) };
};

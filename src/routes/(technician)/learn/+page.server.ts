import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { teamOf } from '$lib/server/users';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, 'Sign in again.');
	return { team: await teamOf(locals.db, locals.user.id) };
};

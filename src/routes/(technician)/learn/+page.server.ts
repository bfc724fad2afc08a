import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { teamOf } from '$lib/server/users';
import { cardsFor } from '$lib/server/learning';
import { myLearning } from '$lib/server/learning/catalog';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const [cards, team] = await Promise.all([cardsFor(locals.db, locals.user.id, locals.locale), teamOf(locals.db, locals.user.id)]);
	return { ...myLearning(cards), team };
};

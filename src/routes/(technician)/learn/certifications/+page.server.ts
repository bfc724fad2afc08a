import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { listCertifications } from '$lib/server/certification/catalog';
import { certifyAndRead } from '$lib/server/certification';
import { certificationCards } from '$lib/server/certification/view';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	// Catch up on anything completed while certifications were not evaluated (e.g. content added).
	const { holdings, evidence } = await certifyAndRead(locals.db, locals.user.id);
	return { certifications: certificationCards(listCertifications(), holdings, evidence, locals.locale, new Date()) };
};

import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as auth from '$lib/server/auth/session';

export const load: PageServerLoad = () => {
	// Signing out changes state, so it is a POST; a GET just goes home.
	redirect(303, '/');
};

export const actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.session) await auth.invalidateSession(locals.db, locals.session.id);
		auth.deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/login');
	}
} satisfies Actions;

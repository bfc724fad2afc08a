import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import * as auth from '$lib/server/auth/session';
import { homeFor } from '$lib/server/auth/roles';
import { safeNext } from '$lib/server/auth/guard';
import { authenticate } from '$lib/server/users';
import { email, invalid, password, readForm } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next ?? homeFor(locals.user.roles));
	return { next };
};

const schema = z.object({
	email: email(),
	password: password(),
	next: z.string().max(2000, { error: () => m.login_next_too_long() }).optional()
});

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request, schema);
		if (!form.ok) return invalid(form.status, form.message, form.errors, form.values);
		const { db } = event.locals;
		const result = await authenticate(db, form.data.email, form.data.password, event.getClientAddress());
		if (!result.ok) {
			return invalid(result.status, result.message, {}, { email: form.data.email });
		}
		const token = auth.generateToken();
		const session = await auth.createSession(db, token, result.userId);
		auth.setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
		redirect(303, safeNext(form.data.next) ?? homeFor(result.roles));
	}
} satisfies Actions;

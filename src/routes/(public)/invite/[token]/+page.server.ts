import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import * as auth from '$lib/server/auth/session';
import { homeFor } from '$lib/server/auth/roles';
import { acceptInvitation, findInvitation } from '$lib/server/users';
import { invalid, password, readForm, refusal } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const found = await findInvitation(locals.db, params.token);
	return found.ok
		? { valid: true as const, email: found.email, displayName: found.displayName }
		: { valid: false as const, reason: found.reason };
};

const schema = z
	.object({ password: password(), confirm: password(() => m.field_confirmation()) })
	.refine((v) => v.password === v.confirm, { error: () => m.invite_passwords_differ(), path: ['confirm'] });

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request, schema);
		if (!form.ok) return invalid(form.status, form.message, form.errors);
		const { db } = event.locals;
		try {
			const accepted = await acceptInvitation(db, event.params.token, form.data.password);
			const token = auth.generateToken();
			const session = await auth.createSession(db, token, accepted.userId);
			auth.setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
			redirect(303, homeFor(accepted.roles));
		} catch (e) {
			return refusal(e);
		}
	}
} satisfies Actions;

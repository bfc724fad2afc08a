import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { API_SCOPES } from '$lib/server/db/schema';
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_NAME_MAX } from '$lib/server/api/tokens';
import { readForm, refusal, text, uuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	return { tokens: await listApiTokens(locals.db), scopes: API_SCOPES };
};

const notValid = () => m.form_not_valid({ label: m.token_field_scopes() });

/** The scopes themselves are checked by createApiToken, which names an unknown one. */
const createSchema = z.object({
	name: text(TOKEN_NAME_MAX, () => m.token_field_name()),
	scopes: z.array(z.string().max(40, { error: notValid })).max(10, { error: notValid })
});

const revokeSchema = z.object({ id: uuid() });

export const actions = {
	create: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, createSchema, { arrays: ['scopes'] });
		if (!form.ok) return fail(form.status, { action: 'create', errors: form.errors, values: form.values, message: form.message });
		try {
			const { token, secret } = await createApiToken(locals.db, form.data, locals.user.id);
			return { action: 'create', created: { name: token.name, secret } };
		} catch (e) {
			return refusal(e, 'create', { name: form.data.name });
		}
	},
	revoke: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, revokeSchema);
		if (!form.ok) return fail(form.status, { action: 'revoke', errors: form.errors, values: {}, message: form.message });
		try {
			const token = await revokeApiToken(locals.db, form.data.id, locals.user.id);
			return { action: 'revoke', revoked: m.token_revoked({ name: token.name }) };
		} catch (e) {
			return refusal(e, 'revoke');
		}
	}
} satisfies Actions;

import { error, fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { LOCALES } from '$lib/i18n/locales';
import { team, user } from '$lib/server/db/schema';
import { changePassword, updateProfile } from '$lib/server/users';
import { password, readForm, refusal, text } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, m.profile_sign_in());
	const [row] = await locals.db
		.select({ teamName: team.name, region: team.region })
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(eq(user.id, locals.user.id));
	return {
		profile: {
			email: locals.user.email,
			displayName: locals.user.displayName,
			locale: locals.user.locale,
			roles: locals.user.roles,
			team: row?.teamName ?? null,
			region: row?.region ?? null
		},
		locales: LOCALES
	};
};

const profileSchema = z.object({
	displayName: text(100, () => m.field_name()),
	locale: z.enum(LOCALES, { error: () => m.profile_choose_language() })
});

const passwordSchema = z
	.object({
		currentPassword: password(() => m.field_current_password()),
		newPassword: password(() => m.field_new_password()),
		confirm: password(() => m.field_confirmation())
	})
	.refine((v) => v.newPassword === v.confirm, { error: () => m.profile_new_passwords_differ(), path: ['confirm'] });

export const actions = {
	profile: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, profileSchema);
		if (!form.ok) return fail(form.status, { action: 'profile', errors: form.errors, values: form.values, message: form.message });
		await updateProfile(locals.db, locals.user.id, form.data);
		// The layout's load runs after this action: let it show the new name at once.
		locals.user = { ...locals.user, displayName: form.data.displayName, locale: form.data.locale };
		// A changed language shows from the next page load on (the page reloads itself when scripts run).
		return { action: 'profile', saved: m.profile_saved(), locale: form.data.locale };
	},
	password: async ({ request, locals }) => {
		if (!locals.user || !locals.session) error(401, m.error_sign_in_again());
		const form = await readForm(request, passwordSchema);
		if (!form.ok) return fail(form.status, { action: 'password', errors: form.errors, values: {} as Record<string, string>, message: form.message });
		try {
			await changePassword(locals.db, locals.user.id, form.data.currentPassword, form.data.newPassword, locals.session.id);
		} catch (e) {
			return refusal(e, 'password');
		}
		return { action: 'password', saved: m.profile_password_changed() };
	}
} satisfies Actions;

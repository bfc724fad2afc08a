import { error, fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { LOCALES } from '$lib/i18n/locales';
import { team, user } from '$lib/server/db/schema';
import { changePassword, updateProfile } from '$lib/server/users';
import { setPersonalTimeZone, teamZoneSql, zonesOf } from '$lib/server/organisation';
import { resolveTimeZone, timeZoneNames } from '$lib/time-zone';
import { password, readForm, refusal, text } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, m.profile_sign_in());
	const [row] = await locals.db
		.select({ teamName: team.name, region: team.region, teamZone: teamZoneSql })
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
			region: row?.region ?? null,
			ownTimeZone: locals.user.ownTimeZone,
			/** What "automatic" is for this person: their team's zone, else the organisation's. */
			automaticTimeZone: resolveTimeZone(row?.teamZone, locals.user.organisationTimeZone)
		},
		zones: timeZoneNames(),
		locales: LOCALES
	};
};

const profileSchema = z.object({
	displayName: text(100, () => m.field_name()),
	locale: z.enum(LOCALES, { error: () => m.profile_choose_language() }),
	/** Empty: automatic (the team's zone, else the organisation's); left out: unchanged. */
	timeZone: z.string({ error: () => m.zone_unknown() }).max(64, { error: () => m.zone_unknown() }).optional()
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
		const { timeZone, ...details } = form.data;
		try {
			// The zone first: a name the platform does not know refuses the whole form, nothing saved.
			if (timeZone !== undefined) await setPersonalTimeZone(locals.db, locals.user.id, timeZone);
		} catch (e) {
			return refusal(e, 'profile', { displayName: details.displayName, locale: details.locale, timeZone: timeZone ?? '' });
		}
		await updateProfile(locals.db, locals.user.id, details);
		// The layout's load runs after this action: let it show the new name and zone at once.
		locals.user = { ...locals.user, displayName: details.displayName, locale: details.locale, ...(await zonesOf(locals.db, locals.user.id)) };
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

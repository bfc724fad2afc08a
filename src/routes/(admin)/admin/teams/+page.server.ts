import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createTeam, listTeamSummaries, organisationTimeZone, teamSchema } from '$lib/server/teams';
import { readForm, refusal } from '$lib/server/forms';
import { timeZoneNames } from '$lib/time-zone';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	const [teams, organisationZone] = await Promise.all([listTeamSummaries(locals.db), organisationTimeZone(locals.db)]);
	return { teams, organisationZone, zones: timeZoneNames() };
};

export const actions = {
	create: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, teamSchema);
		if (!form.ok) return fail(form.status, { errors: form.errors, values: form.values, message: form.message });
		let id: string;
		try {
			id = (await createTeam(locals.db, form.data, locals.user.id)).id;
		} catch (e) {
			return refusal(e, 'create', form.data);
		}
		redirect(303, `/admin/teams/${id}`);
	}
} satisfies Actions;

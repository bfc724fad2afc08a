import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { auditOf } from '$lib/server/audit';
import { organisationTimeZone, setOrganisationTimeZone, zonesOf } from '$lib/server/organisation';
import { readForm, refusal } from '$lib/server/forms';
import { timeZoneNames } from '$lib/time-zone';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	const [timeZone, history] = await Promise.all([organisationTimeZone(locals.db), auditOf(locals.db, 'organisation', '1', 20)]);
	// The server's now, so that the page hydrates with the very text it was rendered with.
	return { timeZone, zones: timeZoneNames(), history, now: new Date() };
};

const schema = z.object({
	timeZone: z.string({ error: () => m.zone_unknown() }).max(64, { error: () => m.zone_unknown() })
});

export const actions = {
	zone: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, schema);
		if (!form.ok) return fail(form.status, { errors: form.errors, values: form.values, message: form.message });
		try {
			const result = await setOrganisationTimeZone(locals.db, locals.user.id, form.data.timeZone);
			// The layout's load runs after this action: the page shows the new zone at once.
			locals.user = { ...locals.user, ...(await zonesOf(locals.db, locals.user.id)) };
			return { saved: result.changed ? m.org_zone_saved({ zone: result.timeZone }) : m.org_zone_unchanged({ zone: result.timeZone }) };
		} catch (e) {
			return refusal(e, 'zone', { timeZone: form.data.timeZone });
		}
	}
} satisfies Actions;

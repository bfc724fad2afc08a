import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createJobType, listJobTypes } from '$lib/server/dispatch';
import { jobTypeErrors, readJobTypeForm } from '$lib/server/dispatch/forms';
import { certificationChoices } from '$lib/server/dispatch/view';
import { PRODUCT_LINES } from '$lib/content/schema';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	return {
		jobTypes: await listJobTypes(locals.db, { includeArchived: true }),
		certifications: certificationChoices(locals.locale),
		productLines: [...PRODUCT_LINES]
	};
};

export const actions = {
	create: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readJobTypeForm(request);
		if (!form.ok) return fail(form.status, { errors: {}, values: {}, message: form.message });
		const result = await createJobType(locals.db, locals.user.id, form.draft);
		if (!result.ok) {
			const errors = 'problems' in result ? jobTypeErrors(result.problems) : {};
			return fail(400, { errors, values: form.values, message: m.form_correct_fields() });
		}
		redirect(303, `/manager/job-types/${result.value.id}?created=1`);
	}
} satisfies Actions;

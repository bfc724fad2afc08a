import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { archiveJobType, findJobType, updateJobType } from '$lib/server/dispatch';
import { jobTypeErrors, readJobTypeForm } from '$lib/server/dispatch/forms';
import { certificationChoices } from '$lib/server/dispatch/view';
import { auditOf } from '$lib/server/audit';
import { PRODUCT_LINES } from '$lib/content/schema';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const [jobType, history] = await Promise.all([findJobType(locals.db, params.id), auditOf(locals.db, 'job_type', params.id, 20)]);
	if (!jobType) error(404, m.jobtype_not_found());
	return {
		jobType,
		history,
		created: url.searchParams.has('created'),
		certifications: certificationChoices(locals.locale),
		productLines: [...PRODUCT_LINES]
	};
};

export const actions = {
	save: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readJobTypeForm(request);
		if (!form.ok) return fail(form.status, { action: 'save', errors: {}, values: {}, message: form.message });
		const result = await updateJobType(locals.db, locals.user.id, params.id, form.draft);
		if (!result.ok) {
			if ('refusal' in result) error(404, m.jobtype_not_found());
			return fail(400, { action: 'save', errors: jobTypeErrors(result.problems), values: form.values, message: m.form_correct_fields() });
		}
		return { action: 'save', saved: true };
	},
	archive: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const result = await archiveJobType(locals.db, locals.user.id, params.id);
		if (!result.ok) {
			if (result.refusal.code === 'unknown-job-type') error(404, m.jobtype_not_found());
			return fail(409, { action: 'archive', errors: {}, values: {}, message: m.jobtype_already_archived() });
		}
		return { action: 'archive', archived: true };
	}
} satisfies Actions;

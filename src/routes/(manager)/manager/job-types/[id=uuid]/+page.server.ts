import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { archiveJobType, findJobType, teamIdsLedBy, teamsBlockingJobTypeChange, teamsUsingJobType, updateJobType } from '$lib/server/dispatch';
import { jobTypeErrors, readJobTypeForm } from '$lib/server/dispatch/forms';
import { certificationChoices } from '$lib/server/dispatch/view';
import { auditOf } from '$lib/server/audit';
import { PRODUCT_LINES } from '$lib/content/schema';
import { m } from '$lib/paraglide/messages.js';

/**
 * A job type decides eligibility for every team whose jobs use it: an administrator, or a manager
 * who leads every one of those teams, may change it.
 */
async function scopeOf(locals: App.Locals): Promise<string[] | 'all'> {
	if (!locals.user) error(401, m.error_sign_in_again());
	return locals.user.roles.includes('admin') ? 'all' : teamIdsLedBy(locals.db, locals.user.id);
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const [jobType, history, scope, using] = await Promise.all([
		findJobType(locals.db, params.id),
		auditOf(locals.db, 'job_type', params.id, 20),
		scopeOf(locals),
		teamsUsingJobType(locals.db, params.id)
	]);
	if (!jobType) error(404, m.jobtype_not_found());
	return {
		jobType,
		blockedBy: teamsBlockingJobTypeChange(scope, using),
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
		const result = await updateJobType(locals.db, locals.user.id, params.id, form.draft, await scopeOf(locals));
		if (!result.ok) {
			if ('refusal' in result && result.refusal.code === 'job-type-foreign-teams') {
				return fail(403, { action: 'save', errors: {}, values: form.values, message: m.jobtype_foreign_teams({ teams: result.refusal.teams.join(', ') }) });
			}
			if ('refusal' in result) error(404, m.jobtype_not_found());
			return fail(400, { action: 'save', errors: jobTypeErrors(result.problems), values: form.values, message: m.form_correct_fields() });
		}
		return { action: 'save', saved: true };
	},
	archive: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const result = await archiveJobType(locals.db, locals.user.id, params.id, await scopeOf(locals));
		if (!result.ok) {
			if (result.refusal.code === 'unknown-job-type') error(404, m.jobtype_not_found());
			if (result.refusal.code === 'job-type-foreign-teams') {
				return fail(403, { action: 'archive', errors: {}, values: {}, message: m.jobtype_foreign_teams({ teams: result.refusal.teams.join(', ') }) });
			}
			return fail(409, { action: 'archive', errors: {}, values: {}, message: m.jobtype_already_archived() });
		}
		return { action: 'archive', archived: true };
	}
} satisfies Actions;

import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { createJob, listJobs, listJobTypes, managerScope } from '$lib/server/dispatch';
import { resolveTimeZone } from '$lib/time-zone';
import { jobTimeFromForm } from '$lib/server/dispatch/job-time';
import { readForm, text, uuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

const DAY = 86_400_000;

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const showPast = url.searchParams.get('past') === '1';
	const scope = await managerScope(locals.db, locals.user.id);
	const [jobs, jobTypes] = await Promise.all([
		listJobs(locals.db, { teamIds: scope.teamIds, from: showPast ? undefined : new Date(Date.now() - DAY) }),
		listJobTypes(locals.db)
	]);
	const orgZone = locals.user.organisationTimeZone;
	return {
		jobs: jobs.map((j) => ({ ...j, teamTimeZone: resolveTimeZone(j.teamTimeZone, orgZone) })),
		jobTypes: jobTypes.map((t) => ({ id: t.id, name: t.name })),
		teams: scope.teams.map((t) => ({ ...t, timeZone: resolveTimeZone(t.timeZone, orgZone) })),
		showPast
	};
};

const schema = z.object({
	jobTypeId: uuid(() => m.job_type_field()),
	teamId: uuid(() => m.field_team()),
	siteLabel: text(200, () => m.job_site()),
	scheduledAt: z.string().max(30, { error: () => m.job_time_invalid() }),
	durationMinutes: z
		.string()
		.regex(/^\d{1,4}$/, { error: () => m.job_duration_invalid() })
		.transform(Number)
		.refine((n) => n >= 1 && n <= 1440, { error: () => m.job_duration_invalid() })
});

export const actions = {
	create: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, schema);
		if (!form.ok) return fail(form.status, { errors: form.errors, values: form.values, message: form.message });
		const values = { ...form.data, durationMinutes: String(form.data.durationMinutes) };
		const scope = await managerScope(locals.db, locals.user.id);
		// The time is the wall clock of the job's team (its zone, else the organisation's).
		const teamRow = scope.teams.find((t) => t.id === form.data.teamId);
		const zone = resolveTimeZone(teamRow?.timeZone, locals.user.organisationTimeZone);
		const time = jobTimeFromForm(form.data.scheduledAt, zone);
		if (!time.ok) return fail(400, { errors: { scheduledAt: time.message }, values, message: m.form_correct_fields() });
		const scheduledAt = time.at;
		const result = await createJob(locals.db, { kind: 'user', userId: locals.user.id, teamIds: scope.teamIds }, { ...form.data, scheduledAt });
		if (!result.ok) {
			const r = result.refusal;
			const archivedTeam = r.code === 'invalid' && r.field === 'teamId';
			const field = r.code === 'unknown-job-type' || r.code === 'job-type-archived' ? 'jobTypeId' : r.code === 'unknown-team' || r.code === 'outside-teams' || archivedTeam ? 'teamId' : 'siteLabel';
			const message = r.code === 'outside-teams' ? m.job_team_not_yours() : r.code === 'job-type-archived' ? m.job_type_archived() : archivedTeam ? m.team_archived_refused() : r.code.startsWith('unknown') ? m.job_choose_from_list() : m.form_correct_fields();
			return fail(r.code === 'outside-teams' ? 403 : 400, { errors: { [field]: message }, values, message: m.form_correct_fields() });
		}
		redirect(303, `/manager/jobs/${result.value.id}`);
	}
} satisfies Actions;

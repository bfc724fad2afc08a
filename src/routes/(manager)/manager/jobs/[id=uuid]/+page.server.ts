import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { assignJob, candidatesFor, jobEnd, jobFor, managerScope, pickerOrder, unassignJob, type DispatchActor } from '$lib/server/dispatch';
import { reasonSentences } from '$lib/server/dispatch/view';
import { auditOf } from '$lib/server/audit';
import { readForm, uuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';
import { resolveTimeZone } from '$lib/time-zone';
import { localInputValue, wallClockToInstant } from '$lib/zoned-time';

async function actorOf(locals: App.Locals): Promise<DispatchActor> {
	if (!locals.user) error(401, m.error_sign_in_again());
	const scope = await managerScope(locals.db, locals.user.id);
	return { kind: 'user', userId: locals.user.id, teamIds: scope.teamIds };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = await actorOf(locals);
	const job = await jobFor(locals.db, actor, params.id);
	// Another team's job looks exactly like a job that does not exist.
	if (!job) error(404, m.job_not_found());
	const [candidates, history] = await Promise.all([candidatesFor(locals.db, actor, job), auditOf(locals.db, 'job', job.id, 50)]);
	const teamTimeZone = resolveTimeZone(job.teamTimeZone, locals.user!.organisationTimeZone);
	// A local time that happens twice (the clocks go back) is said to be the first of the two.
	const twice = wallClockToInstant(localInputValue(job.scheduledAt, teamTimeZone), teamTimeZone)?.kind === 'overlap';
	return {
		job: { ...job, teamTimeZone, endsAt: jobEnd(job.scheduledAt, job.durationMinutes), twice },
		candidates: pickerOrder(candidates).map((c) => ({
			technicianId: c.technicianId,
			name: c.name,
			teamName: c.teamName,
			eligible: c.eligible,
			reasons: reasonSentences(c.reasons, locals.locale, locals.user!.organisationTimeZone)
		})),
		history: history.map((h) => ({ id: h.id, at: h.at, action: h.action, actorName: h.actorName, detail: h.detail }))
	};
};

const assignSchema = z.object({
	technicianId: uuid(() => m.job_assignee()),
	overrideReason: z.string().max(4000, { error: () => m.job_override_too_long() }).optional()
});

export const actions = {
	assign: async ({ request, locals, params }) => {
		const actor = await actorOf(locals);
		const form = await readForm(request, assignSchema);
		if (!form.ok) return fail(form.status, { action: 'assign', errors: form.errors, values: form.values, message: form.message });
		const result = await assignJob(locals.db, actor, { jobId: params.id, ...form.data });
		if (result.ok) return { action: 'assign', assigned: { technicianId: result.value.technicianId, overridden: result.value.overridden } };
		const r = result.refusal;
		switch (r.code) {
			case 'unknown-job':
				error(404, m.job_not_found());
			case 'not-eligible':
				return fail(409, {
					action: 'assign',
					errors: form.data.overrideReason !== undefined ? { overrideReason: m.job_override_required() } : {},
					values: { technicianId: form.data.technicianId },
					message: m.job_refused(),
					refused: { technicianId: form.data.technicianId, reasons: reasonSentences(r.reasons, locals.locale, locals.user!.organisationTimeZone) }
				});
			case 'other-team':
				return fail(409, {
					action: 'assign',
					errors: form.data.overrideReason !== undefined ? { overrideReason: m.job_override_required() } : {},
					values: { technicianId: form.data.technicianId },
					message: m.job_refused(),
					refused: { technicianId: form.data.technicianId, reasons: [m.job_other_team()] }
				});
			case 'outside-teams':
				return fail(403, { action: 'assign', errors: { technicianId: m.job_tech_not_yours() }, values: {}, message: m.job_tech_not_yours() });
			case 'invalid':
				return fail(400, { action: 'assign', errors: { overrideReason: m.job_override_too_long() }, values: { technicianId: form.data.technicianId }, message: m.form_correct_fields() });
			default:
				return fail(400, { action: 'assign', errors: { technicianId: m.job_choose_from_list() }, values: {}, message: m.job_choose_from_list() });
		}
	},
	unassign: async ({ locals, params }) => {
		const actor = await actorOf(locals);
		const result = await unassignJob(locals.db, actor, params.id);
		if (!result.ok) {
			if (result.refusal.code === 'unknown-job') error(404, m.job_not_found());
			return fail(409, { action: 'unassign', errors: {}, values: {}, message: m.job_no_assignee() });
		}
		return { action: 'unassign', unassigned: true };
	}
} satisfies Actions;

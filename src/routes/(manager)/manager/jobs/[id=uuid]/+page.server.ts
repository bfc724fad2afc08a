import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { assignJob, cancelJob, candidatesFor, editJob, jobEnd, jobFor, listJobTypes, managerScope, pickerOrder, unassignJob, type DispatchActor } from '$lib/server/dispatch';
import { jobTimeFromForm } from '$lib/server/dispatch/job-time';
import { reasonSentences } from '$lib/server/dispatch/view';
import { auditOf } from '$lib/server/audit';
import { readForm, text, uuid } from '$lib/server/forms';
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
	// A cancelled job takes no technician: no candidates are looked up for it.
	const [candidates, history, jobTypes] = await Promise.all([
		job.cancelledAt ? [] : candidatesFor(locals.db, actor, job),
		auditOf(locals.db, 'job', job.id, 50),
		job.cancelledAt ? [] : listJobTypes(locals.db)
	]);
	const teamTimeZone = resolveTimeZone(job.teamTimeZone, locals.user!.organisationTimeZone);
	// A local time that happens twice (the clocks go back) is said to be the first of the two.
	const twice = wallClockToInstant(localInputValue(job.scheduledAt, teamTimeZone), teamTimeZone)?.kind === 'overlap';
	return {
		job: { ...job, teamTimeZone, endsAt: jobEnd(job.scheduledAt, job.durationMinutes), twice, localTime: localInputValue(job.scheduledAt, teamTimeZone) },
		// The edit form offers the job types that take jobs, and the job's own even when archived.
		jobTypes: [...jobTypes.map((t) => ({ id: t.id, name: t.name })), ...(job.cancelledAt || jobTypes.some((t) => t.id === job.jobTypeId) ? [] : [{ id: job.jobTypeId, name: job.jobTypeName }])],
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

const editSchema = z.object({
	jobTypeId: uuid(() => m.job_type_field()),
	siteLabel: text(200, () => m.job_site()),
	scheduledAt: z.string().max(30, { error: () => m.job_time_invalid() }),
	durationMinutes: z
		.string()
		.regex(/^\d{1,4}$/, { error: () => m.job_duration_invalid() })
		.transform(Number)
		.refine((n) => n >= 1 && n <= 1440, { error: () => m.job_duration_invalid() }),
	overrideReason: z.string().max(4000, { error: () => m.job_override_too_long() }).optional()
});

const cancelSchema = z.object({
	cancelReason: text(1000, () => m.job_cancel_reason()),
	confirm: z.string().max(10).optional()
});

export const actions = {
	edit: async ({ request, locals, params }) => {
		const actor = await actorOf(locals);
		const form = await readForm(request, editSchema);
		if (!form.ok) return fail(form.status, { action: 'edit', errors: form.errors, values: form.values, message: form.message });
		const values = { ...form.data, durationMinutes: String(form.data.durationMinutes), overrideReason: form.data.overrideReason ?? '' };
		const current = await jobFor(locals.db, actor, params.id);
		if (!current) error(404, m.job_not_found());
		if (current.cancelledAt) return fail(409, { action: 'edit', errors: {}, values, message: m.job_cancelled_no_change() });
		// The time is the wall clock of the job's team, read exactly as when the job was created.
		const zone = resolveTimeZone(current.teamTimeZone, locals.user!.organisationTimeZone);
		// An unchanged time is kept even when it has passed (the site of a running job may be corrected).
		const unchanged = form.data.scheduledAt.trim() === localInputValue(current.scheduledAt, zone);
		const time = unchanged ? ({ ok: true, at: current.scheduledAt } as const) : jobTimeFromForm(form.data.scheduledAt, zone);
		if (!time.ok) return fail(400, { action: 'edit', errors: { scheduledAt: time.message }, values, message: m.form_correct_fields() });
		const result = await editJob(locals.db, actor, params.id, { ...form.data, scheduledAt: time.at });
		if (result.ok) return { action: 'edit', edited: { overridden: result.value.overridden } };
		const r = result.refusal;
		switch (r.code) {
			case 'unknown-job':
				error(404, m.job_not_found());
			case 'job-cancelled':
				return fail(409, { action: 'edit', errors: {}, values, message: m.job_cancelled_no_change() });
			case 'not-eligible':
				return fail(409, {
					action: 'edit',
					errors: form.data.overrideReason !== undefined ? { overrideReason: m.job_override_required() } : {},
					values,
					message: m.job_edit_refused({ name: current.assigneeName ?? '' }),
					editRefused: reasonSentences(r.reasons, locals.locale, locals.user!.organisationTimeZone)
				});
			case 'unknown-job-type':
				return fail(400, { action: 'edit', errors: { jobTypeId: m.job_choose_from_list() }, values, message: m.form_correct_fields() });
			case 'job-type-archived':
				return fail(400, { action: 'edit', errors: { jobTypeId: m.job_type_archived() }, values, message: m.form_correct_fields() });
			case 'invalid':
				return fail(400, {
					action: 'edit',
					errors: { [r.field]: r.field === 'overrideReason' ? m.job_override_too_long() : r.field === 'scheduledAt' ? m.job_time_past() : r.field === 'durationMinutes' ? m.job_duration_invalid() : m.form_correct_fields() },
					values,
					message: m.form_correct_fields()
				});
			default:
				return fail(400, { action: 'edit', errors: {}, values, message: m.form_correct_fields() });
		}
	},
	cancel: async ({ request, locals, params }) => {
		const actor = await actorOf(locals);
		const form = await readForm(request, cancelSchema);
		if (!form.ok) return fail(form.status, { action: 'cancel', errors: form.errors, values: form.values, message: form.message });
		const values = { cancelReason: form.data.cancelReason };
		if (form.data.confirm !== 'on') return fail(400, { action: 'cancel', errors: { confirm: m.job_cancel_confirm_required() }, values, message: m.form_correct_fields() });
		const result = await cancelJob(locals.db, actor, params.id, form.data.cancelReason);
		if (result.ok) return { action: 'cancel', cancelled: true };
		switch (result.refusal.code) {
			case 'unknown-job':
				error(404, m.job_not_found());
			case 'job-cancelled':
				return fail(409, { action: 'cancel', errors: {}, values, message: m.job_already_cancelled() });
			default:
				return fail(400, { action: 'cancel', errors: { cancelReason: m.form_required({ label: m.job_cancel_reason() }) }, values, message: m.form_correct_fields() });
		}
	},
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
			case 'job-cancelled':
				return fail(409, { action: 'assign', errors: {}, values: {}, message: m.job_cancelled_no_change() });
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

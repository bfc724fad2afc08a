import { env } from '$env/dynamic/private';
import { siteOrigin } from '$lib/server/notify/texts';
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { findCourse, listCourses } from '$lib/server/content';
import { assignableTechnicians, assignmentOverview } from '$lib/server/learning/queries';
import { assignableTeams, assignCourse, previewAssignment, type PlannedAssignment } from '$lib/server/learning/assignments';
import { dueDateProblem, parseDueDate } from '$lib/server/learning/due-date';
import { localized } from '$lib/server/learning/progress';
import { optionalUuid, readForm, refusal, uuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const courses = listCourses();
	const [teams, technicians, overview] = await Promise.all([
		assignableTeams(locals.db),
		assignableTechnicians(locals.db),
		assignmentOverview(locals.db, courses)
	]);
	return {
		courses: courses.map((c) => ({
			slug: c.slug,
			title: localized(c.title, c.locales, locals.locale),
			lessons: c.lessons.length,
			assigned: overview.find((o) => o.slug === c.slug)?.assigned ?? 0,
			finished: overview.find((o) => o.slug === c.slug)?.finished ?? 0
		})),
		teams,
		technicians
	};
};

const schema = z.object({
	course: z
		.string()
		.max(100, { error: () => m.assign_course_from_list() })
		.min(1, { error: () => m.assign_choose_course() }),
	teamId: optionalUuid(() => m.field_team()),
	userIds: z.array(uuid(() => m.field_chosen_technician())).max(1000, { error: () => m.assign_max_technicians() }),
	due: z
		.string()
		.max(10, { error: () => m.assign_date_format() })
		.min(1, { error: () => m.assign_choose_due() }),
	/** Set by the confirm step: apply what the preview showed. */
	confirm: z.literal('1', { error: () => m.form_not_valid({ label: m.field_confirm() }) }).optional()
});

/** The preview as the page shows it: who gets the course, whose date moves, whose is kept, who is passed by. */
function previewOf({ plan, teamName }: PlannedAssignment, form: { course: string; due: string; teamId: string | null; userIds: string[] }, title: string) {
	const iso = (d: Date) => d.toISOString();
	const of = (kind: string) => plan.people.filter((p) => p.change.kind === kind);
	return {
		...form,
		title,
		dueAt: iso(plan.dueAt),
		team: plan.team ? { name: teamName ?? '', from: plan.team.from ? iso(plan.team.from) : null } : null,
		added: of('new').map((p) => ({ id: p.userId, name: p.displayName, completed: p.completed })),
		moved: of('move').map((p) => ({ id: p.userId, name: p.displayName, completed: p.completed, from: p.change.kind === 'move' ? iso(p.change.from) : '' })),
		kept: of('keep').map((p) => ({ id: p.userId, name: p.displayName, completed: p.completed, due: p.change.kind === 'keep' ? iso(p.change.due) : '', why: p.change.kind === 'keep' ? p.change.why : 'individual' })),
		same: of('same').map((p) => ({ id: p.userId, name: p.displayName, completed: p.completed })),
		excluded: plan.excluded.map((p) => ({ id: p.userId, name: p.displayName, completed: p.completed }))
	};
}

export const actions = {
	assign: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, schema, { arrays: ['userIds'] });
		if (!form.ok) return fail(form.status, { errors: form.errors, values: form.values, message: form.message });
		const course = findCourse(form.data.course);
		if (!course) return fail(400, { errors: { course: m.assign_course_from_list() }, values: { due: form.data.due }, message: m.form_correct_fields() });
		const dueAt = parseDueDate(form.data.due, locals.user.organisationTimeZone);
		const problem = dueAt ? dueDateProblem(dueAt, new Date()) : m.assign_real_date();
		if (problem || !dueAt) return fail(400, { errors: { due: problem ?? '' }, values: { course: course.slug, due: form.data.due }, message: m.form_correct_fields() });
		const input = { courseSlug: course.slug, userIds: form.data.userIds, teamId: form.data.teamId, dueAt, actorId: locals.user.id };
		const title = localized(course.title, course.locales, locals.locale);
		try {
			// Assigning again: first what would change and for whom, applied only once confirmed.
			if (!form.data.confirm) {
				const planned = await previewAssignment(locals.db, input);
				if (planned.plan.needsConfirmation) {
					return { preview: previewOf(planned, { course: course.slug, due: form.data.due, teamId: form.data.teamId, userIds: form.data.userIds }, title) };
				}
			}
			const done = await assignCourse(locals.db, input, { smtp: Boolean(env.SMTP_URL), origin: siteOrigin({ ORIGIN: env.ORIGIN }) });
			return { assigned: { count: done.plan.people.length, course: course.slug, title, due: form.data.due } };
		} catch (e) {
			return refusal(e, 'assign', { course: course.slug, due: form.data.due });
		}
	}
} satisfies Actions;

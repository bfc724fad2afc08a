import { env } from '$env/dynamic/private';
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { findCourse } from '$lib/server/content';
import { courseReport } from '$lib/server/learning/queries';
import { redatePersonAssignment, removePersonAssignment, removeTeamAssignment, teamAssignmentsOf } from '$lib/server/learning/assignments';
import { reportLines } from '$lib/server/learning/report';
import { localized } from '$lib/server/learning/progress';
import { dueDateProblem, parseDueDate } from '$lib/server/learning/due-date';
import { siteOrigin } from '$lib/server/notify/texts';
import { readForm, refusal, uuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const [report, teams] = await Promise.all([courseReport(locals.db, course), teamAssignmentsOf(locals.db, course.slug)]);
	const lines = reportLines(course, report, new Date());
	return {
		course: { slug: course.slug, title: localized(course.title, course.locales, locals.locale), lessons: course.lessons.length },
		teams: teams.map((t) => ({ ...t, dueAt: t.dueAt.toISOString() })),
		lines: lines.map((l) => ({ ...l, dueAt: l.dueAt.toISOString(), lastOpenedAt: l.lastOpenedAt?.toISOString() ?? null, completedAt: l.completedAt?.toISOString() ?? null })),
		counts: {
			finished: lines.filter((l) => l.stage === 'finished').length,
			started: lines.filter((l) => l.stage === 'started').length,
			notStarted: lines.filter((l) => l.stage === 'not started').length,
			overdue: lines.filter((l) => l.state === 'overdue').length
		}
	};
};

/** A removal is confirmed by ticking a box: refused without it, beside the box. */
const confirmed = z.literal('yes', { error: () => m.assign_confirm_removal() });

const removeTeamSchema = z.object({ teamId: uuid(() => m.field_team()), confirm: confirmed });
const removePersonSchema = z.object({ userId: uuid(() => m.field_person()), confirm: confirmed });
const redateSchema = z.object({
	userId: uuid(() => m.field_person()),
	due: z
		.string()
		.max(10, { error: () => m.assign_date_format() })
		.min(1, { error: () => m.assign_choose_due() })
});

const notify = () => ({ smtp: Boolean(env.SMTP_URL), origin: siteOrigin({ ORIGIN: env.ORIGIN }) });

export const actions = {
	removeTeam: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const course = findCourse(params.course);
		if (!course) error(404, m.error_no_course());
		const form = await readForm(request, removeTeamSchema);
		if (!form.ok) return fail(form.status, { action: 'removeTeam', errors: form.errors, values: form.values, message: form.message });
		try {
			const { people, teamName } = await removeTeamAssignment(locals.db, { courseSlug: course.slug, teamId: form.data.teamId, actorId: locals.user.id }, notify());
			return { action: 'removeTeam', done: m.assign_removed_team({ title: localized(course.title, course.locales, locals.locale), team: teamName, count: people }) };
		} catch (e) {
			return refusal(e, 'removeTeam');
		}
	},
	removePerson: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const course = findCourse(params.course);
		if (!course) error(404, m.error_no_course());
		const form = await readForm(request, removePersonSchema);
		if (!form.ok) return fail(form.status, { action: 'removePerson', errors: form.errors, values: form.values, message: form.message });
		try {
			const { name } = await removePersonAssignment(locals.db, { courseSlug: course.slug, userId: form.data.userId, actorId: locals.user.id }, notify());
			return { action: 'removePerson', done: m.assign_removed_person({ title: localized(course.title, course.locales, locals.locale), name }) };
		} catch (e) {
			return refusal(e, 'removePerson');
		}
	},
	redatePerson: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const course = findCourse(params.course);
		if (!course) error(404, m.error_no_course());
		const form = await readForm(request, redateSchema);
		if (!form.ok) return fail(form.status, { action: 'redatePerson', errors: form.errors, values: form.values, message: form.message });
		const dueAt = parseDueDate(form.data.due);
		const problem = dueAt ? dueDateProblem(dueAt, new Date()) : m.assign_real_date();
		if (problem || !dueAt) return fail(400, { action: 'redatePerson', errors: { due: problem ?? '' }, values: { userId: form.data.userId, due: form.data.due }, message: m.form_correct_fields() });
		try {
			const { changed, name } = await redatePersonAssignment(locals.db, { courseSlug: course.slug, userId: form.data.userId, dueAt, actorId: locals.user.id }, notify());
			return { action: 'redatePerson', done: changed ? m.assign_redated_person({ name, due: form.data.due }) : m.assign_redate_unchanged({ name, due: form.data.due }) };
		} catch (e) {
			return refusal(e, 'redatePerson', { userId: form.data.userId, due: form.data.due });
		}
	}
} satisfies Actions;

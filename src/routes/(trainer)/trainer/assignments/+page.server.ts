import { env } from '$env/dynamic/private';
import { siteOrigin } from '$lib/server/notify/texts';
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { findCourse, listCourses } from '$lib/server/content';
import { assignCourse, assignableTechnicians, assignmentOverview } from '$lib/server/learning/queries';
import { dueDateProblem, parseDueDate } from '$lib/server/learning/due-date';
import { localized } from '$lib/server/learning/progress';
import { listTeams } from '$lib/server/users';
import { optionalUuid, readForm, refusal, uuid } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const courses = listCourses();
	const [teams, technicians, overview] = await Promise.all([
		listTeams(locals.db),
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
		.min(1, { error: () => m.assign_choose_due() })
});

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
		try {
			const count = await assignCourse(locals.db, {
				courseSlug: course.slug,
				userIds: form.data.userIds,
				teamId: form.data.teamId,
				dueAt,
				actorId: locals.user.id
			}, { smtp: Boolean(env.SMTP_URL), origin: siteOrigin({ ORIGIN: env.ORIGIN }) });
			return { assigned: { count, course: course.slug, title: localized(course.title, course.locales, locals.locale), due: form.data.due } };
		} catch (e) {
			return refusal(e, 'assign', { course: course.slug, due: form.data.due });
		}
	}
} satisfies Actions;

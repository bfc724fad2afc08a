import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { findCourse, listCourses } from '$lib/server/content';
import { assignCourse, assignableTechnicians, assignmentOverview } from '$lib/server/learning/queries';
import { dueDateProblem, parseDueDate } from '$lib/server/learning/due-date';
import { localized } from '$lib/server/learning/progress';
import { listTeams } from '$lib/server/users';
import { optionalUuid, readForm, refusal, uuid } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) error(401, 'Sign in again.');
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
	course: z.string().max(100, 'Choose a course from the list.').min(1, 'Choose a course.'),
	teamId: optionalUuid('Team'),
	userIds: z.array(uuid('A chosen technician')).max(1000, 'Choose at most 1000 technicians.'),
	due: z.string().max(10, 'Use a date like 2026-12-31.').min(1, 'Choose a due date.')
});

export const actions = {
	assign: async ({ request, locals }) => {
		if (!locals.user) error(401, 'Sign in again.');
		const form = await readForm(request, schema, { arrays: ['userIds'] });
		if (!form.ok) return fail(form.status, { errors: form.errors, values: form.values, message: form.message });
		const course = findCourse(form.data.course);
		if (!course) return fail(400, { errors: { course: 'Choose a course from the list.' }, values: { due: form.data.due }, message: 'Please correct the marked fields.' });
		const dueAt = parseDueDate(form.data.due);
		const problem = dueAt ? dueDateProblem(dueAt, new Date()) : 'Use a real date like 2026-12-31.';
		if (problem || !dueAt) return fail(400, { errors: { due: problem ?? '' }, values: { course: course.slug, due: form.data.due }, message: 'Please correct the marked fields.' });
		try {
			const count = await assignCourse(locals.db, {
				courseSlug: course.slug,
				userIds: form.data.userIds,
				teamId: form.data.teamId,
				dueAt,
				actorId: locals.user.id
			});
			return { assigned: { count, course: course.slug, title: localized(course.title, course.locales, locals.locale), due: form.data.due } };
		} catch (e) {
			return refusal(e, 'assign', { course: course.slug, due: form.data.due });
		}
	}
} satisfies Actions;

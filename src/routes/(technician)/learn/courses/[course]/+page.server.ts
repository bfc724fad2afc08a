import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { findCourse } from '$lib/server/content';
import { assignmentsOf, progressOf } from '$lib/server/learning/queries';
import { courseProgress, dueState, localized, pickVersion } from '$lib/server/learning/progress';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const locale = locals.locale;
	const [facts, assignments] = await Promise.all([progressOf(locals.db, locals.user.id), assignmentsOf(locals.db, locals.user.id)]);
	const progress = courseProgress(course, facts);
	const assignment = assignments.find((a) => a.courseSlug === course.slug);
	const done = new Set(facts.filter((f) => f.courseSlug === course.slug && f.completedAt).map((f) => f.lessonSlug));
	return {
		course: {
			slug: course.slug,
			title: localized(course.title, course.locales, locale),
			summary: localized(course.summary, course.locales, locale),
			category: course.category,
			minutes: course.minutes,
			otherLanguage: !course.locales.includes(locale)
		},
		lessons: course.lessons.map((lesson) => {
			const version = pickVersion(course, lesson, locale)!;
			const meta = lesson.versions[version.locale]!;
			return { slug: lesson.slug, title: meta.title, summary: meta.summary, minutes: meta.minutes, done: done.has(lesson.slug) };
		}),
		progress: { done: progress.done, total: progress.total, percent: progress.percent, complete: progress.complete, next: progress.next, started: progress.started },
		due: assignment ? { at: assignment.dueAt.toISOString(), state: dueState(assignment.dueAt, progress.completedAt, new Date()) } : null
	};
};

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { findCourse, findLesson, lessonHtml } from '$lib/server/content';
import { localized, pickVersion } from '$lib/server/learning/progress';
import { m } from '$lib/paraglide/messages.js';

/** A published lesson exactly as technicians see it, for trainers (nothing is recorded). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const lesson = findLesson(course, params.lesson);
	if (!lesson) error(404, m.error_no_lesson());
	const version = pickVersion(course, lesson, locals.locale);
	if (!version) error(404, m.error_lesson_no_text());
	const meta = lesson.versions[version.locale]!;
	return {
		course: { slug: course.slug, title: localized(course.title, course.locales, locals.locale), version: course.version },
		lesson: { slug: lesson.slug, title: meta.title, minutes: meta.minutes },
		locale: version.locale,
		html: lessonHtml(meta.file) ?? ''
	};
};

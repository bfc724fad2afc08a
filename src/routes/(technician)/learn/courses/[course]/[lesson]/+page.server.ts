import { error } from '@sveltejs/kit';
import { certifyIfDue } from '$lib/server/certification';
import type { Actions, PageServerLoad } from './$types';
import { findCourse, findLesson, lessonHtml } from '$lib/server/content';
import { progressOf, recordCompleted, recordOpened } from '$lib/server/learning/queries';
import { courseProgress, localized, needsOpenedMark, pickVersion } from '$lib/server/learning/progress';
import { m } from '$lib/paraglide/messages.js';

function locate(params: { course: string; lesson: string }, locale: 'en' | 'zh-CN') {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const lesson = findLesson(course, params.lesson);
	if (!lesson) error(404, m.error_no_lesson());
	const version = pickVersion(course, lesson, locale);
	if (!version) error(404, m.error_lesson_no_text());
	return { course, lesson, version };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const { course, lesson, version } = locate(params, locals.locale);
	const ref = { userId: locals.user.id, course, lessonSlug: lesson.slug, locale: version.locale };
	const facts = await progressOf(locals.db, locals.user.id);
	if (needsOpenedMark(facts, course.slug, lesson.slug)) await recordOpened(locals.db, ref);
	const progress = courseProgress(course, facts);
	const index = course.lessons.indexOf(lesson);
	const neighbour = (i: number) => {
		const l = course.lessons[i];
		if (!l) return null;
		const v = pickVersion(course, l, locals.locale)!;
		return { slug: l.slug, title: l.versions[v.locale]!.title };
	};
	const meta = lesson.versions[version.locale]!;
	return {
		course: { slug: course.slug, title: localized(course.title, course.locales, locals.locale) },
		lesson: { slug: lesson.slug, title: meta.title, minutes: meta.minutes, number: index + 1, of: course.lessons.length },
		file: meta.file,
		html: lessonHtml(meta.file) ?? '',
		locale: version.locale,
		fallback: version.fallback,
		done: facts.some((f) => f.courseSlug === course.slug && f.lessonSlug === lesson.slug && f.completedAt),
		progress: { done: progress.done, total: progress.total, percent: progress.percent, complete: progress.complete },
		previous: neighbour(index - 1),
		next: neighbour(index + 1)
	};
};

export const actions = {
	done: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const { course, lesson, version } = locate(params, locals.locale);
		await recordCompleted(locals.db, { userId: locals.user.id, course, lessonSlug: lesson.slug, locale: version.locale });
		await certifyIfDue(locals.db, locals.user.id);
		return { marked: true };
	}
} satisfies Actions;

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { findCourse } from '$lib/server/content';
import { assignmentsOf, progressOf } from '$lib/server/learning/queries';
import { courseProgress, dueState, localized, pickVersion } from '$lib/server/learning/progress';
import { m } from '$lib/paraglide/messages.js';
import { attemptsInCourse, passedQuizzes } from '$lib/server/assessment/attempts';
import { quizzesOf, scenariosOf } from '$lib/server/assessment/catalog';
import { localize } from '$lib/server/assessment/draw';
import { examsOf } from '$lib/server/learning';
import { scenarioRun } from '$lib/server/db/schema';
import { and, desc, eq } from 'drizzle-orm';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const locale = locals.locale;
	const userId = locals.user.id;
	const [facts, assignments, passed, attempts, runs] = await Promise.all([
		progressOf(locals.db, userId),
		assignmentsOf(locals.db, userId),
		passedQuizzes(locals.db, userId),
		attemptsInCourse(locals.db, userId, course.slug),
		locals.db
			.select({ scenarioId: scenarioRun.scenarioId, percent: scenarioRun.percent, passed: scenarioRun.passed, finishedAt: scenarioRun.finishedAt })
			.from(scenarioRun)
			.where(and(eq(scenarioRun.userId, userId), eq(scenarioRun.courseSlug, course.slug)))
			.orderBy(desc(scenarioRun.startedAt))
	]);
	const progress = courseProgress(course, facts, examsOf(course.slug, passed));
	const fallback = course.locales[0]!;
	const best = (list: Array<{ percent: number | null }>) => list.reduce<number | null>((b, a) => (a.percent !== null && (b === null || a.percent > b) ? a.percent : b), null);
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
		quizzes: quizzesOf(course.slug).map((q) => {
			const mine = attempts.filter((a) => a.quizId === q.id);
			return {
				id: q.id,
				title: localize(q.title, locale, fallback),
				kind: q.kind,
				required: q.required,
				timeLimitMinutes: q.timeLimitMinutes,
				attempts: mine.length,
				open: mine.some((a) => !a.submittedAt),
				best: best(mine),
				passed: mine.some((a) => a.passed)
			};
		}),
		scenarios: scenariosOf(course.slug).map((s) => {
			const mine = runs.filter((r) => r.scenarioId === s.id);
			return { id: s.id, title: localize(s.title, locale, fallback), runs: mine.length, best: best(mine), passed: mine.some((r) => r.passed) };
		}),
		progress: { done: progress.done, examsPending: progress.examsPending.length, total: progress.total, percent: progress.percent, complete: progress.complete, next: progress.next, started: progress.started },
		due: assignment ? { at: assignment.dueAt.toISOString(), state: dueState(assignment.dueAt, progress.completedAt, new Date()) } : null
	};
};

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { findQuiz } from '$lib/server/assessment/catalog';
import { gradedAttempts, submitExpired } from '$lib/server/assessment/attempts';
import { quizTakers } from '$lib/server/assessment/results';
import { itemAnalysis, scoreDistribution, summary } from '$lib/server/assessment/analysis';
import { localize } from '$lib/server/assessment/draw';
import { findCourse } from '$lib/server/content';

export const load: PageServerLoad = async ({ locals, params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const quiz = findQuiz(course.slug, params.quiz);
	if (!quiz) error(404, m.quiz_no_such());
	await submitExpired(locals.db);
	const [attempts, takers] = await Promise.all([gradedAttempts(locals.db, quiz), quizTakers(locals.db, course.slug, quiz.id)]);
	const fallback = course.locales[0]!;
	const percents = attempts.map((a) => a.percent ?? 0);
	const first = attempts.filter((a) => a.number === 1);
	const prompts = new Map(quiz.questions.map((q) => [q.id, localize(q.prompt, locals.locale, fallback)]));
	return {
		course: { slug: course.slug, title: localize(course.title, locals.locale, fallback) },
		quiz: { id: quiz.id, title: localize(quiz.title, locals.locale, fallback), kind: quiz.kind, passMark: quiz.passMark },
		summary: summary(percents, quiz.passMark),
		takers,
		distribution: scoreDistribution(percents),
		items: itemAnalysis(first)
			.map((i) => ({ ...i, prompt: prompts.get(i.questionId) ?? i.questionId }))
			.sort((a, b) => (a.discrimination ?? 999) - (b.discrimination ?? 999))
	};
};

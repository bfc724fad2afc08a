import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { findCourse } from '$lib/server/content';
import { findQuiz } from '$lib/server/assessment/catalog';
import { attemptsOf, startOrResume, submitExpired } from '$lib/server/assessment/attempts';
import { drawnCount } from '$lib/server/assessment/draw';
import { localize } from '$lib/server/assessment/draw';
import { canStart } from '$lib/server/assessment/rules';
import { refusal } from '$lib/server/forms';
import { certifyIfDue } from '$lib/server/certification';

function locate(params: { course: string; quiz: string }) {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const quiz = findQuiz(course.slug, params.quiz);
	if (!quiz) error(404, m.quiz_no_such());
	return { course, quiz };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const { course, quiz } = locate(params);
	if ((await submitExpired(locals.db, new Date(), locals.user.id)).length) await certifyIfDue(locals.db, locals.user.id);
	const attempts = await attemptsOf(locals.db, locals.user.id, quiz);
	const decision = canStart(quiz, attempts, new Date());
	const fallback = course.locales[0]!;
	return {
		course: { slug: course.slug, title: localize(course.title, locals.locale, fallback) },
		quiz: {
			id: quiz.id,
			title: localize(quiz.title, locals.locale, fallback),
			kind: quiz.kind,
			required: quiz.required,
			questions: drawnCount(quiz),
			timeLimitMinutes: quiz.timeLimitMinutes,
			passMark: quiz.passMark,
			attempts: quiz.attempts,
			cooldownMinutes: quiz.cooldownMinutes,
			review: quiz.review
		},
		attempts: attempts.map((a) => ({
			id: a.id,
			number: a.number,
			submitted: Boolean(a.submittedAt),
			autoSubmitted: a.autoSubmitted,
			percent: a.percent,
			passed: a.passed,
			startedAt: a.startedAt.toISOString()
		})),
		open: attempts.find((a) => !a.submittedAt)?.id ?? null,
		blocked: decision.ok ? null : decision.reason === 'cooldown' ? { cooldown: decision.minutes, used: attempts.length } : { cooldown: 0, used: decision.used }
	};
};

export const actions = {
	start: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const { quiz } = locate(params);
		let attemptId: string;
		try {
			attemptId = (await startOrResume(locals.db, locals.user.id, quiz, locals.locale)).id;
		} catch (e) {
			return refusal(e, 'start');
		}
		redirect(303, `/learn/attempts/${attemptId}`);
	}
} satisfies Actions;

import { error, redirect } from '@sveltejs/kit';
import { certifyIfDue } from '$lib/server/certification';
import { earnedSince } from '$lib/server/certification/queries';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { answersOf, findAttempt, submitAttempt } from '$lib/server/assessment/attempts';
import { localize } from '$lib/server/assessment/draw';
import { reviewItems } from '$lib/server/assessment/review';
import { isExpired } from '$lib/server/assessment/rules';
import type { Question } from '$lib/server/assessment/types';
import { findCourse } from '$lib/server/content';
import { findQuiz } from '$lib/server/assessment/catalog';
import { topicTitle } from '$lib/server/assessment/review';
import { ServiceError } from '$lib/server/errors';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	let attempt;
	try {
		attempt = await findAttempt(locals.db, locals.user.id, params.id);
	} catch (e) {
		if (e instanceof ServiceError) error(404, m.attempt_no_such());
		throw e;
	}
	if (isExpired(attempt, new Date())) {
		attempt = await submitAttempt(locals.db, attempt.id, attempt.deadlineAt!, true);
		await certifyIfDue(locals.db, locals.user.id);
	}
	if (!attempt.submittedAt) redirect(303, `/learn/attempts/${attempt.id}`);
	const fallback = findCourse(attempt.courseSlug)?.locales[0] ?? 'en';
	const base = {
		attempt: {
			id: attempt.id,
			courseSlug: attempt.courseSlug,
			quizId: attempt.quizId,
			title: localize(attempt.title, locals.locale, fallback),
			number: attempt.number,
			percent: attempt.percent ?? 0,
			score: attempt.score ?? 0,
			max: attempt.maxScore ?? 0,
			passed: attempt.passed ?? false,
			passMark: attempt.passMark,
			autoSubmitted: attempt.autoSubmitted,
			review: attempt.review
		},
		// Topics by their titles (the quiz's current wording), in the reader's language.
		topics: Object.entries(attempt.byTag ?? {}).map(([tag, v]) => ({ tag, title: topicTitle(findQuiz(attempt.courseSlug, attempt.quizId)?.topics?.[tag], tag, locals.locale, fallback), ...v })),
		// Certifications this submission completed: the page says so and links to them.
		earned: attempt.passed ? await earnedSince(locals.db, locals.user.id, attempt.submittedAt, locals.locale) : []
	};
	if (attempt.review !== 'explanations') return { ...base, items: null };
	const answers = await answersOf(locals.db, attempt.id);
	const responses = Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, a.response]));
	return { ...base, items: reviewItems(attempt.questions as Question[], responses, locals.locale, fallback) };
};

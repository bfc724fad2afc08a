import { error, fail, redirect } from '@sveltejs/kit';
import { certifyIfDue } from '$lib/server/certification';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { NOTHING_GIVEN, findAttempt, findAttemptWithAnswers, saveAnswer, submitAttempt } from '$lib/server/assessment/attempts';
import { findCourse } from '$lib/server/content';
import { localize } from '$lib/server/assessment/draw';
import { presentAttempt, publicAnswer, readAnswerFields } from '$lib/server/assessment/present';
import { isExpired } from '$lib/server/assessment/rules';
import type { Question } from '$lib/server/assessment/types';
import { ServiceError } from '$lib/server/errors';

async function load404<T>(p: Promise<T>): Promise<T> {
	try {
		return await p;
	} catch (e) {
		if (e instanceof ServiceError) error(e.status, m.attempt_no_such());
		throw e;
	}
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const { attempt, answers } = await load404(findAttemptWithAnswers(locals.db, locals.user.id, params.id));
	const now = new Date();
	if (isExpired(attempt, now)) await submitAttempt(locals.db, attempt.id, attempt.deadlineAt!, true);
	if (attempt.submittedAt || isExpired(attempt, now)) redirect(303, `/learn/attempts/${attempt.id}/result`);
	const questions = attempt.questions as Question[];
	const fallback = findCourse(attempt.courseSlug)?.locales[0] ?? 'en';
	const requested = Number(url.searchParams.get('q') ?? NaN);
	const firstOpen = questions.findIndex((q) => !answers[q.id]);
	const index = Number.isInteger(requested) && requested >= 1 && requested <= questions.length ? requested - 1 : Math.max(0, firstOpen);
	const presented = presentAttempt(questions, attempt.seed, attempt.shuffleOptions, locals.locale, fallback);
	const current = questions[index]!;
	return {
		attempt: {
			id: attempt.id,
			courseSlug: attempt.courseSlug,
			quizId: attempt.quizId,
			title: localize(attempt.title, locals.locale, fallback),
			kind: attempt.kind,
			deadline: attempt.deadlineAt?.toISOString() ?? null,
			serverNow: now.toISOString()
		},
		nav: questions.map((q, i) => ({ n: i + 1, answered: Boolean(answers[q.id]) })),
		index,
		question: presented[index]!,
		saved: publicAnswer(current, answers[current.id]?.response, attempt.seed),
		justSaved: url.searchParams.get('saved') === current.id || url.searchParams.get('saved') === questions[index - 1]?.id
	};
};

export const actions = {
	/**
	 * Saves the answer to the question on screen. Called by the page's script (on every change) it
	 * answers with what the page shows next, in that one request: no redirect, no reload of the
	 * page's data. Without JavaScript every button of the question posts here, the question numbers
	 * too (`goto`), so moving to another question saves this one first; then it redirects.
	 */
	answer: async ({ locals, params, request, url }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const read = await readAnswerFields(request);
		if ('error' in read) return fail(400, { message: read.error });
		const { question, goto, ...fields } = read.fields;
		if (typeof question !== 'string') return fail(400, { message: 'This question is not part of your attempt.' });
		// Only a question number goes back into the address: anything else in `goto` or `?q=` (CR/LF,
		// CJK, a whole URL) is dropped rather than written into the Location header.
		const number = (v: unknown) => (typeof v === 'string' && /^\d{1,4}$/.test(v) ? v : null);
		const target = number(goto);
		// SvelteKit's own header on a form post made by the page's script.
		const scripted = request.headers.get('x-sveltekit-action') === 'true';
		let saved;
		try {
			saved = await saveAnswer(locals.db, locals.user.id, params.id, question, fields);
		} catch (e) {
			if (!(e instanceof ServiceError)) throw e;
			if (e.status === 404) error(404, m.attempt_no_such());
			const empty = e.status === 400 && NOTHING_GIVEN.has(e.message);
			// Moving on from a question left without an answer just moves on.
			if (target && empty && !scripted) redirect(303, `/learn/attempts/${params.id}?q=${target}`);
			return fail(e.status, { message: e.message, goto: target, empty, closed: e.status === 409 });
		}
		if (scripted) return { saved: question, answered: saved.answered, serverNow: new Date().toISOString() };
		const here = target ?? number(url.searchParams.get('q')) ?? '';
		redirect(303, `/learn/attempts/${params.id}?q=${here}&saved=${encodeURIComponent(question)}`);
	},
	submit: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const attempt = await load404(findAttempt(locals.db, locals.user.id, params.id));
		await submitAttempt(locals.db, attempt.id, isExpired(attempt, new Date()) ? attempt.deadlineAt! : new Date(), isExpired(attempt, new Date()));
		await certifyIfDue(locals.db, locals.user.id);
		redirect(303, `/learn/attempts/${attempt.id}/result`);
	}
} satisfies Actions;

import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { quizState } from '$lib/server/content/quiz-studio';
import { drawQuestions, localize, presentQuestion } from '$lib/server/assessment/draw';
import { parseResponse } from '$lib/server/assessment/grade';
import { readAnswerFields } from '$lib/server/assessment/present';
import { reviewItems } from '$lib/server/assessment/review';
import type { ContentLocale } from '$lib/content/schema';
import { m } from '$lib/paraglide/messages.js';

/**
 * A trainer takes the draft quiz as a technician would: questions drawn and shuffled by the same
 * rules, each answer graded by the server with its feedback. Nothing is recorded.
 */
const drawOf = (url: URL) => {
	const n = Number(url.searchParams.get('draw') ?? '1');
	return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
};
const seedOf = (userId: string, quiz: string, draw: number) => `preview:${userId}:${quiz}:${draw}`;

async function previewQuiz(locals: App.Locals, course: string, quiz: string) {
	if (!locals.user) error(401, m.error_sign_in_again());
	const state = await quizState(locals.db, course, quiz);
	const locale = (locals.locale ?? 'en') as ContentLocale;
	return { state, locale, user: locals.user };
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { state, locale, user } = await previewQuiz(locals, params.course, params.quiz);
	const draw = drawOf(url);
	const quiz = state.checked;
	const title = localize((state.data?.settings.title ?? {}) as Record<string, string>, locale, 'en') || params.quiz;
	if (!quiz) return { slug: params.course, quiz: params.quiz, title, draw, problems: state.problems, path: state.path, questions: [], kind: null, passMark: null };
	const seed = seedOf(user.id, params.quiz, draw);
	const questions = drawQuestions(quiz, seed).map((q) => presentQuestion(q, seed, quiz.shuffleOptions, locale, 'en'));
	return { slug: params.course, quiz: params.quiz, title, draw, problems: [], path: state.path, questions, kind: quiz.kind, passMark: quiz.passMark, timeLimit: quiz.timeLimitMinutes, pool: quiz.questions.length };
};

export const actions = {
	check: async ({ locals, params, request, url }) => {
		const { state, locale, user } = await previewQuiz(locals, params.course, params.quiz);
		const read = await readAnswerFields(request);
		if ('error' in read) return fail(400, { id: '', message: read.error });
		const id = typeof read.fields.question === 'string' ? read.fields.question : '';
		const q = state.checked?.questions.find((x) => x.id === id);
		if (!q) return fail(404, { id, message: m.studio_no_question({ id }) });
		const response = parseResponse(q, read.fields, seedOf(user.id, params.quiz, drawOf(url)));
		if ('error' in response) return fail(400, { id, message: response.error });
		const [item] = reviewItems([q], { [q.id]: response }, locale, 'en');
		return { id, item: item! };
	}
} satisfies Actions;

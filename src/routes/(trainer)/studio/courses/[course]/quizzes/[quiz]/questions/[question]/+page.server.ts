import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readFields } from '$lib/server/forms';
import { quizState, saveQuestion } from '$lib/server/content/quiz-studio';
import { findQuestion, questionLines, questionToFields } from '$lib/content/quiz-file';
import { localize } from '$lib/server/assessment/draw';
import type { Localized } from '$lib/server/assessment/types';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const state = await quizState(locals.db, params.course, params.quiz);
	const question = state.data ? findQuestion(state.data, params.question) : undefined;
	if (!question) error(404, m.studio_no_question({ id: params.question }));
	const range = questionLines(state.text).get(params.question);
	return {
		slug: params.course,
		quiz: params.quiz,
		quizTitle: localize(state.data!.settings.title as Localized, getLocale(), 'en') || params.quiz,
		question: params.question,
		fields: questionToFields(question),
		revision: state.revision,
		saved: url.searchParams.has('saved'),
		// The checker's problems with this question, at their line of the quiz file.
		problems: range ? state.problems.filter((p) => p.line >= range.from && p.line <= range.to).map((p) => ({ line: p.line, message: p.message })) : [],
		path: state.path
	};
};

export const actions = {
	save: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const read = await readFields(request);
		if (!read.ok) return fail(read.status, { message: read.message, errors: read.errors, values: read.values });
		const saved = await saveQuestion(locals.db, { slug: params.course, quiz: params.quiz, replacing: params.question, userId: locals.user.id, raw: read.raw });
		if (!saved.ok) return fail(saved.status, { message: saved.message, errors: saved.errors, values: { ...read.values } });
		redirect(303, `/studio/courses/${params.course}/quizzes/${params.quiz}/questions/${saved.id}?saved`);
	}
} satisfies Actions;

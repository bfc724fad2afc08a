import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readFields } from '$lib/server/forms';
import { quizState, saveQuestion } from '$lib/server/content/quiz-studio';
import { uniqueId } from '$lib/content/quiz-file';
import { QUESTION_TYPES, type Localized } from '$lib/server/assessment/types';
import { localize } from '$lib/server/assessment/draw';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const type = url.searchParams.get('type') ?? 'single';
	if (!(QUESTION_TYPES as readonly string[]).includes(type)) error(400, m.studio_bad_question_type());
	const state = await quizState(locals.db, params.course, params.quiz);
	const used = new Set((state.data?.questions ?? []).map((q) => String(q.id ?? '')));
	return {
		slug: params.course,
		quiz: params.quiz,
		quizTitle: localize(state.data?.settings.title as Localized, getLocale(), 'en') || params.quiz,
		fields: { type, id: uniqueId(`${type === 'truefalse' ? 'true-false' : type}-question`, used), points: '1', ...(type === 'numeric' ? { tolerance: '0' } : {}) } as Record<string, string>,
		revision: state.revision
	};
};

export const actions = {
	save: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const read = await readFields(request);
		if (!read.ok) return fail(read.status, { message: read.message, errors: read.errors, values: read.values });
		const saved = await saveQuestion(locals.db, { slug: params.course, quiz: params.quiz, replacing: null, userId: locals.user.id, raw: read.raw });
		if (!saved.ok) return fail(saved.status, { message: saved.message, errors: saved.errors, values: { ...read.values } });
		redirect(303, `/studio/courses/${params.course}/quizzes/${params.quiz}/questions/${saved.id}?saved`);
	}
} satisfies Actions;

import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readFields, readUpload, type RawFields } from '$lib/server/forms';
import { importBank } from '$lib/server/content/bank';
import { MAX_BANK_BYTES } from '$lib/content/interchange';
import { changeQuiz, quizState } from '$lib/server/content/quiz-studio';
import { draftLessons } from '$lib/server/content/studio';
import { duplicateQuestion, moveQuestion, poolSizes, questionLines, removeQuestion, settingsFromFields, type QuizFile } from '$lib/content/quiz-file';
import { localize } from '$lib/server/assessment/draw';
import { questionStatistics } from '$lib/server/assessment/results';
import type { Localized } from '$lib/server/assessment/types';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const state = await quizState(locals.db, params.course, params.quiz);
	const locale = getLocale();
	const lines = questionLines(state.text);
	const settings = state.data?.settings ?? {};
	const questions = (state.data?.questions ?? []).map((q) => {
		const id = String(q.id ?? '');
		const range = lines.get(id);
		return {
			id,
			type: String(q.type ?? ''),
			prompt: localize(q.prompt as Localized, locale, 'en'),
			tags: Array.isArray(q.tags) ? q.tags.map(String) : [],
			points: Number(q.points ?? 1),
			problems: range ? state.problems.filter((p) => p.line >= range.from && p.line <= range.to).length : 0
		};
	});
	const published = state.course.published?.files[state.path] !== undefined;
	return {
		slug: params.course,
		quiz: params.quiz,
		path: state.path,
		title: localize(settings.title as Localized, locale, 'en') || params.quiz,
		settings: {
			title: (settings.title ?? {}) as Localized,
			kind: String(settings.kind ?? 'practice'),
			passMark: Number(settings.passMark ?? 70),
			timeLimitMinutes: Number(settings.timeLimitMinutes ?? 0),
			attempts: Number(settings.attempts ?? 0),
			cooldownMinutes: Number(settings.cooldownMinutes ?? 0),
			review: String(settings.review ?? 'explanations'),
			shuffleQuestions: settings.shuffleQuestions !== false,
			shuffleOptions: settings.shuffleOptions !== false,
			required: settings.required === true,
			lessons: Array.isArray(settings.lessons) ? settings.lessons.map(String) : [],
			topics: (settings.topics ?? {}) as Record<string, Localized>,
			draw: Array.isArray(settings.draw) ? (settings.draw as Array<{ tag?: unknown; count?: unknown }>).map((d) => ({ tag: String(d.tag ?? ''), count: Number(d.count ?? 1) })) : []
		},
		unreadable: state.data === null,
		questions,
		pools: Object.fromEntries(state.data ? poolSizes(state.data) : []),
		lessons: draftLessons(Object.keys(state.course.files)).map((l) => l.slug),
		problems: state.problems.map((p) => ({ line: p.line, message: p.message })),
		warnings: state.warnings.map((w) => ({ line: w.line, message: w.message })),
		revision: state.revision,
		draft: state.course.draft.length > 0,
		published,
		// Item statistics of the published quiz, beside each question (first attempts, per version).
		statistics: published ? statisticsByQuestion(await questionStatistics(locals.db, params.course, params.quiz, state.course.published!.version)) : null
	};
};

function statisticsByQuestion(stats: Awaited<ReturnType<typeof questionStatistics>>) {
	const round = (x: number | null) => (x === null ? null : Math.round(x));
	return {
		version: stats.version,
		attempts: stats.attempts,
		earlier: stats.earlier,
		items: Object.fromEntries(stats.items.map((i) => [i.questionId, { n: i.n, facility: round(i.facility)!, discrimination: round(i.discrimination), flags: i.flags }]))
	};
}

const revisionOf = (raw: RawFields) => {
	const text = typeof raw.revision === 'string' ? raw.revision : '';
	return /^\d{1,9}$/.test(text) ? Number(text) : null;
};
const QUESTION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Reads the form, then applies `change` to the quiz in the draft; every failure changes nothing. */
async function edit(
	event: { request: Request; locals: App.Locals; params: { course: string; quiz: string } },
	action: string,
	change: (raw: RawFields) => ((file: QuizFile) => QuizFile | { error: string }) | { errors: Record<string, string> },
	options: { arrays?: string[] } = {}
) {
	const { request, locals, params } = event;
	if (!locals.user) error(401, m.error_sign_in_again());
	const read = await readFields(request, options);
	if (!read.ok) return fail(read.status, { [action]: { message: read.message, errors: read.errors } });
	const revision = revisionOf(read.raw);
	if (revision === null) return fail(400, { [action]: { message: m.studio_save_bad(), errors: {} } });
	const how = change(read.raw);
	if ('errors' in how) return fail(400, { [action]: { message: m.form_correct_fields(), errors: how.errors } });
	const saved = await changeQuiz(locals.db, { slug: params.course, quiz: params.quiz, revision, userId: locals.user.id }, how);
	if (!saved.ok) return fail(saved.status, { [action]: { message: saved.message, errors: {} } });
	return { [action]: { done: true, revision: saved.revision } };
}

/** The question a list action names, checked before anything is opened. */
function questionField(raw: RawFields): string | null {
	const id = typeof raw.question === 'string' ? raw.question : '';
	return QUESTION_ID.test(id) && id.length <= 60 ? id : null;
}

const missing = (id: string) => ({ error: m.studio_no_question({ id }) });

export const actions = {
	settings: (event) =>
		edit(
			event,
			'settings',
			(raw) => {
				const result = settingsFromFields(raw);
				if (!result.ok) return { errors: result.errors };
				return (file) => ({ ...file, settings: { ...file.settings, ...result.value } });
			},
			{ arrays: ['lessons'] }
		),
	move: (event) =>
		edit(event, 'questions', (raw) => {
			const id = questionField(raw);
			const direction = raw.direction === 'up' || raw.direction === 'down' ? raw.direction : null;
			if (!id || !direction) return { errors: { question: m.studio_cannot_move() } };
			return (file) => moveQuestion(file, id, direction) ?? { error: m.studio_cannot_move() };
		}),
	duplicate: (event) =>
		edit(event, 'questions', (raw) => {
			const id = questionField(raw);
			if (!id) return { errors: { question: m.studio_save_bad() } };
			return (file) => duplicateQuestion(file, id)?.file ?? missing(id);
		}),
	import: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const upload = await readUpload(request, 'file');
		if (!upload.ok) return fail(400, { import: { message: upload.reason === 'unreadable' ? m.form_unreadable() : m.studio_bank_choose() } });
		const revision = revisionOf(upload.fields);
		const locale = upload.fields.locale === 'zh-CN' ? 'zh-CN' : upload.fields.locale === 'en' ? 'en' : null;
		if (revision === null || !locale) return fail(400, { import: { message: m.studio_save_bad() } });
		if (upload.file.size > MAX_BANK_BYTES) return fail(413, { import: { message: m.studio_import_too_large({ mb: MAX_BANK_BYTES / 1024 / 1024 }) } });
		const bytes = new Uint8Array(await upload.file.arrayBuffer());
		const result = await importBank(locals.db, { slug: params.course, quiz: params.quiz, bytes, locale, userId: locals.user.id, revision });
		if (!result.ok) return fail(result.status, { import: { message: result.message } });
		return { import: { imported: result.report.imported, skipped: result.report.skipped, pictures: result.report.pictures } };
	},
	remove: (event) =>
		edit(event, 'questions', (raw) => {
			const id = questionField(raw);
			if (!id) return { errors: { question: m.studio_save_bad() } };
			return (file) => removeQuestion(file, id) ?? missing(id);
		})
} satisfies Actions;

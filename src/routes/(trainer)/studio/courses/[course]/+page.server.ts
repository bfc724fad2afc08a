import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { readForm, text } from '$lib/server/forms';
import { checkDraft, deleteDraftFiles, discardDraft, draftOf, openDraft, publishDraft, renameDraftFiles, saveDraftFile } from '$lib/server/content/drafts';
import { publishedPackages } from '$lib/server/content/store';
import { courseDir, courseSettings, draftLessons, newLessonFile, renumber, writeCourseMd } from '$lib/server/content/studio';
import { CATEGORIES, CONTENT_LOCALES, PRODUCT_LINES } from '$lib/content/schema';
import { addQuizFile, quizIds } from '$lib/server/content/quiz-studio';
import { newQuizFile } from '$lib/content/quiz-file';
import { newScenarioFile } from '$lib/content/scenario-file';
import { m } from '$lib/paraglide/messages.js';

const ref = (slug: string) => ({ kind: 'course' as const, key: slug });

async function course(locals: App.Locals, slug: string) {
	const [published, draft] = await Promise.all([publishedPackages(locals.db).then((all) => all.find((p) => p.kind === 'course' && p.key === slug) ?? null), draftOf(locals.db, ref(slug))]);
	if (!published && !draft.length) error(404, m.error_no_course());
	return { published, draft };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const { published, draft } = await course(locals, params.course);
	const files: Record<string, string> = draft.length ? Object.fromEntries(draft.map((f) => [f.path, f.text])) : published!.files;
	const paths = Object.keys(files).sort();
	const dir = courseDir(paths);
	const settings = dir ? courseSettings(files[`${dir}/course.md`] ?? '') : null;
	const { problems } = draft.length ? await checkDraft(locals.db, ref(params.course), files) : { problems: [] };
	const changed = draft.length > 0 && (!published || JSON.stringify(Object.entries(published.files).sort()) !== JSON.stringify(Object.entries(files).sort().map(([p, t]) => [p, p.endsWith('/course.md') ? t.replace(/^version:.*$/m, `version: ${published.version}`) : t])));
	return {
		slug: params.course,
		published: published ? { version: published.version, at: published.createdAt } : null,
		draft: draft.length > 0,
		changed,
		// The draft was opened from a version that is no longer the newest: publishing it is refused.
		stale: draft.length > 0 && published !== null && !draft.some((f) => f.baseVersion === published.version) && draft.some((f) => f.baseVersion !== null),
		settings,
		revision: draft.find((f) => f.path.endsWith('/course.md'))?.revision ?? 0,
		lessons: draftLessons(paths),
		quizzes: quizIds(files),
		scenarios: paths.flatMap((p) => /\/([a-z0-9-]+)\.scenario\.md$/.exec(p)?.[1] ?? []).sort(),
		problems,
		options: { categories: CATEGORIES, productLines: PRODUCT_LINES, locales: CONTENT_LOCALES }
	};
};

/** Every change opens the draft first (a copy of the published version), then works on it. */
async function draftFiles(locals: App.Locals, slug: string) {
	if (!locals.user) error(401, m.error_sign_in_again());
	const draft = await openDraft(locals.db, ref(slug), locals.user.id);
	if (!draft.length) error(404, m.error_no_course());
	const paths = draft.map((f) => f.path);
	const dir = courseDir(paths);
	if (!dir) error(400, m.studio_no_course_md());
	return { draft, paths, dir, user: locals.user };
}

const settingsForm = z.object({
	revision: z.string().regex(/^\d{1,9}$/, { error: () => m.studio_save_bad() }).transform(Number),
	titleEn: text(120),
	titleZh: text(120),
	summaryEn: text(400),
	summaryZh: text(400),
	category: z.enum(CATEGORIES, { error: () => m.studio_pick_one() }),
	productLines: z.array(z.enum(PRODUCT_LINES)).min(1, { error: () => m.studio_pick_product_line() }),
	minutes: z.coerce.number({ error: () => m.studio_minutes() }).int({ error: () => m.studio_minutes() }).min(1, { error: () => m.studio_minutes() }).max(6000, { error: () => m.studio_minutes() }),
	locales: z.array(z.enum(CONTENT_LOCALES)).min(1, { error: () => m.studio_pick_language() })
});

const lessonForm = z.object({
	slug: z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: () => m.studio_slug_format() }).max(60),
	titleEn: text(120),
	titleZh: text(120)
});

const quizForm = z.object({
	id: z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: () => m.studio_slug_format() }).max(60, { error: () => m.studio_slug_format() }),
	kind: z.enum(['practice', 'exam'], { error: () => m.studio_pick_one() }),
	titleEn: text(200),
	titleZh: text(200)
});

const scenarioForm = z.object({
	id: quizForm.shape.id,
	titleEn: text(200),
	titleZh: text(200),
	summaryEn: text(2000),
	summaryZh: text(2000)
});

const slugForm = z.object({ lesson: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(60) });
const moveForm = slugForm.extend({ direction: z.enum(['up', 'down']) });
const publishForm = z.object({
	note: text(500),
	material: z.enum(['on']).optional(),
	renewBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: () => m.studio_renew_by_date() }).optional().or(z.literal(''))
});

export const actions = {
	settings: async ({ request, locals, params }) => {
		const form = await readForm(request, settingsForm, { arrays: ['productLines', 'locales'] });
		if (!form.ok) return fail(form.status, { settings: form });
		const { dir, draft, user } = await draftFiles(locals, params.course);
		const path = `${dir}/course.md`;
		const previous = draft.find((f) => f.path === path)!;
		const old = courseSettings(previous.text);
		const d = form.data;
		const textOut = writeCourseMd(
			{ title: { en: d.titleEn, 'zh-CN': d.titleZh }, summary: { en: d.summaryEn, 'zh-CN': d.summaryZh }, category: d.category, productLines: d.productLines, minutes: d.minutes, locales: d.locales, version: old?.version ?? 1 },
			previous.text
		);
		const saved = await saveDraftFile(locals.db, ref(params.course), path, textOut, d.revision || previous.revision, user.id);
		if (!saved.ok) return fail(409, { settings: { ok: false as const, status: 409, errors: {} as Record<string, string>, values: {} as Record<string, string>, message: m.studio_conflict_settings({ name: saved.conflict?.by ?? '?' }) } });
		return { saved: true };
	},
	addLesson: async ({ request, locals, params }) => {
		const form = await readForm(request, lessonForm);
		if (!form.ok) return fail(form.status, { addLesson: form });
		const { dir, paths, user } = await draftFiles(locals, params.course);
		const lessons = draftLessons(paths);
		if (lessons.some((l) => l.slug === form.data.slug)) {
			return fail(400, { addLesson: { ok: false as const, status: 400, errors: { slug: m.studio_lesson_slug_taken() }, values: form.data, message: m.form_correct_fields() } });
		}
		const nn = String(lessons.length + 1).padStart(2, '0');
		for (const [locale, title] of [['en', form.data.titleEn], ['zh-CN', form.data.titleZh]] as const) {
			await saveDraftFile(locals.db, ref(params.course), `${dir}/${nn}-${form.data.slug}.${locale}.svx`, newLessonFile(title, locale), 0, user.id);
		}
		redirect(303, `/studio/courses/${params.course}/lessons/${form.data.slug}`);
	},
	addQuiz: async ({ request, locals, params }) => {
		const form = await readForm(request, quizForm);
		if (!form.ok) return fail(form.status, { addQuiz: form });
		if (!locals.user) error(401, m.error_sign_in_again());
		const added = await addQuizFile(locals.db, params.course, form.data.id, newQuizFile({ kind: form.data.kind, title: { en: form.data.titleEn, 'zh-CN': form.data.titleZh } }), locals.user.id);
		if (!added.ok) return fail(400, { addQuiz: { ok: false as const, status: 400, errors: { id: added.message }, values: form.data, message: m.form_correct_fields() } });
		redirect(303, `/studio/courses/${params.course}/quizzes/${form.data.id}`);
	},
	addScenario: async ({ request, locals, params }) => {
		const form = await readForm(request, scenarioForm);
		if (!form.ok) return fail(form.status, { addScenario: form });
		if (!locals.user) error(401, m.error_sign_in_again());
		const d = form.data;
		const text = newScenarioFile({ title: { en: d.titleEn, 'zh-CN': d.titleZh }, summary: { en: d.summaryEn, 'zh-CN': d.summaryZh } });
		const added = await addQuizFile(locals.db, params.course, d.id, text, locals.user.id, 'scenario');
		if (!added.ok) return fail(400, { addScenario: { ok: false as const, status: 400, errors: { id: added.message }, values: d, message: m.form_correct_fields() } });
		redirect(303, `/studio/courses/${params.course}/scenarios/${d.id}`);
	},
	removeLesson: async ({ request, locals, params }) => {
		const form = await readForm(request, slugForm);
		if (!form.ok) return fail(400, { lessons: { message: form.message } });
		const { dir, paths, user } = await draftFiles(locals, params.course);
		const lessons = draftLessons(paths);
		const lesson = lessons.find((l) => l.slug === form.data.lesson);
		if (!lesson) return fail(404, { lessons: { message: m.error_no_lesson() } });
		if (lessons.length === 1) return fail(400, { lessons: { message: m.studio_last_lesson() } });
		await deleteDraftFiles(locals.db, ref(params.course), Object.values(lesson.files));
		await renameDraftFiles(locals.db, ref(params.course), renumber(dir, lessons.filter((l) => l !== lesson)), user.id);
		return { removed: form.data.lesson };
	},
	moveLesson: async ({ request, locals, params }) => {
		const form = await readForm(request, moveForm);
		if (!form.ok) return fail(400, { lessons: { message: form.message } });
		const { dir, paths, user } = await draftFiles(locals, params.course);
		const lessons = draftLessons(paths);
		const i = lessons.findIndex((l) => l.slug === form.data.lesson);
		const j = form.data.direction === 'up' ? i - 1 : i + 1;
		if (i < 0 || j < 0 || j >= lessons.length) return fail(400, { lessons: { message: m.studio_cannot_move() } });
		[lessons[i], lessons[j]] = [lessons[j]!, lessons[i]!];
		await renameDraftFiles(locals.db, ref(params.course), renumber(dir, lessons), user.id);
		return { moved: form.data.lesson };
	},
	publish: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, publishForm);
		if (!form.ok) return fail(form.status, { publish: { message: form.message, errors: form.errors as Record<string, string>, problems: [] as Array<{ file: string; line: number; message: string }> } });
		let renewBy: Date | null = null;
		if (form.data.material) {
			if (!form.data.renewBy) return fail(400, { publish: { message: m.form_correct_fields(), errors: { renewBy: m.studio_renew_by_date() }, problems: [] } });
			renewBy = new Date(`${form.data.renewBy}T23:59:59+08:00`);
			if (Number.isNaN(renewBy.getTime()) || renewBy.getTime() < Date.now()) {
				return fail(400, { publish: { message: m.form_correct_fields(), errors: { renewBy: m.studio_renew_by_future() }, problems: [] } });
			}
		}
		const result = await publishDraft(locals.db, ref(params.course), { userId: locals.user.id, note: form.data.note, renewBy });
		if (!result.ok) return fail(400, { publish: { message: m.studio_publish_refused(), errors: {} as Record<string, string>, problems: result.problems } });
		return { published: result.published[0]?.version ?? null };
	},
	discard: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const { published } = await course(locals, params.course);
		await discardDraft(locals.db, ref(params.course));
		if (!published) redirect(303, '/studio');
		return { discarded: true };
	}
} satisfies Actions;

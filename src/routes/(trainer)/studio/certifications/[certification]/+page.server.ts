import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { readFields, readForm, text } from '$lib/server/forms';
import { certificationState, saveCertification } from '$lib/server/content/certification-studio';
import { discardDraft, publishDraft } from '$lib/server/content/drafts';
import { certificationFromFields, certificationToFields, MAX_LEVELS } from '$lib/content/certification-file';
import { listCourses } from '$lib/server/content';
import { allQuizzes, allScenarios } from '$lib/server/assessment/catalog';
import { localize } from '$lib/server/assessment/draw';
import type { Localized } from '$lib/server/assessment/types';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const state = await certificationState(locals.db, params.certification);
	const locale = getLocale();
	const t = (v: unknown) => localize((v ?? {}) as Localized, locale, 'en');
	// What a requirement can name: everything published (a draft course cannot be required yet).
	const courses = listCourses();
	const courseTitle = new Map(courses.map((c) => [c.slug, t(c.title)]));
	return {
		id: params.certification,
		path: state.path,
		title: t(state.data?.title) || params.certification,
		fields: state.data ? certificationToFields(state.data) : {},
		unreadable: state.data === null,
		levels: MAX_LEVELS,
		choices: [
			...courses.map((c) => ({ ref: `course:${c.slug}`, label: m.studio_req_course({ title: t(c.title) }), scored: false })),
			...allQuizzes().map((q) => ({ ref: `quiz:${q.courseSlug}/${q.id}`, label: m.studio_req_quiz({ title: t(q.title), course: courseTitle.get(q.courseSlug) ?? q.courseSlug }), scored: true })),
			...allScenarios().map((s) => ({ ref: `scenario:${s.courseSlug}/${s.id}`, label: m.studio_req_scenario({ title: t(s.title), course: courseTitle.get(s.courseSlug) ?? s.courseSlug }), scored: true }))
		],
		problems: state.problems,
		revision: state.revision,
		draft: state.draft.length > 0,
		stale: state.stale,
		published: state.published ? { version: state.published.version, at: state.published.createdAt } : null
	};
};

const publishForm = z.object({ note: text(500) });

export const actions = {
	save: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const read = await readFields(request);
		if (!read.ok) return fail(read.status, { save: { message: read.message, errors: read.errors, values: read.values } });
		const revision = typeof read.raw.revision === 'string' && /^\d{1,9}$/.test(read.raw.revision) ? Number(read.raw.revision) : null;
		if (revision === null) return fail(400, { save: { message: m.studio_save_bad(), errors: {}, values: { ...read.values } } });
		const built = certificationFromFields(read.raw);
		if (!built.ok) return fail(400, { save: { message: m.form_correct_fields(), errors: built.errors, values: { ...read.values } } });
		const saved = await saveCertification(locals.db, { id: params.certification, revision, userId: locals.user.id, data: built.value });
		if (!saved.ok) return fail(saved.status, { save: { message: saved.message, errors: {}, values: { ...read.values } } });
		return { save: { done: true } };
	},
	publish: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, publishForm);
		if (!form.ok) return fail(form.status, { publish: { message: form.message, problems: [] as Array<{ file: string; line: number; message: string }> } });
		const state = await certificationState(locals.db, params.certification);
		if (!state.draft.length) return fail(400, { publish: { message: m.studio_nothing_to_publish(), problems: [] } });
		const result = await publishDraft(locals.db, state.ref, { userId: locals.user.id, note: form.data.note, renewBy: null });
		if (!result.ok) return fail(400, { publish: { message: m.studio_publish_refused(), problems: result.problems } });
		return { published: result.published[0]?.version ?? null };
	},
	discard: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const state = await certificationState(locals.db, params.certification);
		if (!state.draft.length) return fail(400, { discard: { message: m.studio_nothing_to_publish() } });
		await discardDraft(locals.db, state.ref);
		if (!state.published) redirect(303, '/studio');
		return { discarded: true };
	}
} satisfies Actions;

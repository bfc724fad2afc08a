import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { checkDraft, draftOf, openDraft, saveDraftFile } from '$lib/server/content/drafts';
import { publishedPackages } from '$lib/server/content/store';
import { draftLessons } from '$lib/server/content/studio';
import { storePicture } from '$lib/server/content/pictures';
import { CONTENT_LOCALES, type ContentLocale } from '$lib/content/schema';
import { MAX_BODY_CHARS } from '$lib/content/lesson-body';
import { readUpload } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

const ref = (slug: string) => ({ kind: 'course' as const, key: slug });

export const load: PageServerLoad = async ({ locals, params }) => {
	const [published, draft] = await Promise.all([
		publishedPackages(locals.db).then((all) => all.find((p) => p.kind === 'course' && p.key === params.course) ?? null),
		draftOf(locals.db, ref(params.course))
	]);
	if (!published && !draft.length) error(404, m.error_no_course());
	const files: Record<string, string> = draft.length ? Object.fromEntries(draft.map((f) => [f.path, f.text])) : published!.files;
	const lesson = draftLessons(Object.keys(files)).find((l) => l.slug === params.lesson);
	if (!lesson) error(404, m.error_no_lesson());
	const paths = Object.values(lesson.files);
	const { problems, result } = await checkDraft(locals.db, ref(params.course), files, { render: true, only: paths });
	const sides = CONTENT_LOCALES.filter((l) => lesson.files[l]).map((locale) => {
		const path = lesson.files[locale]!;
		const row = draft.find((f) => f.path === path);
		return {
			locale,
			path,
			text: files[path]!,
			revision: row?.revision ?? 0,
			updatedAt: row?.updatedAt ?? null,
			updatedBy: row?.updatedByName ?? null,
			problems: problems.filter((p) => p.file === path).map((p) => ({ line: p.line, message: p.message })),
			html: result.rendered[path] ?? ''
		};
	});
	// A language changed after the other one was last saved may need the same change.
	const [a, b] = sides;
	const newer = a?.updatedAt && b?.updatedAt && Math.abs(a.updatedAt.getTime() - b.updatedAt.getTime()) > 1000 ? (a.updatedAt > b.updatedAt ? a.locale : b.locale) : null;
	return { slug: params.course, lesson: params.lesson, sides, newer, draft: draft.length > 0, published: published?.version ?? null };
};

const saveForm = z.object({
	path: z.string().max(300),
	text: z.string().max(MAX_BODY_CHARS + 4000),
	revision: z.string().regex(/^\d{1,9}$/).transform(Number)
});

export const actions = {
	save: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		let raw: FormData;
		try {
			raw = await request.formData();
		} catch {
			return fail(400, { save: { message: m.form_unreadable() } });
		}
		const parsed = saveForm.safeParse(Object.fromEntries([...raw].filter(([, v]) => typeof v === 'string')));
		if (!parsed.success) return fail(400, { save: { message: m.studio_save_bad() } });
		const { path, text, revision } = parsed.data;
		if (text.includes('\u0000') || text.includes('\uFFFD')) return fail(400, { save: { message: m.form_not_utf8() } });
		// The lesson and its file are found before a draft is opened: a wrong address changes nothing.
		const [published, existing] = await Promise.all([
			publishedPackages(locals.db).then((all) => all.find((p) => p.kind === 'course' && p.key === params.course) ?? null),
			draftOf(locals.db, ref(params.course))
		]);
		const paths = existing.length ? existing.map((f) => f.path) : Object.keys(published?.files ?? {});
		const lesson = draftLessons(paths).find((l) => l.slug === params.lesson);
		if (!lesson || !Object.values(lesson.files).includes(path)) return fail(404, { save: { message: m.error_no_lesson() } });
		const draft = await openDraft(locals.db, ref(params.course), locals.user.id);
		const file = draft.find((f) => f.path === path);
		if (!file) return fail(404, { save: { message: m.error_no_lesson() } });
		// Edited from the published text: saved only when nobody changed the draft's copy since.
		let from = revision;
		if (revision === 0 && published?.files[path] === file.text) from = file.revision;
		const normalized = text.replace(/\r\n?/g, '\n');
		const saved = from === 0 ? ({ ok: false, conflict: { path, theirs: file.text, revision: file.revision, by: file.updatedByName, at: file.updatedAt } } as const) : await saveDraftFile(locals.db, ref(params.course), path, normalized, from, locals.user.id);
		if (!saved.ok) {
			return fail(409, { conflict: { path, mine: normalized, theirs: saved.conflict?.theirs ?? '', revision: saved.conflict?.revision ?? 0, by: saved.conflict?.by ?? null } });
		}
		const files = Object.fromEntries((await draftOf(locals.db, ref(params.course))).map((f) => [f.path, f.text]));
		const { problems, result } = await checkDraft(locals.db, ref(params.course), files, { render: true, only: [path] });
		return {
			saved: { path, revision: saved.revision, problems: problems.filter((p) => p.file === path).map((p) => ({ line: p.line, message: p.message })), html: result.rendered[path] ?? '' }
		};
	},
	picture: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const upload = await readUpload(request, 'picture');
		if (!upload.ok) return fail(400, { picture: { message: upload.reason === 'unreadable' ? m.form_unreadable() : m.studio_picture_choose() } });
		const file = upload.file;
		const stored = await storePicture(locals.db, new Uint8Array(await file.arrayBuffer()), file.name, locals.user.id);
		if (!stored.ok) return fail(400, { picture: { message: stored.message } });
		return { picture: { src: stored.src, name: file.name.slice(0, 120) } };
	}
} satisfies Actions;


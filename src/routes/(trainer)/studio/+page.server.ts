import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { readForm, readUpload, text } from '$lib/server/forms';
import { createCourseDraft, createDraft } from '$lib/server/content/drafts';
import { importContent } from '$lib/server/content/store';
import { newLessonFile, studioCertifications, studioCourses, writeCourseMd } from '$lib/server/content/studio';
import { newCertificationFile } from '$lib/content/certification-file';
import { readZip, splitTextAndBinary, withoutJunk } from '$lib/server/content/zip';
import { formatProblems } from '$lib/content/check';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals }) => {
	const [courses, certifications] = await Promise.all([studioCourses(locals.db, locals.locale), studioCertifications(locals.db, locals.locale)]);
	return { courses, certifications };
};

const newCourse = z.object({
	slug: z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: () => m.studio_slug_format() }).max(60),
	titleEn: text(120),
	titleZh: text(120)
});

const newCertification = z.object({
	id: newCourse.shape.slug,
	titleEn: text(200),
	titleZh: text(200),
	course: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: () => m.studio_pick_one() }).max(60)
});

/** Largest zip accepted from the studio (the same limit as the zip reader's total). */
const MAX_UPLOAD = 20 * 1024 * 1024;

export const actions = {
	createCertification: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, newCertification);
		if (!form.ok) return fail(form.status, { createCertification: form });
		const { id, titleEn, titleZh, course } = form.data;
		const [certifications, courses] = await Promise.all([studioCertifications(locals.db, locals.locale), studioCourses(locals.db, locals.locale)]);
		const errors: Record<string, string> = {};
		if (certifications.some((c) => c.slug === id)) errors.id = m.studio_slug_taken();
		if (!courses.some((c) => c.slug === course && c.published)) errors.course = m.studio_pick_one();
		if (Object.keys(errors).length) return fail(400, { createCertification: { ok: false, status: 400, errors, values: form.data, message: m.form_correct_fields() } });
		const title = { en: titleEn, 'zh-CN': titleZh };
		await createDraft(locals.db, { [`certifications/${id}.md`]: newCertificationFile({ title, summary: title, course }) }, { kind: 'certification', key: id }, locals.user.id);
		redirect(303, `/studio/certifications/${id}`);
	},
	create: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, newCourse);
		if (!form.ok) return fail(form.status, { create: form });
		const { slug, titleEn, titleZh } = form.data;
		const courses = await studioCourses(locals.db, locals.locale);
		if (courses.some((c) => c.slug === slug)) {
			return fail(400, { create: { ok: false, status: 400, errors: { slug: m.studio_slug_taken() }, values: { slug, titleEn, titleZh }, message: m.form_correct_fields() } });
		}
		const dir = `courses/${String(courses.length + 1).padStart(2, '0')}-${slug}`;
		const settings = {
			title: { en: titleEn, 'zh-CN': titleZh },
			summary: { en: titleEn, 'zh-CN': titleZh },
			category: 'product' as const,
			productLines: ['general' as const],
			minutes: 10,
			locales: ['en' as const, 'zh-CN' as const],
			version: 1
		};
		await createCourseDraft(
			locals.db,
			{
				[`${dir}/course.md`]: writeCourseMd(settings),
				[`${dir}/01-introduction.en.svx`]: newLessonFile('Introduction', 'en'),
				[`${dir}/01-introduction.zh-CN.svx`]: newLessonFile('简介', 'zh-CN')
			},
			slug,
			locals.user.id
		);
		redirect(303, `/studio/courses/${slug}`);
	},
	import: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const upload = await readUpload(request, 'archive');
		if (!upload.ok) return fail(400, { import: { problems: upload.reason === 'unreadable' ? m.form_unreadable() : m.studio_import_choose() } });
		const file = upload.file;
		if (file.size > MAX_UPLOAD) return fail(413, { import: { problems: m.studio_import_too_large({ mb: MAX_UPLOAD / 1024 / 1024 }) } });
		const label = file.name.replace(/[^\w.-]/g, '_').slice(0, 80) || 'upload.zip';
		const zip = readZip(new Uint8Array(await file.arrayBuffer()), label);
		if (!zip.entries) return fail(400, { import: { problems: formatProblems(zip.problems) } });
		const split = splitTextAndBinary(withoutJunk(zip.entries), label);
		const misplaced = [...split.binary.keys()].filter((k) => !k.startsWith('media/'));
		const problems = [...split.problems, ...misplaced.map((k) => ({ file: `${label}/${k}`, line: 0, message: m.studio_import_binary() }))];
		if (problems.length) return fail(400, { import: { problems: formatProblems(problems) } });
		const result = await importContent(locals.db, { files: split.text, pictures: split.binary }, { authorId: locals.user.id, note: m.studio_import_note({ name: label }), label });
		if (!result.ok) return fail(400, { import: { problems: formatProblems(result.problems) } });
		return { imported: { published: result.published.map((p) => `${p.key} v${p.version}`), unchanged: result.unchanged.length } };
	}
} satisfies Actions;

import { error, fail } from '@sveltejs/kit';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { restoreVersion } from '$lib/server/content/drafts';
import { versionFiles, versionsOf } from '$lib/server/content/store';
import { diffVersions, summarizeDiff } from '$lib/content/diff';
import { user } from '$lib/server/db/schema';
import { readForm } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

const ref = (slug: string) => ({ kind: 'course' as const, key: slug });

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const versions = await versionsOf(locals.db, ref(params.course));
	if (!versions.length) error(404, m.error_no_course());
	const authorIds = [...new Set(versions.map((v) => v.authorId).filter((id): id is string => id !== null))];
	const authors = authorIds.length ? await locals.db.select({ id: user.id, name: user.displayName }).from(user).where(inArray(user.id, authorIds)) : [];
	const nameOf = new Map(authors.map((a) => [a.id, a.name]));
	const newest = versions[0]!.version;
	const pick = (name: string, fallback: number) => {
		const raw = url.searchParams.get(name);
		const n = raw === null ? fallback : Number(raw);
		return Number.isInteger(n) && versions.some((v) => v.version === n) ? n : fallback;
	};
	const to = pick('to', newest);
	const from = pick('from', Math.max(1, to - 1));
	let diff = null;
	if (from !== to) {
		const [a, b] = await Promise.all([versionFiles(locals.db, ref(params.course), from), versionFiles(locals.db, ref(params.course), to)]);
		const files = diffVersions(a!.files, b!.files);
		diff = { files, summary: summarizeDiff(files) };
	}
	return {
		slug: params.course,
		versions: versions.map((v) => ({ ...v, author: v.authorId ? (nameOf.get(v.authorId) ?? null) : null })),
		from,
		to,
		diff
	};
};

export const actions = {
	restore: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, z.object({ version: z.string().regex(/^[1-9]\d{0,8}$/).transform(Number) }));
		if (!form.ok) return fail(400, { restore: { message: form.message } });
		const result = await restoreVersion(locals.db, ref(params.course), form.data.version, locals.user.id);
		if (!result.ok) return fail(400, { restore: { message: result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n') } });
		return { restored: { from: form.data.version, version: result.published[0]?.version ?? null } };
	}
} satisfies Actions;

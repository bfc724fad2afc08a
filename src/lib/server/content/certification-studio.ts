import { error } from '@sveltejs/kit';
import type { Db } from '../db/index.ts';
import { checkDraft, draftOf, openDraft, saveDraftFile } from './drafts.ts';
import { publishedPackages } from './store.ts';
import type { QuizSave } from './quiz-studio.ts';
import { readCertificationFile, writeCertificationFile } from '../../content/certification-file.ts';
import { m } from '../../paraglide/messages.js';

/** A certification in the studio: its file (the draft's when there is one), revision and problems. */
export async function certificationState(db: Db, id: string) {
	const ref = { kind: 'certification' as const, key: id };
	const [published, draft] = await Promise.all([publishedPackages(db).then((all) => all.find((p) => p.kind === 'certification' && p.key === id) ?? null), draftOf(db, ref)]);
	if (!published && !draft.length) error(404, m.studio_no_certification());
	const path = `certifications/${id}.md`;
	const files: Record<string, string> = draft.length ? Object.fromEntries(draft.map((f) => [f.path, f.text])) : published!.files;
	const text = files[path] ?? '';
	const { problems } = draft.length ? await checkDraft(db, ref, files) : { problems: [] };
	return {
		ref,
		path,
		published,
		draft,
		data: readCertificationFile(text),
		revision: draft.find((f) => f.path === path)?.revision ?? 0,
		problems: problems.map((p) => ({ file: p.file, line: p.line, message: p.message })),
		stale: draft.length > 0 && published !== null && draft.every((f) => f.baseVersion !== null && f.baseVersion !== published.version)
	};
}

/** Saves the certification's frontmatter in the draft, from the revision the trainer saw (0: the published one). */
export async function saveCertification(db: Db, input: { id: string; revision: number; userId: string; data: Record<string, unknown> }): Promise<QuizSave> {
	const state = await certificationState(db, input.id);
	const current = state.draft.find((f) => f.path === state.path);
	if (input.revision !== (current?.revision ?? 0)) return { ok: false, status: 409, message: m.studio_quiz_conflict({ name: current?.updatedByName ?? '?' }) };
	const draft = current ? state.draft : await openDraft(db, state.ref, input.userId);
	const from = draft.find((f) => f.path === state.path)?.revision ?? 0;
	const saved = await saveDraftFile(db, state.ref, state.path, writeCertificationFile(input.data), from, input.userId);
	if (!saved.ok) return { ok: false, status: 409, message: m.studio_quiz_conflict({ name: saved.conflict?.by ?? '?' }) };
	return { ok: true, revision: saved.revision };
}

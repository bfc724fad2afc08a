import { error } from '@sveltejs/kit';
import type { Db } from '../db/index.ts';
import { checkDraft, draftOf, openDraft, saveDraftFile, type DraftFile } from './drafts.ts';
import { publishedPackages } from './store.ts';
import type { PublishedPackage } from './registry.ts';
import { courseDir } from './studio.ts';
import { putQuestion, questionFromFields, readQuizFile, writeQuizFile, type QuizFile } from '../../content/quiz-file.ts';
import { m } from '../../paraglide/messages.js';

/**
 * The studio's view of one course package for the graded-file editors (quizzes, exams,
 * scenarios): the files of the draft when there is one, else of the published version.
 */
export interface CourseFiles {
	slug: string;
	published: PublishedPackage | null;
	draft: DraftFile[];
	files: Record<string, string>;
	dir: string | null;
}

const ref = (slug: string) => ({ kind: 'course' as const, key: slug });

export async function courseFiles(db: Db, slug: string): Promise<CourseFiles> {
	const [published, draft] = await Promise.all([
		publishedPackages(db).then((all) => all.find((p) => p.kind === 'course' && p.key === slug) ?? null),
		draftOf(db, ref(slug))
	]);
	if (!published && !draft.length) error(404, m.error_no_course());
	const files: Record<string, string> = draft.length ? Object.fromEntries(draft.map((f) => [f.path, f.text])) : published!.files;
	return { slug, published, draft, files, dir: courseDir(Object.keys(files)) };
}

/** The path of a quiz of the course, or null when the course has no such quiz. */
export function quizPath(course: CourseFiles, quiz: string): string | null {
	const path = course.dir ? `${course.dir}/${quiz}.quiz.md` : null;
	return path && path in course.files ? path : null;
}

/** The quizzes and exams of a course's files, in name order. */
export function quizIds(files: Record<string, string>): string[] {
	return Object.keys(files)
		.map((p) => /\/([a-z0-9-]+)\.quiz\.md$/.exec(p)?.[1])
		.filter((id): id is string => id !== undefined)
		.sort();
}

/** A quiz as the editor shows it: its data, the draft revision and the checker's problems. */
export async function quizState(db: Db, slug: string, quiz: string) {
	const course = await courseFiles(db, slug);
	const path = quizPath(course, quiz);
	if (!path) error(404, m.studio_no_quiz());
	const text = course.files[path]!;
	const data = readQuizFile(text);
	const { problems, result } = course.draft.length ? await checkDraft(db, ref(slug), course.files, { only: [path] }) : { problems: [], result: null };
	return {
		course,
		path,
		text,
		data,
		revision: course.draft.find((f) => f.path === path)?.revision ?? 0,
		problems: problems.filter((p) => p.file === path),
		checked: result?.graded.quizzes.find((q) => q.courseSlug === slug && q.id === quiz) ?? null
	};
}

export type QuizSave = { ok: true; revision: number } | { ok: false; status: 404 | 409; message: string };

/**
 * Changes a quiz in the draft (opening it first): `change` gets the quiz as the trainer saw it
 * (`revision`, 0 when they saw the published version) and returns the new data or an error.
 * A change made from an older revision is refused: someone else saved in between.
 */
export async function changeQuiz(
	db: Db,
	input: { slug: string; quiz: string; revision: number; userId: string },
	change: (file: QuizFile) => QuizFile | { error: string }
): Promise<QuizSave | { ok: false; status: 400; message: string }> {
	const before = await courseFiles(db, input.slug);
	const path = quizPath(before, input.quiz);
	if (!path) return { ok: false, status: 404, message: m.studio_no_quiz() };
	const draft = await openDraft(db, ref(input.slug), input.userId);
	const file = draft.find((f) => f.path === path);
	if (!file) return { ok: false, status: 404, message: m.studio_no_quiz() };
	const from = input.revision === 0 && before.published?.files[path] === file.text ? file.revision : input.revision;
	if (from !== file.revision) return { ok: false, status: 409, message: m.studio_quiz_conflict({ name: file.updatedByName ?? '?' }) };
	const data = readQuizFile(file.text);
	if (!data) return { ok: false, status: 400, message: m.studio_quiz_unreadable() };
	const changed = change(data);
	if ('error' in changed) return { ok: false, status: 400, message: changed.error };
	const saved = await saveDraftFile(db, ref(input.slug), path, writeQuizFile(changed), from, input.userId);
	if (!saved.ok) return { ok: false, status: 409, message: m.studio_quiz_conflict({ name: saved.conflict?.by ?? '?' }) };
	return { ok: true, revision: saved.revision };
}

/** Adds a new quiz file to the course's draft. */
export async function addQuizFile(db: Db, slug: string, quiz: string, text: string, userId: string): Promise<{ ok: true } | { ok: false; message: string }> {
	const draft = await openDraft(db, ref(slug), userId);
	const dir = courseDir(draft.map((f) => f.path));
	if (!dir) return { ok: false, message: m.studio_no_course_md() };
	if (draft.some((f) => f.path === `${dir}/${quiz}.quiz.md` || f.path === `${dir}/${quiz}.scenario.md`)) return { ok: false, message: m.studio_quiz_id_taken() };
	const saved = await saveDraftFile(db, ref(slug), `${dir}/${quiz}.quiz.md`, text, 0, userId);
	return saved.ok ? { ok: true } : { ok: false, message: m.studio_quiz_id_taken() };
}

/**
 * Saves a question from the editor's fields in place of `replacing` (null: a new question).
 * Returns the saved id, or what is wrong (by field, or one message).
 */
export async function saveQuestion(
	db: Db,
	input: { slug: string; quiz: string; replacing: string | null; userId: string; raw: Record<string, string | string[]> }
): Promise<{ ok: true; id: string } | { ok: false; status: 400 | 404 | 409; message: string; errors: Record<string, string> }> {
	const revision = typeof input.raw.revision === 'string' && /^\d{1,9}$/.test(input.raw.revision) ? Number(input.raw.revision) : null;
	if (revision === null) return { ok: false, status: 400, message: m.studio_save_bad(), errors: {} };
	const built = questionFromFields(input.raw);
	if (!built.ok) return { ok: false, status: 400, message: m.form_correct_fields(), errors: built.errors };
	const saved = await changeQuiz(db, { slug: input.slug, quiz: input.quiz, revision, userId: input.userId }, (file) => putQuestion(file, input.replacing, built.value));
	if (!saved.ok) return { ...saved, errors: {} };
	return { ok: true, id: String(built.value.id) };
}

import { error } from '@sveltejs/kit';
import type { Db } from '../db/index.ts';
import { checkDraft, draftOf, openDraft, saveDraftFile, type DraftFile } from './drafts.ts';
import { publishedPackages } from './store.ts';
import type { PublishedPackage } from './registry.ts';
import { courseDir } from './studio.ts';
import { putQuestion, questionFromFields, readQuizFile, writeQuizFile, type QuizFile } from '../../content/quiz-file.ts';
import { findQuiz } from '../assessment/catalog.ts';
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

/** A course's files, or null when there is no such course (published or drafted). */
export async function findCourseFiles(db: Db, slug: string): Promise<CourseFiles | null> {
	const [published, draft] = await Promise.all([
		publishedPackages(db).then((all) => all.find((p) => p.kind === 'course' && p.key === slug) ?? null),
		draftOf(db, ref(slug))
	]);
	if (!published && !draft.length) return null;
	const files: Record<string, string> = draft.length ? Object.fromEntries(draft.map((f) => [f.path, f.text])) : published!.files;
	return { slug, published, draft, files, dir: courseDir(Object.keys(files)) };
}

/** A course's files, or a 404 for the page. */
export async function courseFiles(db: Db, slug: string): Promise<CourseFiles> {
	return (await findCourseFiles(db, slug)) ?? error(404, m.error_no_course());
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
		warnings: result?.warnings.filter((w) => w.file === path) ?? [],
		// The quiz as the checker reads it: the draft's, else the published one.
		checked: result ? (result.graded.quizzes.find((q) => q.courseSlug === slug && q.id === quiz) ?? null) : (findQuiz(slug, quiz) ?? null)
	};
}

export type QuizSave = { ok: true; revision: number } | { ok: false; status: 400 | 404 | 409; message: string };

/**
 * Changes a quiz in the draft: `change` gets the quiz as the trainer saw it (`revision`: the
 * draft file's, or 0 when there was no draft and they saw the published version) and returns the
 * new data or an error. Everything is checked before the draft is opened, so a refused change
 * leaves no trace; a change made from an older revision is refused (someone saved in between).
 */
export async function changeQuiz(
	db: Db,
	input: { slug: string; quiz: string; revision: number; userId: string | null },
	change: (file: QuizFile) => QuizFile | { error: string }
): Promise<QuizSave> {
	return changeCourseFile(db, { slug: input.slug, name: `${input.quiz}.quiz.md`, revision: input.revision, userId: input.userId }, (text) => {
		const data = readQuizFile(text);
		if (!data) return { error: m.studio_quiz_unreadable() };
		const changed = change(data);
		return 'error' in changed ? changed : writeQuizFile(changed);
	}, m.studio_no_quiz());
}

/**
 * Changes one file of a course's draft (`name` inside the course folder) by `change`, from the
 * revision the trainer saw (0: no draft, the published text). Checked before the draft is opened.
 */
export async function changeCourseFile(
	db: Db,
	input: { slug: string; name: string; revision: number; userId: string | null },
	change: (text: string) => string | { error: string },
	missing: string
): Promise<QuizSave> {
	const before = await courseFiles(db, input.slug);
	const path = before.dir ? `${before.dir}/${input.name}` : null;
	if (!path || !(path in before.files)) return { ok: false, status: 404, message: missing };
	const current = before.draft.find((f) => f.path === path);
	if (input.revision !== (current?.revision ?? 0)) return { ok: false, status: 409, message: m.studio_quiz_conflict({ name: current?.updatedByName ?? '?' }) };
	const changed = change(before.files[path]!);
	if (typeof changed !== 'string') return { ok: false, status: 400, message: changed.error };
	const draft = current ? before.draft : await openDraft(db, ref(input.slug), input.userId);
	const from = draft.find((f) => f.path === path)?.revision ?? 0;
	const saved = await saveDraftFile(db, ref(input.slug), path, changed, from, input.userId);
	if (!saved.ok) return { ok: false, status: 409, message: m.studio_quiz_conflict({ name: saved.conflict?.by ?? '?' }) };
	return { ok: true, revision: saved.revision };
}

/** Adds a new quiz (`x.quiz.md`) or scenario (`x.scenario.md`) to the course's draft; a name already used changes nothing. */
export async function addQuizFile(db: Db, slug: string, quiz: string, text: string, userId: string | null, kind: 'quiz' | 'scenario' = 'quiz'): Promise<{ ok: true } | { ok: false; message: string }> {
	const before = await courseFiles(db, slug);
	if (!before.dir) return { ok: false, message: m.studio_no_course_md() };
	const taken = (files: Record<string, string>) => `${before.dir}/${quiz}.quiz.md` in files || `${before.dir}/${quiz}.scenario.md` in files;
	if (taken(before.files)) return { ok: false, message: m.studio_quiz_id_taken() };
	await openDraft(db, ref(slug), userId);
	const saved = await saveDraftFile(db, ref(slug), `${before.dir}/${quiz}.${kind}.md`, text, 0, userId);
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

import { inArray } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { contentPicture } from '../db/schema.ts';
import { BankError, parseBank, writeBank, type QuizQuestion, type SkippedQuestion } from '../../content/interchange/index.ts';
import { questionSchema } from '../../content/graded-schema.ts';
import { appendQuestions, newQuizFile, readQuizFile } from '../../content/quiz-file.ts';
import type { ContentLocale } from '../../content/schema.ts';
import { inspectPicture } from './picture.ts';
import { storePicture } from './pictures.ts';
import { addQuizFile, changeQuiz, courseFiles, findCourseFiles, quizPath } from './quiz-studio.ts';
import { m } from '../../paraglide/messages.js';

/**
 * Question banks in and out of a quiz (GIFT, Moodle XML, Aiken): the same for the studio's upload
 * and the `questions:import` / `questions:export` commands. An import goes into the quiz's draft
 * for a trainer to review and publish; a file with an error imports nothing.
 */

export interface BankReport {
	format: string;
	imported: number;
	skipped: SkippedQuestion[];
	/** Pictures stored with the imported questions. */
	pictures: number;
}

export type BankImport = { ok: true; report: BankReport } | { ok: false; status: 400 | 404 | 409; message: string };

export async function importBank(
	db: Db,
	input: {
		slug: string;
		quiz: string;
		bytes: Uint8Array;
		locale: ContentLocale;
		userId: string | null;
		/** The quiz draft's revision the trainer saw; null takes the current one (the command line). */
		revision: number | null;
		/** Creates the quiz (a practice quiz in the draft) when the course has none by that id. */
		create?: boolean;
	}
): Promise<BankImport> {
	const found = await findCourseFiles(db, input.slug);
	if (!found) return { ok: false, status: 404, message: m.error_no_course() };
	let course = found;
	let path = quizPath(course, input.quiz);
	if (!path && !input.create) return { ok: false, status: 404, message: m.studio_no_quiz() };
	const used = new Set(path ? (readQuizFile(course.files[path]!)?.questions ?? []).map((q) => String(q.id ?? '')) : []);
	let parsed;
	try {
		parsed = parseBank(input.bytes, { locale: input.locale, usedIds: used });
	} catch (e) {
		if (e instanceof BankError) return { ok: false, status: 400, message: e.message };
		throw e;
	}
	const report: BankReport = { format: parsed.format, imported: 0, skipped: parsed.skipped, pictures: 0 };
	if (!parsed.questions.length) return { ok: true, report };

	// Pictures are checked (type from their bytes) before anything is saved, and stored only after.
	const pictures: Array<{ bytes: Uint8Array; name: string }> = [];
	const questions = parsed.questions.map((q) => ({ ...q })) as Array<Record<string, unknown>>;
	for (const picture of parsed.pictures) {
		const question = questions.find((q) => q.id === picture.question);
		if (!question || question.picture) continue;
		const inspected = inspectPicture(picture.bytes, picture.name);
		if (!inspected.ok) {
			report.skipped.push({ name: `${picture.question}: ${picture.name}`, line: 0, reason: `the picture was left out: ${inspected.message}` });
			continue;
		}
		question.picture = `/media/${inspected.facts.sha256}.${inspected.facts.ext}`;
		pictures.push(picture);
	}

	if (!path) {
		const added = await addQuizFile(db, input.slug, input.quiz, newQuizFile({ kind: 'practice', title: { [input.locale]: input.quiz } }), input.userId);
		if (!added.ok) return { ok: false, status: 400, message: added.message };
		course = await courseFiles(db, input.slug);
		path = quizPath(course, input.quiz)!;
	}
	const revision = input.revision ?? course.draft.find((f) => f.path === path)?.revision ?? 0;
	const saved = await changeQuiz(db, { slug: input.slug, quiz: input.quiz, revision, userId: input.userId }, (file) => appendQuestions(file, questions));
	if (!saved.ok) return saved;
	for (const p of pictures) await storePicture(db, p.bytes, p.name, input.userId);
	report.imported = questions.length;
	report.pictures = pictures.length;
	return { ok: true, report };
}

/** The quiz's questions (the draft's when there is one) as a bank file in one language. */
export async function exportBank(
	db: Db,
	input: { slug: string; quiz: string; format: 'gift' | 'moodle-xml'; locale: ContentLocale }
): Promise<{ ok: true; text: string; count: number } | { ok: false; message: string }> {
	const course = await findCourseFiles(db, input.slug);
	if (!course) return { ok: false, message: m.error_no_course() };
	const path = quizPath(course, input.quiz);
	if (!path) return { ok: false, message: m.studio_no_quiz() };
	const data = readQuizFile(course.files[path]!);
	if (!data) return { ok: false, message: m.studio_quiz_unreadable() };
	// Questions the checker would refuse are left out rather than exported half-right.
	const questions = data.questions.map((q) => questionSchema.safeParse(q)).flatMap((r) => (r.success ? [r.data as QuizQuestion] : []));
	// Pictures travel inside Moodle XML (base64), read in one query.
	const shas = [...new Set(questions.flatMap((q) => (q.picture ? [q.picture.slice('/media/'.length, '/media/'.length + 64)] : [])))];
	const rows = input.format === 'moodle-xml' && shas.length ? await db.select({ sha256: contentPicture.sha256, bytes: contentPicture.bytes }).from(contentPicture).where(inArray(contentPicture.sha256, shas)) : [];
	const bySha = new Map(rows.map((r) => [r.sha256, new Uint8Array(r.bytes)]));
	const pictures = new Map(questions.flatMap((q) => (q.picture && bySha.has(q.picture.slice(7, 71)) ? [[q.picture, bySha.get(q.picture.slice(7, 71))!] as const] : [])));
	return { ok: true, text: writeBank(questions, input.format, { locale: input.locale, pictures }), count: questions.length };
}

import { and, asc, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db';
import type { Executor } from '../db/types';
import { quizAnswer, quizAttempt, quizItemResult } from '../db/schema';
import { ServiceError } from '../errors';
import type { ContentLocale } from '$lib/content/schema';
import type { Question, Quiz, Response } from './types';
import { drawQuestions } from './draw';
import { NO_ANSWER, ORDER_UNTOUCHED, gradeAttempt, isPassed, parseResponse } from './grade';
import { canStart, deadlineFor, isExpired } from './rules';
import { generateToken } from '../auth/session';
import { findCourse } from '../content';

export type Attempt = typeof quizAttempt.$inferSelect;

export async function attemptsOf(db: Executor, userId: string, quiz: Pick<Quiz, 'courseSlug' | 'id'>) {
	return db
		.select()
		.from(quizAttempt)
		.where(and(eq(quizAttempt.userId, userId), eq(quizAttempt.courseSlug, quiz.courseSlug), eq(quizAttempt.quizId, quiz.id)))
		.orderBy(asc(quizAttempt.number));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Loads an attempt of this user; another user's attempt is "not found", never "forbidden". */
export async function findAttempt(db: Executor, userId: string, attemptId: string): Promise<Attempt> {
	if (!UUID.test(attemptId)) throw new ServiceError('No such attempt.', null, 404);
	const [row] = await db.select().from(quizAttempt).where(and(eq(quizAttempt.id, attemptId), eq(quizAttempt.userId, userId)));
	if (!row) throw new ServiceError('No such attempt.', null, 404);
	return row;
}

/**
 * An attempt of this user with its saved answers, in one query (the attempt page on exam day);
 * another user's attempt is "not found".
 */
export async function findAttemptWithAnswers(db: Executor, userId: string, attemptId: string): Promise<{ attempt: Attempt; answers: Record<string, { response: Response; savedAt: Date }> }> {
	if (!UUID.test(attemptId)) throw new ServiceError('No such attempt.', null, 404);
	const [row] = await db
		.select({
			attempt: quizAttempt,
			answers: sql<Record<string, { response: Response; savedAt: string }>>`(
				select coalesce(jsonb_object_agg(a.question_id, jsonb_build_object('response', a.response, 'savedAt', a.saved_at)), '{}'::jsonb)
				from ${quizAnswer} a where a.attempt_id = ${quizAttempt.id})`
		})
		.from(quizAttempt)
		.where(and(eq(quizAttempt.id, attemptId), eq(quizAttempt.userId, userId)));
	if (!row) throw new ServiceError('No such attempt.', null, 404);
	const answers = Object.fromEntries(Object.entries(row.answers ?? {}).map(([id, a]) => [id, { response: a.response, savedAt: new Date(a.savedAt) }]));
	return { attempt: row.attempt, answers };
}

export async function answersOf(db: Executor, attemptId: string): Promise<Record<string, { response: Response; savedAt: Date }>> {
	const rows = await db.select().from(quizAnswer).where(eq(quizAnswer.attemptId, attemptId));
	return Object.fromEntries(rows.map((r) => [r.questionId, { response: r.response as Response, savedAt: r.savedAt }]));
}

/**
 * Grades and closes an attempt exactly once: the UPDATE … WHERE submitted_at IS NULL lets only one
 * of several simultaneous submits (two tabs, two processes, a replay) do the grading.
 */
export async function submitAttempt(db: Db, attemptId: string, now: Date, auto = false): Promise<Attempt> {
	return db.transaction(async (tx) => {
		const [closing] = await tx
			.update(quizAttempt)
			.set({ submittedAt: now, autoSubmitted: auto })
			.where(and(eq(quizAttempt.id, attemptId), isNull(quizAttempt.submittedAt)))
			.returning();
		if (!closing) {
			const [done] = await tx.select().from(quizAttempt).where(eq(quizAttempt.id, attemptId));
			if (!done) throw new ServiceError('No such attempt.', null, 404);
			return done;
		}
		const questions = closing.questions as Question[];
		const answers = await answersOf(tx, attemptId);
		const responses = Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, a.response]));
		const graded = gradeAttempt(questions, responses);
		if (graded.items.length)
			await tx.insert(quizItemResult).values(graded.items.map((i) => ({ attemptId, questionId: i.questionId, score: i.score, max: i.max })));
		const [result] = await tx
			.update(quizAttempt)
			.set({
				score: graded.score,
				maxScore: graded.max,
				percent: graded.percent,
				passed: isPassed(graded.percent, closing.passMark),
				byTag: graded.byTag
			})
			.where(eq(quizAttempt.id, attemptId))
			.returning();
		return result!;
	});
}

/**
 * Submits every open attempt past its deadline with what was saved, as of the deadline. Safe to
 * run from any number of processes at once (each attempt is graded once).
 */
export async function submitExpired(db: Db, now = new Date(), userId?: string): Promise<string[]> {
	const expired = await db
		.select({ id: quizAttempt.id, deadlineAt: quizAttempt.deadlineAt, userId: quizAttempt.userId })
		.from(quizAttempt)
		.where(
			and(
				isNull(quizAttempt.submittedAt),
				lte(quizAttempt.deadlineAt, now),
				userId ? eq(quizAttempt.userId, userId) : undefined
			)
		);
	for (const a of expired) await submitAttempt(db, a.id, a.deadlineAt!, true);
	/** The people whose attempts were submitted (their certifications may now be due). */
	return [...new Set(expired.map((a) => a.userId))];
}

/** Starts a new attempt, or returns the one still open (a reload or a crash resumes it). */
export async function startOrResume(db: Db, userId: string, quiz: Quiz, locale: ContentLocale, now = new Date()): Promise<Attempt> {
	let past = await attemptsOf(db, userId, quiz);
	// An attempt at this exam whose time ran out is submitted first (it counts as used); the
	// sweep and the pages submit those of other exams.
	const expired = past.filter((a) => !a.submittedAt && isExpired(a, now));
	if (expired.length) {
		for (const a of expired) await submitAttempt(db, a.id, a.deadlineAt!, true);
		past = await attemptsOf(db, userId, quiz);
	}
	const open = past.find((a) => !a.submittedAt);
	if (open) return open;
	const decision = canStart(quiz, past, now);
	if (!decision.ok) {
		throw decision.reason === 'cooldown'
			? new ServiceError(`You can try again in ${decision.minutes} minute${decision.minutes === 1 ? '' : 's'}.`, null, 409)
			: new ServiceError(`You have used all ${decision.used} attempts at this exam.`, null, 409);
	}
	const id = crypto.randomUUID();
	const seed = generateToken();
	const questions = drawQuestions(quiz, seed);
	const values = {
		id,
		userId,
		courseSlug: quiz.courseSlug,
		quizId: quiz.id,
		contentVersion: findCourse(quiz.courseSlug)?.version ?? null,
		number: decision.number,
		locale,
		kind: quiz.kind,
		passMark: quiz.passMark,
		review: quiz.review,
		shuffleOptions: quiz.shuffleOptions,
		seed,
		title: quiz.title as Record<string, string>,
		questions,
		startedAt: now,
		deadlineAt: deadlineFor(now, quiz.timeLimitMinutes)
	};
	const row: Attempt = { ...values, submittedAt: null, autoSubmitted: false, score: null, maxScore: null, percent: null, passed: null, byTag: null };
	try {
		// Everything the attempt holds is known here: nothing is read back (its questions are large).
		await db.insert(quizAttempt).values(values);
		// Its first save here needs no read of the attempt.
		keepShape(db, row);
		return row;
	} catch (e) {
		// Two starts at once: the unique open-attempt index lets one win; resume that one.
		const [winner] = await db
			.select()
			.from(quizAttempt)
			.where(and(eq(quizAttempt.userId, userId), eq(quizAttempt.courseSlug, quiz.courseSlug), eq(quizAttempt.quizId, quiz.id), isNull(quizAttempt.submittedAt)));
		if (winner) return winner;
		throw e;
	}
}

/** What never changes in an attempt once drawn: whose it is, its seed, its questions and deadline. */
interface AttemptShape {
	userId: string;
	seed: string;
	deadlineAt: Date | null;
	/** Question id → its position (0-based) and the question with its keys (server only). */
	questions: Map<string, { index: number; question: Question }>;
}

const SHAPES_KEPT = 5000;
/** Per database (tests run several side by side): attempt id → shape, oldest first. */
const shapes = new WeakMap<Db, Map<string, AttemptShape>>();

/** Keeps an attempt's unchanging part for its saves in this process (the oldest goes first). */
function keepShape(db: Db, row: Pick<Attempt, 'id' | 'userId' | 'seed' | 'deadlineAt' | 'questions'>): AttemptShape {
	let kept = shapes.get(db);
	if (!kept) shapes.set(db, (kept = new Map()));
	const shape: AttemptShape = {
		userId: row.userId,
		seed: row.seed,
		deadlineAt: row.deadlineAt,
		questions: new Map((row.questions as Question[]).map((question, index) => [question.id, { index, question }]))
	};
	if (kept.size >= SHAPES_KEPT && !kept.has(row.id)) kept.delete(kept.keys().next().value!);
	kept.set(row.id, shape);
	return shape;
}

/** The unchanging part of an attempt: from memory (kept at its start or first save), else one query. */
async function attemptShape(db: Db, attemptId: string): Promise<AttemptShape | null> {
	const hit = shapes.get(db)?.get(attemptId);
	if (hit) return hit;
	const [row] = await db
		.select({ id: quizAttempt.id, userId: quizAttempt.userId, seed: quizAttempt.seed, deadlineAt: quizAttempt.deadlineAt, questions: quizAttempt.questions })
		.from(quizAttempt)
		.where(eq(quizAttempt.id, attemptId));
	return row ? keepShape(db, row) : null;
}

/** Rows of a raw statement, from either driver (postgres.js gives an array, PGlite `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export interface SavedAnswer {
	savedAt: Date;
	/** Positions (1-based) of the attempt's questions that now have an answer, in order. */
	answered: number[];
}

/** Refusal messages for a save that carried no answer at all (nothing picked, an untouched order). */
export const NOTHING_GIVEN = new Set([NO_ANSWER, ORDER_UNTOUCHED]);

/**
 * Saves one answer the moment it is given. Refused after the deadline (the attempt is then
 * submitted with what it had), after submission, or for a question the attempt did not serve.
 *
 * The hot path on exam day: the attempt's unchanging part (seed, drawn questions, deadline) is
 * kept in memory after its first save, so a save is one statement that stores the answer only
 * while the attempt is open and returns which questions are answered. Only a refused save asks
 * again, to say why.
 */
export async function saveAnswer(
	db: Db,
	userId: string,
	attemptId: string,
	questionId: string,
	raw: Record<string, string | string[]>,
	now = new Date()
): Promise<SavedAnswer> {
	if (!UUID.test(attemptId)) throw new ServiceError('No such attempt.', null, 404);
	const shape = await attemptShape(db, attemptId);
	if (!shape || shape.userId !== userId) throw new ServiceError('No such attempt.', null, 404);
	if (!isExpired({ deadlineAt: shape.deadlineAt, submittedAt: null }, now)) {
		const found = shape.questions.get(questionId);
		if (!found) throw new ServiceError('This question is not part of your attempt.', 'question', 400);
		const parsed = parseResponse(found.question, raw, shape.seed);
		if ('error' in parsed) throw new ServiceError(parsed.error, 'answer', 400);
		// Data-modifying CTE: the main query reads the answers as they were before this statement,
		// so the question just saved is added to them. Times go as ISO text: drizzle's postgres.js
		// driver sends raw parameters as they are, and postgres.js cannot send a Date that way.
		const [row] = rowsOf<{ saved: boolean; answered: string[] | null }>(
			await db.execute(sql`
				with open as (
					select id from ${quizAttempt}
					where id = ${attemptId}::uuid and user_id = ${userId}::uuid and submitted_at is null and (deadline_at is null or deadline_at > ${now.toISOString()}::timestamptz)
				), stored as (
					insert into ${quizAnswer} (attempt_id, question_id, response, saved_at)
					select id, ${questionId}::text, ${JSON.stringify(parsed)}::jsonb, ${now.toISOString()}::timestamptz from open
					on conflict (attempt_id, question_id) do update set response = excluded.response, saved_at = excluded.saved_at
					returning question_id
				)
				select exists (select 1 from stored) as saved,
					array(select question_id from ${quizAnswer} where attempt_id = ${attemptId}::uuid union select question_id from stored) as answered`)
		);
		if (row?.saved) {
			const answered = (row.answered ?? []).flatMap((id) => {
				const at = shape.questions.get(id);
				return at ? [at.index + 1] : [];
			});
			return { savedAt: now, answered: answered.sort((a, b) => a - b) };
		}
	}
	// Refused: say why (closed, or past the deadline: then submit what was saved before).
	const [attempt] = await db
		.select({ id: quizAttempt.id, submittedAt: quizAttempt.submittedAt, deadlineAt: quizAttempt.deadlineAt })
		.from(quizAttempt)
		.where(and(eq(quizAttempt.id, attemptId), eq(quizAttempt.userId, userId)));
	if (!attempt) throw new ServiceError('No such attempt.', null, 404);
	if (attempt.submittedAt) throw new ServiceError('This attempt is already submitted; answers can no longer change.', null, 409);
	if (isExpired(attempt, now)) {
		await submitAttempt(db, attempt.id, attempt.deadlineAt!, true);
		throw new ServiceError('Time is up: this answer arrived after the deadline and was not saved. Your attempt was submitted with the answers saved before.', null, 409);
	}
	throw new ServiceError('This answer could not be saved. Try again.', null, 409);
}

/** Quizzes a user has passed, per course, in one query. */
export async function passedQuizzes(db: Executor, userId: string): Promise<Set<string>> {
	const rows = await db
		.selectDistinct({ courseSlug: quizAttempt.courseSlug, quizId: quizAttempt.quizId })
		.from(quizAttempt)
		.where(and(eq(quizAttempt.userId, userId), eq(quizAttempt.passed, true)));
	return new Set(rows.map((r) => `${r.courseSlug}/${r.quizId}`));
}

/** Submitted attempts of a quiz with their item results, for analytics; first attempts flagged. */
export async function gradedAttempts(db: Executor, quiz: Pick<Quiz, 'courseSlug' | 'id'>) {
	const attempts = await db
		.select({
			id: quizAttempt.id,
			userId: quizAttempt.userId,
			number: quizAttempt.number,
			percent: quizAttempt.percent,
			passed: quizAttempt.passed,
			startedAt: quizAttempt.startedAt,
			submittedAt: quizAttempt.submittedAt,
			autoSubmitted: quizAttempt.autoSubmitted,
			score: quizAttempt.score,
			maxScore: quizAttempt.maxScore
		})
		.from(quizAttempt)
		.where(and(eq(quizAttempt.courseSlug, quiz.courseSlug), eq(quizAttempt.quizId, quiz.id), sql`${quizAttempt.submittedAt} is not null`))
		.orderBy(desc(quizAttempt.submittedAt));
	const items = await db
		.select({ attemptId: quizItemResult.attemptId, questionId: quizItemResult.questionId, score: quizItemResult.score, max: quizItemResult.max })
		.from(quizItemResult)
		.innerJoin(quizAttempt, eq(quizAttempt.id, quizItemResult.attemptId))
		.where(and(eq(quizAttempt.courseSlug, quiz.courseSlug), eq(quizAttempt.quizId, quiz.id)));
	const byAttempt = new Map<string, typeof items>();
	for (const i of items) byAttempt.set(i.attemptId, [...(byAttempt.get(i.attemptId) ?? []), i]);
	return attempts.map((a) => ({ ...a, items: byAttempt.get(a.id) ?? [] }));
}

/** A user's attempts across one course's quizzes, newest first (for the course page). */
export async function attemptsInCourse(db: Executor, userId: string, courseSlug: string) {
	return db
		.select({
			id: quizAttempt.id,
			quizId: quizAttempt.quizId,
			number: quizAttempt.number,
			percent: quizAttempt.percent,
			passed: quizAttempt.passed,
			submittedAt: quizAttempt.submittedAt,
			deadlineAt: quizAttempt.deadlineAt
		})
		.from(quizAttempt)
		.where(and(eq(quizAttempt.userId, userId), eq(quizAttempt.courseSlug, courseSlug)))
		.orderBy(desc(quizAttempt.startedAt));
}

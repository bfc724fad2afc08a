import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { quizAttempt, quizItemResult, scenarioRun, user } from '../db/schema';
import { itemAnalysis, type AnalysedAttempt } from './analysis';

/** Per quiz: submitted attempts and how many passed, across all quizzes, in one query. */
export async function quizOverview(db: Executor) {
	return db
		.select({
			courseSlug: quizAttempt.courseSlug,
			quizId: quizAttempt.quizId,
			attempts: sql<number>`count(*)::int`,
			passed: sql<number>`count(*) filter (where ${quizAttempt.passed})::int`,
			mean: sql<number | null>`round(avg(${quizAttempt.percent})::numeric, 1)::float8`
		})
		.from(quizAttempt)
		.where(sql`${quizAttempt.submittedAt} is not null`)
		.groupBy(quizAttempt.courseSlug, quizAttempt.quizId);
}

/** Per scenario: plays, finished and passed, in one query. */
export async function scenarioOverview(db: Executor) {
	return db
		.select({
			courseSlug: scenarioRun.courseSlug,
			scenarioId: scenarioRun.scenarioId,
			runs: sql<number>`count(*)::int`,
			finished: sql<number>`count(*) filter (where ${scenarioRun.finishedAt} is not null)::int`,
			passed: sql<number>`count(*) filter (where ${scenarioRun.passed})::int`
		})
		.from(scenarioRun)
		.groupBy(scenarioRun.courseSlug, scenarioRun.scenarioId);
}

/** Every attempt of a quiz with the technician's name, oldest first (for the CSV export). */
/** What an attempt came to: the columns every list of attempts shows. */
export const attemptOutcomeColumns = {
	number: quizAttempt.number,
	startedAt: quizAttempt.startedAt,
	submittedAt: quizAttempt.submittedAt,
	autoSubmitted: quizAttempt.autoSubmitted,
	score: quizAttempt.score,
	maxScore: quizAttempt.maxScore,
	percent: quizAttempt.percent,
	passed: quizAttempt.passed
};

export async function attemptRows(db: Executor, courseSlug: string, quizId: string) {
	return db
		.select({
			name: user.displayName,
			email: user.email,
			...attemptOutcomeColumns
		})
		.from(quizAttempt)
		.innerJoin(user, eq(user.id, quizAttempt.userId))
		.where(and(eq(quizAttempt.courseSlug, courseSlug), eq(quizAttempt.quizId, quizId)))
		.orderBy(asc(quizAttempt.startedAt));
}

/** Every play of a scenario with the technician's name, oldest first (for the CSV export). */
export async function runRows(db: Executor, courseSlug: string, scenarioId: string) {
	return db
		.select({
			name: user.displayName,
			email: user.email,
			startedAt: scenarioRun.startedAt,
			finishedAt: scenarioRun.finishedAt,
			outcome: scenarioRun.outcome,
			percent: scenarioRun.percent,
			passed: scenarioRun.passed,
			path: scenarioRun.path,
			scores: scenarioRun.scores
		})
		.from(scenarioRun)
		.innerJoin(user, eq(user.id, scenarioRun.userId))
		.where(and(eq(scenarioRun.courseSlug, courseSlug), eq(scenarioRun.scenarioId, scenarioId)))
		.orderBy(asc(scenarioRun.startedAt));
}

/**
 * Item statistics of a quiz's published version, from first attempts served from it (Moodle's
 * rule: first attempts only), with how many first attempts older versions had. One query for
 * the items; questions changed by a new version start again from zero.
 */
export async function questionStatistics(db: Executor, courseSlug: string, quizId: string, version: number | null) {
	const rows = await db
		.select({ attemptId: quizItemResult.attemptId, questionId: quizItemResult.questionId, score: quizItemResult.score, max: quizItemResult.max, version: quizAttempt.contentVersion })
		.from(quizItemResult)
		.innerJoin(quizAttempt, eq(quizAttempt.id, quizItemResult.attemptId))
		.where(and(eq(quizAttempt.courseSlug, courseSlug), eq(quizAttempt.quizId, quizId), eq(quizAttempt.number, 1), sql`${quizAttempt.submittedAt} is not null`));
	const current = rows.filter((r) => version !== null && r.version === version);
	const byAttempt = new Map<string, AnalysedAttempt>();
	for (const r of current) {
		const attempt = byAttempt.get(r.attemptId) ?? { items: [] };
		attempt.items.push({ questionId: r.questionId, score: r.score, max: r.max });
		byAttempt.set(r.attemptId, attempt);
	}
	const earlier = new Set(rows.filter((r) => r.version !== version).map((r) => r.attemptId)).size;
	return { version, attempts: byAttempt.size, earlier, items: itemAnalysis([...byAttempt.values()]) };
}

/**
 * Who took a quiz: per person, submitted attempts, best percent, whether any attempt passed and
 * the last submission, best first; one query on the quiz's index. Names link to each person's record.
 */
export async function quizTakers(db: Executor, courseSlug: string, quizId: string) {
	return db
		.select({
			userId: user.id,
			name: user.displayName,
			attempts: sql<number>`count(*)::int`,
			best: sql<number | null>`max(${quizAttempt.percent})`,
			passed: sql<boolean>`coalesce(bool_or(${quizAttempt.passed}), false)`,
			lastAt: sql<Date>`max(${quizAttempt.submittedAt})`.mapWith(quizAttempt.submittedAt)
		})
		.from(quizAttempt)
		.innerJoin(user, eq(user.id, quizAttempt.userId))
		.where(and(eq(quizAttempt.courseSlug, courseSlug), eq(quizAttempt.quizId, quizId), sql`${quizAttempt.submittedAt} is not null`))
		.groupBy(user.id)
		.orderBy(sql`max(${quizAttempt.percent}) desc nulls last`, asc(user.displayName));
}

/** Who played a scenario: per person, plays, finished plays, best percent, passed, last play; one query. */
export async function scenarioPlayers(db: Executor, courseSlug: string, scenarioId: string) {
	return db
		.select({
			userId: user.id,
			name: user.displayName,
			runs: sql<number>`count(*)::int`,
			finished: sql<number>`count(${scenarioRun.finishedAt})::int`,
			best: sql<number | null>`max(${scenarioRun.percent})`,
			passed: sql<boolean>`coalesce(bool_or(${scenarioRun.passed}), false)`,
			lastAt: sql<Date>`max(coalesce(${scenarioRun.finishedAt}, ${scenarioRun.startedAt}))`.mapWith(scenarioRun.startedAt)
		})
		.from(scenarioRun)
		.innerJoin(user, eq(user.id, scenarioRun.userId))
		.where(and(eq(scenarioRun.courseSlug, courseSlug), eq(scenarioRun.scenarioId, scenarioId)))
		.groupBy(user.id)
		.orderBy(sql`max(${scenarioRun.percent}) desc nulls last`, asc(user.displayName));
}

import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { scenarioRun } from '../db/schema';
import { ServiceError } from '../errors';
import type { ContentLocale } from '$lib/content/schema';
import type { Scenario } from './types';
import { findCourse } from '../content';
import { choose, debrief, startRun, type RunState } from './run';

export type Run = typeof scenarioRun.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runsOf(db: Executor, userId: string, scenario: Pick<Scenario, 'courseSlug' | 'id'>) {
	return db
		.select()
		.from(scenarioRun)
		.where(and(eq(scenarioRun.userId, userId), eq(scenarioRun.courseSlug, scenario.courseSlug), eq(scenarioRun.scenarioId, scenario.id)))
		.orderBy(desc(scenarioRun.startedAt));
}

/** A run of this user; another user's run is "not found". */
export async function findRun(db: Executor, userId: string, runId: string): Promise<Run> {
	if (!UUID.test(runId)) throw new ServiceError('No such run.', null, 404);
	const [row] = await db.select().from(scenarioRun).where(and(eq(scenarioRun.id, runId), eq(scenarioRun.userId, userId)));
	if (!row) throw new ServiceError('No such run.', null, 404);
	return row;
}

export function stateOf(run: Run): RunState {
	return { nodeId: run.nodeId, path: run.path, scores: run.scores as RunState['scores'], outcome: run.outcome };
}

/**
 * Starts a run, or resumes the unfinished one. The database holds at most one unfinished run per
 * person and scenario (a partial unique index): of simultaneous starts one inserts, and the
 * others find its run.
 */
export async function startOrResumeRun(db: Executor, userId: string, scenario: Scenario, locale: ContentLocale, now = new Date()): Promise<Run> {
	const openRun = () =>
		db
			.select()
			.from(scenarioRun)
			.where(
				and(
					eq(scenarioRun.userId, userId),
					eq(scenarioRun.courseSlug, scenario.courseSlug),
					eq(scenarioRun.scenarioId, scenario.id),
					isNull(scenarioRun.finishedAt)
				)
			);
	const [open] = await openRun();
	if (open) return open;
	const state = startRun(scenario);
	const [row] = await db
		.insert(scenarioRun)
		.values({ userId, courseSlug: scenario.courseSlug, scenarioId: scenario.id, contentVersion: findCourse(scenario.courseSlug)?.version ?? null, locale, nodeId: state.nodeId, path: [], scores: state.scores, startedAt: now })
		.onConflictDoNothing()
		.returning();
	if (row) return row;
	const [raced] = await openRun();
	if (!raced) throw new Error(`A run of ${scenario.courseSlug}/${scenario.id} could be neither started nor found`);
	return raced;
}

/**
 * Applies one choice. The step number guards against a replayed or stale form: a choice is
 * taken only at the node the run is at, and only once.
 */
export async function chooseInRun(db: Executor, scenario: Scenario, run: Run, choiceId: string, step: number, locale: ContentLocale, now = new Date()) {
	if (run.finishedAt) throw new ServiceError('This conversation has ended.', null, 409);
	if (step !== run.path.length) throw new ServiceError('That reply was already sent; the conversation has moved on.', null, 409);
	const applied = choose(scenario, stateOf(run), choiceId);
	if (!applied.ok) throw new ServiceError(applied.error === 'finished' ? 'This conversation has ended.' : 'That reply is not one of the choices here.', 'choice', applied.error === 'finished' ? 409 : 400);
	const next = applied.state;
	const finished = next.outcome !== null;
	const result = finished ? debrief(scenario, next, locale, locale) : null;
	const [row] = await db
		.update(scenarioRun)
		.set({
			nodeId: next.nodeId,
			path: next.path,
			scores: next.scores,
			outcome: next.outcome,
			finishedAt: finished ? now : null,
			percent: result?.percent ?? null,
			passed: result?.passed ?? null
		})
		// The path length in the WHERE makes two simultaneous posts of the same step apply once.
		.where(and(eq(scenarioRun.id, run.id), isNull(scenarioRun.finishedAt), eq(scenarioRun.nodeId, run.nodeId)))
		.returning();
	if (!row) throw new ServiceError('That reply was already sent; the conversation has moved on.', null, 409);
	return row;
}

/** Every run of a scenario (for the trainer's path analytics). */
export async function runsOfScenario(db: Executor, scenario: Pick<Scenario, 'courseSlug' | 'id'>) {
	return db
		.select()
		.from(scenarioRun)
		.where(and(eq(scenarioRun.courseSlug, scenario.courseSlug), eq(scenarioRun.scenarioId, scenario.id)))
		.orderBy(desc(scenarioRun.startedAt));
}

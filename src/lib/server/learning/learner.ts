import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ContentLocale } from '$lib/content/schema';
import type { Executor } from '../db/types';
import { quizAttempt, scenarioRun, team, teamManager, user } from '../db/schema';
import { userRolesSql } from '../db/sql';
import { sortRoles } from '../users';
import { findCourse, listCourses } from '../content';
import { playedKey, scenariosAtVersions, type PlayedScenario } from '../content/store';
import { findScenario, requiredQuizzes } from '../assessment/catalog';
import { bestScores } from '../scenario/graph';
import { COMPETENCIES, type Scenario } from '../scenario/types';
import { listCertifications } from '../certification/catalog';
import { cyclesOf } from '../certification/manual';
import { assignmentsOf, progressOf } from './queries';
import { toCsv, withBom } from './csv';
import { TRANSCRIPT_CSV_HEADER, transcriptOf, transcriptRows, type TranscriptContent } from './transcript';
import { attemptOutcomeColumns } from '../assessment/results';

/** Who is asking: a trainer sees everyone; a manager only the people of the teams they lead. */
export type LearnerScope = { kind: 'trainer' } | { kind: 'manager'; managerId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One person with their team, roles and state, or null when unknown — or, for a manager, not a
 * member of a team they lead (the same answer, so ids outside their teams reveal nothing).
 */
export async function findLearner(db: Executor, id: string, scope: LearnerScope) {
	if (!UUID.test(id)) return null;
	const conditions = [eq(user.id, id)];
	if (scope.kind === 'manager') {
		conditions.push(inArray(user.teamId, db.select({ id: teamManager.teamId }).from(teamManager).where(eq(teamManager.userId, scope.managerId))));
	}
	const [row] = await db
		.select({
			id: user.id,
			displayName: user.displayName,
			email: user.email,
			teamName: team.name,
			teamArchivedAt: team.archivedAt,
			active: user.active,
			pending: sql<boolean>`${user.passwordHash} is null`,
			roles: userRolesSql
		})
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(and(...conditions));
	return row ? { ...row, roles: sortRoles(row.roles ?? []) } : null;
}

export type Learner = NonNullable<Awaited<ReturnType<typeof findLearner>>>;

/**
 * The content the transcript reads: titles, required quizzes and certifications as published; a
 * scenario's maxima as of the version each run was played on (`played`, by `playedKey`), its title
 * as published (as played when it is gone since).
 */
export function publishedContent(played: ReadonlyMap<string, Scenario | null> = new Map()): TranscriptContent {
	return {
		courses: listCourses(),
		requiredQuizzes,
		scenario(courseSlug, scenarioId, version) {
			const published = findScenario(courseSlug, scenarioId);
			const onVersion = version === null ? undefined : played.get(playedKey({ course: courseSlug, id: scenarioId, version }));
			const scenario = onVersion ?? published;
			return scenario ? { title: (published ?? scenario).title, best: bestScores(scenario).perCompetency } : null;
		},
		certifications: listCertifications()
	};
}

/** The scenarios runs were played on, where that is not the published version: one query for all of them, none when there is none. */
async function playedScenarios(db: Executor, runs: ReadonlyArray<{ courseSlug: string; scenarioId: string; contentVersion: number | null }>) {
	const wanted: PlayedScenario[] = [];
	for (const r of runs)
		if (r.contentVersion !== null && r.contentVersion !== findCourse(r.courseSlug)?.version) wanted.push({ course: r.courseSlug, id: r.scenarioId, version: r.contentVersion });
	return wanted.length ? scenariosAtVersions(db, wanted) : new Map<string, Scenario | null>();
}

/**
 * A person's whole learning record for the page and the CSV: six queries, each on an index that
 * starts with the person's id (the person; lessons; assignments; attempts; plays; certification
 * cycles), whatever the amount of history, and one more for the older course versions plays were
 * played on, if any. Attempts are read without their questions, so no
 * answer key is ever loaded; plays without their path.
 */
export async function learnerRecord(db: Executor, id: string, scope: LearnerScope, locale: ContentLocale, now = new Date()) {
	const person = await findLearner(db, id, scope);
	if (!person) return null;
	const [progress, assignments, attempts, runs, cycles] = await Promise.all([
		progressOf(db, id),
		assignmentsOf(db, id),
		db
			.select({
				id: quizAttempt.id,
				courseSlug: quizAttempt.courseSlug,
				quizId: quizAttempt.quizId,
				kind: quizAttempt.kind,
				title: quizAttempt.title,
				contentVersion: quizAttempt.contentVersion,
				...attemptOutcomeColumns
			})
			.from(quizAttempt)
			.where(eq(quizAttempt.userId, id)),
		db
			.select({
				id: scenarioRun.id,
				courseSlug: scenarioRun.courseSlug,
				scenarioId: scenarioRun.scenarioId,
				contentVersion: scenarioRun.contentVersion,
				outcome: scenarioRun.outcome,
				percent: scenarioRun.percent,
				passed: scenarioRun.passed,
				scores: scenarioRun.scores,
				startedAt: scenarioRun.startedAt,
				finishedAt: scenarioRun.finishedAt
			})
			.from(scenarioRun)
			.where(eq(scenarioRun.userId, id)),
		cyclesOf(db, id)
	]);
	const played = await playedScenarios(db, runs);
	return { person, transcript: transcriptOf(publishedContent(played), { progress, assignments, attempts, runs, cycles }, locale, now, COMPETENCIES) };
}

/**
 * The transcript as a CSV download (UTF-8 with a byte order mark, like every export), named after
 * the person's e-mail address (ASCII, so the header needs no encoding); null when not found.
 */
export async function transcriptCsv(db: Executor, id: string, scope: LearnerScope, locale: ContentLocale, now = new Date()): Promise<Response | null> {
	const record = await learnerRecord(db, id, scope, locale, now);
	if (!record) return null;
	const csv = toCsv([[...TRANSCRIPT_CSV_HEADER], ...transcriptRows(record.person, record.transcript)]);
	const name = record.person.email.split('@')[0]!.replace(/[^A-Za-z0-9._-]/g, '_') || 'learner';
	return new Response(withBom(csv), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}-transcript.csv"` }
	});
}

import type { ContentLocale, CourseEntry } from '$lib/content/schema';
import type { Localized } from '../assessment/types';
import type { CertificationDefinition, Holding } from '../certification/types';
import { compareCycles } from '../certification/lifecycle';
import { currentStanding } from '../certification/manual-rules';
import { courseProgress, dueState, localized, type DueState, type ProgressFact } from './progress';

/*
 * One person's learning record for a trainer or their manager — courses, attempts, role-plays and
 * every certification event — as pure shaping over plain facts. The queries that gather the facts
 * live in learner.ts; nothing here reads the database or the content store.
 */

export interface AttemptFact {
	id: string;
	courseSlug: string;
	quizId: string;
	number: number;
	kind: 'practice' | 'exam';
	/** The quiz title as served with the attempt. */
	title: Record<string, string>;
	contentVersion: number | null;
	startedAt: Date;
	submittedAt: Date | null;
	autoSubmitted: boolean;
	score: number | null;
	maxScore: number | null;
	percent: number | null;
	passed: boolean | null;
}

export interface RunFact {
	id: string;
	courseSlug: string;
	scenarioId: string;
	contentVersion: number | null;
	outcome: 'resolved' | 'escalated' | 'lost' | null;
	percent: number | null;
	passed: boolean | null;
	scores: Record<string, number>;
	startedAt: Date;
	finishedAt: Date | null;
}

export interface CycleFact extends Holding {
	grantedBy: string | null;
	grantedByName: string | null;
	revokedByName: string | null;
}

export interface LearnerFacts {
	progress: ProgressFact[];
	assignments: Array<{ courseSlug: string; dueAt: Date }>;
	attempts: AttemptFact[];
	runs: RunFact[];
	cycles: CycleFact[];
}

/** What the shaping needs of the published content, as lookups (the content store in the app). */
export interface TranscriptContent {
	courses: ReadonlyArray<Pick<CourseEntry, 'slug' | 'title' | 'locales' | 'lessons'>>;
	requiredQuizzes(courseSlug: string): string[];
	/**
	 * A scenario's title and the most a single play can earn per competency, as of the course
	 * version a run was played on (the published one when the version is not known); null when gone.
	 */
	scenario(courseSlug: string, scenarioId: string, version: number | null): { title: Localized; best: Record<string, number> } | null;
	certifications: ReadonlyArray<Pick<CertificationDefinition, 'id' | 'title' | 'renewalWindowDays'>>;
}

export type CourseStage = 'not started' | 'started' | 'finished';

export interface CourseLine {
	slug: string;
	title: string;
	assigned: boolean;
	dueAt: string | null;
	due: DueState | null;
	stage: CourseStage;
	done: number;
	total: number;
	percent: number;
	completedAt: string | null;
	lastOpenedAt: string | null;
}

export interface AttemptLine {
	id: string;
	courseSlug: string;
	courseTitle: string;
	quizId: string;
	title: string;
	kind: 'practice' | 'exam';
	number: number;
	version: number | null;
	startedAt: string;
	submittedAt: string;
	autoSubmitted: boolean;
	score: number | null;
	maxScore: number | null;
	percent: number | null;
	passed: boolean | null;
}

export interface RunLine {
	id: string;
	courseSlug: string;
	courseTitle: string;
	scenarioId: string;
	title: string;
	version: number | null;
	startedAt: string;
	finishedAt: string | null;
	outcome: RunFact['outcome'];
	percent: number | null;
	passed: boolean | null;
	/** Points per competency, with the most one play can earn (null when the scenario is gone). */
	competencies: Array<{ competency: string; got: number; best: number | null }>;
}

export type CertificationEventKind = 'granted' | 'renewed' | 'upgraded' | 'revoked' | 'expired';

export interface CertificationEvent {
	cycleId: string;
	at: string;
	kind: CertificationEventKind;
	level: number;
	/** The level held before an upgrade. */
	fromLevel: number | null;
	/** Until when a grant, renewal or upgrade is valid. */
	expiresAt: string | null;
	/** Granted or revoked by a trainer, with their name (null: automatic, or the account is gone). */
	byHand: boolean;
	byName: string | null;
	reason: string | null;
}

export interface CertificationHistory {
	id: string;
	title: string;
	standing: { status: string; level: number; expiresAt: string | null };
	/** Newest first. */
	events: CertificationEvent[];
}

export interface Transcript {
	courses: CourseLine[];
	attempts: AttemptLine[];
	runs: RunLine[];
	certifications: CertificationHistory[];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const newestFirst = <T extends { at: string }>(a: T, b: T) => b.at.localeCompare(a.at);

/**
 * The courses of one person: every assigned course and every course they started on their own
 * (a lesson opened, a quiz taken or a role-play played), with progress by the completion rule
 * (lessons done and required quizzes passed). Completed when the last of those happened.
 * Assigned courses come first by due date, then the others by last activity.
 */
export function courseLines(content: TranscriptContent, facts: Pick<LearnerFacts, 'progress' | 'assignments' | 'attempts' | 'runs'>, locale: ContentLocale, now: Date): CourseLine[] {
	const assigned = new Map(facts.assignments.map((a) => [a.courseSlug, a]));
	const touched = new Set([...facts.progress.map((f) => f.courseSlug), ...facts.attempts.map((a) => a.courseSlug), ...facts.runs.map((r) => r.courseSlug)]);
	const known = new Map(content.courses.map((c) => [c.slug, c]));
	const slugs = [...new Set([...assigned.keys(), ...content.courses.map((c) => c.slug).filter((s) => touched.has(s))])];
	const lines = slugs.map((slug): CourseLine & { activity: number } => {
		const course = known.get(slug);
		const assignment = assigned.get(slug);
		const passes = facts.attempts.filter((a) => a.courseSlug === slug && a.passed && a.submittedAt);
		const required = course ? content.requiredQuizzes(slug) : [];
		const p = courseProgress(course ?? { slug, lessons: [] }, facts.progress, { required, passed: [...new Set(passes.map((a) => a.quizId))] });
		// Complete once the last lesson was done and each required quiz first passed.
		const examTimes = required.map((id) => Math.min(...passes.filter((a) => a.quizId === id).map((a) => a.submittedAt!.getTime())));
		const completedAt = p.complete && p.completedAt ? new Date(Math.max(p.completedAt.getTime(), ...examTimes)) : null;
		const started = p.started || touched.has(slug);
		const activity = Math.max(
			p.lastOpenedAt?.getTime() ?? 0,
			...facts.attempts.filter((a) => a.courseSlug === slug).map((a) => (a.submittedAt ?? a.startedAt).getTime()),
			...facts.runs.filter((r) => r.courseSlug === slug).map((r) => (r.finishedAt ?? r.startedAt).getTime())
		);
		return {
			slug,
			title: course ? localized(course.title, course.locales, locale) : slug,
			assigned: Boolean(assignment),
			dueAt: iso(assignment?.dueAt ?? null),
			due: assignment ? dueState(assignment.dueAt, completedAt, now) : null,
			stage: completedAt ? 'finished' : started ? 'started' : 'not started',
			done: p.done,
			total: p.total,
			percent: p.percent,
			completedAt: iso(completedAt),
			lastOpenedAt: iso(p.lastOpenedAt),
			activity
		};
	});
	lines.sort((a, b) => Number(b.assigned) - Number(a.assigned) || (a.assigned ? a.dueAt!.localeCompare(b.dueAt!) : b.activity - a.activity) || a.slug.localeCompare(b.slug));
	return lines.map(({ activity: _, ...line }) => line);
}

function courseTitleOf(content: TranscriptContent, slug: string, locale: ContentLocale) {
	const course = content.courses.find((c) => c.slug === slug);
	return course ? localized(course.title, course.locales, locale) : slug;
}

/** Submitted quiz and exam attempts, newest first, with the title they were served under. */
export function attemptLines(content: TranscriptContent, attempts: readonly AttemptFact[], locale: ContentLocale): AttemptLine[] {
	return attempts
		.filter((a) => a.submittedAt)
		.map((a) => ({
			id: a.id,
			courseSlug: a.courseSlug,
			courseTitle: courseTitleOf(content, a.courseSlug, locale),
			quizId: a.quizId,
			title: a.title[locale] ?? Object.values(a.title)[0] ?? a.quizId,
			kind: a.kind,
			number: a.number,
			version: a.contentVersion,
			startedAt: a.startedAt.toISOString(),
			submittedAt: a.submittedAt!.toISOString(),
			autoSubmitted: a.autoSubmitted,
			score: a.score,
			maxScore: a.maxScore,
			percent: a.percent,
			passed: a.passed
		}))
		.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.number - a.number);
}

/**
 * Role-play plays, newest first (unfinished ones too), with points per competency against the most
 * one play of the scenario can earn on the version it was played on. Only the scores: never the path's replies or their feedback.
 */
export function runLines(content: TranscriptContent, runs: readonly RunFact[], locale: ContentLocale, competencies: readonly string[]): RunLine[] {
	return runs
		.map((r) => {
			const scenario = content.scenario(r.courseSlug, r.scenarioId, r.contentVersion);
			const course = content.courses.find((c) => c.slug === r.courseSlug);
			return {
				id: r.id,
				courseSlug: r.courseSlug,
				courseTitle: courseTitleOf(content, r.courseSlug, locale),
				scenarioId: r.scenarioId,
				title: scenario ? localized(scenario.title, course?.locales ?? [], locale) || r.scenarioId : r.scenarioId,
				version: r.contentVersion,
				startedAt: r.startedAt.toISOString(),
				finishedAt: iso(r.finishedAt),
				outcome: r.outcome,
				percent: r.percent,
				passed: r.passed,
				competencies: competencies.map((c) => ({ competency: c, got: r.scores[c] ?? 0, best: scenario ? (scenario.best[c] ?? 0) : null }))
			};
		})
		.sort((a, b) => (b.finishedAt ?? b.startedAt).localeCompare(a.finishedAt ?? a.startedAt));
}

/**
 * The events of a certification's cycles, newest first. Rules:
 * - a cycle linked to none is `granted`; linked to an earlier one, `upgraded` when its level is
 *   higher than that one's, else `renewed`;
 * - a revocation is `revoked` with its reason and who revoked;
 * - a cycle whose expiry has passed is `expired` there, unless it was revoked first or another cycle
 *   continues it (a renewal or an upgrade carried the certification on).
 */
export function certificationEvents(cycles: readonly CycleFact[], now: Date): CertificationEvent[] {
	const byId = new Map(cycles.map((c) => [c.id, c]));
	const continued = new Set(cycles.map((c) => c.renewedFromId).filter((id): id is string => id !== null));
	const events: CertificationEvent[] = [];
	for (const c of [...cycles].sort(compareCycles)) {
		const from = c.renewedFromId ? byId.get(c.renewedFromId) : undefined;
		const kind: CertificationEventKind = c.renewedFromId === null ? 'granted' : from && c.level > from.level ? 'upgraded' : 'renewed';
		events.push({
			cycleId: c.id,
			at: c.grantedAt.toISOString(),
			kind,
			level: c.level,
			fromLevel: kind === 'upgraded' ? from!.level : null,
			expiresAt: c.expiresAt.toISOString(),
			byHand: c.grantedBy !== null,
			byName: c.grantedBy !== null ? c.grantedByName : null,
			reason: null
		});
		const revokedFirst = c.revokedAt !== null && c.revokedAt.getTime() <= c.expiresAt.getTime();
		if (c.expiresAt.getTime() <= now.getTime() && !revokedFirst && !continued.has(c.id)) {
			events.push({ cycleId: c.id, at: c.expiresAt.toISOString(), kind: 'expired', level: c.level, fromLevel: null, expiresAt: null, byHand: false, byName: null, reason: null });
		}
		if (c.revokedAt !== null && c.revokedAt.getTime() <= now.getTime()) {
			events.push({
				cycleId: c.id,
				at: c.revokedAt.toISOString(),
				kind: 'revoked',
				level: c.level,
				fromLevel: null,
				expiresAt: null,
				byHand: c.revokedByName !== null,
				byName: c.revokedByName,
				reason: c.revokeReason
			});
		}
	}
	// A stable order for events at the same instant: as written above (grant before its end), reversed.
	return events.map((e, i) => ({ e, i })).sort((a, b) => newestFirst(a.e, b.e) || b.i - a.i).map(({ e }) => e);
}

/** Every certification the person ever held (defined ones in catalogue order, then any whose definition is gone). */
export function certificationHistories(content: TranscriptContent, cycles: readonly CycleFact[], locale: ContentLocale, now: Date): CertificationHistory[] {
	const held = new Set(cycles.map((c) => c.certificationId));
	const known = content.certifications.filter((d) => held.has(d.id));
	const orphans = [...held].filter((id) => !content.certifications.some((d) => d.id === id)).sort();
	return [...known.map((d) => ({ def: d, title: d.title[locale] ?? d.title.en ?? d.id })), ...orphans.map((id) => ({ def: { id, renewalWindowDays: 0 }, title: id }))].map(({ def, title }) => {
		const mine = cycles.filter((c) => c.certificationId === def.id);
		const standing = currentStanding(def, mine, now);
		return { id: def.id, title, standing: { status: standing.status, level: standing.level, expiresAt: iso(standing.expiresAt) }, events: certificationEvents(mine, now) };
	});
}

/** The whole record of one person. */
export function transcriptOf(content: TranscriptContent, facts: LearnerFacts, locale: ContentLocale, now: Date, competencies: readonly string[]): Transcript {
	return {
		courses: courseLines(content, facts, locale, now),
		attempts: attemptLines(content, facts.attempts, locale),
		runs: runLines(content, facts.runs, locale, competencies),
		certifications: certificationHistories(content, facts.cycles, locale, now)
	};
}

const yesNo = (value: boolean | null) => (value === null ? null : value ? 'yes' : 'no');
/** Scores in the CSV: at most one decimal, like the page. */
const points = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export const TRANSCRIPT_CSV_HEADER = ['name', 'email', 'kind', 'course', 'item', 'title', 'version', 'date', 'due', 'expires', 'status', 'score', 'max_score', 'percent', 'passed', 'level', 'detail'] as const;

/**
 * The transcript as CSV rows under `TRANSCRIPT_CSV_HEADER`, one row per course, attempt, play and
 * certification event, each starting with the person's name and e-mail (so that transcripts of
 * several people can be put together); `kind` says which, and each kind fills the columns that
 * apply to it:
 * - course: lessons done of total in score/max_score, due date, completion date, status
 *   (finished, started, not started, overdue), detail `assigned` or `self-started`;
 * - attempt: quiz id, served version, submitted, score, percent, passed, status practice/exam,
 *   detail `attempt N` (and `auto-submitted`);
 * - scenario: scenario id, version, finished (or started), outcome (`unfinished`), percent, passed,
 *   detail the points per competency (`listening 3/4; …`);
 * - certification: certification id, the event (granted, renewed, upgraded, revoked, expired) and
 *   its date, level, expiry of a grant, detail who granted or revoked and the reason.
 * Codes and dates (ISO 8601, UTC) stay machine-readable; titles are in the reader's language.
 */
export function transcriptRows(person: { displayName: string; email: string }, t: Transcript): Array<Array<string | number | null>> {
	const rows: Array<Array<string | number | null>> = [];
	for (const c of t.courses) {
		const status = c.due === 'overdue' ? 'overdue' : c.stage;
		rows.push(['course', c.slug, null, c.title, null, c.completedAt, c.dueAt?.slice(0, 10) ?? null, null, status, c.done, c.total, c.percent, null, null, c.assigned ? 'assigned' : 'self-started']);
	}
	for (const a of t.attempts) {
		const detail = `attempt ${a.number}${a.autoSubmitted ? ', auto-submitted' : ''}`;
		rows.push(['attempt', a.courseSlug, a.quizId, a.title, a.version, a.submittedAt, null, null, a.kind, points(a.score), points(a.maxScore), points(a.percent), yesNo(a.passed), null, detail]);
	}
	for (const r of t.runs) {
		const detail = r.competencies.map((c) => `${c.competency} ${points(c.got)}${c.best === null ? '' : `/${points(c.best)}`}`).join('; ');
		rows.push(['scenario', r.courseSlug, r.scenarioId, r.title, r.version, r.finishedAt ?? r.startedAt, null, null, r.outcome ?? 'unfinished', null, null, points(r.percent), yesNo(r.passed), null, detail]);
	}
	for (const h of t.certifications) {
		for (const e of [...h.events].reverse()) {
			const who = e.byName ? `${e.kind === 'revoked' ? 'revoked' : 'granted'} by ${e.byName}` : e.byHand ? 'by hand' : e.kind === 'revoked' || e.kind === 'expired' ? '' : 'automatic';
			const detail = [who, e.reason ? `reason: ${e.reason}` : ''].filter(Boolean).join('; ');
			rows.push(['certification', null, h.id, h.title, null, e.at, null, e.expiresAt, e.kind, null, null, null, null, e.level, detail || null]);
		}
	}
	return rows.map((row) => [person.displayName, person.email, ...row]);
}

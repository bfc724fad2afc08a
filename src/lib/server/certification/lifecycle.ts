import type { CertificationDefinition, Evidence, Holding, Requirement } from './types';

/*
 * The lifecycle of a certification, as pure rules over plain data.
 *
 * Vocabulary: a *cycle* is one Holding. A technician's cycles of one certification are ordered by
 * `compareCycles`; the last one is the *latest cycle* and is what "the current holding" means here.
 * Nothing is ever mutated or deleted: every function returns new values and leaves its inputs alone.
 */

/** Status of one cycle at an instant. */
export type HoldingStatus = 'active' | 'renewal-due' | 'expired' | 'revoked' | 'not-yet-valid';

/** Outcome of checking a list of requirements against evidence. */
export interface RequirementCheck {
	/** True when nothing is missing (an empty list is met). */
	met: boolean;
	/** Requirements without qualifying evidence, in the order given. */
	missing: Requirement[];
	/** For each met requirement, in the order given: when it was first met. */
	evidence: Array<{ requirement: Requirement; at: Date }>;
}

/** What `decideGrant` says should happen now. Every new cycle starts at `now`. */
export type GrantDecision =
	| { action: 'none' }
	| { action: 'grant'; level: number; grantedAt: Date; expiresAt: Date; renewedFromId: null }
	| { action: 'renew'; level: number; grantedAt: Date; expiresAt: Date; renewedFromId: string }
	| { action: 'upgrade'; level: number; grantedAt: Date; expiresAt: Date; renewedFromId: string };

/**
 * Rule "expiry": a cycle granted at `grantedAt` expires `validityDays` calendar days later, counted
 * in UTC (same time of day; UTC has no daylight saving, so a day is always 24 hours). Negative
 * `days` count backwards. Returns a new Date.
 */
export function expiresAt(grantedAt: Date, validityDays: number): Date {
	const date = new Date(grantedAt.getTime());
	date.setUTCDate(date.getUTCDate() + validityDays);
	return date;
}

/**
 * Rule "renewal window": the window opens `renewalWindowDays` calendar days (UTC) before expiry,
 * or when a material change to a required course made the cycle renewal-due, if that is earlier.
 */
export function renewalOpensAt(holding: Pick<Holding, 'expiresAt' | 'renewalDueFrom'>, def: Pick<CertificationDefinition, 'renewalWindowDays'>): Date {
	const window = expiresAt(holding.expiresAt, -def.renewalWindowDays);
	const due = holding.renewalDueFrom;
	return due && due.getTime() < window.getTime() ? new Date(due.getTime()) : window;
}

/**
 * Rule "material change": what renewing a cycle asks for. The certification's renewal
 * requirements, plus completing again each course a material change named; a renewal extends from
 * the expiry the cycle had before the change moved it to the renew-by date.
 */
export function renewalRequirements(holding: Pick<Holding, 'relearn'>, def: Pick<CertificationDefinition, 'renewal'>): Requirement[] {
	const extra = (holding.relearn ?? []).filter((course) => !def.renewal.some((r) => r.kind === 'course' && r.course === course));
	return [...def.renewal, ...extra.map((course) => ({ kind: 'course' as const, course }))];
}

/**
 * Rule "status", checked in this order at instant `t`:
 * 1. `revoked` when `revokedAt ≤ t` (a revocation dated later has not happened yet);
 * 2. `not-yet-valid` when `t < grantedAt`;
 * 3. `expired` when `t ≥ expiresAt` (valid up to, not including, the expiry instant);
 * 4. `renewal-due` when `t ≥ expiresAt − renewalWindowDays`;
 * 5. otherwise `active`.
 * Valid means `active` or `renewal-due`.
 */
export function statusAt(holding: Holding, def: Pick<CertificationDefinition, 'renewalWindowDays'>, t: Date): HoldingStatus {
	const time = t.getTime();
	if (holding.revokedAt !== null && holding.revokedAt.getTime() <= time) return 'revoked';
	if (time < holding.grantedAt.getTime()) return 'not-yet-valid';
	if (time >= holding.expiresAt.getTime()) return 'expired';
	if (time >= renewalOpensAt(holding, def).getTime()) return 'renewal-due';
	return 'active';
}

/**
 * Rule "requirements met": every requirement needs qualifying evidence —
 * - `course`: a completion of that course;
 * - `quiz` / `scenario`: a best-percent row for that course and quiz / scenario with `percent ≥ minScore`
 *   (every row given is considered, so rows per period are fine).
 * With `since`, only evidence achieved at or after `since` counts (renewals, re-certification after
 * expiry). A met requirement reports the earliest qualifying `at`. An empty list is met.
 */
export function metRequirements(reqs: readonly Requirement[], evidence: Evidence, since?: Date): RequirementCheck {
	const from = since ? since.getTime() : -Infinity;
	const missing: Requirement[] = [];
	const found: RequirementCheck['evidence'] = [];
	for (const requirement of reqs) {
		const at = firstAchieved(requirement, evidence, from);
		if (at === null) missing.push(requirement);
		else found.push({ requirement, at: new Date(at) });
	}
	return { met: missing.length === 0, missing, evidence: found };
}

function firstAchieved(requirement: Requirement, evidence: Evidence, from: number): number | null {
	const times: number[] = [];
	switch (requirement.kind) {
		case 'course':
			for (const row of evidence.coursesCompleted) if (row.course === requirement.course) times.push(row.at.getTime());
			break;
		case 'quiz':
			for (const row of evidence.quizBest) {
				if (row.course === requirement.course && row.quiz === requirement.quiz && row.percent >= requirement.minScore) times.push(row.at.getTime());
			}
			break;
		case 'scenario':
			for (const row of evidence.scenarioBest) {
				if (row.course === requirement.course && row.scenario === requirement.scenario && row.percent >= requirement.minScore) times.push(row.at.getTime());
			}
			break;
	}
	const counted = times.filter((time) => time >= from);
	return counted.length ? Math.min(...counted) : null;
}

/**
 * Rule "levels are a ladder": the highest level L (0..levels) such that the full requirements of
 * every level 1..L are met (with `since` as in `metRequirements`). A level whose requirement list
 * is absent or empty cannot be reached, and neither can anything above it.
 */
export function highestLevelMet(def: Pick<CertificationDefinition, 'levels' | 'requirements'>, evidence: Evidence, since?: Date): number {
	let reached = 0;
	for (let level = 1; level <= def.levels; level++) {
		const reqs = def.requirements[level - 1];
		if (!reqs || reqs.length === 0 || !metRequirements(reqs, evidence, since).met) break;
		reached = level;
	}
	return reached;
}

/**
 * Rule "definition sanity": levels is an integer 1–3 with one non-empty requirement list per level;
 * validityDays is a positive integer; renewalWindowDays is an integer with 0 ≤ window < validity (so
 * a fresh or renewed cycle never starts inside its own window); every minScore is within 0–100.
 * Returns the problems found, empty when sound.
 */
export function validateDefinition(def: CertificationDefinition): string[] {
	const problems: string[] = [];
	if (!def.id) problems.push('id is empty');
	if (!Number.isInteger(def.levels) || def.levels < 1 || def.levels > 3) problems.push(`levels must be 1–3, got ${def.levels}`);
	if (def.requirements.length !== def.levels) problems.push(`expected ${def.levels} requirement lists, got ${def.requirements.length}`);
	def.requirements.forEach((reqs, index) => {
		if (reqs.length === 0) problems.push(`level ${index + 1} has no requirements`);
	});
	if (!Number.isInteger(def.validityDays) || def.validityDays < 1) problems.push(`validityDays must be a positive integer, got ${def.validityDays}`);
	if (!Number.isInteger(def.renewalWindowDays) || def.renewalWindowDays < 0) {
		problems.push(`renewalWindowDays must be a non-negative integer, got ${def.renewalWindowDays}`);
	} else if (def.renewalWindowDays >= def.validityDays) {
		problems.push(`renewalWindowDays (${def.renewalWindowDays}) must be smaller than validityDays (${def.validityDays})`);
	}
	for (const req of [...def.requirements.flat(), ...def.renewal]) {
		if (req.kind !== 'course' && !(req.minScore >= 0 && req.minScore <= 100)) problems.push(`minScore must be 0–100, got ${req.minScore}`);
	}
	return problems;
}

/**
 * Rule "cycle order": by grantedAt, then expiresAt, then level, then an unrevoked cycle after a
 * revoked one, then id — total and independent of input order. The last in this order is the latest.
 */
export function compareCycles(a: Holding, b: Holding): number {
	return (
		a.grantedAt.getTime() - b.grantedAt.getTime() ||
		a.expiresAt.getTime() - b.expiresAt.getTime() ||
		a.level - b.level ||
		(a.revokedAt === null ? 1 : 0) - (b.revokedAt === null ? 1 : 0) ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

/** The latest cycle by `compareCycles`, or null when there is none. */
export function latestCycle(holdings: readonly Holding[]): Holding | null {
	let latest: Holding | null = null;
	for (const holding of holdings) if (latest === null || compareCycles(holding, latest) > 0) latest = holding;
	return latest;
}

/** When a cycle stopped being valid: its revocation if earlier than its expiry, else its expiry. */
function endOf(holding: Holding): Date {
	return holding.revokedAt !== null && holding.revokedAt.getTime() < holding.expiresAt.getTime() ? holding.revokedAt : holding.expiresAt;
}

/** Only what was achieved at or before `now` is known at `now`. */
function knownAt(evidence: Evidence, now: Date): Evidence {
	const time = now.getTime();
	return {
		coursesCompleted: evidence.coursesCompleted.filter((row) => row.at.getTime() <= time),
		quizBest: evidence.quizBest.filter((row) => row.at.getTime() <= time),
		scenarioBest: evidence.scenarioBest.filter((row) => row.at.getTime() <= time)
	};
}

/**
 * Where the current unbroken run of cycles began counting evidence: walking back from the latest
 * cycle, the first cycle that had ended (expired or revoked) by the time its successor was granted
 * marks a lapse, and evidence counts from that end — the same instant the fresh grant after the lapse
 * counted from. Undefined when there was never a lapse (all evidence counts).
 */
function runEvidenceSince(cycles: readonly Holding[]): Date | undefined {
	for (let index = cycles.length - 1; index > 0; index--) {
		const previous = cycles[index - 1]!;
		const next = cycles[index]!;
		const end = endOf(previous);
		if (end.getTime() <= next.grantedAt.getTime()) return end;
	}
	return undefined;
}

/**
 * What to do for one technician and one certification at `now`, given all their cycles of it
 * (cycles of other certifications are ignored) and their evidence. Evidence dated after `now` is
 * ignored. Rules, in order:
 *
 * 1. "Invalid definition": a definition failing `validateDefinition` throws a RangeError.
 * 2. "Scheduled cycle": if any cycle is granted after `now`, nothing happens until it starts → none.
 * 3. "Fresh grant": with no cycle, or the latest cycle expired/revoked, the FULL requirements apply
 *    and must be met with evidence achieved at or after the latest cycle ended (its revocation or
 *    expiry) — an old pass never re-certifies after a lapse. Grants the highest level met, valid
 *    `validityDays` from now, `renewedFromId: null`; none when level 1 is not met.
 * 4. "Renewal": the latest cycle is in its renewal window and the renewal requirements are met with
 *    evidence achieved since the window opened → renew. The new cycle expires `validityDays` after
 *    the OLD expiry (renewing early loses no time) and links to the old one. Its level is the current
 *    level, or a higher level met as in rule 5, whichever is higher.
 * 5. "Upgrade": the latest cycle is valid (active or in its window, not renewed by rule 4) and a
 *    higher level's full requirements are met with evidence counted since the current run of cycles
 *    began (so a pass from before a lapse cannot upgrade a re-certification) → a new cycle at that
 *    level, granted now, keeping the SAME expiresAt (an upgrade is not a renewal), linked to the old.
 * 6. Otherwise → none.
 *
 * "Idempotent": the new cycle always covers the evidence that produced it, so deciding again with
 * the resulting cycle added, the same evidence and the same `now` gives none. Inputs are never mutated.
 */
export function decideGrant(def: CertificationDefinition, holdings: readonly Holding[], evidence: Evidence, now: Date): GrantDecision {
	const problems = validateDefinition(def);
	if (problems.length > 0) throw new RangeError(`Certification ${def.id}: ${problems.join('; ')}`);

	const cycles = holdings.filter((holding) => holding.certificationId === def.id).sort(compareCycles);
	if (cycles.some((holding) => holding.grantedAt.getTime() > now.getTime())) return { action: 'none' };
	const known = knownAt(evidence, now);
	const latest = cycles.at(-1);

	if (!latest) return freshGrant(def, known, undefined, now);
	const status = statusAt(latest, def, now);
	if (status === 'expired' || status === 'revoked') return freshGrant(def, known, endOf(latest), now);
	if (status !== 'active' && status !== 'renewal-due') return { action: 'none' };

	const reached = highestLevelMet(def, known, runEvidenceSince(cycles));
	if (status === 'renewal-due' && metRequirements(renewalRequirements(latest, def), known, renewalOpensAt(latest, def)).met) {
		return {
			action: 'renew',
			level: Math.max(latest.level, reached),
			grantedAt: new Date(now.getTime()),
			expiresAt: expiresAt(latest.expiresBeforeChange ?? latest.expiresAt, def.validityDays),
			renewedFromId: latest.id
		};
	}
	if (reached > latest.level) {
		return {
			action: 'upgrade',
			level: reached,
			grantedAt: new Date(now.getTime()),
			expiresAt: new Date(latest.expiresAt.getTime()),
			renewedFromId: latest.id
		};
	}
	return { action: 'none' };
}

function freshGrant(def: CertificationDefinition, evidence: Evidence, since: Date | undefined, now: Date): GrantDecision {
	const level = highestLevelMet(def, evidence, since);
	if (level === 0) return { action: 'none' };
	return { action: 'grant', level, grantedAt: new Date(now.getTime()), expiresAt: expiresAt(now, def.validityDays), renewedFromId: null };
}

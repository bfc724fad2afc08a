import type { CertificationDefinition, Holding } from './types';
import { compareCycles, expiresAt, statusAt, validateDefinition, type HoldingStatus } from './lifecycle';

/*
 * What a trainer may do by hand, as pure rules over plain data: grant a certification (or a higher
 * level of it) with written evidence, and revoke it with a reason. Nothing is mutated; the caller
 * writes what the decision says.
 */

/** Longest evidence text a trainer may write for a grant by hand. */
export const EVIDENCE_TEXT_MAX = 2000;
/** Longest reason for a revocation. */
export const REVOKE_REASON_MAX = 500;

export type ManualGrantDecision =
	| { action: 'grant'; level: number; grantedAt: Date; expiresAt: Date; renewedFromId: null }
	| { action: 'upgrade'; level: number; fromLevel: number; grantedAt: Date; expiresAt: Date; renewedFromId: string }
	| { action: 'refuse'; code: 'level-out-of-range'; levels: number }
	| { action: 'refuse'; code: 'already-held'; level: number; expiresAt: Date }
	| { action: 'refuse'; code: 'scheduled'; from: Date };

export type ManualRevokeDecision =
	| { action: 'revoke'; holdingIds: string[]; revokedAt: Date; reason: string }
	| { action: 'refuse'; code: 'not-found' | 'already-revoked' | 'expired' | 'not-yet-valid' | 'reason-required' | 'reason-too-long' };

const VALID: ReadonlySet<HoldingStatus> = new Set(['active', 'renewal-due']);

/** Rule "written text": trimmed, not empty and at most `max` characters (UTF-16 units, as forms count). */
export function textProblem(text: string, max: number): 'required' | 'too-long' | null {
	const trimmed = text.trim();
	if (trimmed.length === 0) return 'required';
	if (trimmed.length > max) return 'too-long';
	return null;
}

/**
 * A trainer grants `level` of `def` by hand at `now`, given the technician's cycles (cycles of other
 * certifications are ignored). Rules, in order:
 *
 * 1. "Invalid definition": a definition failing `validateDefinition` throws a RangeError.
 * 2. "Level range": the level must be an integer 1..levels → else refused `level-out-of-range`.
 * 3. "Scheduled cycle": a cycle that starts after `now` (not revoked) → refused `scheduled`.
 * 4. "Fresh grant": no valid (active or renewal-due) cycle → a new cycle from `now`, valid
 *    `validityDays`, linked to nothing.
 * 5. "Nothing to add": a valid cycle of the same or a higher level is held → refused `already-held`
 *    with the highest level held and its latest expiry.
 * 6. "Upgrade": otherwise (a valid cycle of a lower level) → a new cycle at `level` from `now` with a
 *    full new validity (the trainer's evidence is dated now; unlike an automatic upgrade, which keeps
 *    the old expiry), linked to the latest valid cycle.
 */
export function decideManualGrant(def: CertificationDefinition, holdings: readonly Holding[], level: number, now: Date): ManualGrantDecision {
	const problems = validateDefinition(def);
	if (problems.length > 0) throw new RangeError(`Certification ${def.id}: ${problems.join('; ')}`);
	if (!Number.isInteger(level) || level < 1 || level > def.levels) return { action: 'refuse', code: 'level-out-of-range', levels: def.levels };

	const cycles = holdings.filter((h) => h.certificationId === def.id).sort(compareCycles);
	const scheduled = cycles.filter((h) => statusAt(h, def, now) === 'not-yet-valid');
	if (scheduled.length > 0) return { action: 'refuse', code: 'scheduled', from: new Date(Math.min(...scheduled.map((h) => h.grantedAt.getTime()))) };

	const valid = cycles.filter((h) => VALID.has(statusAt(h, def, now)));
	const grantedAt = new Date(now.getTime());
	const until = expiresAt(now, def.validityDays);
	if (valid.length === 0) return { action: 'grant', level, grantedAt, expiresAt: until, renewedFromId: null };

	const best = Math.max(...valid.map((h) => h.level));
	if (level <= best) {
		const expiry = Math.max(...valid.filter((h) => h.level === best).map((h) => h.expiresAt.getTime()));
		return { action: 'refuse', code: 'already-held', level: best, expiresAt: new Date(expiry) };
	}
	return { action: 'upgrade', level, fromLevel: best, grantedAt, expiresAt: until, renewedFromId: valid.at(-1)!.id };
}

/**
 * A trainer revokes cycle `holdingId` at `now` with `reason`, given all the technician's cycles.
 * `def` gives the renewal window (a certification whose content was removed can pass
 * `{ renewalWindowDays: 0 }`). Rules, in order:
 *
 * 1. "Known cycle": the id must be one of the cycles → else refused `not-found`.
 * 2. "Only a valid cycle": revoked → `already-revoked`; expired → `expired`; not started → `not-yet-valid`.
 * 3. "Reason": trimmed, required, at most `REVOKE_REASON_MAX` characters.
 * 4. "Revocation ends the certification": the cycle is revoked together with every other cycle of the
 *    same certification that has not ended (valid or scheduled) — a renewal or an upgrade leaves the
 *    cycle it continues valid until its own expiry, and eligibility accepts any valid cycle, so revoking
 *    one alone would leave the technician certified. Ids in `compareCycles` order; all revoked at `now`.
 */
export function decideManualRevoke(
	def: Pick<CertificationDefinition, 'renewalWindowDays'>,
	holdings: readonly Holding[],
	holdingId: string,
	reason: string,
	now: Date
): ManualRevokeDecision {
	const target = holdings.find((h) => h.id === holdingId);
	if (!target) return { action: 'refuse', code: 'not-found' };
	const status = statusAt(target, def, now);
	if (status === 'revoked') return { action: 'refuse', code: 'already-revoked' };
	if (status === 'expired') return { action: 'refuse', code: 'expired' };
	if (status === 'not-yet-valid') return { action: 'refuse', code: 'not-yet-valid' };
	const problem = textProblem(reason, REVOKE_REASON_MAX);
	if (problem) return { action: 'refuse', code: problem === 'required' ? 'reason-required' : 'reason-too-long' };

	const ending = holdings
		.filter((h) => h.certificationId === target.certificationId)
		.filter((h) => {
			const s = statusAt(h, def, now);
			return s === 'active' || s === 'renewal-due' || s === 'not-yet-valid';
		})
		.sort(compareCycles);
	return { action: 'revoke', holdingIds: ending.map((h) => h.id), revokedAt: new Date(now.getTime()), reason: reason.trim() };
}

export type CurrentStatus = { status: HoldingStatus | 'none'; level: number; expiresAt: Date | null; holdingId: string | null };

/**
 * Rule "current standing" of one certification: the valid cycle with the highest level (then the
 * latest expiry) when one is valid; otherwise the latest cycle's status; `none` with no cycle.
 */
export function currentStanding(def: Pick<CertificationDefinition, 'id' | 'renewalWindowDays'>, holdings: readonly Holding[], now: Date): CurrentStatus {
	const cycles = holdings.filter((h) => h.certificationId === def.id).sort(compareCycles);
	if (cycles.length === 0) return { status: 'none', level: 0, expiresAt: null, holdingId: null };
	const valid = cycles
		.map((h) => ({ h, status: statusAt(h, def, now) }))
		.filter((c) => VALID.has(c.status))
		.sort((a, b) => a.h.level - b.h.level || a.h.expiresAt.getTime() - b.h.expiresAt.getTime());
	const best = valid.at(-1);
	if (best) return { status: best.status, level: best.h.level, expiresAt: best.h.expiresAt, holdingId: best.h.id };
	const latest = cycles.at(-1)!;
	return { status: statusAt(latest, def, now), level: latest.level, expiresAt: latest.expiresAt, holdingId: latest.id };
}

/** One item of a cycle's stored evidence, checked: what was achieved (and when), a trainer's note, or anything else as text. */
export type EvidenceItem =
	| { kind: 'course'; course: string; at: Date | null }
	| { kind: 'quiz'; course: string; quiz: string; minScore: number; at: Date | null }
	| { kind: 'scenario'; course: string; scenario: string; minScore: number; at: Date | null }
	| { kind: 'note'; text: string; at: Date | null }
	| { kind: 'other'; text: string };

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
function when(v: unknown): Date | null {
	if (typeof v !== 'string') return null;
	const date = new Date(v);
	return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Rule "evidence reads as written": the stored evidence (a JSON array) item by item — requirements
 * met (course, quiz, scenario with their date), a trainer's note (`note`, or `manual` as older records
 * say), and anything unrecognised shown as
 * its JSON text rather than dropped. A value that is not an array reads as one unrecognised item.
 */
export function readEvidence(stored: unknown): EvidenceItem[] {
	const items = Array.isArray(stored) ? stored : stored === null || stored === undefined ? [] : [stored];
	return items.map((raw): EvidenceItem => {
		const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
		if (item.kind === 'course' && str(item.course)) return { kind: 'course', course: item.course, at: when(item.at) };
		if (item.kind === 'quiz' && str(item.course) && str(item.quiz) && num(item.minScore))
			return { kind: 'quiz', course: item.course, quiz: item.quiz, minScore: item.minScore, at: when(item.at) };
		if (item.kind === 'scenario' && str(item.course) && str(item.scenario) && num(item.minScore))
			return { kind: 'scenario', course: item.course, scenario: item.scenario, minScore: item.minScore, at: when(item.at) };
		// `manual` is how the demo organisation records its cycles.
		if ((item.kind === 'note' || item.kind === 'manual') && str(item.text)) return { kind: 'note', text: item.text, at: when(item.at) };
		return { kind: 'other', text: JSON.stringify(raw) ?? String(raw) };
	});
}

import { compareCycles } from './lifecycle';
import type { Holding } from './types';

/** A job type needs this certification at this level or higher. */
export type JobRequirement = { certificationId: string; minLevel: number };

/** Why one job requirement is not met. Dates are instants; `formatReason` shows them as UTC days. */
export type Reason =
	| { certificationId: string; code: 'missing' }
	| { code: 'expired'; certificationId: string; on: Date }
	| { code: 'expires-before-job'; certificationId: string; on: Date }
	| { code: 'revoked'; certificationId: string; reason: string; on: Date }
	| { code: 'level-too-low'; certificationId: string; level: number; required: number }
	| { code: 'not-yet-valid'; certificationId: string; from: Date };

export interface Eligibility {
	eligible: boolean;
	/** One reason per unmet requirement, in the order of the requirements; none for met ones. */
	reasons: Reason[];
}

export type ReasonLocale = 'en' | 'zh-CN';

/** Rule "valid at": granted ≤ t < expires and not revoked at or before t. */
function validAt(holding: Holding, time: number): boolean {
	return (
		holding.grantedAt.getTime() <= time &&
		time < holding.expiresAt.getTime() &&
		!(holding.revokedAt !== null && holding.revokedAt.getTime() <= time)
	);
}

/**
 * Rule "eligibility": a technician is eligible for a job at `at` when every requirement is met. A
 * requirement is met when ONE of the technician's holdings of that certification (other holdings
 * are ignored) is valid at `at` (granted ≤ at < expires, not revoked at `at`), has level ≥ minLevel
 * and, when `jobEnd` is given, expires at or after `jobEnd` (expiring exactly at the end is fine).
 *
 * Rule "one reason": an unmet requirement gets exactly one reason, the first that applies:
 * 1. `level-too-low` — some holding is valid at `at` but none valid has the level (level = the best valid level);
 * 2. `revoked` — the most recent holding granted by `at` (see `compareCycles`) is revoked (its date and reason, '' when none);
 * 3. `expired` — that most recent holding has expired (on its expiresAt);
 * 4. `expires-before-job` — a valid holding with the level expires before `jobEnd` (on the latest such expiry);
 * 5. `not-yet-valid` — a holding starts after `at` (from the earliest start, preferring holdings with the
 *    level; holdings revoked before they start are ignored);
 * 6. `missing` — otherwise.
 * Pure and deterministic: the order of `holdings` does not matter.
 */
export function evaluateEligibility(requirements: readonly JobRequirement[], holdings: readonly Holding[], at: Date, jobEnd?: Date): Eligibility {
	const reasons: Reason[] = [];
	for (const requirement of requirements) {
		const reason = reasonFor(
			requirement,
			holdings.filter((holding) => holding.certificationId === requirement.certificationId),
			at.getTime(),
			jobEnd?.getTime()
		);
		if (reason) reasons.push(reason);
	}
	return { eligible: reasons.length === 0, reasons };
}

function reasonFor(requirement: JobRequirement, holdings: Holding[], time: number, jobEnd: number | undefined): Reason | null {
	const { certificationId, minLevel } = requirement;
	const valid = holdings.filter((holding) => validAt(holding, time));
	const withLevel = valid.filter((holding) => holding.level >= minLevel);
	if (withLevel.some((holding) => jobEnd === undefined || holding.expiresAt.getTime() >= jobEnd)) return null;

	if (valid.length > 0 && withLevel.length === 0) {
		return { code: 'level-too-low', certificationId, level: Math.max(...valid.map((holding) => holding.level)), required: minLevel };
	}

	const started = holdings.filter((holding) => holding.grantedAt.getTime() <= time).sort(compareCycles);
	const latest = started.at(-1);
	if (latest && latest.revokedAt !== null && latest.revokedAt.getTime() <= time) {
		return { code: 'revoked', certificationId, reason: latest.revokeReason ?? '', on: new Date(latest.revokedAt.getTime()) };
	}
	if (latest && latest.expiresAt.getTime() <= time) return { code: 'expired', certificationId, on: new Date(latest.expiresAt.getTime()) };

	if (withLevel.length > 0) {
		return { code: 'expires-before-job', certificationId, on: new Date(Math.max(...withLevel.map((holding) => holding.expiresAt.getTime()))) };
	}

	const upcoming = holdings
		.filter((holding) => holding.grantedAt.getTime() > time)
		.filter((holding) => !(holding.revokedAt !== null && holding.revokedAt.getTime() <= holding.grantedAt.getTime()));
	if (upcoming.length > 0) {
		const pool = upcoming.some((holding) => holding.level >= minLevel) ? upcoming.filter((holding) => holding.level >= minLevel) : upcoming;
		return { code: 'not-yet-valid', certificationId, from: new Date(Math.min(...pool.map((holding) => holding.grantedAt.getTime()))) };
	}
	return { code: 'missing', certificationId };
}

/** A UTC calendar day, YYYY-MM-DD. */
function day(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/**
 * Rule "reason sentence": one sentence per reason in `locale`. `titles` maps certification id →
 * title in that locale; an unknown id shows as itself. Dates show as UTC days (YYYY-MM-DD). A
 * revocation without a reason leaves out the "(reason: …)" part.
 */
export function formatReason(reason: Reason, titles: Record<string, string>, locale: ReasonLocale): string {
	const title = titles[reason.certificationId] || reason.certificationId;
	const zh = locale === 'zh-CN';
	switch (reason.code) {
		case 'missing':
			return zh ? `缺少：${title}` : `Missing: ${title}`;
		case 'expired':
			return zh ? `已于 ${day(reason.on)} 过期：${title}` : `Expired on ${day(reason.on)}: ${title}`;
		case 'expires-before-job':
			return zh ? `在工作结束前过期（${day(reason.on)}）：${title}` : `Expires before the job (on ${day(reason.on)}): ${title}`;
		case 'revoked':
			if (zh) return `已于 ${day(reason.on)} 被撤销：${title}${reason.reason ? `（原因：${reason.reason}）` : ''}`;
			return `Revoked on ${day(reason.on)}: ${title}${reason.reason ? ` (reason: ${reason.reason})` : ''}`;
		case 'level-too-low':
			return zh ? `等级 ${reason.level} 低于要求的 ${reason.required}：${title}` : `Level ${reason.level} < required ${reason.required}: ${title}`;
		case 'not-yet-valid':
			return zh ? `尚未生效（自 ${day(reason.from)} 起）：${title}` : `Not valid until ${day(reason.from)}: ${title}`;
	}
}

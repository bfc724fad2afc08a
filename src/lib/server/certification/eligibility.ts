import { compareCycles } from './lifecycle';
import type { Holding } from './types';
import { calendarDay } from '../../zoned-time';

/** A job type needs this certification at this level or higher. */
export type JobRequirement = { certificationId: string; minLevel: number };

/** Why one job requirement is not met. Dates are instants; `formatReason` shows them as days in a zone. */
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

/**
 * Rule "reason sentence": one whole sentence per reason in `locale`, naming the certification.
 * `titles` maps certification id → title in that locale; an unknown id shows as itself. Dates are
 * calendar days (YYYY-MM-DD) in `timeZone` — the organisation's, as every due and expiry date. A
 * revocation without a reason leaves out the "(reason: …)" part.
 */
export function formatReason(reason: Reason, titles: Record<string, string>, locale: ReasonLocale, timeZone = 'UTC'): string {
	const title = titles[reason.certificationId] || reason.certificationId;
	const day = (date: Date) => calendarDay(date, timeZone);
	const zh = locale === 'zh-CN';
	switch (reason.code) {
		case 'missing':
			return zh ? `未持有${title}认证。` : `Does not hold ${title}.`;
		case 'expired':
			return zh ? `${title}已于 ${day(reason.on)} 过期。` : `${title} expired on ${day(reason.on)}.`;
		case 'expires-before-job':
			return zh ? `${title}将于 ${day(reason.on)} 过期，早于工作结束。` : `${title} expires on ${day(reason.on)}, before the job ends.`;
		case 'revoked':
			if (zh) return `${title}已于 ${day(reason.on)} 被撤销${reason.reason ? `（原因：${reason.reason}）` : ''}。`;
			return `${title} was revoked on ${day(reason.on)}${reason.reason ? ` (reason: ${reason.reason})` : ''}.`;
		case 'level-too-low':
			return zh ? `持有${title}等级 ${reason.level}；该工作需要等级 ${reason.required}。` : `Holds level ${reason.level} of ${title}; the job needs level ${reason.required}.`;
		case 'not-yet-valid':
			return zh ? `${title}自 ${day(reason.from)} 起才生效。` : `${title} is valid only from ${day(reason.from)}.`;
	}
}

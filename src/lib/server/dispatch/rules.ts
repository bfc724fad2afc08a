import type { CertificationDefinition } from '../certification/types';
import type { JobRequirement } from '../certification/eligibility';
import { PRODUCT_LINES } from '$lib/content/schema';

export const NAME_MAX = 120;
export const PRODUCT_LINE_MAX = 80;
export const SITE_LABEL_MAX = 200;
export const OVERRIDE_REASON_MAX = 1000;
export const DURATION_MAX = 24 * 60;

export interface JobTypeDraft {
	name: string;
	productLine: string;
	requirements: JobRequirement[];
}

/**
 * Rule "job type": a name (trimmed, not empty, bounded), one of the product lines, and requirements that
 * name known certifications, each at most once, at a level the certification has. Returns the
 * problems by field (`requirements.<certificationId>` for a bad requirement); empty when valid.
 */
export function validateJobType(
	draft: JobTypeDraft,
	definitions: Pick<CertificationDefinition, 'id' | 'levels'>[],
	productLines: readonly string[] = PRODUCT_LINES
): Record<string, string> {
	const problems: Record<string, string> = {};
	const name = draft.name.trim();
	if (!name) problems.name = 'required';
	else if (name.length > NAME_MAX) problems.name = 'too-long';
	const line = draft.productLine.trim();
	if (!line) problems.productLine = 'required';
	else if (line.length > PRODUCT_LINE_MAX) problems.productLine = 'too-long';
	else if (!productLines.includes(line)) problems.productLine = 'unknown';
	const seen = new Set<string>();
	for (const r of draft.requirements) {
		const key = `requirements.${r.certificationId}`;
		const def = definitions.find((d) => d.id === r.certificationId);
		if (!def) problems[key] = 'unknown-certification';
		else if (seen.has(r.certificationId)) problems[key] = 'duplicate';
		else if (!Number.isInteger(r.minLevel) || r.minLevel < 1 || r.minLevel > def.levels) problems[key] = 'level-out-of-range';
		seen.add(r.certificationId);
	}
	return problems;
}

/** Rule "job window": a job runs from its scheduled time for its duration (whole minutes, 1–1440). */
export function jobEnd(scheduledAt: Date, durationMinutes: number): Date {
	return new Date(scheduledAt.getTime() + durationMinutes * 60_000);
}

/**
 * Rule "override": an ineligible technician may be assigned only with a written reason — some
 * text after trimming, at most OVERRIDE_REASON_MAX characters. Returns the trimmed reason, or
 * the problem.
 */
export function overrideReason(raw: string | null | undefined): { ok: true; reason: string } | { ok: false; problem: 'required' | 'too-long' } {
	const reason = (raw ?? '').trim();
	if (!reason) return { ok: false, problem: 'required' };
	if (reason.length > OVERRIDE_REASON_MAX) return { ok: false, problem: 'too-long' };
	return { ok: true, reason };
}

/**
 * Rule "picker order": eligible technicians first, then those with fewer unmet requirements;
 * within each, by name (locale-aware) and id. Returns a new array.
 */
export function pickerOrder<T extends { eligible: boolean; reasons: unknown[]; name: string; technicianId: string }>(list: readonly T[]): T[] {
	return [...list].sort(
		(a, b) =>
			Number(b.eligible) - Number(a.eligible) ||
			a.reasons.length - b.reasons.length ||
			a.name.localeCompare(b.name, 'en') ||
			(a.technicianId < b.technicianId ? -1 : a.technicianId > b.technicianId ? 1 : 0)
	);
}

/**
 * A time as a `datetime-local` field sends it ("YYYY-MM-DDTHH:mm", seconds allowed), read as UTC.
 * Null when malformed or not a real calendar time (e.g. 2026-02-30T10:00).
 */
export function parseUtcMinute(value: string): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
	if (!match) return null;
	const [, y, mo, d, h, mi] = match.map(Number) as number[];
	const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, match[6] ? Number(match[6]) : 0));
	const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi;
	return same && y! >= 2000 && y! <= 2100 ? date : null;
}

/**
 * Who may change a job type: it decides eligibility for every team whose jobs use it, so only an
 * administrator or a manager who leads every one of those teams. Returns the teams the actor does
 * not lead (empty: allowed). A type no job uses yet may be changed by any manager.
 */
export function teamsBlockingJobTypeChange(scope: string[] | 'all', usingTeams: ReadonlyArray<{ id: string; name: string }>): string[] {
	if (scope === 'all') return [];
	return usingTeams.filter((t) => !scope.includes(t.id)).map((t) => t.name);
}

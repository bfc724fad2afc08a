import type { CertificationDefinition, Holding } from '../certification/types';
import { expiresAt, latestCycle, renewalOpensAt, statusAt, type HoldingStatus } from '../certification/lifecycle';

/*
 * Which reminders are due now, as pure rules over plain data. The scan (scan.ts) gathers the facts
 * and records each notice once; nothing here reads a clock or a database.
 */

/** Notices about a certification cycle, each sent at most once per cycle (holding_notice). */
export const NOTICE_KINDS = ['renewal_open', 'expiring_soon', 'expired'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface ReminderPolicy {
	/** The "expiring soon" notice goes out this many days (UTC calendar days) before expiry. */
	daysBeforeExpiry: number;
	/** An "expired" notice not sent within this many days of the expiry is no longer sent. */
	expiredNoticeDays: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { daysBeforeExpiry: 7, expiredNoticeDays: 7 };

/** A cycle with the technician who holds it. */
export type TechnicianHolding = Holding & { userId: string };

export interface SentNotice {
	holdingId: string;
	kind: string;
}

export interface DueNotice {
	kind: NoticeKind;
	/** The latest cycle the notice is about. */
	holding: TechnicianHolding;
	/** When the notice became due. */
	dueSince: Date;
}

export interface NoticeStage {
	kind: NoticeKind;
	from: Date;
	until: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** At equal instants the later rank wins: a window opening at expiry is no window; expiry beats all. */
const RANK: Record<NoticeKind, number> = { expiring_soon: 0, renewal_open: 1, expired: 2 };
/** The status a cycle must have for each notice. */
const STATUS: Record<NoticeKind, HoldingStatus[]> = {
	renewal_open: ['renewal-due'],
	expiring_soon: ['active', 'renewal-due'],
	expired: ['expired']
};

/**
 * Rule "one notice at a time": a cycle's notices are stages at instants — `renewal_open` when the
 * renewal window opens, `expiring_soon` `daysBeforeExpiry` days before expiry, `expired` at expiry —
 * ordered by instant (ties by rank: expiring_soon, renewal_open, expired). Each stage lasts until the
 * next one begins; `expired` lasts `expiredNoticeDays`. Empty stages (a tie) are left out. So a scan
 * that missed a stage entirely (the process was down) never sends it late, and two notices never go
 * out together: with a 7-day window and 7 days before expiry, only the window notice is sent.
 */
export function noticeStages(
	holding: Pick<Holding, 'expiresAt'>,
	def: Pick<CertificationDefinition, 'renewalWindowDays'>,
	policy: ReminderPolicy
): NoticeStage[] {
	const starts: Array<{ kind: NoticeKind; at: Date }> = [
		{ kind: 'expiring_soon', at: expiresAt(holding.expiresAt, -policy.daysBeforeExpiry) },
		{ kind: 'renewal_open', at: renewalOpensAt(holding, def) },
		{ kind: 'expired', at: new Date(holding.expiresAt.getTime()) }
	];
	starts.sort((a, b) => a.at.getTime() - b.at.getTime() || RANK[a.kind] - RANK[b.kind]);
	const end = new Date(holding.expiresAt.getTime() + policy.expiredNoticeDays * DAY_MS);
	return starts
		.map((stage, i) => ({ kind: stage.kind, from: stage.at, until: starts[i + 1]?.at ?? end }))
		.filter((stage) => stage.from.getTime() < stage.until.getTime());
}

/**
 * The certification notices due at `now`. Rules:
 * 1. Only the LATEST cycle (lifecycle `latestCycle`) of each technician × certification counts: a
 *    renewed, upgraded or otherwise superseded cycle gets nothing. Certifications no longer defined
 *    get nothing.
 * 2. A latest cycle that is revoked, or not yet valid, gets nothing.
 * 3. The stage holding `now` (see `noticeStages`) is due when the cycle's status (lifecycle
 *    `statusAt`) fits it: the window notice while `renewal-due`, "expiring soon" while valid,
 *    "expired" once expired.
 * 4. Each kind goes out once per expiry: not if it was sent for this cycle, nor for an earlier cycle
 *    of the same technician and certification with the same expiry (an upgrade keeps the expiry, so
 *    its reminders are the reminders already sent).
 * Output is ordered by `dueSince`, then technician, then certification. Inputs are not changed.
 */
export function dueNotices(
	definitions: ReadonlyArray<Pick<CertificationDefinition, 'id' | 'renewalWindowDays'>>,
	holdings: readonly TechnicianHolding[],
	sent: Iterable<SentNotice>,
	now: Date,
	policy: ReminderPolicy = DEFAULT_REMINDER_POLICY
): DueNotice[] {
	validatePolicy(policy);
	const defs = new Map(definitions.map((d) => [d.id, d]));
	const sentKinds = new Map<string, Set<string>>();
	for (const notice of sent) {
		if (!sentKinds.has(notice.holdingId)) sentKinds.set(notice.holdingId, new Set());
		sentKinds.get(notice.holdingId)!.add(notice.kind);
	}
	const pairs = new Map<string, TechnicianHolding[]>();
	for (const holding of holdings) {
		const key = `${holding.userId}\u0000${holding.certificationId}`;
		if (!pairs.has(key)) pairs.set(key, []);
		pairs.get(key)!.push(holding);
	}

	const due: DueNotice[] = [];
	for (const cycles of pairs.values()) {
		const latest = latestCycle(cycles) as TechnicianHolding | null;
		if (!latest) continue;
		const def = defs.get(latest.certificationId);
		if (!def) continue;
		const status = statusAt(latest, def, now);
		if (status === 'revoked' || status === 'not-yet-valid') continue;
		const stage = noticeStages(latest, def, policy).find((s) => s.from.getTime() <= now.getTime() && now.getTime() < s.until.getTime());
		if (!stage || !STATUS[stage.kind].includes(status)) continue;
		const sameExpiry = cycles.filter((c) => c.expiresAt.getTime() === latest.expiresAt.getTime());
		if (sameExpiry.some((c) => sentKinds.get(c.id)?.has(stage.kind))) continue;
		due.push({ kind: stage.kind, holding: latest, dueSince: stage.from });
	}
	return due.sort(
		(a, b) =>
			a.dueSince.getTime() - b.dueSince.getTime() ||
			compareText(a.holding.userId, b.holding.userId) ||
			compareText(a.holding.certificationId, b.holding.certificationId)
	);
}

function compareText(a: string, b: string) {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Rule "policy sanity": whole days, 0–365 before expiry, 1–365 after. Throws a RangeError otherwise. */
export function validatePolicy(policy: ReminderPolicy): void {
	const { daysBeforeExpiry: before, expiredNoticeDays: after } = policy;
	if (!Number.isInteger(before) || before < 0 || before > 365) throw new RangeError(`daysBeforeExpiry must be a whole number 0–365, got ${before}`);
	if (!Number.isInteger(after) || after < 1 || after > 365) throw new RangeError(`expiredNoticeDays must be a whole number 1–365, got ${after}`);
}

/**
 * Reads `REMINDER_DAYS_BEFORE_EXPIRY`: unset or empty means the default (7); anything but a whole
 * number 0–365 is a configuration error, reported with the variable's name.
 */
export function reminderPolicyFromEnv(value: string | undefined): ReminderPolicy {
	if (value === undefined || value.trim() === '') return DEFAULT_REMINDER_POLICY;
	const text = value.trim();
	const days = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
	if (!(days >= 0 && days <= 365)) throw new RangeError(`REMINDER_DAYS_BEFORE_EXPIRY must be a whole number of days 0–365, got "${value.slice(0, 40)}"`);
	return { ...DEFAULT_REMINDER_POLICY, daysBeforeExpiry: days };
}

/* Course assignments */

/** A reminder goes out when an unfinished assignment is due within this many days. */
export const COURSE_DUE_DAYS = 3;

export interface AssignmentFact {
	id: string;
	userId: string;
	courseSlug: string;
	dueAt: Date;
	/** The course is complete for this technician (lessons done and required quizzes passed). */
	complete: boolean;
}

/**
 * Rule "course due": an assignment not complete, due in the future but within `withinDays` days of
 * `now` (due − withinDays ≤ now < due), gets one reminder per due date: a reminder already sent for
 * the same assignment and the same due date is not sent again, but a new due date may get its own.
 * An assignment already overdue gets none. Output keeps the input order.
 */
export function dueCourseReminders(
	assignments: readonly AssignmentFact[],
	sent: Iterable<{ assignmentId: string; dueAt: Date }>,
	now: Date,
	withinDays = COURSE_DUE_DAYS
): AssignmentFact[] {
	const done = new Set<string>();
	for (const s of sent) done.add(`${s.assignmentId}@${s.dueAt.getTime()}`);
	const t = now.getTime();
	return assignments.filter(
		(a) => !a.complete && t < a.dueAt.getTime() && a.dueAt.getTime() - withinDays * DAY_MS <= t && !done.has(`${a.id}@${a.dueAt.getTime()}`)
	);
}

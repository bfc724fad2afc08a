import { and, eq, gt, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db';
import type { Executor } from '../db/types';
import { certificationHolding, courseAssignment, courseDueNotice, holdingNotice, lessonProgress, quizAttempt, teamManager, user } from '../db/schema';
import type { CertificationDefinition } from '../certification/types';
import { listCertifications } from '../certification/catalog';
import { renewalOpensAt } from '../certification/lifecycle';
import { findCourse } from '../content';
import { requiredQuizzes } from '../assessment/catalog';
import { courseProgress } from '../learning/progress';
import { completedColumn } from '../learning/queries';
import type { Locale } from '../../i18n/locales';
import { publishCertificationEvent } from './events';
import { recordMessages, type NewMessage } from './outbox';
import {
	COURSE_DUE_DAYS,
	DEFAULT_REMINDER_POLICY,
	dueCourseReminders,
	dueNotices,
	type DueNotice,
	type NoticeKind,
	type ReminderPolicy,
	type TechnicianHolding
} from './reminders';
import { certificationNoticeText, courseDueText, type Audience } from './texts';
import { organisationTimeZone } from '../organisation';

/*
 * The reminder scan: gathers the facts in a few queries, asks the pure rules (reminders.ts) what is
 * due, and records each notice once. Safe in any number of processes at once: a notice's row
 * (holding_notice, course_due_notice) is inserted first in its transaction with ON CONFLICT DO
 * NOTHING, so exactly one transaction wins it and only that one writes the e-mails and the event.
 */

export interface ScanOptions {
	now?: Date;
	/** Certification definitions; the content's by default. */
	definitions?: ReadonlyArray<Pick<CertificationDefinition, 'id' | 'renewalWindowDays' | 'title'>>;
	policy?: ReminderPolicy;
	/** Base of the links in e-mails. */
	origin: string;
	/** Whether an SMTP server takes the messages (they are then queued for sending). */
	smtp: boolean;
}

export interface ScanReport {
	notices: number;
	messages: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The webhook event a notice publishes, if any. */
const EVENT_OF: Partial<Record<NoticeKind, 'certification.renewal_due' | 'certification.expired'>> = {
	renewal_open: 'certification.renewal_due',
	expired: 'certification.expired'
};

interface Person {
	id: string;
	email: string;
	displayName: string;
	locale: Locale;
}

/** Certification notices due now: to the technician and every active manager of their team. */
export async function sendCertificationReminders(db: Db, options: ScanOptions): Promise<ScanReport> {
	const now = options.now ?? new Date();
	const policy = options.policy ?? DEFAULT_REMINDER_POLICY;
	const definitions = options.definitions ?? listCertifications();
	const due = dueNotices(definitions, ...(await noticeFacts(db, now, policy)), now, policy);
	if (due.length === 0) return { notices: 0, messages: 0 };
	const [people, timeZone] = await Promise.all([recipientsOf(db, [...new Set(due.map((n) => n.holding.userId))]), organisationTimeZone(db)]);
	const report: ScanReport = { notices: 0, messages: 0 };
	for (const notice of due) {
		const recipients = people.get(notice.holding.userId);
		const def = definitions.find((d) => d.id === notice.holding.certificationId)!;
		if (!recipients) continue;
		const written = await db.transaction(async (tx) => {
			const claimed = await tx
				.insert(holdingNotice)
				.values({ holdingId: notice.holding.id, kind: notice.kind, sentAt: now })
				.onConflictDoNothing()
				.returning({ holdingId: holdingNotice.holdingId });
			if (claimed.length === 0) return null;
			const messages = certificationMessages(notice, def, recipients, options.origin, timeZone);
			await recordMessages(tx, messages, { smtp: options.smtp, now });
			const event = EVENT_OF[notice.kind];
			if (event) {
				await publishCertificationEvent(
					tx,
					event,
					{
						holdingId: notice.holding.id,
						technicianId: notice.holding.userId,
						certificationId: notice.holding.certificationId,
						level: notice.holding.level,
						grantedAt: notice.holding.grantedAt.toISOString(),
						expiresAt: notice.holding.expiresAt.toISOString()
					},
					now
				);
			}
			return messages.length;
		});
		if (written === null) continue;
		report.notices++;
		report.messages += written;
	}
	return report;
}

/**
 * Every cycle of each technician × certification that may have a notice due — those with a cycle
 * expiring after the expired notice's period began — of active technicians, with the notices sent.
 * Whole pairs are read, so the latest cycle is known. Two queries.
 */
async function noticeFacts(db: Executor, now: Date, policy: ReminderPolicy): Promise<[TechnicianHolding[], Array<{ holdingId: string; kind: string }>]> {
	const horizon = new Date(now.getTime() - policy.expiredNoticeDays * DAY_MS);
	const h = certificationHolding;
	const recent = sql`exists (select 1 from certification_holding x where x.user_id = ${h.userId} and x.certification_id = ${h.certificationId} and x.expires_at > ${horizon.toISOString()}::timestamptz)`;
	const [holdings, sent] = await Promise.all([
		db
			.select({
				id: h.id,
				userId: h.userId,
				certificationId: h.certificationId,
				level: h.level,
				grantedAt: h.grantedAt,
				expiresAt: h.expiresAt,
				revokedAt: h.revokedAt,
				revokeReason: h.revokeReason,
				renewedFromId: h.renewedFromId,
				renewalDueFrom: h.renewalDueFrom
			})
			.from(h)
			.innerJoin(user, and(eq(user.id, h.userId), eq(user.active, true)))
			.where(recent),
		db
			.select({ holdingId: holdingNotice.holdingId, kind: holdingNotice.kind })
			.from(holdingNotice)
			.innerJoin(h, eq(h.id, holdingNotice.holdingId))
			.where(recent)
	]);
	return [holdings, sent];
}

/** Technicians and the active managers of their teams, in two queries. */
async function recipientsOf(db: Executor, userIds: string[]): Promise<Map<string, { technician: Person; managers: Person[] }>> {
	const technicians = await db
		.select({ id: user.id, email: user.email, displayName: user.displayName, locale: user.locale, teamId: user.teamId })
		.from(user)
		.where(and(inArray(user.id, userIds), eq(user.active, true)));
	const teamIds = [...new Set(technicians.map((t) => t.teamId).filter((id): id is string => id !== null))];
	const managers = teamIds.length
		? await db
				.select({ teamId: teamManager.teamId, id: user.id, email: user.email, displayName: user.displayName, locale: user.locale })
				.from(teamManager)
				.innerJoin(user, and(eq(user.id, teamManager.userId), eq(user.active, true)))
				.where(inArray(teamManager.teamId, teamIds))
		: [];
	const out = new Map<string, { technician: Person; managers: Person[] }>();
	for (const { teamId, ...technician } of technicians) {
		const own = managers.filter((mgr) => mgr.teamId === teamId && mgr.id !== technician.id).map(({ teamId: _team, ...person }) => person);
		out.set(technician.id, { technician, managers: own });
	}
	return out;
}

function certificationMessages(
	notice: DueNotice,
	def: Pick<CertificationDefinition, 'renewalWindowDays' | 'title'>,
	recipients: { technician: Person; managers: Person[] },
	origin: string,
	timeZone: string
): NewMessage[] {
	const write = (person: Person, audience: Audience): NewMessage => {
		const text = certificationNoticeText({
			kind: notice.kind,
			audience,
			locale: person.locale,
			recipientName: person.displayName,
			technicianName: recipients.technician.displayName,
			certificationTitle: def.title[person.locale] ?? def.title.en ?? notice.holding.certificationId,
			level: notice.holding.level,
			renewalOpensAt: renewalOpensAt(notice.holding, def),
			expiresAt: notice.holding.expiresAt,
			origin,
			timeZone
		});
		return { kind: notice.kind, toAddress: person.email, toUserId: person.id, subject: text.subject, body: text.body };
	};
	return [write(recipients.technician, 'technician'), ...recipients.managers.map((mgr) => write(mgr, 'manager'))];
}

/**
 * Course assignments due within COURSE_DUE_DAYS and not complete: one reminder to the technician
 * per assignment and due date. Four queries, whatever the number of assignments.
 */
export async function sendCourseReminders(db: Db, options: ScanOptions): Promise<ScanReport> {
	const now = options.now ?? new Date();
	const candidates = await db
		.select({ id: courseAssignment.id, userId: courseAssignment.userId, courseSlug: courseAssignment.courseSlug, dueAt: courseAssignment.dueAt })
		.from(courseAssignment)
		.innerJoin(user, and(eq(user.id, courseAssignment.userId), eq(user.active, true)))
		.where(and(gt(courseAssignment.dueAt, now), lte(courseAssignment.dueAt, new Date(now.getTime() + COURSE_DUE_DAYS * DAY_MS))));
	const known = candidates.filter((a) => findCourse(a.courseSlug));
	if (known.length === 0) return { notices: 0, messages: 0 };
	const userIds = [...new Set(known.map((a) => a.userId))];
	const slugs = [...new Set(known.map((a) => a.courseSlug))];
	const [facts, passes, sent] = await Promise.all([
		db
			.select({
				userId: lessonProgress.userId,
				courseSlug: lessonProgress.courseSlug,
				lessonSlug: lessonProgress.lessonSlug,
				openedAt: lessonProgress.openedAt,
				completedAt: completedColumn()
			})
			.from(lessonProgress)
			.where(and(inArray(lessonProgress.userId, userIds), inArray(lessonProgress.courseSlug, slugs), isNotNull(completedColumn()))),
		db
			.selectDistinct({ userId: quizAttempt.userId, courseSlug: quizAttempt.courseSlug, quizId: quizAttempt.quizId })
			.from(quizAttempt)
			.where(and(inArray(quizAttempt.userId, userIds), inArray(quizAttempt.courseSlug, slugs), eq(quizAttempt.passed, true))),
		db
			.select({ assignmentId: courseDueNotice.assignmentId, dueAt: courseDueNotice.dueAt })
			.from(courseDueNotice)
			.where(
				inArray(
					courseDueNotice.assignmentId,
					known.map((a) => a.id)
				)
			)
	]);
	const assignments = known.map((a) => {
		const course = findCourse(a.courseSlug)!;
		const required = requiredQuizzes(a.courseSlug);
		const passed = passes.filter((p) => p.userId === a.userId && p.courseSlug === a.courseSlug).map((p) => p.quizId);
		const mine = facts.filter((f) => f.userId === a.userId);
		return { ...a, complete: courseProgress(course, mine, { required, passed }).complete };
	});
	const due = dueCourseReminders(assignments, sent, now);
	if (due.length === 0) return { notices: 0, messages: 0 };
	const [people, timeZone] = await Promise.all([recipientsOf(db, [...new Set(due.map((a) => a.userId))]), organisationTimeZone(db)]);
	const report: ScanReport = { notices: 0, messages: 0 };
	for (const assignment of due) {
		const person = people.get(assignment.userId)?.technician;
		if (!person) continue;
		const course = findCourse(assignment.courseSlug)!;
		const text = courseDueText({
			locale: person.locale,
			recipientName: person.displayName,
			courseTitle: course.title[person.locale] ?? course.title[course.locales[0]!] ?? course.slug,
			courseSlug: course.slug,
			dueAt: assignment.dueAt,
			origin: options.origin,
			timeZone
		});
		const written = await db.transaction(async (tx) => {
			const claimed = await tx
				.insert(courseDueNotice)
				.values({ assignmentId: assignment.id, dueAt: assignment.dueAt, sentAt: now })
				.onConflictDoNothing()
				.returning({ assignmentId: courseDueNotice.assignmentId });
			if (claimed.length === 0) return false;
			await recordMessages(tx, [{ kind: 'course_due', toAddress: person.email, toUserId: person.id, subject: text.subject, body: text.body }], { smtp: options.smtp, now });
			return true;
		});
		if (!written) continue;
		report.notices++;
		report.messages++;
	}
	return report;
}

/** Both scans, one after the other. */
export async function sendDueReminders(db: Db, options: ScanOptions): Promise<ScanReport> {
	const certifications = await sendCertificationReminders(db, options);
	const courses = await sendCourseReminders(db, options);
	return { notices: certifications.notices + courses.notices, messages: certifications.messages + courses.messages };
}

import { organisationTimeZone } from '../organisation';
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { courseAssignment, lessonProgress, team, teamCourseAssignment, teamCourseExclusion, user } from '../db/schema';
import { ServiceError } from '../errors';
import { recordAudit } from '../audit';
import { m } from '../../paraglide/messages.js';
import { findCourse } from '../content';
import { recordMessages, type NewMessage } from '../notify/outbox';
import { courseAssignedText, courseUnassignedText, siteOrigin } from '../notify/texts';
import { completedColumn, isTechnician } from './queries';
import { planAssignment, planMembershipChange, type AssignmentPlan, type PlanPerson } from './assignment-plan';
import type { Locale } from '../../i18n/locales';

/** How messages to technicians are written: queued for SMTP when it is configured, links to `origin`. */
export interface NotifyOptions {
	smtp: boolean;
	origin: string;
	now?: Date;
}

/** The process's own mail settings, for callers that pass none (every membership change tells the person). */
export function defaultNotify(env: { SMTP_URL?: string; ORIGIN?: string } = process.env): NotifyOptions {
	return { smtp: Boolean(env.SMTP_URL?.trim()), origin: siteOrigin(env) };
}

export interface AssignInput {
	courseSlug: string;
	userIds: string[];
	teamId: string | null;
	dueAt: Date;
	actorId: string | null;
}

type Recipient = { id: string; email: string; displayName: string; locale: Locale };

function courseTitle(slug: string, locale: Locale) {
	const course = findCourse(slug);
	return course?.title[locale] ?? (course ? course.title[course.locales[0]!] : undefined) ?? slug;
}

/** One message per notice, each in the recipient's language. */
function noticeMessages(notices: Array<{ to: Recipient; courseSlug: string; kind: 'assigned' | 'redated' | 'removed'; dueAt: Date }>, origin: string, timeZone: string): NewMessage[] {
	return notices.map(({ to, courseSlug, kind, dueAt }) => {
		const base = { locale: to.locale, recipientName: to.displayName, courseTitle: courseTitle(courseSlug, to.locale), courseSlug, dueAt, origin };
		const text = kind === 'removed' ? courseUnassignedText(base) : courseAssignedText({ ...base, changed: kind === 'redated', timeZone });
		return { kind: kind === 'removed' ? ('course_unassigned' as const) : ('course_assigned' as const), toAddress: to.email, toUserId: to.id, subject: text.subject, body: text.body };
	});
}

/** Who of `userIds` has finished every current lesson of the course, in one query. */
async function finishedCourse(db: Executor, courseSlug: string, userIds: string[]): Promise<Set<string>> {
	const course = findCourse(courseSlug);
	if (!course || !userIds.length || !course.lessons.length) return new Set();
	const rows = await db
		.select({ userId: lessonProgress.userId })
		.from(lessonProgress)
		.where(
			and(
				eq(lessonProgress.courseSlug, courseSlug),
				inArray(lessonProgress.userId, userIds),
				inArray(lessonProgress.lessonSlug, course.lessons.map((l) => l.slug)),
				isNotNull(completedColumn())
			)
		)
		.groupBy(lessonProgress.userId)
		.having(sql`count(*) = ${course.lessons.length}`);
	return new Set(rows.map((r) => r.userId));
}

export interface PlannedAssignment {
	plan: AssignmentPlan;
	courseSlug: string;
	teamName: string | null;
	recipients: Map<string, Recipient>;
}

/**
 * Gathers the facts (team and its current assignment, members, chosen people, their rows and
 * completion) and plans the assignment; refuses what cannot be assigned. Writes nothing.
 */
export async function previewAssignment(db: Executor, input: AssignInput): Promise<PlannedAssignment> {
	let teamRow: { id: string; name: string; archivedAt: Date | null; dueAt: Date | null } | undefined;
	let members: Recipient[] = [];
	if (input.teamId) {
		[teamRow] = await db
			.select({ id: team.id, name: team.name, archivedAt: team.archivedAt, dueAt: teamCourseAssignment.dueAt })
			.from(team)
			.leftJoin(teamCourseAssignment, and(eq(teamCourseAssignment.teamId, team.id), eq(teamCourseAssignment.courseSlug, input.courseSlug)))
			.where(eq(team.id, input.teamId));
		if (!teamRow) throw new ServiceError(m.error_team_missing(), 'teamId');
		if (teamRow.archivedAt) throw new ServiceError(m.assign_team_archived({ name: teamRow.name }), 'teamId', 409);
		members = await db
			.select({ id: user.id, email: user.email, displayName: user.displayName, locale: user.locale })
			.from(user)
			.where(and(eq(user.teamId, input.teamId), eq(user.active, true), isTechnician))
			.orderBy(asc(user.displayName));
		if (!members.length && !input.userIds.length) throw new ServiceError(m.assign_team_no_technicians(), 'teamId');
	}
	const chosenIds = [...new Set(input.userIds)];
	if (!chosenIds.length && !members.length) throw new ServiceError(m.assign_choose_targets(), 'userIds');
	const chosen = chosenIds.length
		? await db
				.select({ id: user.id, email: user.email, displayName: user.displayName, locale: user.locale })
				.from(user)
				.where(and(inArray(user.id, chosenIds), eq(user.active, true), isTechnician))
				.orderBy(asc(user.displayName))
		: [];
	if (chosen.length !== chosenIds.length) throw new ServiceError(m.assign_not_technicians(), 'userIds');
	const everyone = [...new Set([...members, ...chosen].map((p) => p.id))];
	const [rows, finished, excluded] = await Promise.all([
		db
			.select({ userId: courseAssignment.userId, teamId: courseAssignment.teamId, dueAt: courseAssignment.dueAt })
			.from(courseAssignment)
			.where(and(eq(courseAssignment.courseSlug, input.courseSlug), inArray(courseAssignment.userId, everyone))),
		finishedCourse(db, input.courseSlug, everyone),
		// Removals that stick: the team's members passed by, and anyone chosen by name (theirs ends).
		db
			.select({ userId: teamCourseExclusion.userId })
			.from(teamCourseExclusion)
			.where(
				and(
					eq(teamCourseExclusion.courseSlug, input.courseSlug),
					or(
						teamRow ? eq(teamCourseExclusion.teamId, teamRow.id) : sql`false`,
						chosenIds.length ? inArray(teamCourseExclusion.userId, chosenIds) : sql`false`
					)
				)
			)
	]);
	const asPerson = (p: Recipient): PlanPerson => ({ id: p.id, displayName: p.displayName, completed: finished.has(p.id) });
	const plan = planAssignment({
		team: teamRow ? { id: teamRow.id, dueAt: teamRow.dueAt } : null,
		members: members.map(asPerson),
		individuals: chosen.map(asPerson),
		rows,
		excluded: excluded.map((e) => e.userId),
		dueAt: input.dueAt
	});
	return { plan, courseSlug: input.courseSlug, teamName: teamRow?.name ?? null, recipients: new Map([...members, ...chosen].map((p) => [p.id, p])) };
}

/**
 * Assigns a course with a due date to named technicians and/or a team, as planned by
 * planAssignment, in one transaction: the team's own assignment (which later members inherit),
 * one row per person, the audit event and the messages to everyone newly assigned or given
 * another date. Returns the plan that was carried out.
 */
export async function assignCourse(db: Executor, input: AssignInput, notify?: NotifyOptions): Promise<PlannedAssignment> {
	return db.transaction(async (tx) => {
		const planned = await previewAssignment(tx, input);
		const { plan } = planned;
		if (plan.team) {
			await tx
				.insert(teamCourseAssignment)
				.values({ teamId: plan.team.id, courseSlug: input.courseSlug, dueAt: input.dueAt, assignedBy: input.actorId })
				.onConflictDoUpdate({ target: [teamCourseAssignment.teamId, teamCourseAssignment.courseSlug], set: { dueAt: input.dueAt, assignedBy: input.actorId } });
		}
		if (plan.writes.length) {
			await tx
				.insert(courseAssignment)
				.values(plan.writes.map((w) => ({ courseSlug: input.courseSlug, userId: w.userId, teamId: w.teamId, dueAt: input.dueAt, assignedBy: input.actorId })))
				.onConflictDoUpdate({
					target: [courseAssignment.courseSlug, courseAssignment.userId],
					set: { dueAt: input.dueAt, teamId: sql`excluded.team_id`, assignedBy: input.actorId }
				});
		}
		if (plan.clears.length) {
			await tx.delete(teamCourseExclusion).where(and(eq(teamCourseExclusion.courseSlug, input.courseSlug), inArray(teamCourseExclusion.userId, plan.clears)));
		}
		const changed = plan.people.filter((p) => p.change.kind === 'new' || p.change.kind === 'move');
		await recordAudit(tx, {
			actorId: input.actorId,
			action: 'course.assigned',
			subjectType: 'course',
			subjectId: input.courseSlug,
			detail: {
				dueAt: input.dueAt.toISOString(),
				team: plan.team ? { id: plan.team.id, name: planned.teamName, from: plan.team.from?.toISOString() ?? null } : null,
				people: plan.people.map((p) => ({ userId: p.userId, via: p.via, change: p.change.kind, ...(p.change.kind === 'move' ? { from: p.change.from.toISOString() } : {}), ...(p.change.kind === 'keep' ? { kept: p.change.due.toISOString(), why: p.change.why } : {}) })),
				...(plan.excluded.length ? { passedBy: plan.excluded.map((p) => p.userId) } : {}),
				...(plan.clears.length ? { removalsEnded: plan.clears } : {})
			}
		});
		if (notify) {
			const notices = changed.map((p) => ({ to: planned.recipients.get(p.userId)!, courseSlug: input.courseSlug, kind: p.change.kind === 'new' ? ('assigned' as const) : ('redated' as const), dueAt: input.dueAt }));
			await recordMessages(tx, noticeMessages(notices, notify.origin, await organisationTimeZone(tx)), { smtp: notify.smtp, now: notify.now ?? new Date() });
		}
		return planned;
	});
}

/**
 * Makes a person's assignments follow a change of team (see planMembershipChange), inside the
 * caller's transaction. Audited, and the person is told what changed.
 */
export async function followTeamChange(
	tx: Executor,
	input: { userId: string; from: string | null; to: string | null; actorId: string | null },
	notify: NotifyOptions
) {
	if (input.from === input.to) return;
	await followTeam(tx, { ...input, reason: 'team' }, notify);
}

/**
 * A person who becomes an active technician again (reactivated, or given the role) is given their
 * team's courses as on joining it, except those removed for them; inside the caller's transaction.
 */
export async function followRegainedEligibility(tx: Executor, input: { userId: string; actorId: string | null }, notify: NotifyOptions) {
	const [person] = await tx.select({ teamId: user.teamId }).from(user).where(eq(user.id, input.userId));
	if (!person?.teamId) return;
	await followTeam(tx, { userId: input.userId, from: null, to: person.teamId, actorId: input.actorId, reason: 'eligible' }, notify);
}

/**
 * One read of the person, their rows, the courses of the team joined and those removed for them
 * in it; then one delete, one upsert and one delete of the removals forgotten, whatever the number
 * of courses.
 */
async function followTeam(
	tx: Executor,
	input: { userId: string; from: string | null; to: string | null; actorId: string | null; reason: 'team' | 'eligible' },
	notify: NotifyOptions
) {
	const [[person], rows, toCourses, excluded] = await Promise.all([
		tx
			.select({ id: user.id, email: user.email, displayName: user.displayName, locale: user.locale, active: user.active, technician: sql<boolean>`${isTechnician}` })
			.from(user)
			.where(eq(user.id, input.userId)),
		tx
			.select({ userId: courseAssignment.userId, courseSlug: courseAssignment.courseSlug, teamId: courseAssignment.teamId, dueAt: courseAssignment.dueAt })
			.from(courseAssignment)
			.where(eq(courseAssignment.userId, input.userId)),
		input.to
			? tx.select({ courseSlug: teamCourseAssignment.courseSlug, dueAt: teamCourseAssignment.dueAt }).from(teamCourseAssignment).where(eq(teamCourseAssignment.teamId, input.to))
			: Promise.resolve([]),
		input.to
			? tx
					.select({ courseSlug: teamCourseExclusion.courseSlug })
					.from(teamCourseExclusion)
					.where(and(eq(teamCourseExclusion.userId, input.userId), eq(teamCourseExclusion.teamId, input.to)))
			: Promise.resolve([])
	]);
	if (!person) return;
	const change = planMembershipChange({
		rows,
		from: input.from,
		to: input.to,
		toCourses,
		assignable: person.active && Boolean(person.technician),
		excluded: excluded.map((e) => e.courseSlug)
	});
	if (change.remove.length) {
		await tx
			.delete(courseAssignment)
			.where(and(eq(courseAssignment.userId, input.userId), inArray(courseAssignment.courseSlug, change.remove)));
	}
	if (change.write.length) {
		await tx
			.insert(courseAssignment)
			.values(change.write.map((w) => ({ courseSlug: w.courseSlug, userId: input.userId, teamId: input.to, dueAt: w.dueAt, assignedBy: input.actorId })))
			.onConflictDoUpdate({ target: [courseAssignment.courseSlug, courseAssignment.userId], set: { dueAt: sql`excluded.due_at`, teamId: sql`excluded.team_id` } });
	}
	const forgotten = change.forgetExclusionsOf
		? await tx
				.delete(teamCourseExclusion)
				.where(and(eq(teamCourseExclusion.userId, input.userId), eq(teamCourseExclusion.teamId, change.forgetExclusionsOf)))
				.returning({ courseSlug: teamCourseExclusion.courseSlug })
		: [];
	if (!change.notices.length && !forgotten.length) return;
	await recordAudit(tx, {
		actorId: input.actorId,
		action: 'course.assignments_followed_team',
		subjectType: 'user',
		subjectId: input.userId,
		detail: {
			from: input.from,
			to: input.to,
			...(input.reason === 'eligible' ? { reason: 'eligible' } : {}),
			changes: change.notices.map((n) => ({ course: n.courseSlug, change: n.kind, dueAt: n.dueAt.toISOString() })),
			...(forgotten.length ? { removalsEnded: forgotten.map((f) => f.courseSlug) } : {})
		}
	});
	if (!change.notices.length) return;
	const to: Recipient = person;
	await recordMessages(tx, noticeMessages(change.notices.map((n) => ({ ...n, to })), notify.origin, await organisationTimeZone(tx)), { smtp: notify.smtp, now: notify.now ?? new Date() });
}

/** A course's team assignments, with how many people hold it from each team now. */
export async function teamAssignmentsOf(db: Executor, courseSlug: string) {
	return db
		.select({
			teamId: team.id,
			teamName: team.name,
			archived: sql<boolean>`${team.archivedAt} is not null`,
			dueAt: teamCourseAssignment.dueAt,
			people: sql<number>`(select count(*)::int from course_assignment ca where ca.team_id = ${teamCourseAssignment.teamId} and ca.course_slug = ${teamCourseAssignment.courseSlug})`
		})
		.from(teamCourseAssignment)
		.innerJoin(team, eq(team.id, teamCourseAssignment.teamId))
		.where(eq(teamCourseAssignment.courseSlug, courseSlug))
		.orderBy(asc(team.name));
}

/**
 * Removes a team's assignment of a course: the team's own row, and the rows its members hold from
 * it (a date changed for one of them included), and its removals for single members. Rows given by
 * name stay; progress is kept.
 */
export async function removeTeamAssignment(db: Executor, input: { courseSlug: string; teamId: string; actorId: string | null }, notify?: NotifyOptions) {
	return db.transaction(async (tx) => {
		// Deleted first, to be audited: the team's row going would take them along (cascade).
		const removals = await tx
			.delete(teamCourseExclusion)
			.where(and(eq(teamCourseExclusion.teamId, input.teamId), eq(teamCourseExclusion.courseSlug, input.courseSlug)))
			.returning({ userId: teamCourseExclusion.userId });
		const [removedTeam] = await tx
			.delete(teamCourseAssignment)
			.where(and(eq(teamCourseAssignment.teamId, input.teamId), eq(teamCourseAssignment.courseSlug, input.courseSlug)))
			.returning({ dueAt: teamCourseAssignment.dueAt });
		if (!removedTeam) throw new ServiceError(m.assign_team_not_assigned(), 'teamId', 404);
		const removed = await tx
			.delete(courseAssignment)
			.where(and(eq(courseAssignment.teamId, input.teamId), eq(courseAssignment.courseSlug, input.courseSlug)))
			.returning({ userId: courseAssignment.userId, dueAt: courseAssignment.dueAt });
		await recordAudit(tx, {
			actorId: input.actorId,
			action: 'course.assignment_removed',
			subjectType: 'course',
			subjectId: input.courseSlug,
			detail: { teamId: input.teamId, dueAt: removedTeam.dueAt.toISOString(), people: removed.map((r) => r.userId), ...(removals.length ? { removalsEnded: removals.map((r) => r.userId) } : {}) }
		});
		if (notify && removed.length) await tellRemoved(tx, input.courseSlug, removed, notify);
		const [named] = await tx.select({ name: team.name }).from(team).where(eq(team.id, input.teamId));
		return { people: removed.length, teamName: named?.name ?? '' };
	});
}

async function tellRemoved(tx: Executor, courseSlug: string, removed: Array<{ userId: string; dueAt: Date }>, notify: NotifyOptions) {
	const people = await tx
		.select({ id: user.id, email: user.email, displayName: user.displayName, locale: user.locale })
		.from(user)
		.where(inArray(user.id, removed.map((r) => r.userId)));
	const due = new Map(removed.map((r) => [r.userId, r.dueAt]));
	const notices = people.map((to) => ({ to, courseSlug, kind: 'removed' as const, dueAt: due.get(to.id)! }));
	await recordMessages(tx, noticeMessages(notices, notify.origin, await organisationTimeZone(tx)), { smtp: notify.smtp, now: notify.now ?? new Date() });
}

/**
 * Removes one person's assignment of a course, whether it came from a team or was given by name.
 * If their team assigns the course, the removal is recorded so that it sticks: assigning the course
 * to the team again passes them by (see planAssignment) until it is given to them by name or they
 * leave the team.
 */
export async function removePersonAssignment(db: Executor, input: { courseSlug: string; userId: string; actorId: string | null }, notify?: NotifyOptions) {
	return db.transaction(async (tx) => {
		const [removed] = await tx
			.delete(courseAssignment)
			.where(and(eq(courseAssignment.userId, input.userId), eq(courseAssignment.courseSlug, input.courseSlug)))
			.returning({ userId: courseAssignment.userId, dueAt: courseAssignment.dueAt, teamId: courseAssignment.teamId });
		if (!removed) throw new ServiceError(m.assign_person_not_assigned(), 'userId', 404);
		const [kept] = await tx
			.insert(teamCourseExclusion)
			.select(
				tx
					.select({ teamId: teamCourseAssignment.teamId, courseSlug: teamCourseAssignment.courseSlug, userId: user.id, removedBy: sql<string | null>`${input.actorId}::uuid`.as('removed_by'), removedAt: sql<Date>`now()`.as('removed_at') })
					.from(user)
					.innerJoin(teamCourseAssignment, and(eq(teamCourseAssignment.teamId, user.teamId), eq(teamCourseAssignment.courseSlug, input.courseSlug)))
					.where(eq(user.id, input.userId))
			)
			.onConflictDoNothing()
			.returning({ teamId: teamCourseExclusion.teamId });
		await recordAudit(tx, {
			actorId: input.actorId,
			action: 'course.assignment_removed',
			subjectType: 'course',
			subjectId: input.courseSlug,
			detail: { userId: input.userId, teamId: removed.teamId, dueAt: removed.dueAt.toISOString(), ...(kept ? { staysRemovedIn: kept.teamId } : {}) }
		});
		if (notify) await tellRemoved(tx, input.courseSlug, [removed], notify);
		const [person] = await tx.select({ name: user.displayName }).from(user).where(eq(user.id, input.userId));
		return { name: person?.name ?? '' };
	});
}

/**
 * Changes one person's due date, on their row only. A row from a team stays the team's (it goes
 * when they leave), and keeps this date when the team's date changes later (see planAssignment).
 */
export async function redatePersonAssignment(db: Executor, input: { courseSlug: string; userId: string; dueAt: Date; actorId: string | null }, notify?: NotifyOptions) {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({ id: courseAssignment.id, dueAt: courseAssignment.dueAt, name: user.displayName, email: user.email, locale: user.locale })
			.from(courseAssignment)
			.innerJoin(user, eq(user.id, courseAssignment.userId))
			.where(and(eq(courseAssignment.userId, input.userId), eq(courseAssignment.courseSlug, input.courseSlug)))
			.for('update', { of: courseAssignment });
		if (!row) throw new ServiceError(m.assign_person_not_assigned(), 'userId', 404);
		if (row.dueAt.getTime() === input.dueAt.getTime()) return { changed: false, name: row.name };
		await tx.update(courseAssignment).set({ dueAt: input.dueAt, assignedBy: input.actorId }).where(eq(courseAssignment.id, row.id));
		await recordAudit(tx, {
			actorId: input.actorId,
			action: 'course.assignment_redated',
			subjectType: 'course',
			subjectId: input.courseSlug,
			detail: { userId: input.userId, from: row.dueAt.toISOString(), to: input.dueAt.toISOString() }
		});
		if (notify) {
			const to: Recipient = { id: input.userId, email: row.email, displayName: row.name, locale: row.locale };
			await recordMessages(tx, noticeMessages([{ to, courseSlug: input.courseSlug, kind: 'redated', dueAt: input.dueAt }], notify.origin, await organisationTimeZone(tx)), { smtp: notify.smtp, now: notify.now ?? new Date() });
		}
		return { changed: true, name: row.name };
	});
}

/** Teams a course can be assigned to (not archived), with their active members, in one query. */
export async function assignableTeams(db: Executor) {
	return db
		.select({
			id: team.id,
			name: team.name,
			members: sql<number>`(select count(*)::int from "user" u where u.team_id = "team"."id" and u.active)`
		})
		.from(team)
		.where(isNull(team.archivedAt))
		.orderBy(asc(team.name));
}

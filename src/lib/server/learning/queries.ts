import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/types';
import { courseAssignment, lessonProgress, team, user } from '../db/schema';
import { ServiceError } from '../errors';
import { m } from '../../paraglide/messages.js';
import type { ContentLocale, CourseEntry } from '$lib/content/schema';
import type { ProgressFact } from './progress';
import { findCourse, listCourses } from '../content';
import { recordMessages } from '../notify/outbox';
import { courseAssignedText } from '../notify/texts';
import { organisationTimeZone } from '../organisation';
import type { Locale } from '../../i18n/locales';

export async function progressOf(db: Executor, userId: string): Promise<ProgressFact[]> {
	return db
		.select({
			courseSlug: lessonProgress.courseSlug,
			lessonSlug: lessonProgress.lessonSlug,
			openedAt: lessonProgress.openedAt,
			completedAt: completedColumn()
		})
		.from(lessonProgress)
		.where(eq(lessonProgress.userId, userId));
}

/**
 * A lesson's completion, as it counts now: a material change to a course (see the content store)
 * asks its readers to complete it again, so a completion recorded on an older version is none.
 */
export function completedColumn() {
	const relearn = listCourses().filter((c) => c.relearnVersion);
	if (!relearn.length) return lessonProgress.completedAt;
	const cases = sql.join(
		relearn.map((c) => sql`when ${c.slug} then ${c.relearnVersion!}::int`),
		sql` `
	);
	return sql<Date | null>`case when ${lessonProgress.contentVersion} >= (case ${lessonProgress.courseSlug} ${cases} else 0 end) then ${lessonProgress.completedAt} end`.mapWith(lessonProgress.completedAt);
}

interface LessonRef {
	userId: string;
	course: CourseEntry;
	lessonSlug: string;
	locale: ContentLocale;
}

/** Remembers the lesson as the last one opened (for "continue where you left off"). */
export async function recordOpened(db: Executor, ref: LessonRef, now = new Date()) {
	await db
		.insert(lessonProgress)
		.values({ userId: ref.userId, courseSlug: ref.course.slug, lessonSlug: ref.lessonSlug, locale: ref.locale, contentVersion: ref.course.version, openedAt: now })
		.onConflictDoUpdate({
			target: [lessonProgress.userId, lessonProgress.courseSlug, lessonProgress.lessonSlug],
			set: { openedAt: now }
		});
}

/** Marks a lesson done, with the language and course version read; a second "done" keeps the first date. */
export async function recordCompleted(db: Executor, ref: LessonRef, now = new Date()) {
	await db
		.insert(lessonProgress)
		.values({
			userId: ref.userId,
			courseSlug: ref.course.slug,
			lessonSlug: ref.lessonSlug,
			locale: ref.locale,
			contentVersion: ref.course.version,
			openedAt: now,
			completedAt: now
		})
		.onConflictDoUpdate({
			target: [lessonProgress.userId, lessonProgress.courseSlug, lessonProgress.lessonSlug],
			set: {
				// Kept when already done on this version's requirements; a completion from before a material change is replaced.
				completedAt: sql`case when ${lessonProgress.contentVersion} >= ${ref.course.relearnVersion ?? 0}::int then coalesce(${lessonProgress.completedAt}, ${now.toISOString()}::timestamptz) else ${now.toISOString()}::timestamptz end`,
				locale: ref.locale,
				contentVersion: ref.course.version
			}
		});
}

export async function assignmentsOf(db: Executor, userId: string) {
	return db
		.select({ courseSlug: courseAssignment.courseSlug, dueAt: courseAssignment.dueAt, createdAt: courseAssignment.createdAt })
		.from(courseAssignment)
		.where(eq(courseAssignment.userId, userId))
		.orderBy(asc(courseAssignment.dueAt));
}

/** Written with explicit names: drizzle leaves columns unqualified in single-table queries. */
const isTechnician = sql`exists (select 1 from "user_role" ur where ur.user_id = "user"."id" and ur.role = 'technician')`;

/** Active technicians, optionally of one team: the people a course can be assigned to. */
export async function assignableTechnicians(db: Executor) {
	return db
		.select({ id: user.id, displayName: user.displayName, email: user.email, teamId: user.teamId, teamName: team.name })
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(and(eq(user.active, true), isTechnician))
		.orderBy(asc(team.name), asc(user.displayName));
}

/**
 * Assigns a course with a due date to named technicians or to every active technician of a team.
 * Assigning again changes the due date. Returns how many people it covers.
 */
export async function assignCourse(
	db: Executor,
	input: { courseSlug: string; userIds: string[]; teamId: string | null; dueAt: Date; actorId: string | null },
	/** Writes a message to each person newly assigned or given another date (the outbox; queued with SMTP). */
	notify?: { smtp: boolean; origin: string; now?: Date }
): Promise<number> {
	const targets = new Set(input.userIds);
	if (input.teamId) {
		const [exists] = await db.select({ id: team.id }).from(team).where(eq(team.id, input.teamId));
		if (!exists) throw new ServiceError(m.error_team_missing(), 'teamId');
		const members = await db
			.select({ id: user.id })
			.from(user)
			.where(and(eq(user.teamId, input.teamId), eq(user.active, true), isTechnician));
		for (const m of members) targets.add(m.id);
		if (!members.length && !input.userIds.length) throw new ServiceError(m.assign_team_no_technicians(), 'teamId');
	}
	if (!targets.size) throw new ServiceError(m.assign_choose_targets(), 'userIds');
	const valid = await db
		.select({ id: user.id, email: user.email, displayName: user.displayName, locale: user.locale })
		.from(user)
		.where(and(inArray(user.id, [...targets]), eq(user.active, true), isTechnician));
	if (valid.length !== targets.size) throw new ServiceError(m.assign_not_technicians(), 'userIds');
	const before = notify
		? new Map(
				(
					await db
						.select({ userId: courseAssignment.userId, dueAt: courseAssignment.dueAt })
						.from(courseAssignment)
						.where(and(eq(courseAssignment.courseSlug, input.courseSlug), inArray(courseAssignment.userId, [...targets])))
				).map((a) => [a.userId, a.dueAt.getTime()])
			)
		: new Map<string, number>();
	await db
		.insert(courseAssignment)
		.values(
			[...targets].map((userId) => ({
				courseSlug: input.courseSlug,
				userId,
				teamId: input.teamId,
				dueAt: input.dueAt,
				assignedBy: input.actorId
			}))
		)
		.onConflictDoUpdate({
			target: [courseAssignment.courseSlug, courseAssignment.userId],
			set: { dueAt: input.dueAt, assignedBy: input.actorId }
		});
	if (notify) {
		const course = findCourse(input.courseSlug);
		const timeZone = await organisationTimeZone(db);
		const messages = valid
			.filter((p) => before.get(p.id) !== input.dueAt.getTime())
			.map((p) => {
				const locale: Locale = p.locale;
				const text = courseAssignedText({
					locale,
					recipientName: p.displayName,
					courseTitle: course?.title[locale] ?? course?.title[course.locales[0]!] ?? input.courseSlug,
					courseSlug: input.courseSlug,
					dueAt: input.dueAt,
					origin: notify.origin,
					changed: before.has(p.id),
					timeZone
				});
				return { kind: 'course_assigned' as const, toAddress: p.email, toUserId: p.id, subject: text.subject, body: text.body };
			});
		await recordMessages(db, messages, { smtp: notify.smtp, now: notify.now ?? new Date() });
	}
	return targets.size;
}

export interface ReportRow {
	userId: string;
	displayName: string;
	email: string;
	teamName: string | null;
	dueAt: Date;
	done: number;
	lastOpenedAt: Date | null;
	completedAt: Date | null;
}

/**
 * Everyone assigned a course with how many of its current lessons each has finished, in one query.
 */
export async function courseReport(db: Executor, course: CourseEntry): Promise<ReportRow[]> {
	const slugs = course.lessons.map((l) => l.slug);
	const doneFilter = and(isNotNull(completedColumn()), inArray(lessonProgress.lessonSlug, slugs));
	const rows = await db
		.select({
			userId: user.id,
			displayName: user.displayName,
			email: user.email,
			teamName: team.name,
			dueAt: courseAssignment.dueAt,
			done: sql<number>`count(${lessonProgress.lessonSlug}) filter (where ${doneFilter})::int`,
			lastOpenedAt: sql<Date | null>`max(${lessonProgress.openedAt})`,
			lastCompletedAt: sql<Date | null>`max(${lessonProgress.completedAt}) filter (where ${doneFilter})`
		})
		.from(courseAssignment)
		.innerJoin(user, eq(user.id, courseAssignment.userId))
		.leftJoin(team, eq(team.id, user.teamId))
		.leftJoin(lessonProgress, and(eq(lessonProgress.userId, user.id), eq(lessonProgress.courseSlug, course.slug)))
		.where(eq(courseAssignment.courseSlug, course.slug))
		.groupBy(user.id, team.name, courseAssignment.dueAt)
		.orderBy(asc(team.name), asc(user.displayName));
	return rows.map(({ lastCompletedAt, lastOpenedAt, ...r }) => ({
		...r,
		lastOpenedAt: lastOpenedAt ? new Date(lastOpenedAt) : null,
		completedAt: r.done === slugs.length && lastCompletedAt ? new Date(lastCompletedAt) : null
	}));
}

/** Per course: how many are assigned and how many have finished, over all courses in one query. */
export async function assignmentOverview(db: Executor, courses: CourseEntry[]) {
	const rows = await db
		.select({
			courseSlug: courseAssignment.courseSlug,
			userId: courseAssignment.userId,
			done: sql<string[] | null>`array_agg(${lessonProgress.lessonSlug}) filter (where ${lessonProgress.completedAt} is not null)`
		})
		.from(courseAssignment)
		.leftJoin(
			lessonProgress,
			and(eq(lessonProgress.userId, courseAssignment.userId), eq(lessonProgress.courseSlug, courseAssignment.courseSlug))
		)
		.groupBy(courseAssignment.courseSlug, courseAssignment.userId);
	return courses.map((course) => {
		const mine = rows.filter((r) => r.courseSlug === course.slug);
		const finished = mine.filter((r) => course.lessons.every((l) => (r.done ?? []).includes(l.slug))).length;
		return { slug: course.slug, assigned: mine.length, finished };
	});
}

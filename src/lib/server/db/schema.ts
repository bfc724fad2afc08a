import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { ROLES } from '../auth/roles';
import { LOCALES } from '../../i18n/locales';

export const role = pgEnum('role', ROLES);

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const team = pgTable('team', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull().unique(),
	region: text().notNull(),
	createdAt: createdAt()
});

export const user = pgTable(
	'user',
	{
		id: uuid().primaryKey().defaultRandom(),
		/** Always stored lower-case, so lookups and uniqueness ignore case. */
		email: text().notNull().unique(),
		displayName: text().notNull(),
		locale: text({ enum: LOCALES }).notNull().default('en'),
		teamId: uuid().references(() => team.id, { onDelete: 'set null' }),
		active: boolean().notNull().default(true),
		/** Null until an invited user has chosen a password. */
		passwordHash: text(),
		createdAt: createdAt()
	},
	(t) => [
		index('user_team_idx').on(t.teamId),
		check('user_email_lower', sql`${t.email} = lower(${t.email})`)
	]
);

export const userRole = pgTable(
	'user_role',
	{
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: role().notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.role] }), index('user_role_role_idx').on(t.role)]
);

/** A manager may lead several teams, and a team may have more than one manager. */
export const teamManager = pgTable(
	'team_manager',
	{
		teamId: uuid()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_manager_user_idx').on(t.userId)]
);

/** Lucia's session design: the id is the hex SHA-256 of the token the browser holds. */
export const session = pgTable(
	'session',
	{
		id: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('session_user_idx').on(t.userId), index('session_expires_idx').on(t.expiresAt)]
);

/** Failed-login counters, keyed `account:<email>` or `address:<ip>`, shared by every app process. */
export const loginAttempt = pgTable('login_attempt', {
	key: text().primaryKey(),
	failures: integer().notNull().default(0),
	windowStart: timestamp({ withTimezone: true }).notNull(),
	lockedUntil: timestamp({ withTimezone: true })
});

export const invitation = pgTable(
	'invitation',
	{
		id: uuid().primaryKey().defaultRandom(),
		/** Hex SHA-256 of the one-time token in the link; the token itself is never stored. */
		tokenHash: text().notNull().unique(),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		invitedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		acceptedAt: timestamp({ withTimezone: true })
	},
	(t) => [index('invitation_user_idx').on(t.userId)]
);

/** Append-only: a trigger in the migrations refuses UPDATE, DELETE and TRUNCATE. */
export const auditEvent = pgTable(
	'audit_event',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		at: createdAt(),
		/** Null when the system or the command line acted. */
		actorId: uuid().references(() => user.id),
		action: text().notNull(),
		subjectType: text().notNull(),
		subjectId: text().notNull(),
		detail: jsonb().$type<Record<string, unknown>>().notNull().default({})
	},
	(t) => [
		index('audit_event_subject_idx').on(t.subjectType, t.subjectId, t.at),
		index('audit_event_at_idx').on(t.at),
		index('audit_event_actor_idx').on(t.actorId)
	]
);

export type Team = typeof team.$inferSelect;
export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
export type Invitation = typeof invitation.$inferSelect;
export type AuditEvent = typeof auditEvent.$inferSelect;

/** One row per user and lesson: opened (for "continue where you left off") and, once read to the end, completed. */
export const lessonProgress = pgTable(
	'lesson_progress',
	{
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		courseSlug: text().notNull(),
		lessonSlug: text().notNull(),
		/** The language the lesson was read in, and the course version it was read at. */
		locale: text({ enum: LOCALES }).notNull(),
		contentVersion: integer().notNull(),
		openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		completedAt: timestamp({ withTimezone: true })
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.courseSlug, t.lessonSlug] }),
		index('lesson_progress_course_idx').on(t.courseSlug, t.userId)
	]
);

/** A course assigned to a technician with a due date; assigning to a team adds one row per member. */
export const courseAssignment = pgTable(
	'course_assignment',
	{
		id: uuid().primaryKey().defaultRandom(),
		courseSlug: text().notNull(),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** Set when the assignment came from assigning a whole team. */
		teamId: uuid().references(() => team.id, { onDelete: 'set null' }),
		dueAt: timestamp({ withTimezone: true }).notNull(),
		assignedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('course_assignment_course_user_idx').on(t.courseSlug, t.userId),
		index('course_assignment_user_idx').on(t.userId, t.dueAt)
	]
);

export type LessonProgress = typeof lessonProgress.$inferSelect;
export type CourseAssignment = typeof courseAssignment.$inferSelect;

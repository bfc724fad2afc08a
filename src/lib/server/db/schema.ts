import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	customType,
	foreignKey,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	real,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { ROLES } from '../auth/roles';
import { LOCALES } from '../../i18n/locales';

export const role = pgEnum('role', ROLES);

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

/**
 * The organisation: one row (id 1). Its time zone makes due and expiry dates calendar dates,
 * and is the local time of every team without its own zone.
 */
export const organisation = pgTable(
	'organisation',
	{
		id: integer().primaryKey().default(1),
		name: text().notNull().default('ServiceReady'),
		/** An IANA zone name, e.g. Asia/Shanghai. */
		timeZone: text().notNull().default('Asia/Shanghai')
	},
	(t) => [check('organisation_single_row', sql`${t.id} = 1`)]
);

export const team = pgTable('team', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull().unique(),
	region: text().notNull(),
	/** The team's local time (IANA name); null: the organisation's. Jobs are entered and shown in it. */
	timeZone: text(),
	/** An archived team takes no new members, jobs or assignments; its history stays. */
	archivedAt: timestamp({ withTimezone: true }),
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
		/** The zone the person chose to see times in (IANA name); null: their team's, else the organisation's. */
		timeZone: text(),
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

export type Organisation = typeof organisation.$inferSelect;
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

/**
 * A course assigned to a whole team: it reaches everyone who is or later becomes a member (one
 * course_assignment row each, with this due date) and stops for those who leave.
 */
export const teamCourseAssignment = pgTable(
	'team_course_assignment',
	{
		teamId: uuid()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		courseSlug: text().notNull(),
		dueAt: timestamp({ withTimezone: true }).notNull(),
		assignedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.courseSlug] }), index('team_course_assignment_course_idx').on(t.courseSlug)]
);

/**
 * A team's course removed for one member who stays in the team: assigning the course to the team
 * again (another date) passes them by. It ends when the course is assigned to them by name, when
 * they leave the team, or with the team's assignment itself.
 */
export const teamCourseExclusion = pgTable(
	'team_course_exclusion',
	{
		teamId: uuid().notNull(),
		courseSlug: text().notNull(),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		removedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		removedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.teamId, t.courseSlug, t.userId] }),
		foreignKey({ name: 'team_course_exclusion_assignment_fk', columns: [t.teamId, t.courseSlug], foreignColumns: [teamCourseAssignment.teamId, teamCourseAssignment.courseSlug] }).onDelete('cascade'),
		index('team_course_exclusion_user_idx').on(t.userId, t.courseSlug)
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
		index('course_assignment_user_idx').on(t.userId, t.dueAt),
		index('course_assignment_team_idx').on(t.teamId, t.courseSlug)
	]
);

export type LessonProgress = typeof lessonProgress.$inferSelect;
export type CourseAssignment = typeof courseAssignment.$inferSelect;
export type TeamCourseAssignment = typeof teamCourseAssignment.$inferSelect;
export type TeamCourseExclusion = typeof teamCourseExclusion.$inferSelect;

/**
 * One attempt at a quiz or exam. `questions` is the snapshot served (with keys, for grading on
 * the server): editing the content never changes a running or finished attempt.
 */
export const quizAttempt = pgTable(
	'quiz_attempt',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		courseSlug: text().notNull(),
		quizId: text().notNull(),
		number: integer().notNull(),
		locale: text({ enum: LOCALES }).notNull(),
		kind: text({ enum: ['practice', 'exam'] }).notNull(),
		passMark: real().notNull(),
		review: text({ enum: ['explanations', 'score'] }).notNull(),
		shuffleOptions: boolean().notNull(),
		/** Random, server-only: drives the draw and the shuffles, so it never appears in a URL. */
		seed: text().notNull(),
		/** The quiz title as served, so history reads right even after the content changes. */
		title: jsonb().$type<Record<string, string>>().notNull(),
		questions: jsonb().$type<unknown[]>().notNull(),
		/** The course version the attempt was served from: item statistics are per version. */
		contentVersion: integer(),
		startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/** The server's deadline; null when untimed. */
		deadlineAt: timestamp({ withTimezone: true }),
		submittedAt: timestamp({ withTimezone: true }),
		autoSubmitted: boolean().notNull().default(false),
		score: real(),
		maxScore: real(),
		percent: real(),
		passed: boolean(),
		byTag: jsonb().$type<Record<string, { score: number; max: number }>>()
	},
	(t) => [
		index('quiz_attempt_user_idx').on(t.userId, t.courseSlug, t.quizId, t.number),
		index('quiz_attempt_quiz_idx').on(t.courseSlug, t.quizId, t.submittedAt),
		index('quiz_attempt_deadline_idx').on(t.deadlineAt).where(sql`${t.submittedAt} is null and ${t.deadlineAt} is not null`),
		// One open attempt per person and quiz, even with two tabs or two app processes.
		uniqueIndex('quiz_attempt_open_idx').on(t.userId, t.courseSlug, t.quizId).where(sql`${t.submittedAt} is null`),
		uniqueIndex('quiz_attempt_number_idx').on(t.userId, t.courseSlug, t.quizId, t.number)
	]
);

/** The answer to one question, saved the moment it is given. */
export const quizAnswer = pgTable(
	'quiz_answer',
	{
		attemptId: uuid()
			.notNull()
			.references(() => quizAttempt.id, { onDelete: 'cascade' }),
		questionId: text().notNull(),
		response: jsonb().notNull(),
		savedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.questionId] })]
);

/** Per question score of a graded attempt, for item analysis. */
export const quizItemResult = pgTable(
	'quiz_item_result',
	{
		attemptId: uuid()
			.notNull()
			.references(() => quizAttempt.id, { onDelete: 'cascade' }),
		questionId: text().notNull(),
		score: real().notNull(),
		max: real().notNull()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.questionId] })]
);

/** One play of a role-play scenario: the path taken and the scores, kept on the server. */
export const scenarioRun = pgTable(
	'scenario_run',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		courseSlug: text().notNull(),
		scenarioId: text().notNull(),
		locale: text({ enum: LOCALES }).notNull(),
		nodeId: text().notNull(),
		/** The course version the run started on: the run is played and debriefed on that version. */
		contentVersion: integer(),
		path: jsonb().$type<Array<{ nodeId: string; choiceId: string }>>().notNull().default([]),
		scores: jsonb().$type<Record<string, number>>().notNull(),
		outcome: text({ enum: ['resolved', 'escalated', 'lost'] }),
		percent: real(),
		passed: boolean(),
		startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		finishedAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('scenario_run_user_idx').on(t.userId, t.courseSlug, t.scenarioId, t.startedAt),
		index('scenario_run_scenario_idx').on(t.courseSlug, t.scenarioId),
		// At most one unfinished run per person and scenario, whatever number of starts race.
		uniqueIndex('scenario_run_open_idx').on(t.userId, t.courseSlug, t.scenarioId).where(sql`${t.finishedAt} is null`)
	]
);

export type QuizAttempt = typeof quizAttempt.$inferSelect;
export type ScenarioRun = typeof scenarioRun.$inferSelect;

/**
 * One cycle of a certification held by a technician. Nothing is deleted: a renewal or an upgrade
 * adds a cycle linked to the previous one; a revocation sets revoked_at with a reason.
 */
export const certificationHolding = pgTable(
	'certification_holding',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		certificationId: text().notNull(),
		level: integer().notNull(),
		grantedAt: timestamp({ withTimezone: true }).notNull(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		revokedAt: timestamp({ withTimezone: true }),
		revokeReason: text(),
		renewedFromId: uuid(),
		/** Who revoked it (null when not revoked, or revoked from the command line). */
		revokedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		/** Null when granted automatically; else the trainer who granted it. */
		grantedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		/** What met the requirements: attempts, runs and completions, with when. */
		evidence: jsonb().$type<unknown[]>().notNull().default([]),
		/** Public code of the certificate's verification page. */
		verifyCode: text().notNull().unique(),
		/**
		 * A material change to a course this certification requires: from this instant the cycle is
		 * renewal-due, its expiry is moved to the renew-by date (the earlier expiry is kept in
		 * `expiresBeforeChange`, so a renewal still extends from it), and `relearn` lists the courses
		 * to complete again.
		 */
		renewalDueFrom: timestamp({ withTimezone: true }),
		expiresBeforeChange: timestamp({ withTimezone: true }),
		relearn: jsonb().$type<string[]>().notNull().default([]),
		createdAt: createdAt()
	},
	(t) => [
		index('certification_holding_user_idx').on(t.userId, t.certificationId, t.grantedAt),
		index('certification_holding_cert_idx').on(t.certificationId, t.expiresAt),
		/** Eligibility lookups: the cycles of one certification a technician holds, not revoked. */
		index('certification_holding_valid_idx')
			.on(t.certificationId, t.userId, t.expiresAt, t.level, t.grantedAt)
			.where(sql`${t.revokedAt} is null`)
	]
);

export type CertificationHolding = typeof certificationHolding.$inferSelect;

/** A kind of job a manager dispatches (e.g. "RO purifier installation") and what it needs. */
export const jobType = pgTable('job_type', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull().unique(),
	productLine: text().notNull(),
	createdBy: uuid().references(() => user.id, { onDelete: 'set null' }),
	createdAt: createdAt(),
	/** Archived types keep their jobs but take no new ones. */
	archivedAt: timestamp({ withTimezone: true })
});

/** One certification a job type requires, at a minimum level. */
export const jobTypeRequirement = pgTable(
	'job_type_requirement',
	{
		jobTypeId: uuid()
			.notNull()
			.references(() => jobType.id, { onDelete: 'cascade' }),
		certificationId: text().notNull(),
		minLevel: integer().notNull().default(1)
	},
	(t) => [
		primaryKey({ columns: [t.jobTypeId, t.certificationId] }),
		check('job_type_requirement_level', sql`${t.minLevel} between 1 and 3`)
	]
);

/** A job at a customer's site, dispatched from a team and assigned to one technician. */
export const job = pgTable(
	'job',
	{
		id: uuid().primaryKey().defaultRandom(),
		jobTypeId: uuid()
			.notNull()
			.references(() => jobType.id),
		teamId: uuid()
			.notNull()
			.references(() => team.id),
		siteLabel: text().notNull(),
		scheduledAt: timestamp({ withTimezone: true }).notNull(),
		durationMinutes: integer().notNull(),
		assigneeId: uuid().references(() => user.id, { onDelete: 'set null' }),
		assignedAt: timestamp({ withTimezone: true }),
		assignedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		/** Set when the assignee was not eligible and the manager overrode with a written reason. */
		overrideReason: text(),
		/** Null when created through the API. */
		createdBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		/** Name of the API token that created it, if any. */
		createdByToken: text(),
		/** A cancelled job keeps its row and history; it has no assignee and is not dispatched. */
		cancelledAt: timestamp({ withTimezone: true }),
		cancelledBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		cancelReason: text(),
		createdAt: createdAt()
	},
	(t) => [
		index('job_team_idx').on(t.teamId, t.scheduledAt),
		index('job_assignee_idx').on(t.assigneeId, t.scheduledAt),
		index('job_type_idx').on(t.jobTypeId),
		check('job_duration', sql`${t.durationMinutes} between 1 and 1440`),
		check('job_cancelled', sql`${t.cancelledAt} is null or (${t.cancelReason} is not null and ${t.assigneeId} is null)`)
	]
);

export const API_SCOPES = ['eligibility:read', 'jobs:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Bearer tokens for dispatch systems: only the SHA-256 of the token is kept. */
export const apiToken = pgTable(
	'api_token',
	{
		id: uuid().primaryKey().defaultRandom(),
		name: text().notNull().unique(),
		tokenHash: text().notNull().unique(),
		scopes: text().array().$type<ApiScope[]>().notNull(),
		createdBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		lastUsedAt: timestamp({ withTimezone: true }),
		revokedAt: timestamp({ withTimezone: true }),
		revokedBy: uuid().references(() => user.id, { onDelete: 'set null' })
	}
);

/** E-mails not sent over SMTP (none configured) or kept as a record of what was sent. */
export const outboxMessage = pgTable(
	'outbox_message',
	{
		id: uuid().primaryKey().defaultRandom(),
		kind: text().notNull(),
		toAddress: text().notNull(),
		toUserId: uuid().references(() => user.id, { onDelete: 'set null' }),
		subject: text().notNull(),
		body: text().notNull(),
		createdAt: createdAt(),
		/** When SMTP accepted it; null while only in the outbox. */
		sentAt: timestamp({ withTimezone: true }),
		/** The last SMTP failure, kept after a later success is recorded in sent_at. */
		error: text(),
		/** SMTP attempts so far. */
		attempts: integer().notNull().default(0),
		/** When the sender tries SMTP next; null when not queued (no SMTP configured, sent, or given up). */
		nextAttemptAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('outbox_message_created_idx').on(t.createdAt),
		index('outbox_message_user_idx').on(t.toUserId),
		index('outbox_message_kind_idx').on(t.kind, t.createdAt),
		index('outbox_message_send_idx').on(t.nextAttemptAt).where(sql`${t.sentAt} is null and ${t.nextAttemptAt} is not null`)
	]
);

/** Which reminder or lifecycle notice went out for which cycle, so each goes out once. */
export const holdingNotice = pgTable(
	'holding_notice',
	{
		holdingId: uuid()
			.notNull()
			.references(() => certificationHolding.id, { onDelete: 'cascade' }),
		kind: text().notNull(),
		sentAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.holdingId, t.kind] })]
);

/** The reminder sent for a course assignment before its due date; a new due date may get its own. */
export const courseDueNotice = pgTable(
	'course_due_notice',
	{
		assignmentId: uuid()
			.notNull()
			.references(() => courseAssignment.id, { onDelete: 'cascade' }),
		dueAt: timestamp({ withTimezone: true }).notNull(),
		sentAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.assignmentId, t.dueAt] })]
);

/** An HTTP endpoint of a dispatch system that wants certification events. */
export const webhook = pgTable('webhook', {
	id: uuid().primaryKey().defaultRandom(),
	url: text().notNull(),
	/** Shared secret for the HMAC-SHA256 signature. */
	secret: text().notNull(),
	events: text().array().notNull(),
	active: boolean().notNull().default(true),
	createdBy: uuid().references(() => user.id, { onDelete: 'set null' }),
	createdAt: createdAt()
});

/** One event to one webhook, with every attempt's outcome. */
export const webhookDelivery = pgTable(
	'webhook_delivery',
	{
		id: uuid().primaryKey().defaultRandom(),
		webhookId: uuid()
			.notNull()
			.references(() => webhook.id, { onDelete: 'cascade' }),
		event: text().notNull(),
		payload: jsonb().$type<Record<string, unknown>>().notNull(),
		status: text({ enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
		attempts: integer().notNull().default(0),
		lastStatusCode: integer(),
		lastError: text(),
		nextAttemptAt: timestamp({ withTimezone: true }),
		deliveredAt: timestamp({ withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('webhook_delivery_webhook_idx').on(t.webhookId, t.createdAt), index('webhook_delivery_status_idx').on(t.status, t.nextAttemptAt)]
);

export type JobType = typeof jobType.$inferSelect;
export type Job = typeof job.$inferSelect;
export type ApiToken = typeof apiToken.$inferSelect;
export type Webhook = typeof webhook.$inferSelect;
export type WebhookDelivery = typeof webhookDelivery.$inferSelect;
export type OutboxMessage = typeof outboxMessage.$inferSelect;

/**
 * Published content: one immutable row per version of a package (a course with its lessons,
 * quizzes and scenarios, or one certification). `files` are the package's files in the content/
 * format, by path (`courses/01-home-visit/course.md`); `rendered` its lessons printed as HTML at
 * publish time, by path. What is served is the newest version of each package.
 */
export const contentVersion = pgTable(
	'content_version',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		kind: text({ enum: ['course', 'certification'] }).notNull(),
		key: text().notNull(),
		version: integer().notNull(),
		files: jsonb().$type<Record<string, string>>().notNull(),
		rendered: jsonb().$type<Record<string, string>>().notNull().default({}),
		note: text().notNull().default(''),
		authorId: uuid().references(() => user.id, { onDelete: 'set null' }),
		/** A material change: holders of certifications that depend on the course must renew by this date. */
		renewBy: timestamp({ withTimezone: true }),
		/** The version this one restores, when it is a restore. */
		restoredFrom: integer(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('content_version_key_idx').on(t.kind, t.key, t.version)]
);

/**
 * The studio's working copy of a package: one row per file. `revision` grows with each save, so
 * two trainers editing the same file cannot overwrite each other silently; `baseVersion` is the
 * published version the draft started from. A draft holds every file of the package.
 */
export const contentDraft = pgTable(
	'content_draft',
	{
		kind: text({ enum: ['course', 'certification'] }).notNull(),
		key: text().notNull(),
		path: text().notNull(),
		text: text().notNull(),
		revision: integer().notNull().default(1),
		baseVersion: integer(),
		updatedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.kind, t.key, t.path] })]
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** Uploaded pictures, by the SHA-256 of their bytes; served at /media/<sha256>.<ext>, immutable. */
export const contentPicture = pgTable('content_picture', {
	sha256: text().primaryKey(),
	type: text({ enum: ['image/png', 'image/jpeg', 'image/webp'] }).notNull(),
	bytes: bytea().notNull(),
	width: integer().notNull(),
	height: integer().notNull(),
	name: text().notNull(),
	uploadedBy: uuid().references(() => user.id, { onDelete: 'set null' }),
	createdAt: createdAt()
});

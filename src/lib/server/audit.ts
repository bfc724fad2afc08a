import type { Executor } from './db/types';
import { and, desc, eq, lt, sql, type Column, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { apiToken, auditEvent, certificationHolding, job, jobType, team, user, webhook } from './db/schema';
import { findCertification } from './certification/catalog';

export type AuditAction =
	| 'user.created'
	| 'user.invited'
	| 'user.invitation_accepted'
	| 'user.roles_changed'
	| 'user.deactivated'
	| 'user.reactivated'
	| 'user.team_changed'
	| 'user.password_changed'
	| 'user.password_reset'
	| 'team.created'
	| 'team.changed'
	| 'team.archived'
	| 'team.unarchived'
	| 'team.manager_linked'
	| 'team.manager_unlinked'
	| 'certification.granted'
	| 'certification.renewed'
	| 'certification.upgraded'
	| 'certification.granted_by_hand'
	| 'certification.revoked'
	| 'job_type.created'
	| 'job_type.changed'
	| 'job_type.archived'
	| 'job.created'
	| 'job.assigned'
	| 'job.assigned_override'
	| 'job.unassigned'
	| 'job.changed'
	| 'job.changed_override'
	| 'job.cancelled'
	| 'api_token.created'
	| 'api_token.revoked'
	| 'api.call'
	| 'webhook.created'
	| 'webhook.changed'
	| 'webhook.deleted'
	| 'content.published'
	| 'content.restored'
	| 'content.material_change'
	| 'course.assigned'
	| 'course.assignment_redated'
	| 'course.assignment_removed'
	| 'course.assignments_followed_team'
	| 'organisation.time_zone_changed'
	| 'user.time_zone_changed';

export interface AuditInput {
	actorId: string | null;
	action: AuditAction;
	subjectType: 'user' | 'team' | 'certification' | 'job_type' | 'job' | 'api_token' | 'webhook' | 'course' | 'certification_definition' | 'organisation';
	subjectId: string;
	detail?: Record<string, unknown>;
}

/** Appends to the audit log; the database refuses to change or delete what is written. */
export async function recordAudit(db: Executor, input: AuditInput): Promise<void> {
	await db.insert(auditEvent).values({ ...input, detail: input.detail ?? {} });
}

/** Whom an entry is about, named for people: a person, team, job type, token or webhook by name; a job by site and time; a certification by its title and holder. */
export type AuditSubject =
	| { kind: 'name'; name: string }
	| { kind: 'job'; site: string; at: Date }
	| { kind: 'certification'; title: string; level: number; holder: string };

export interface AuditRow {
	id: number;
	at: Date;
	action: string;
	subjectType: string;
	subjectId: string;
	detail: Record<string, unknown>;
	actorName: string | null;
	/** Null when the subject is gone or has no name (the id is shown then). */
	subject: AuditSubject | null;
	/** A team move (`user.team_changed`): the teams left and joined by name (the id if gone; null: no team). Null for other entries. */
	teams: { from: string | null; to: string | null } | null;
}

const TEAM_MOVE: AuditAction = 'user.team_changed';

/** The team a move's detail names (`before` or `after`), joined on its primary key for moves only. */
const movedTeamIs = (side: 'before' | 'after', id: Column) =>
	sql`(case when ${auditEvent.action} = ${TEAM_MOVE} then (${auditEvent.detail} ->> ${side})::uuid end) = ${id}`;

/**
 * Joins the subject's own row only for entries of its type. The id is cast inside the CASE, so
 * only ids of that type (all uuids) are cast, and the lookup uses the table's primary key.
 */
const subjectIs = (type: AuditInput['subjectType'], id: SQL | Column) =>
	sql`(case when ${auditEvent.subjectType} = ${type} then ${auditEvent.subjectId}::uuid end) = ${id}`;

/**
 * Entries newest first, with the actor, the subject and a team move's two teams named in the same
 * query (one left join per kind of subject, each on a primary key); `before` pages backwards, `subject` keeps one subject's
 * history. Certification titles come from the published content, in `locale`.
 */
export async function listAudit(
	db: Executor,
	options: { limit?: number; before?: number; action?: string; subject?: { type: string; id: string }; locale?: string } = {}
): Promise<AuditRow[]> {
	const actor = alias(user, 'actor');
	const subjectUser = alias(user, 'subject');
	const holder = alias(user, 'holder');
	const fromTeam = alias(team, 'from_team');
	const toTeam = alias(team, 'to_team');
	const conditions = [];
	if (options.before) conditions.push(lt(auditEvent.id, options.before));
	if (options.action) conditions.push(eq(auditEvent.action, options.action));
	if (options.subject) conditions.push(eq(auditEvent.subjectType, options.subject.type), eq(auditEvent.subjectId, options.subject.id));
	const rows = await db
		.select({
			id: auditEvent.id,
			at: auditEvent.at,
			action: auditEvent.action,
			subjectType: auditEvent.subjectType,
			subjectId: auditEvent.subjectId,
			detail: auditEvent.detail,
			actorName: actor.displayName,
			name: sql<string | null>`coalesce(${subjectUser.displayName}, ${team.name}, ${jobType.name}, ${apiToken.name}, ${webhook.url})`,
			jobSite: job.siteLabel,
			jobAt: job.scheduledAt,
			certificationId: certificationHolding.certificationId,
			certificationLevel: certificationHolding.level,
			holderName: holder.displayName,
			fromTeamName: fromTeam.name,
			toTeamName: toTeam.name
		})
		.from(auditEvent)
		.leftJoin(actor, eq(actor.id, auditEvent.actorId))
		.leftJoin(subjectUser, subjectIs('user', subjectUser.id))
		.leftJoin(team, subjectIs('team', team.id))
		.leftJoin(jobType, subjectIs('job_type', jobType.id))
		.leftJoin(apiToken, subjectIs('api_token', apiToken.id))
		.leftJoin(webhook, subjectIs('webhook', webhook.id))
		.leftJoin(job, subjectIs('job', job.id))
		.leftJoin(certificationHolding, subjectIs('certification', certificationHolding.id))
		.leftJoin(holder, eq(holder.id, certificationHolding.userId))
		.leftJoin(fromTeam, movedTeamIs('before', fromTeam.id))
		.leftJoin(toTeam, movedTeamIs('after', toTeam.id))
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(desc(auditEvent.id))
		.limit(options.limit ?? 50);
	return rows.map(({ name, jobSite, jobAt, certificationId, certificationLevel, holderName, fromTeamName, toTeamName, ...row }) => {
		let subject: AuditSubject | null = null;
		if (jobSite !== null && jobAt !== null) subject = { kind: 'job', site: jobSite, at: jobAt };
		else if (certificationId !== null && certificationLevel !== null) {
			const title = findCertification(certificationId)?.title;
			subject = {
				kind: 'certification',
				title: (title && (title[options.locale ?? 'en'] ?? title.en)) ?? certificationId,
				level: certificationLevel,
				holder: holderName ?? ''
			};
		} else if (name !== null) subject = { kind: 'name', name };
		const teams = row.action === TEAM_MOVE ? { from: fromTeamName ?? idOrNull(row.detail.before), to: toTeamName ?? idOrNull(row.detail.after) } : null;
		return { ...row, subject, teams };
	});
}

const idOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/** The history of one subject, newest first. */
export async function auditOf(db: Executor, subjectType: string, subjectId: string, limit = 50, locale?: string) {
	return listAudit(db, { subject: { type: subjectType, id: subjectId }, limit, locale });
}

import type { Executor } from './db/types';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { auditEvent, user } from './db/schema';

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
	| 'api_token.created'
	| 'api_token.revoked'
	| 'api.call'
	| 'webhook.created'
	| 'webhook.changed'
	| 'webhook.deleted'
	| 'content.published'
	| 'content.restored'
	| 'content.material_change'
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

export interface AuditRow {
	id: number;
	at: Date;
	action: string;
	subjectType: string;
	subjectId: string;
	detail: Record<string, unknown>;
	actorName: string | null;
	subjectName: string | null;
}

/** Newest first, with actor and subject names joined in the same query; `before` pages backwards. */
export async function listAudit(
	db: Executor,
	options: { limit?: number; before?: number; action?: string } = {}
): Promise<AuditRow[]> {
	const actor = alias(user, 'actor');
	const subject = alias(user, 'subject');
	const conditions = [];
	if (options.before) conditions.push(lt(auditEvent.id, options.before));
	if (options.action) conditions.push(eq(auditEvent.action, options.action));
	return db
		.select({
			id: auditEvent.id,
			at: auditEvent.at,
			action: auditEvent.action,
			subjectType: auditEvent.subjectType,
			subjectId: auditEvent.subjectId,
			detail: auditEvent.detail,
			actorName: actor.displayName,
			subjectName: subject.displayName
		})
		.from(auditEvent)
		.leftJoin(actor, eq(actor.id, auditEvent.actorId))
		.leftJoin(subject, and(eq(auditEvent.subjectType, 'user'), eq(sql`${subject.id}::text`, auditEvent.subjectId)))
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(desc(auditEvent.id))
		.limit(options.limit ?? 50);
}

/** The history of one subject, newest first. */
export async function auditOf(db: Executor, subjectType: string, subjectId: string, limit = 50) {
	const actor = alias(user, 'actor');
	return db
		.select({
			id: auditEvent.id,
			at: auditEvent.at,
			action: auditEvent.action,
			subjectType: auditEvent.subjectType,
			subjectId: auditEvent.subjectId,
			detail: auditEvent.detail,
			actorName: actor.displayName,
			subjectName: sql<string | null>`null`
		})
		.from(auditEvent)
		.leftJoin(actor, eq(actor.id, auditEvent.actorId))
		.where(and(eq(auditEvent.subjectType, subjectType), eq(auditEvent.subjectId, subjectId)))
		.orderBy(desc(auditEvent.id))
		.limit(limit);
}

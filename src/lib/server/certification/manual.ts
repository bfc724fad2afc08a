import { and, asc, desc, eq, ilike, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import type { Executor } from '../db/types';
import { certificationHolding, team, user } from '../db/schema';
import { recordAudit } from '../audit';
import { publishCertificationEvent } from '../notify/events';
import { SWEEPS, wakeSweep } from '../notify/jobs';
import { generateToken } from '../auth/session';
import { ServiceError } from '../errors';
import { organisationTimeZone } from '../organisation';
import { calendarDay } from '../../zoned-time';
import { m } from '../../paraglide/messages.js';
import { findCertification } from './catalog';
import { asHolding, holdingColumns } from './queries';
import { EVIDENCE_TEXT_MAX, REVOKE_REASON_MAX, currentStanding, decideManualGrant, decideManualRevoke, textProblem, type CurrentStatus } from './manual-rules';
import type { CertificationDefinition, Holding } from './types';

/*
 * A trainer grants and revokes certifications by hand. Each change is one transaction: the cycle
 * written (a grant adds one; a revocation marks cycles, never deletes), the audit rows, and the
 * webhook deliveries of the event — so an event goes out if and only if the change was committed.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A calendar day in the organisation's zone, as every expiry date is shown. */
const day = (date: Date, zone: string) => calendarDay(date, zone);

/** An active user holding the technician role (`user` rows qualified by name: the subquery is correlated). */
const isTechnician = sql`exists (select 1 from "user_role" ur where ur.user_id = "user"."id" and ur.role = 'technician')`;


/**
 * Locks the technician's row for the rest of the transaction, so that two trainers acting on one
 * technician at once are served one after the other; refuses anyone but an active technician.
 */
async function lockTechnician(tx: Executor, technicianId: string) {
	if (!UUID.test(technicianId)) throw new ServiceError(m.trainer_cert_not_technician(), null, 404);
	const [row] = await tx
		.select({ id: user.id, displayName: user.displayName })
		.from(user)
		.where(and(eq(user.id, technicianId), eq(user.active, true), isTechnician))
		.for('update');
	if (!row) throw new ServiceError(m.trainer_cert_not_technician(), null, 404);
	return row;
}

export interface ManualGrant {
	technicianId: string;
	certificationId: string;
	level: number;
	/** What the technician showed, where and who saw it (required, at most 2000 characters). */
	evidence: string;
	/** The trainer. */
	actorId: string;
}

/**
 * Grants a certification by hand: a fresh cycle when none is valid, or an upgrade over a valid lower
 * level (see `decideManualGrant`). Audited as `certification.granted_by_hand`, published as
 * `certification.granted` with action `manual`. Refusals change nothing.
 */
export async function grantByHand(db: Db, input: ManualGrant, now = new Date()) {
	if (input.actorId === input.technicianId) throw new ServiceError(m.trainer_cert_not_yourself(), null, 403);
	const def = findCertification(input.certificationId);
	if (!def) throw new ServiceError(m.trainer_cert_unknown_certification(), 'certification');
	const problem = textProblem(input.evidence, EVIDENCE_TEXT_MAX);
	if (problem === 'required') throw new ServiceError(m.form_required({ label: m.trainer_cert_evidence_label() }), 'evidence');
	if (problem === 'too-long') throw new ServiceError(m.form_too_long({ label: m.trainer_cert_evidence_label(), max: EVIDENCE_TEXT_MAX }), 'evidence');
	const evidence = input.evidence.trim();

	const done = await db.transaction(async (tx) => {
		const technician = await lockTechnician(tx, input.technicianId);
		const rows = await tx
			.select()
			.from(certificationHolding)
			.where(and(eq(certificationHolding.userId, input.technicianId), eq(certificationHolding.certificationId, def.id)));
		const decision = decideManualGrant(def, rows.map(asHolding), input.level, now);
		if (decision.action === 'refuse') {
			const zone = await organisationTimeZone(tx);
			switch (decision.code) {
				case 'level-out-of-range':
					throw new ServiceError(decision.levels === 1 ? m.trainer_cert_level_single() : m.trainer_cert_level_range({ levels: decision.levels }), 'level');
				case 'already-held':
					throw new ServiceError(m.trainer_cert_already_held({ level: decision.level, expires: day(decision.expiresAt, zone) }), 'level');
				case 'scheduled':
					throw new ServiceError(m.trainer_cert_scheduled({ date: day(decision.from, zone) }), 'certification');
			}
		}
		const proof = [{ kind: 'note', text: evidence, at: now.toISOString() }];
		const [created] = await tx
			.insert(certificationHolding)
			.values({
				userId: input.technicianId,
				certificationId: def.id,
				level: decision.level,
				grantedAt: decision.grantedAt,
				expiresAt: decision.expiresAt,
				renewedFromId: decision.renewedFromId,
				grantedBy: input.actorId,
				evidence: proof,
				verifyCode: generateToken().slice(0, 16)
			})
			.returning({ id: certificationHolding.id, verifyCode: certificationHolding.verifyCode });
		await recordAudit(tx, {
			actorId: input.actorId,
			action: 'certification.granted_by_hand',
			subjectType: 'certification',
			subjectId: created!.id,
			detail: {
				technicianId: input.technicianId,
				certificationId: def.id,
				level: decision.level,
				evidence,
				kind: decision.action,
				renewedFromId: decision.renewedFromId,
				expiresAt: decision.expiresAt.toISOString()
			}
		});
		await publishCertificationEvent(
			tx,
			'certification.granted',
			{
				holdingId: created!.id,
				technicianId: input.technicianId,
				certificationId: def.id,
				level: decision.level,
				grantedAt: decision.grantedAt.toISOString(),
				expiresAt: decision.expiresAt.toISOString(),
				action: 'manual'
			},
			now
		);
		return {
			holdingId: created!.id,
			verifyCode: created!.verifyCode,
			action: decision.action,
			certificationId: def.id,
			level: decision.level,
			expiresAt: decision.expiresAt,
			technicianName: technician.displayName
		};
	});
	await wakeSweep(SWEEPS.webhooks);
	return done;
}

export interface ManualRevoke {
	technicianId: string;
	/** The cycle the trainer chose; every other cycle of the certification still valid is revoked with it. */
	holdingId: string;
	/** Required, at most 500 characters; kept in the history, never shown publicly. */
	reason: string;
	actorId: string;
}

/**
 * Revokes a certification by hand (see `decideManualRevoke`): marks the cycles revoked with the
 * reason and the trainer, one audit row (`certification.revoked`) and one `certification.revoked`
 * event per cycle. Refusals change nothing.
 */
export async function revokeByHand(db: Db, input: ManualRevoke, now = new Date()) {
	if (input.actorId === input.technicianId) throw new ServiceError(m.trainer_cert_not_yourself(), null, 403);
	if (!UUID.test(input.holdingId)) throw new ServiceError(m.trainer_cert_cycle_not_found(), null, 404);
	const problem = textProblem(input.reason, REVOKE_REASON_MAX);
	if (problem === 'required') throw new ServiceError(m.form_required({ label: m.trainer_cert_reason_label() }), 'reason');
	if (problem === 'too-long') throw new ServiceError(m.form_too_long({ label: m.trainer_cert_reason_label(), max: REVOKE_REASON_MAX }), 'reason');

	const done = await db.transaction(async (tx) => {
		const technician = await lockTechnician(tx, input.technicianId);
		const [target] = await tx
			.select({ certificationId: certificationHolding.certificationId })
			.from(certificationHolding)
			.where(and(eq(certificationHolding.id, input.holdingId), eq(certificationHolding.userId, input.technicianId)));
		if (!target) throw new ServiceError(m.trainer_cert_cycle_not_found(), null, 404);
		const rows = await tx
			.select()
			.from(certificationHolding)
			.where(and(eq(certificationHolding.userId, input.technicianId), eq(certificationHolding.certificationId, target.certificationId)));
		// A certification whose content was removed can still be revoked; it has no renewal window then.
		const def = findCertification(target.certificationId) ?? { renewalWindowDays: 0 };
		const decision = decideManualRevoke(def, rows.map(asHolding), input.holdingId, input.reason, now);
		if (decision.action === 'refuse') {
			const zone = await organisationTimeZone(tx);
			switch (decision.code) {
				case 'not-found':
					throw new ServiceError(m.trainer_cert_cycle_not_found(), null, 404);
				case 'already-revoked':
					throw new ServiceError(m.trainer_cert_already_revoked(), 'reason');
				case 'expired':
					throw new ServiceError(m.trainer_cert_expired(), 'reason');
				case 'not-yet-valid':
					throw new ServiceError(m.trainer_cert_not_started(), 'reason');
				case 'reason-required':
					throw new ServiceError(m.form_required({ label: m.trainer_cert_reason_label() }), 'reason');
				case 'reason-too-long':
					throw new ServiceError(m.form_too_long({ label: m.trainer_cert_reason_label(), max: REVOKE_REASON_MAX }), 'reason');
			}
		}
		for (const id of decision.holdingIds) {
			const row = rows.find((r) => r.id === id)!;
			await tx
				.update(certificationHolding)
				.set({ revokedAt: decision.revokedAt, revokeReason: decision.reason, revokedBy: input.actorId })
				.where(and(eq(certificationHolding.id, id), sql`${certificationHolding.revokedAt} is null`));
			await recordAudit(tx, {
				actorId: input.actorId,
				action: 'certification.revoked',
				subjectType: 'certification',
				subjectId: id,
				detail: {
					technicianId: input.technicianId,
					certificationId: row.certificationId,
					level: row.level,
					reason: decision.reason,
					requestedFor: input.holdingId
				}
			});
			await publishCertificationEvent(
				tx,
				'certification.revoked',
				{
					holdingId: id,
					technicianId: input.technicianId,
					certificationId: row.certificationId,
					level: row.level,
					grantedAt: row.grantedAt.toISOString(),
					expiresAt: row.expiresAt.toISOString(),
					revokedAt: decision.revokedAt.toISOString(),
					reason: decision.reason
				},
				now
			);
		}
		return { certificationId: target.certificationId, revoked: decision.holdingIds, revokedAt: decision.revokedAt, technicianName: technician.displayName };
	});
	await wakeSweep(SWEEPS.webhooks);
	return done;
}

export interface TechnicianStanding {
	id: string;
	displayName: string;
	email: string;
	teamName: string | null;
	/** Certification id → where it stands now (`none` when never held). */
	standings: Record<string, CurrentStatus>;
}

/** Escapes LIKE's wildcards, so a search for `50%` finds the text `50%`. */
const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/**
 * Active technicians (optionally whose name or email contains `q`) with their team and every
 * cycle they hold, in one query; each certification's standing is worked out from those cycles.
 */
export async function listTechnicianStandings(
	db: Executor,
	definitions: readonly CertificationDefinition[],
	filter: { q?: string; limit?: number } = {},
	now = new Date()
): Promise<TechnicianStanding[]> {
	const conditions = [eq(user.active, true), isTechnician];
	if (filter.q) conditions.push(or(ilike(user.email, likeText(filter.q)), ilike(user.displayName, likeText(filter.q)))!);
	const rows = await db
		.select({
			id: user.id,
			displayName: user.displayName,
			email: user.email,
			teamName: team.name,
			cycles: sql<Array<Record<string, string | number | null>>>`coalesce((
				select json_agg(json_build_object(
					'id', h.id, 'certificationId', h.certification_id, 'level', h.level, 'grantedAt', h.granted_at,
					'expiresAt', h.expires_at, 'revokedAt', h.revoked_at, 'renewedFromId', h.renewed_from_id, 'renewalDueFrom', h.renewal_due_from))
				from "certification_holding" h where h.user_id = "user"."id"), '[]'::json)`
		})
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(and(...conditions))
		.orderBy(asc(user.displayName), asc(user.email))
		.limit(filter.limit ?? 500);
	return rows.map((row) => {
		const holdings: Holding[] = row.cycles.map((c) => ({
			id: String(c.id),
			certificationId: String(c.certificationId),
			level: Number(c.level),
			grantedAt: new Date(String(c.grantedAt)),
			expiresAt: new Date(String(c.expiresAt)),
			revokedAt: c.revokedAt === null ? null : new Date(String(c.revokedAt)),
			revokeReason: null,
			renewedFromId: c.renewedFromId === null ? null : String(c.renewedFromId),
			renewalDueFrom: c.renewalDueFrom === null || c.renewalDueFrom === undefined ? null : new Date(String(c.renewalDueFrom))
		}));
		const standings: Record<string, CurrentStatus> = {};
		for (const def of definitions) standings[def.id] = currentStanding(def, holdings, now);
		return { id: row.id, displayName: row.displayName, email: row.email, teamName: row.teamName, standings };
	});
}

/** One active technician with their team, or null (unknown id, not a technician, deactivated). */
export async function findTechnician(db: Executor, technicianId: string) {
	if (!UUID.test(technicianId)) return null;
	const [row] = await db
		.select({ id: user.id, displayName: user.displayName, email: user.email, teamName: team.name })
		.from(user)
		.leftJoin(team, eq(team.id, user.teamId))
		.where(and(eq(user.id, technicianId), eq(user.active, true), isTechnician));
	return row ?? null;
}

/** Every cycle of every certification of one technician, newest first, with who granted and who revoked each. */
export async function cyclesOf(db: Executor, technicianId: string) {
	const granter = alias(user, 'granter');
	const revoker = alias(user, 'revoker');
	return db
		.select({
			...holdingColumns,
			evidence: certificationHolding.evidence,
			verifyCode: certificationHolding.verifyCode,
			grantedBy: certificationHolding.grantedBy,
			grantedByName: granter.displayName,
			revokedBy: certificationHolding.revokedBy,
			revokedByName: revoker.displayName
		})
		.from(certificationHolding)
		.leftJoin(granter, eq(granter.id, certificationHolding.grantedBy))
		.leftJoin(revoker, eq(revoker.id, certificationHolding.revokedBy))
		.where(eq(certificationHolding.userId, technicianId))
		.orderBy(desc(certificationHolding.grantedAt), desc(certificationHolding.createdAt));
}

export type CycleRow = Awaited<ReturnType<typeof cyclesOf>>[number];

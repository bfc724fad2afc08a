import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq, gte, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import type { Executor } from '../db/types';
import { job, jobType, jobTypeRequirement, team, user } from '../db/schema';
import { recordAudit } from '../audit';
import { organisationTimeZone, teamZoneSql } from '../organisation';
import { listCertifications } from '../certification/catalog';
import { formatReason, type Reason } from '../certification/eligibility';
import { eligibilityOf, findJobType, isUuid, listTechnicians } from './queries';
import { jobEnd, overrideReason, teamsBlockingJobTypeChange, validateJobType, type JobTypeDraft } from './rules';
import type { DispatchActor, DispatchRefusal, JobEdit, JobInput, JobTypeView, TechnicianEligibility } from './types';

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: DispatchRefusal };

const refuse = <T>(refusal: DispatchRefusal): Outcome<T> => ({ ok: false, refusal });

/** Certification titles in English, for reasons written to the audit log and the API. */
export function englishTitles(): Record<string, string> {
	return Object.fromEntries(listCertifications().map((c) => [c.id, c.title.en ?? c.id]));
}

/**
 * Reasons as data plus the English sentence (dates as days in the organisation's zone), as stored
 * in the audit log and sent by the API.
 */
export function describeReasons(reasons: Reason[], organisationTimeZone: string) {
	const titles = englishTitles();
	return reasons.map((r) => ({ ...r, message: formatReason(r, titles, 'en', organisationTimeZone) }));
}

function actorFields(actor: DispatchActor) {
	return actor.kind === 'user' ? { actorId: actor.userId, token: undefined } : { actorId: null, token: actor.tokenName };
}

function mayUseTeam(actor: DispatchActor, teamId: string | null): boolean {
	if (actor.kind === 'token' || actor.teamIds === 'all') return true;
	return teamId !== null && actor.teamIds.includes(teamId);
}

// ---------------------------------------------------------------- job types

export async function createJobType(db: Db, actorId: string, draft: JobTypeDraft): Promise<Outcome<{ id: string }> | { ok: false; problems: Record<string, string> }> {
	const problems = validateJobType(draft, listCertifications());
	if (Object.keys(problems).length) return { ok: false, problems };
	const name = draft.name.trim();
	const productLine = draft.productLine.trim();
	return db.transaction(async (tx) => {
		const [created] = await tx.insert(jobType).values({ name, productLine, createdBy: actorId }).onConflictDoNothing().returning({ id: jobType.id });
		if (!created) return { ok: false as const, problems: { name: 'taken' } };
		if (draft.requirements.length) await tx.insert(jobTypeRequirement).values(draft.requirements.map((r) => ({ jobTypeId: created.id, ...r })));
		await recordAudit(tx, { actorId, action: 'job_type.created', subjectType: 'job_type', subjectId: created.id, detail: { name, productLine, requirements: draft.requirements } });
		return { ok: true as const, value: created };
	});
}

/** The teams whose jobs use a job type, by name: one query over the job index. */
export async function teamsUsingJobType(db: Executor, id: string): Promise<Array<{ id: string; name: string }>> {
	return db
		.selectDistinct({ id: team.id, name: team.name })
		.from(job)
		.innerJoin(team, eq(team.id, job.teamId))
		.where(eq(job.jobTypeId, id))
		.orderBy(asc(team.name));
}

/** The refusal when `scope` does not cover every team that uses the job type; null when allowed. */
async function changeRefusal(db: Executor, id: string, scope: string[] | 'all'): Promise<DispatchRefusal | null> {
	const blocking = teamsBlockingJobTypeChange(scope, await teamsUsingJobType(db, id));
	return blocking.length ? { code: 'job-type-foreign-teams', message: `Jobs of teams you do not lead use this job type: ${blocking.join(', ')}.`, teams: blocking } : null;
}

export async function updateJobType(
	db: Db,
	actorId: string,
	id: string,
	draft: JobTypeDraft,
	scope: string[] | 'all' = 'all'
): Promise<Outcome<{ id: string }> | { ok: false; problems: Record<string, string> }> {
	const before = await findJobType(db, id);
	if (!before) return refuse({ code: 'unknown-job-type', message: 'No such job type.' });
	const refusal = await changeRefusal(db, id, scope);
	if (refusal) return refuse(refusal);
	const problems = validateJobType(draft, listCertifications());
	if (Object.keys(problems).length) return { ok: false, problems };
	const name = draft.name.trim();
	const productLine = draft.productLine.trim();
	return db.transaction(async (tx) => {
		const [clash] = await tx.select({ id: jobType.id }).from(jobType).where(eq(jobType.name, name));
		if (clash && clash.id !== id) return { ok: false as const, problems: { name: 'taken' } };
		await tx.update(jobType).set({ name, productLine }).where(eq(jobType.id, id));
		await tx.delete(jobTypeRequirement).where(eq(jobTypeRequirement.jobTypeId, id));
		if (draft.requirements.length) await tx.insert(jobTypeRequirement).values(draft.requirements.map((r) => ({ jobTypeId: id, ...r })));
		await recordAudit(tx, {
			actorId,
			action: 'job_type.changed',
			subjectType: 'job_type',
			subjectId: id,
			detail: { before: { name: before.name, productLine: before.productLine, requirements: before.requirements }, after: { name, productLine, requirements: draft.requirements } }
		});
		return { ok: true as const, value: { id } };
	});
}

export async function archiveJobType(db: Db, actorId: string, id: string, scope: string[] | 'all' = 'all'): Promise<Outcome<{ id: string }>> {
	const type = await findJobType(db, id);
	if (!type) return refuse({ code: 'unknown-job-type', message: 'No such job type.' });
	const refusal = await changeRefusal(db, id, scope);
	if (refusal) return refuse(refusal);
	if (type.archivedAt) return refuse({ code: 'job-type-archived', message: 'This job type is already archived.' });
	const archivedAt = new Date();
	await db.transaction(async (tx) => {
		await tx.update(jobType).set({ archivedAt }).where(eq(jobType.id, id));
		await recordAudit(tx, {
			actorId,
			action: 'job_type.archived',
			subjectType: 'job_type',
			subjectId: id,
			detail: { name: type.name, before: { archivedAt: null }, after: { archivedAt: archivedAt.toISOString() } }
		});
	});
	return { ok: true, value: { id } };
}

// ---------------------------------------------------------------- jobs

const assignee = alias(user, 'assignee');

const jobColumns = {
	id: job.id,
	jobTypeId: job.jobTypeId,
	jobTypeName: jobType.name,
	teamId: job.teamId,
	teamName: team.name,
	/** The team's local time (its zone, else the organisation's): the job is entered and shown in it. */
	teamTimeZone: teamZoneSql,
	siteLabel: job.siteLabel,
	scheduledAt: job.scheduledAt,
	durationMinutes: job.durationMinutes,
	assigneeId: job.assigneeId,
	assigneeName: assignee.displayName,
	assignedAt: job.assignedAt,
	overrideReason: job.overrideReason,
	createdByToken: job.createdByToken,
	createdAt: job.createdAt,
	cancelledAt: job.cancelledAt,
	cancelReason: job.cancelReason
};

export type JobRow = Awaited<ReturnType<typeof listJobs>>[number];

/** Jobs of some teams (or all), soonest first, with type, team and assignee names: one query. */
export async function listJobs(db: Executor, options: { teamIds: string[] | 'all'; from?: Date; limit?: number }) {
	const conditions: SQL[] = [];
	if (options.teamIds !== 'all') {
		if (options.teamIds.length === 0) return [];
		conditions.push(inArray(job.teamId, options.teamIds));
	}
	if (options.from) conditions.push(gte(job.scheduledAt, options.from));
	return db
		.select(jobColumns)
		.from(job)
		.innerJoin(jobType, eq(jobType.id, job.jobTypeId))
		.innerJoin(team, eq(team.id, job.teamId))
		.leftJoin(assignee, eq(assignee.id, job.assigneeId))
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(job.scheduledAt), asc(job.id))
		.limit(options.limit ?? 200);
}

export async function findJob(db: Executor, id: string) {
	if (!isUuid(id)) return null;
	const [row] = await db
		.select(jobColumns)
		.from(job)
		.innerJoin(jobType, eq(jobType.id, job.jobTypeId))
		.innerJoin(team, eq(team.id, job.teamId))
		.leftJoin(assignee, eq(assignee.id, job.assigneeId))
		.where(eq(job.id, id));
	return row ?? null;
}

/** A job the actor may see: unknown ids and jobs of other teams look the same (not found). */
export async function jobFor(db: Executor, actor: DispatchActor, id: string) {
	const row = await findJob(db, id);
	return row && mayUseTeam(actor, row.teamId) ? row : null;
}

async function checkJobInput(db: Executor, input: JobInput): Promise<Outcome<JobTypeView>> {
	const type = await findJobType(db, input.jobTypeId);
	if (!type) return refuse({ code: 'unknown-job-type', message: `Unknown job type: ${input.jobTypeId}` });
	if (type.archivedAt) return refuse({ code: 'job-type-archived', message: `The job type "${type.name}" is archived and takes no new jobs.` });
	const site = input.siteLabel.trim();
	if (!site) return refuse({ code: 'invalid', field: 'siteLabel', message: 'The customer or site label is required.' });
	if (site.length > 200) return refuse({ code: 'invalid', field: 'siteLabel', message: 'The customer or site label is at most 200 characters.' });
	if (Number.isNaN(input.scheduledAt.getTime())) return refuse({ code: 'invalid', field: 'scheduledAt', message: 'The scheduled time is not a valid date and time.' });
	if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > 1440)
		return refuse({ code: 'invalid', field: 'durationMinutes', message: 'The duration is a whole number of minutes from 1 to 1440.' });
	return { ok: true, value: type };
}

const TEAM_ARCHIVED = 'This team is archived: it takes no new jobs.';

/** Creates an unassigned job for one of the actor's teams. */
export async function createJob(db: Db, actor: DispatchActor, input: JobInput): Promise<Outcome<{ id: string }>> {
	const checked = await checkJobInput(db, input);
	if (!checked.ok) return checked;
	if (!input.teamId || !isUuid(input.teamId)) return refuse({ code: 'unknown-team', message: 'Choose the team that dispatches this job.' });
	if (!mayUseTeam(actor, input.teamId)) return refuse({ code: 'outside-teams', message: 'You can only create jobs for the teams you lead.' });
	const [exists] = await db.select({ id: team.id, archivedAt: team.archivedAt }).from(team).where(eq(team.id, input.teamId));
	if (!exists) return refuse({ code: 'unknown-team', message: 'No such team.' });
	if (exists.archivedAt) return refuse({ code: 'invalid', field: 'teamId', message: TEAM_ARCHIVED });
	const { actorId, token } = actorFields(actor);
	return db.transaction(async (tx) => {
		const [created] = await tx
			.insert(job)
			.values({
				jobTypeId: input.jobTypeId,
				teamId: input.teamId!,
				siteLabel: input.siteLabel.trim(),
				scheduledAt: input.scheduledAt,
				durationMinutes: input.durationMinutes,
				createdBy: actorId,
				createdByToken: token ?? null
			})
			.returning({ id: job.id });
		await recordAudit(tx, {
			actorId,
			action: 'job.created',
			subjectType: 'job',
			subjectId: created!.id,
			detail: { token, jobTypeId: input.jobTypeId, jobType: checked.value.name, teamId: input.teamId, siteLabel: input.siteLabel.trim(), scheduledAt: input.scheduledAt.toISOString(), durationMinutes: input.durationMinutes }
		});
		return { ok: true as const, value: created! };
	});
}

/**
 * The technicians the actor may assign to a job, each with their eligibility for it at the job's
 * time and for its whole duration. Two queries.
 */
export async function candidatesFor(db: Executor, actor: DispatchActor, jobRow: { jobTypeId: string; scheduledAt: Date; durationMinutes: number }) {
	const type = await findJobType(db, jobRow.jobTypeId);
	if (!type) return [];
	const teamIds = actor.kind === 'token' ? 'all' : actor.teamIds;
	const technicians = await listTechnicians(db, { teamIds });
	return eligibilityOf(db, type, technicians, jobRow.scheduledAt, jobEnd(jobRow.scheduledAt, jobRow.durationMinutes));
}

export interface AssignRequest {
	jobId: string;
	technicianId: string;
	/** Needed only when the technician is not eligible. */
	overrideReason?: string | null;
}

export type Assignment = { jobId: string; technicianId: string; overridden: boolean; eligibility: TechnicianEligibility };

/**
 * Rule "assignment": an eligible technician is assigned; an ineligible one is refused with the
 * reasons unless a written override reason is given, which is recorded on the job and in the
 * audit log with the reasons it overrode. A manager may only assign within the teams they lead.
 */
export async function assignJob(db: Db, actor: DispatchActor, request: AssignRequest): Promise<Outcome<Assignment>> {
	return db.transaction(async (tx) => {
		const row = await jobFor(tx, actor, request.jobId);
		if (!row) return refuse<Assignment>({ code: 'unknown-job', message: 'No such job.' });
		if (row.cancelledAt) return refuse<Assignment>(CANCELLED);
		return assignWithin(tx, actor, row, request.technicianId, request.overrideReason);
	});
}

async function assignWithin(
	tx: Executor,
	actor: DispatchActor,
	row: { id: string; jobTypeId: string; teamId: string; scheduledAt: Date; durationMinutes: number; assigneeId?: string | null; assigneeName?: string | null },
	technicianId: string,
	rawOverride: string | null | undefined
): Promise<Outcome<Assignment>> {
	const [tech] = await listTechnicians(tx, { ids: [technicianId] });
	if (!tech) return refuse({ code: 'unknown-technician', message: `Unknown technician: ${technicianId}` });
	if (!mayUseTeam(actor, tech.teamId)) return refuse({ code: 'outside-teams', message: 'This technician is not in a team you lead.' });
	const type = (await findJobType(tx, row.jobTypeId))!;
	const [eligibility] = await eligibilityOf(tx, type, [tech], row.scheduledAt, jobEnd(row.scheduledAt, row.durationMinutes));
	let override: string | null = null;
	// Rule "own team": a job goes to a technician of its team; another team's needs a written, audited reason.
	const otherTeam = tech.teamId !== row.teamId;
	if (otherTeam) {
		const checked = overrideReason(rawOverride);
		if (!checked.ok) {
			if (checked.problem === 'too-long') return refuse({ code: 'invalid', field: 'overrideReason', message: 'The override reason is at most 1000 characters.' });
			const [names] = await tx.select({ name: team.name }).from(team).where(eq(team.id, row.teamId));
			return refuse({
				code: 'other-team',
				message: `${tech.name} is not in the team of this job (${names?.name ?? row.teamId}). Give a reason to assign anyway; it is audited.`,
				technicianTeam: tech.teamId,
				jobTeam: row.teamId
			});
		}
		override = checked.reason;
	}
	if (!eligibility!.eligible) {
		const checked = overrideReason(rawOverride);
		if (!checked.ok) {
			if (checked.problem === 'too-long') return refuse({ code: 'invalid', field: 'overrideReason', message: 'The override reason is at most 1000 characters.' });
			return refuse({ code: 'not-eligible', message: `${tech.name} is not eligible for this job.`, reasons: eligibility!.reasons });
		}
		override = checked.reason;
	}
	const { actorId, token } = actorFields(actor);
	await tx
		.update(job)
		.set({ assigneeId: tech.technicianId, assignedAt: new Date(), assignedBy: actorId, overrideReason: override })
		.where(eq(job.id, row.id));
	await recordAudit(tx, {
		actorId,
		action: override ? 'job.assigned_override' : 'job.assigned',
		subjectType: 'job',
		subjectId: row.id,
		detail: {
			token,
			technicianId: tech.technicianId,
			technician: tech.name,
			jobType: type.name,
			// A reassignment names who had the job before.
			...(row.assigneeId && row.assigneeId !== tech.technicianId ? { replacedTechnicianId: row.assigneeId, replaced: row.assigneeName ?? null } : {}),
			...(override ? { overrideReason: override, reasons: describeReasons(eligibility!.reasons, await organisationTimeZone(tx)) } : {}),
			...(otherTeam ? { otherTeam: true, technicianTeamId: tech.teamId, jobTeamId: row.teamId } : {})
		}
	});
	return { ok: true, value: { jobId: row.id, technicianId: tech.technicianId, overridden: Boolean(override), eligibility: eligibility! } };
}

/** Takes the technician off a job. */
export async function unassignJob(db: Db, actor: DispatchActor, jobId: string): Promise<Outcome<{ jobId: string }>> {
	return db.transaction(async (tx) => {
		const row = await jobFor(tx, actor, jobId);
		if (!row) return refuse<{ jobId: string }>({ code: 'unknown-job', message: 'No such job.' });
		if (!row.assigneeId) return refuse<{ jobId: string }>({ code: 'invalid', field: 'technicianId', message: 'This job has no technician.' });
		await tx.update(job).set({ assigneeId: null, assignedAt: null, assignedBy: null, overrideReason: null }).where(eq(job.id, row.id));
		const { actorId, token } = actorFields(actor);
		await recordAudit(tx, { actorId, action: 'job.unassigned', subjectType: 'job', subjectId: row.id, detail: { token, technicianId: row.assigneeId, technician: row.assigneeName } });
		return { ok: true as const, value: { jobId: row.id } };
	});
}

/**
 * Creates a job and assigns it in one transaction (the dispatch API): the same refusal rules as
 * `assignJob`; when refused, no job is created. The team defaults to the technician's team.
 */
export async function createAndAssignJob(
	db: Db,
	actor: DispatchActor,
	input: JobInput & { technicianId: string; overrideReason?: string | null }
): Promise<Outcome<Assignment & { job: NonNullable<Awaited<ReturnType<typeof findJob>>> }>> {
	const checked = await checkJobInput(db, input);
	if (!checked.ok) return checked;
	if (!isUuid(input.technicianId)) return refuse({ code: 'unknown-technician', message: `Unknown technician: ${input.technicianId}` });
	class Refused extends Error {
		constructor(readonly refusal: DispatchRefusal) {
			super(refusal.message);
		}
	}
	try {
		return await db.transaction(async (tx) => {
			const [tech] = await listTechnicians(tx, { ids: [input.technicianId] });
			if (!tech) throw new Refused({ code: 'unknown-technician', message: `Unknown technician: ${input.technicianId}` });
			if (input.teamId !== undefined && !isUuid(input.teamId)) throw new Refused({ code: 'unknown-team', message: `Unknown team: ${input.teamId}` });
			const teamId = input.teamId ?? tech.teamId;
			if (!teamId) throw new Refused({ code: 'unknown-team', message: `${tech.name} belongs to no team; give teamId.` });
			if (!mayUseTeam(actor, teamId)) throw new Refused({ code: 'outside-teams', message: 'You can only create jobs for the teams you lead.' });
			const [teamRow] = await tx.select({ id: team.id, archivedAt: team.archivedAt }).from(team).where(eq(team.id, teamId));
			if (!teamRow) throw new Refused({ code: 'unknown-team', message: `Unknown team: ${teamId}` });
			if (teamRow.archivedAt) throw new Refused({ code: 'invalid', field: 'teamId', message: TEAM_ARCHIVED });
			const { actorId, token } = actorFields(actor);
			const [created] = await tx
				.insert(job)
				.values({ jobTypeId: input.jobTypeId, teamId, siteLabel: input.siteLabel.trim(), scheduledAt: input.scheduledAt, durationMinutes: input.durationMinutes, createdBy: actorId, createdByToken: token ?? null })
				.returning({ id: job.id });
			await recordAudit(tx, {
				actorId,
				action: 'job.created',
				subjectType: 'job',
				subjectId: created!.id,
				detail: { token, jobTypeId: input.jobTypeId, jobType: checked.value.name, teamId, siteLabel: input.siteLabel.trim(), scheduledAt: input.scheduledAt.toISOString(), durationMinutes: input.durationMinutes }
			});
			const assigned = await assignWithin(tx, actor, { id: created!.id, jobTypeId: input.jobTypeId, teamId, scheduledAt: input.scheduledAt, durationMinutes: input.durationMinutes }, tech.technicianId, input.overrideReason);
			if (!assigned.ok) throw new Refused(assigned.refusal);
			const full = (await findJob(tx, created!.id))!;
			return { ok: true as const, value: { ...assigned.value, job: full } };
		});
	} catch (e) {
		if (e instanceof Refused) return refuse(e.refusal);
		throw e;
	}
}

const CANCELLED: DispatchRefusal = { code: 'job-cancelled', message: 'This job is cancelled: it cannot be changed or assigned.' };

export type JobChange = { jobId: string; overridden: boolean };

/**
 * Changes a job's time, site, type or duration, checked as when it was created (a new time is not
 * in the past; a new type exists and is not archived). When the job has a technician, their
 * eligibility is checked again at the new time and for the new type: if they are no longer
 * eligible the change is refused with the reasons, unless a written override reason is given,
 * which is recorded on the job and audited. Cancelled jobs are not changed.
 */
export async function editJob(db: Db, actor: DispatchActor, jobId: string, edit: JobEdit, now = new Date()): Promise<Outcome<JobChange>> {
	return db.transaction(async (tx) => {
		const row = await jobFor(tx, actor, jobId);
		if (!row) return refuse<JobChange>({ code: 'unknown-job', message: 'No such job.' });
		if (row.cancelledAt) return refuse<JobChange>(CANCELLED);
		const next = {
			jobTypeId: edit.jobTypeId ?? row.jobTypeId,
			siteLabel: (edit.siteLabel ?? row.siteLabel).trim(),
			scheduledAt: edit.scheduledAt ?? row.scheduledAt,
			durationMinutes: edit.durationMinutes ?? row.durationMinutes
		};
		const typeChanged = next.jobTypeId !== row.jobTypeId;
		const timeChanged = next.scheduledAt.getTime() !== row.scheduledAt.getTime();
		if (typeChanged && !isUuid(next.jobTypeId)) return refuse<JobChange>({ code: 'unknown-job-type', message: `Unknown job type: ${next.jobTypeId}` });
		const checked = await checkJobInput(tx, next);
		// A job whose type was archived after it was created may still have its site or time changed.
		if (!checked.ok && !(checked.refusal.code === 'job-type-archived' && !typeChanged)) return checked as Outcome<JobChange>;
		if (timeChanged && next.scheduledAt.getTime() < now.getTime() - 60_000) return refuse<JobChange>({ code: 'invalid', field: 'scheduledAt', message: 'The scheduled time is in the past.' });
		const type = (await findJobType(tx, next.jobTypeId))!;
		let override: string | null = null;
		let reasons: Reason[] = [];
		let technician: string | null = null;
		if (row.assigneeId && (typeChanged || timeChanged || next.durationMinutes !== row.durationMinutes)) {
			const [tech] = await listTechnicians(tx, { ids: [row.assigneeId] });
			if (tech) {
				technician = tech.name;
				const [eligibility] = await eligibilityOf(tx, type, [tech], next.scheduledAt, jobEnd(next.scheduledAt, next.durationMinutes));
				if (!eligibility!.eligible) {
					const given = overrideReason(edit.overrideReason);
					if (!given.ok) {
						if (given.problem === 'too-long') return refuse<JobChange>({ code: 'invalid', field: 'overrideReason', message: 'The override reason is at most 1000 characters.' });
						return refuse<JobChange>({ code: 'not-eligible', message: `${tech.name} would not be eligible for this job after the change.`, reasons: eligibility!.reasons });
					}
					override = given.reason;
					reasons = eligibility!.reasons;
				}
			}
		}
		const { actorId, token } = actorFields(actor);
		await tx
			.update(job)
			.set({ ...next, ...(override ? { overrideReason: override } : {}) })
			.where(eq(job.id, row.id));
		const view = (v: typeof next, typeName: string) => ({ jobTypeId: v.jobTypeId, jobType: typeName, siteLabel: v.siteLabel, scheduledAt: v.scheduledAt.toISOString(), durationMinutes: v.durationMinutes });
		await recordAudit(tx, {
			actorId,
			action: override ? 'job.changed_override' : 'job.changed',
			subjectType: 'job',
			subjectId: row.id,
			detail: {
				token,
				before: view(row, row.jobTypeName),
				after: view(next, type.name),
				...(row.assigneeId ? { technicianId: row.assigneeId, technician: technician ?? row.assigneeName } : {}),
				...(override ? { overrideReason: override, reasons: describeReasons(reasons, await organisationTimeZone(tx)) } : {})
			}
		});
		return { ok: true as const, value: { jobId: row.id, overridden: Boolean(override) } };
	});
}

/**
 * Cancels a job with a written reason (1 to 1000 characters): the technician is taken off it in
 * the same change, and the audit log names them. The job keeps its row and history.
 */
export async function cancelJob(db: Db, actor: DispatchActor, jobId: string, rawReason: string | null | undefined): Promise<Outcome<{ jobId: string }>> {
	return db.transaction(async (tx) => {
		const row = await jobFor(tx, actor, jobId);
		if (!row) return refuse<{ jobId: string }>({ code: 'unknown-job', message: 'No such job.' });
		if (row.cancelledAt) return refuse<{ jobId: string }>({ code: 'job-cancelled', message: 'This job is already cancelled.' });
		const reason = overrideReason(rawReason);
		if (!reason.ok)
			return refuse<{ jobId: string }>({
				code: 'invalid',
				field: 'cancelReason',
				message: reason.problem === 'too-long' ? 'The reason for cancelling is at most 1000 characters.' : 'Give the reason for cancelling the job.'
			});
		const { actorId, token } = actorFields(actor);
		await tx
			.update(job)
			.set({ cancelledAt: new Date(), cancelledBy: actorId, cancelReason: reason.reason, assigneeId: null, assignedAt: null, assignedBy: null, overrideReason: null })
			.where(eq(job.id, row.id));
		await recordAudit(tx, {
			actorId,
			action: 'job.cancelled',
			subjectType: 'job',
			subjectId: row.id,
			detail: { token, reason: reason.reason, ...(row.assigneeId ? { technicianId: row.assigneeId, technician: row.assigneeName } : {}) }
		});
		return { ok: true as const, value: { jobId: row.id } };
	});
}

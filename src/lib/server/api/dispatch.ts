import type { Db } from '../db';
import type { Executor } from '../db/types';
import { organisationTimeZone } from '../organisation';
import {
	certificationsOfTechnician,
	cancelJob as cancelDispatchJob,
	createAndAssignJob,
	editJob as editDispatchJob,
	findJob,
	describeReasons,
	eligibilityOf,
	eligibleTechnicians,
	findJobType,
	isUuid,
	jobEnd,
	listJobTypes,
	listTechnicians,
	type DispatchRefusal,
	type JobRow,
	type JobTypeView,
	type TechnicianRef
} from '../dispatch';
import type { ApiCaller } from './tokens';
import { ApiError } from './respond';
import { cursorFor, encodeCursor, type EligibilityRequest, type EligibleQuery, type JobCancelRequest, type JobEditRequest, type JobRequest } from './parse';

/**
 * The dispatch API's operations over the dispatch domain: they take parsed requests, answer with
 * the documented JSON shapes (see openapi.ts) and refuse with an ApiError.
 */

const shown = (value: string) => JSON.stringify(value.length > 100 ? value.slice(0, 100) + '…' : value);

export function jobTypeJson(type: JobTypeView) {
	return {
		id: type.id,
		name: type.name,
		productLine: type.productLine,
		requirements: type.requirements.map((r) => ({ certificationId: r.certificationId, minLevel: r.minLevel })),
		archived: type.archivedAt !== null
	};
}

/** A technician as the API shows one: no e-mail address (dispatch systems identify by id). */
function technicianJson(t: TechnicianRef) {
	return { technicianId: t.technicianId, name: t.name, teamId: t.teamId, teamName: t.teamName };
}

function window(at: Date, durationMinutes: number | undefined) {
	const end = durationMinutes === undefined ? undefined : jobEnd(at, durationMinutes);
	return { end, json: end ? { at: at.toISOString(), end: end.toISOString() } : { at: at.toISOString() } };
}

export async function jobTypesList(db: Executor) {
	return { items: (await listJobTypes(db, { includeArchived: true })).map(jobTypeJson) };
}

/** Eligibility of one or many technicians (in the order asked) for a job type at an instant. */
export async function eligibility(db: Executor, request: EligibilityRequest) {
	const type = await findJobType(db, request.jobTypeId);
	if (!type) {
		throw new ApiError(400, 'unknown-job-type', `Unknown job type: ${shown(request.jobTypeId)}.`, { issues: [{ field: 'jobTypeId', message: 'No job type has this id.' }] });
	}
	const found = new Map((await listTechnicians(db, { ids: request.technicianIds })).map((t) => [t.technicianId, t]));
	const unknown = request.technicianIds.filter((id) => !found.has(id));
	if (unknown.length) {
		const list = unknown.slice(0, 5).map(shown).join(', ') + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : '');
		throw new ApiError(400, 'unknown-technician', `Unknown technician${unknown.length > 1 ? 's' : ''}: ${list}. Only active technicians can be checked.`, { technicianIds: unknown });
	}
	const { end, json } = window(request.at, request.durationMinutes);
	const [results, zone] = await Promise.all([eligibilityOf(db, type, request.technicianIds.map((id) => found.get(id)!), request.at, end), organisationTimeZone(db)]);
	return {
		jobType: jobTypeJson(type),
		...json,
		results: results.map((r) => ({ ...technicianJson(r), eligible: r.eligible, reasons: describeReasons(r.reasons, zone) }))
	};
}

/** One page of the technicians eligible for a job type, by id; `nextCursor` continues it. */
export async function eligibleTechniciansPage(db: Executor, jobTypeId: string, query: EligibleQuery) {
	const type = await findJobType(db, jobTypeId);
	if (!type) throw new ApiError(404, 'unknown-job-type', `No job type has the id ${shown(jobTypeId)}.`);
	const after = cursorFor(query.cursor, { jobTypeId: type.id, at: query.at, durationMinutes: query.durationMinutes });
	const { end, json } = window(query.at, query.durationMinutes);
	const page = await eligibleTechnicians(db, { type, at: query.at, end, limit: query.limit, after });
	return {
		jobType: jobTypeJson(type),
		...json,
		items: page.items.map(technicianJson),
		nextCursor: page.next ? encodeCursor({ after: page.next, jobTypeId: type.id, at: query.at, durationMinutes: query.durationMinutes ?? null }) : null
	};
}

/** A technician's certifications at an instant: the status of each and every cycle held. */
export async function technicianCertifications(db: Executor, technicianId: string, at: Date) {
	const found = isUuid(technicianId) ? await certificationsOfTechnician(db, technicianId, at) : null;
	if (!found) throw new ApiError(404, 'unknown-technician', `No active technician has the id ${shown(technicianId)}.`);
	return {
		technician: technicianJson(found.technician),
		at: at.toISOString(),
		certifications: found.certifications.map((c) => ({
			certificationId: c.certificationId,
			title: c.title,
			status: c.status,
			level: c.level,
			validFrom: c.validFrom,
			expiresAt: c.expiresAt,
			renewalOpensAt: c.renewalOpensAt,
			// The verification code stays out: it is the holder's to share.
			cycles: c.cycles.map((cycle) => ({
				id: cycle.id,
				level: cycle.level,
				grantedAt: cycle.grantedAt,
				expiresAt: cycle.expiresAt,
				revokedAt: cycle.revokedAt,
				revokeReason: cycle.revokeReason,
				renewedFromId: cycle.renewedFromId,
				grantedByHand: cycle.grantedByHand
			}))
		}))
	};
}

function jobJson(row: JobRow) {
	return {
		id: row.id,
		jobTypeId: row.jobTypeId,
		jobTypeName: row.jobTypeName,
		teamId: row.teamId,
		teamName: row.teamName,
		siteLabel: row.siteLabel,
		scheduledAt: row.scheduledAt,
		durationMinutes: row.durationMinutes,
		assigneeId: row.assigneeId,
		assigneeName: row.assigneeName,
		assignedAt: row.assignedAt,
		overrideReason: row.overrideReason,
		createdByToken: row.createdByToken,
		createdAt: row.createdAt,
		cancelledAt: row.cancelledAt,
		cancelReason: row.cancelReason
	};
}

/** The dispatch domain's refusal as the API's error. */
/** `organisationTimeZone`: reasons name their dates as days in it. */
export function refusalError(refusal: DispatchRefusal, technicianId: string, organisationTimeZone = 'UTC'): ApiError {
	switch (refusal.code) {
		case 'unknown-job-type':
			return new ApiError(400, refusal.code, refusal.message, { issues: [{ field: 'jobTypeId', message: 'No job type has this id.' }] });
		case 'unknown-technician':
			return new ApiError(400, refusal.code, refusal.message, { technicianIds: [technicianId] });
		case 'unknown-team':
			return new ApiError(400, refusal.code, refusal.message, { issues: [{ field: 'teamId', message: refusal.message }] });
		case 'invalid':
			return new ApiError(400, 'invalid-request', refusal.message, { issues: [{ field: refusal.field, message: refusal.message }] });
		case 'job-type-archived':
		case 'job-cancelled':
			return new ApiError(409, refusal.code, refusal.message);
		case 'other-team':
			return new ApiError(409, refusal.code, refusal.message, { technicianId, technicianTeamId: refusal.technicianTeam, jobTeamId: refusal.jobTeam });
		case 'not-eligible':
			return new ApiError(409, refusal.code, `${refusal.message} Give overrideReason to assign anyway; the override is audited.`, {
				technicianId,
				reasons: describeReasons(refusal.reasons, organisationTimeZone)
			});
		case 'outside-teams':
		case 'job-type-foreign-teams':
			return new ApiError(403, 'forbidden', refusal.message);
		case 'unknown-job':
			return new ApiError(404, 'not-found', refusal.message);
	}
}

/**
 * Creates a job and assigns it in one step (nothing is created when refused): an ineligible
 * technician is refused with the reasons unless `overrideReason` is given, which is audited.
 */
export async function createJob(db: Db, caller: ApiCaller, request: JobRequest) {
	// The domain looks the team up by id; a non-UUID would reach the database as a type error.
	if (request.teamId !== undefined && !isUuid(request.teamId)) {
		throw new ApiError(400, 'unknown-team', `Unknown team: ${shown(request.teamId)}.`, { issues: [{ field: 'teamId', message: 'No team has this id.' }] });
	}
	const outcome = await createAndAssignJob(db, { kind: 'token', tokenName: caller.name }, {
		jobTypeId: request.jobTypeId,
		technicianId: request.technicianId,
		teamId: request.teamId?.toLowerCase(),
		siteLabel: request.siteLabel,
		scheduledAt: request.scheduledAt,
		durationMinutes: request.durationMinutes,
		overrideReason: request.overrideReason
	});
	const zone = await organisationTimeZone(db);
	if (!outcome.ok) throw refusalError(outcome.refusal, request.technicianId, zone);
	const { job, eligibility, overridden } = outcome.value;
	return { job: jobJson(job), eligibility: { eligible: eligibility.eligible, reasons: describeReasons(eligibility.reasons, zone) }, overridden };
}

const noSuchJob = (jobId: string) => new ApiError(404, 'not-found', `No job has the id ${shown(jobId)}.`);

/** The job as it is now, after a change the domain accepted. */
async function currentJob(db: Db, jobId: string) {
	const row = await findJob(db, jobId);
	if (!row) throw noSuchJob(jobId);
	return jobJson(row);
}

/**
 * Changes a job's time, site, type or duration (nothing changes when refused): an assigned
 * technician who would no longer be eligible is refused with the reasons unless `overrideReason`
 * is given, which is audited. A cancelled job is refused with 409.
 */
export async function editJob(db: Db, caller: ApiCaller, jobId: string, request: JobEditRequest, now = new Date()) {
	if (!isUuid(jobId)) throw noSuchJob(jobId);
	const id = jobId.toLowerCase();
	const outcome = await editDispatchJob(db, { kind: 'token', tokenName: caller.name }, id, request, now);
	if (!outcome.ok) {
		if (outcome.refusal.code === 'unknown-job') throw noSuchJob(jobId);
		const [row, zone] = await Promise.all([findJob(db, id), organisationTimeZone(db)]);
		throw refusalError(outcome.refusal, row?.assigneeId ?? '', zone);
	}
	return { job: await currentJob(db, id), overridden: outcome.value.overridden };
}

/** Cancels a job with a written reason; its technician is taken off it. A cancelled job is refused with 409. */
export async function cancelJob(db: Db, caller: ApiCaller, jobId: string, request: JobCancelRequest) {
	if (!isUuid(jobId)) throw noSuchJob(jobId);
	const id = jobId.toLowerCase();
	const outcome = await cancelDispatchJob(db, { kind: 'token', tokenName: caller.name }, id, request.reason);
	if (!outcome.ok) {
		const refusal = outcome.refusal;
		if (refusal.code === 'unknown-job') throw noSuchJob(jobId);
		// The domain names the form's field; the API's is `reason`.
		if (refusal.code === 'invalid') throw new ApiError(400, 'invalid-request', refusal.message, { issues: [{ field: 'reason', message: refusal.message }] });
		throw refusalError(refusal, '', await organisationTimeZone(db));
	}
	return { job: await currentJob(db, id) };
}

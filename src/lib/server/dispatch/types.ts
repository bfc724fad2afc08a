import type { JobRequirement, Reason } from '../certification/eligibility';

/** A kind of job and the certifications it needs (plain data). */
export interface JobTypeView {
	id: string;
	name: string;
	productLine: string;
	requirements: JobRequirement[];
	archivedAt: Date | null;
}

export interface TechnicianRef {
	technicianId: string;
	name: string;
	email: string;
	teamId: string | null;
	teamName: string | null;
}

export interface TechnicianEligibility extends TechnicianRef {
	eligible: boolean;
	reasons: Reason[];
}

/** Who is acting: a signed-in user (a manager is limited to the teams they lead) or an API token. */
export type DispatchActor =
	| { kind: 'user'; userId: string; teamIds: string[] | 'all' }
	| { kind: 'token'; tokenName: string };

export interface JobInput {
	jobTypeId: string;
	/** The team dispatching the job; for the API it defaults to the assignee's team. */
	teamId?: string;
	siteLabel: string;
	scheduledAt: Date;
	durationMinutes: number;
}

/** A change to a job: only the fields given change. */
export interface JobEdit {
	jobTypeId?: string;
	siteLabel?: string;
	scheduledAt?: Date;
	durationMinutes?: number;
	/** Needed only when the assigned technician is not eligible at the new time or for the new type. */
	overrideReason?: string | null;
}

/** Why a dispatch request could not be carried out. */
export type DispatchRefusal =
	| { code: 'unknown-job-type' | 'unknown-technician' | 'unknown-team' | 'unknown-job'; message: string }
	| { code: 'job-type-archived'; message: string }
	| { code: 'job-cancelled'; message: string }
	| { code: 'job-type-foreign-teams'; message: string; teams: string[] }
	| { code: 'outside-teams'; message: string }
	| { code: 'other-team'; message: string; technicianTeam: string | null; jobTeam: string }
	| { code: 'not-eligible'; message: string; reasons: Reason[] }
	| { code: 'invalid'; message: string; field: string };

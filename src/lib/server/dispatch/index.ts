/**
 * Dispatch: job types and the certifications they need, jobs and their assignment, and
 * eligibility of technicians at a job's time with a reason for every "no".
 */
export * from './types';
export { validateJobType, jobEnd, overrideReason, pickerOrder, parseUtcMinute, teamsBlockingJobTypeChange } from './rules';
export { certificationMatrix, type MatrixCell, type MatrixRow, type CellStatus } from './matrix';
export {
	listJobTypes,
	findJobType,
	listTechnicians,
	eligibilityOf,
	eligibleTechnicians,
	teamIdsLedBy,
	managerScope,
	holdingsFor,
	isUuid
} from './queries';
export { certificationsOfTechnician } from './technician';
export {
	createJobType,
	updateJobType,
	archiveJobType,
	teamsUsingJobType,
	listJobs,
	findJob,
	jobFor,
	createJob,
	candidatesFor,
	assignJob,
	unassignJob,
	createAndAssignJob,
	editJob,
	cancelJob,
	describeReasons,
	englishTitles,
	type Outcome,
	type Assignment,
	type JobRow
} from './jobs';

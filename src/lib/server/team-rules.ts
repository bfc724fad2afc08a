import { canonicalTimeZone } from '../time-zone';
import type { Role } from './auth/roles';

export const TEAM_NAME_MAX = 80;
export const TEAM_REGION_MAX = 100;

export interface TeamDraft {
	name: string;
	region: string;
	/** An IANA zone name; empty: the organisation's zone. */
	timeZone: string;
}

export type TeamProblem = 'required' | 'too-long' | 'unknown-zone';

/**
 * Rule "team": a name and a region (trimmed, not empty, bounded) and a time zone that is empty
 * (the organisation's) or a zone the platform knows, stored under its canonical name. Returns the
 * cleaned team, or the problems by field.
 */
export function validateTeam(
	draft: TeamDraft
): { ok: true; team: { name: string; region: string; timeZone: string | null } } | { ok: false; problems: Partial<Record<keyof TeamDraft, TeamProblem>> } {
	const problems: Partial<Record<keyof TeamDraft, TeamProblem>> = {};
	const name = draft.name.trim();
	if (!name) problems.name = 'required';
	else if (name.length > TEAM_NAME_MAX) problems.name = 'too-long';
	const region = draft.region.trim();
	if (!region) problems.region = 'required';
	else if (region.length > TEAM_REGION_MAX) problems.region = 'too-long';
	const zoneInput = draft.timeZone.trim();
	const timeZone = zoneInput ? canonicalTimeZone(zoneInput) : null;
	if (zoneInput && !timeZone) problems.timeZone = 'unknown-zone';
	if (Object.keys(problems).length) return { ok: false, problems };
	return { ok: true, team: { name, region, timeZone } };
}

export interface TeamState {
	archivedAt: Date | null;
}

export interface Person {
	active: boolean;
	roles: readonly Role[];
}

export type MemberProblem = 'team-archived' | 'not-technician' | 'inactive';
export type ManagerProblem = 'team-archived' | 'not-manager' | 'inactive';

/** Rule "membership": an active team takes active technicians as members. */
export function memberProblem(team: TeamState, person: Person): MemberProblem | null {
	if (team.archivedAt) return 'team-archived';
	if (!person.roles.includes('technician')) return 'not-technician';
	if (!person.active) return 'inactive';
	return null;
}

/** Rule "team manager": an active team is led by active users holding the manager role. */
export function managerProblem(team: TeamState, person: Person): ManagerProblem | null {
	if (team.archivedAt) return 'team-archived';
	if (!person.roles.includes('manager')) return 'not-manager';
	if (!person.active) return 'inactive';
	return null;
}

/**
 * Rule "roles": every user keeps at least one role. A user without any would sign in to no page
 * at all; deactivating is the way to block someone.
 */
export function rolesProblem(next: readonly Role[]): 'no-role' | null {
	return next.length ? null : 'no-role';
}

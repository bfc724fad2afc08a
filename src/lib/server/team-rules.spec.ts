import { describe, expect, it } from 'vitest';
import { managerProblem, memberProblem, rolesProblem, TEAM_NAME_MAX, TEAM_REGION_MAX, validateTeam } from './team-rules';

describe('validateTeam', () => {
	it('trims the name and region and keeps an empty zone as the organisation\'s', () => {
		expect(validateTeam({ name: '  East team ', region: ' Shanghai ', timeZone: '  ' })).toEqual({
			ok: true,
			team: { name: 'East team', region: 'Shanghai', timeZone: null }
		});
	});

	it('stores a known zone under its canonical name, whatever its case', () => {
		expect(validateTeam({ name: 'West', region: 'Urumqi', timeZone: 'asia/urumqi' })).toMatchObject({ ok: true, team: { timeZone: 'Asia/Urumqi' } });
		expect(validateTeam({ name: 'Ops', region: 'Any', timeZone: 'UTC' })).toMatchObject({ ok: true, team: { timeZone: 'UTC' } });
	});

	it('names each problem by field', () => {
		expect(validateTeam({ name: ' ', region: '', timeZone: 'Mars/Olympus' })).toEqual({
			ok: false,
			problems: { name: 'required', region: 'required', timeZone: 'unknown-zone' }
		});
		expect(validateTeam({ name: 'x'.repeat(TEAM_NAME_MAX + 1), region: 'y'.repeat(TEAM_REGION_MAX + 1), timeZone: '+08:00' })).toEqual({
			ok: false,
			problems: { name: 'too-long', region: 'too-long', timeZone: 'unknown-zone' }
		});
	});

	it('accepts the longest name and region', () => {
		expect(validateTeam({ name: 'x'.repeat(TEAM_NAME_MAX), region: 'y'.repeat(TEAM_REGION_MAX), timeZone: '' }).ok).toBe(true);
	});
});

describe('memberProblem', () => {
	const open = { archivedAt: null };
	it('takes active technicians into an active team', () => {
		expect(memberProblem(open, { active: true, roles: ['technician'] })).toBeNull();
		expect(memberProblem(open, { active: true, roles: ['technician', 'trainer'] })).toBeNull();
	});
	it('refuses an archived team first, then people who are not technicians, then deactivated ones', () => {
		expect(memberProblem({ archivedAt: new Date() }, { active: true, roles: ['technician'] })).toBe('team-archived');
		expect(memberProblem(open, { active: true, roles: ['manager'] })).toBe('not-technician');
		expect(memberProblem(open, { active: false, roles: ['technician'] })).toBe('inactive');
	});
});

describe('managerProblem', () => {
	const open = { archivedAt: null };
	it('links only active managers to an active team', () => {
		expect(managerProblem(open, { active: true, roles: ['manager'] })).toBeNull();
		expect(managerProblem({ archivedAt: new Date() }, { active: true, roles: ['manager'] })).toBe('team-archived');
		expect(managerProblem(open, { active: true, roles: ['technician', 'trainer'] })).toBe('not-manager');
		expect(managerProblem(open, { active: false, roles: ['manager'] })).toBe('inactive');
	});
});

describe('rolesProblem', () => {
	it('refuses a user without any role', () => {
		expect(rolesProblem([])).toBe('no-role');
		expect(rolesProblem(['technician'])).toBeNull();
	});
});

import { describe, expect, it } from 'vitest';
import { ROLES, ROLE_HOME, homeFor, isRole } from './roles';

describe('ROLES', () => {
	it('lists the four roles in canonical order', () => {
		expect([...ROLES]).toEqual(['technician', 'trainer', 'manager', 'admin']);
	});
});

describe('homeFor', () => {
	it('sends a user without roles to their profile', () => {
		expect(homeFor([])).toBe('/profile');
	});

	it('sends each single role to its own home', () => {
		expect(homeFor(['technician'])).toBe('/learn');
		expect(homeFor(['trainer'])).toBe('/trainer');
		expect(homeFor(['manager'])).toBe('/manager');
		expect(homeFor(['admin'])).toBe('/admin');
	});

	it('matches ROLE_HOME for every role', () => {
		for (const role of ROLES) expect(homeFor([role])).toBe(ROLE_HOME[role]);
	});

	it('picks the first role in canonical order, not in the order given', () => {
		expect(homeFor(['admin', 'technician'])).toBe('/learn');
		expect(homeFor(['admin', 'manager', 'trainer'])).toBe('/trainer');
		expect(homeFor(['admin', 'manager'])).toBe('/manager');
		expect(homeFor(['manager', 'trainer', 'technician', 'admin'])).toBe('/learn');
	});
});

describe('isRole', () => {
	it('accepts each known role', () => {
		for (const role of ROLES) expect(isRole(role)).toBe(true);
	});

	it('refuses unknown, differently cased or padded strings', () => {
		expect(isRole('owner')).toBe(false);
		expect(isRole('Admin')).toBe(false);
		expect(isRole(' admin')).toBe(false);
		expect(isRole('')).toBe(false);
	});

	it('refuses values that are not strings', () => {
		expect(isRole(null)).toBe(false);
		expect(isRole(undefined)).toBe(false);
		expect(isRole(1)).toBe(false);
		expect(isRole(['admin'])).toBe(false);
		expect(isRole({ role: 'admin' })).toBe(false);
	});
});

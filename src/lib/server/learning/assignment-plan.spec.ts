import { describe, expect, it } from 'vitest';
import { planAssignment, planMembershipChange } from './assignment-plan';

const d = (day: string) => new Date(`${day}T23:59:59Z`);
const person = (id: string, completed = false) => ({ id, displayName: id.toUpperCase(), completed });
const T = 'team-1';

describe('planAssignment', () => {
	it('assigns a team for the first time: everyone new, nothing to confirm', () => {
		const plan = planAssignment({ team: { id: T, dueAt: null }, members: [person('a'), person('b', true)], individuals: [], rows: [], dueAt: d('2026-12-01') });
		expect(plan.people.map((p) => [p.userId, p.change.kind, p.via, p.completed])).toEqual([
			['a', 'new', 'team', false],
			['b', 'new', 'team', true]
		]);
		expect(plan.writes).toEqual([
			{ userId: 'a', teamId: T },
			{ userId: 'b', teamId: T }
		]);
		expect(plan.needsConfirmation).toBe(false);
	});

	it('moves the team date for members on it, keeps dates given by name or changed for one person, and asks to confirm', () => {
		const plan = planAssignment({
			team: { id: T, dueAt: d('2026-12-01') },
			members: [person('on-team-date'), person('own-date'), person('by-name'), person('joined')],
			individuals: [],
			rows: [
				{ userId: 'on-team-date', teamId: T, dueAt: d('2026-12-01') },
				{ userId: 'own-date', teamId: T, dueAt: d('2027-01-10') },
				{ userId: 'by-name', teamId: null, dueAt: d('2026-11-20') }
			],
			dueAt: d('2026-12-15')
		});
		expect(plan.team).toEqual({ id: T, from: d('2026-12-01'), to: d('2026-12-15') });
		expect(Object.fromEntries(plan.people.map((p) => [p.userId, p.change]))).toEqual({
			'on-team-date': { kind: 'move', from: d('2026-12-01') },
			'own-date': { kind: 'keep', due: d('2027-01-10'), why: 'own-date' },
			'by-name': { kind: 'keep', due: d('2026-11-20'), why: 'individual' },
			joined: { kind: 'new' }
		});
		expect(plan.writes.map((w) => w.userId)).toEqual(['on-team-date', 'joined']);
		expect(plan.needsConfirmation).toBe(true);
	});

	it('the same date again changes nothing and needs no confirmation', () => {
		const plan = planAssignment({ team: { id: T, dueAt: d('2026-12-01') }, members: [person('a')], individuals: [], rows: [{ userId: 'a', teamId: T, dueAt: d('2026-12-01') }], dueAt: d('2026-12-01') });
		expect(plan.people[0]!.change).toEqual({ kind: 'same' });
		expect(plan.writes).toEqual([]);
		expect(plan.needsConfirmation).toBe(false);
	});

	it('a person chosen by name gets the date asked for, their row becomes their own', () => {
		const plan = planAssignment({
			team: null,
			members: [],
			individuals: [person('a'), person('b'), person('c')],
			rows: [
				{ userId: 'a', teamId: T, dueAt: d('2026-12-01') },
				{ userId: 'b', teamId: T, dueAt: d('2026-12-20') }
			],
			dueAt: d('2026-12-20')
		});
		expect(plan.people.map((p) => [p.userId, p.change.kind])).toEqual([
			['a', 'move'],
			['b', 'same'],
			['c', 'new']
		]);
		expect(plan.writes).toEqual([
			{ userId: 'a', teamId: null },
			{ userId: 'b', teamId: null },
			{ userId: 'c', teamId: null }
		]);
		expect(plan.needsConfirmation).toBe(true);
	});

	it('a member also chosen by name is planned once, by name', () => {
		const plan = planAssignment({ team: { id: T, dueAt: null }, members: [person('a'), person('b')], individuals: [person('a')], rows: [], dueAt: d('2026-12-01') });
		expect(plan.people.map((p) => [p.userId, p.via])).toEqual([
			['a', 'individual'],
			['b', 'team']
		]);
	});
});

describe('planAssignment: removals stick', () => {
	it('passes by a member the course was removed for, lists them apart and asks to confirm', () => {
		const plan = planAssignment({
			team: { id: T, dueAt: d('2026-12-01') },
			members: [person('a'), person('removed', true)],
			individuals: [],
			rows: [{ userId: 'a', teamId: T, dueAt: d('2026-12-01') }],
			excluded: ['removed'],
			dueAt: d('2026-12-15')
		});
		expect(plan.people.map((p) => p.userId)).toEqual(['a']);
		expect(plan.excluded).toEqual([{ userId: 'removed', displayName: 'REMOVED', completed: true }]);
		expect(plan.writes).toEqual([{ userId: 'a', teamId: T }]);
		expect(plan.clears).toEqual([]);
		expect(plan.needsConfirmation).toBe(true);
	});

	it('even on the same date, the person passed by is shown before anything is done', () => {
		const plan = planAssignment({ team: { id: T, dueAt: d('2026-12-01') }, members: [person('removed')], individuals: [], rows: [], excluded: ['removed'], dueAt: d('2026-12-01') });
		expect(plan.writes).toEqual([]);
		expect(plan.needsConfirmation).toBe(true);
	});

	it('choosing the person by name gives the course back and ends the removal', () => {
		const plan = planAssignment({ team: { id: T, dueAt: d('2026-12-01') }, members: [person('removed'), person('b')], individuals: [person('removed')], rows: [], excluded: ['removed'], dueAt: d('2026-12-15') });
		expect(plan.excluded).toEqual([]);
		expect(plan.clears).toEqual(['removed']);
		expect(plan.people.find((p) => p.userId === 'removed')).toMatchObject({ via: 'individual', change: { kind: 'new' } });
		expect(plan.writes).toContainEqual({ userId: 'removed', teamId: null });
	});
});

describe('planMembershipChange', () => {
	const rows = [
		{ userId: 'u', courseSlug: 'home-visit', teamId: 'north', dueAt: d('2026-12-01') },
		{ userId: 'u', courseSlug: 'complaints', teamId: null, dueAt: d('2026-12-05') },
		{ userId: 'u', courseSlug: 'ro-purifier', teamId: 'north', dueAt: d('2026-12-09') }
	];

	it('leaving a team ends the assignments from it and keeps those given by name', () => {
		expect(planMembershipChange({ rows, from: 'north', to: null, toCourses: [], assignable: true })).toEqual({
			remove: ['home-visit', 'ro-purifier'],
			write: [],
			notices: [
				{ courseSlug: 'home-visit', kind: 'removed', dueAt: d('2026-12-01') },
				{ courseSlug: 'ro-purifier', kind: 'removed', dueAt: d('2026-12-09') }
			],
			forgetExclusionsOf: 'north'
		});
	});

	it('joining a team brings its courses with its dates, except one already held', () => {
		const change = planMembershipChange({
			rows: [rows[1]!],
			from: null,
			to: 'south',
			toCourses: [
				{ courseSlug: 'customer-care', dueAt: d('2026-12-20') },
				{ courseSlug: 'complaints', dueAt: d('2026-12-30') }
			],
			assignable: true
		});
		expect(change).toEqual({
			remove: [],
			write: [{ courseSlug: 'customer-care', dueAt: d('2026-12-20') }],
			notices: [{ courseSlug: 'customer-care', kind: 'assigned', dueAt: d('2026-12-20') }],
			forgetExclusionsOf: null
		});
	});

	it('moving between teams that both assign a course moves it to the new date', () => {
		const change = planMembershipChange({ rows, from: 'north', to: 'south', toCourses: [{ courseSlug: 'home-visit', dueAt: d('2026-12-15') }], assignable: true });
		expect(change.remove).toEqual(['ro-purifier']);
		expect(change.write).toEqual([{ courseSlug: 'home-visit', dueAt: d('2026-12-15') }]);
		expect(change.notices.map((n) => [n.courseSlug, n.kind])).toEqual([
			['home-visit', 'redated'],
			['ro-purifier', 'removed']
		]);
	});

	it('someone who is not an active technician gets no course; staying in the same team changes nothing', () => {
		expect(planMembershipChange({ rows: [], from: null, to: 'south', toCourses: [{ courseSlug: 'x', dueAt: d('2026-12-15') }], assignable: false }).write).toEqual([]);
		expect(planMembershipChange({ rows, from: 'north', to: 'north', toCourses: [], assignable: true })).toEqual({ remove: [], write: [], notices: [], forgetExclusionsOf: null });
	});

	it('a course removed for the person stays removed when they (again) count as joining the team', () => {
		const change = planMembershipChange({
			rows: [{ userId: 'u', courseSlug: 'complaints', teamId: 'north', dueAt: d('2026-12-05') }],
			from: null,
			to: 'north',
			toCourses: [
				{ courseSlug: 'complaints', dueAt: d('2026-12-01') },
				{ courseSlug: 'home-visit', dueAt: d('2026-12-20') },
				{ courseSlug: 'ro-purifier', dueAt: d('2026-12-22') }
			],
			assignable: true,
			excluded: ['home-visit']
		});
		expect(change).toEqual({
			remove: [],
			write: [{ courseSlug: 'ro-purifier', dueAt: d('2026-12-22') }],
			notices: [{ courseSlug: 'ro-purifier', kind: 'assigned', dueAt: d('2026-12-22') }],
			forgetExclusionsOf: null
		});
	});
});

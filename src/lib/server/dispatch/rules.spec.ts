import { describe, expect, it } from 'vitest';
import { parseUtcMinute, jobEnd, NAME_MAX, OVERRIDE_REASON_MAX, overrideReason, pickerOrder, teamsBlockingJobTypeChange, validateJobType } from './rules';

const defs = [
	{ id: 'home-visit', levels: 2 },
	{ id: 'ro', levels: 1 }
];

describe('validateJobType', () => {
	it('accepts a named type with known certifications at levels they have', () => {
		expect(validateJobType({ name: 'RO install', productLine: 'water-purifier', requirements: [{ certificationId: 'home-visit', minLevel: 2 }, { certificationId: 'ro', minLevel: 1 }] }, defs)).toEqual({});
	});
	it('accepts a type with no requirements', () => {
		expect(validateJobType({ name: 'Survey', productLine: 'general', requirements: [] }, defs)).toEqual({});
	});
	it('needs a name and a product line, not just spaces', () => {
		expect(validateJobType({ name: '  ', productLine: '\t', requirements: [] }, defs)).toEqual({ name: 'required', productLine: 'required' });
	});
	it('bounds the lengths', () => {
		expect(validateJobType({ name: 'x'.repeat(NAME_MAX + 1), productLine: 'y'.repeat(81), requirements: [] }, defs)).toEqual({ name: 'too-long', productLine: 'too-long' });
		expect(validateJobType({ name: 'x'.repeat(NAME_MAX), productLine: 'y'.repeat(80), requirements: [] }, defs, ['y'.repeat(80)])).toEqual({});
	});
	it('takes only a known product line', () => {
		expect(validateJobType({ name: 'A', productLine: 'rockets', requirements: [] }, defs)).toEqual({ productLine: 'unknown' });
		expect(validateJobType({ name: 'A', productLine: ' beauty-counter ', requirements: [] }, defs)).toEqual({});
	});
	it('refuses unknown certifications, duplicates and levels the certification does not have', () => {
		expect(
			validateJobType(
				{
					name: 'A',
					productLine: 'general',
					requirements: [
						{ certificationId: 'nope', minLevel: 1 },
						{ certificationId: 'ro', minLevel: 2 },
						{ certificationId: 'home-visit', minLevel: 0 }
					]
				},
				defs
			)
		).toEqual({ 'requirements.nope': 'unknown-certification', 'requirements.ro': 'level-out-of-range', 'requirements.home-visit': 'level-out-of-range' });
		expect(validateJobType({ name: 'A', productLine: 'general', requirements: [{ certificationId: 'ro', minLevel: 1 }, { certificationId: 'ro', minLevel: 1 }] }, defs)).toEqual({ 'requirements.ro': 'duplicate' });
		expect(validateJobType({ name: 'A', productLine: 'general', requirements: [{ certificationId: 'home-visit', minLevel: 1.5 }] }, defs)).toEqual({ 'requirements.home-visit': 'level-out-of-range' });
	});
});

describe('jobEnd', () => {
	it('adds the duration in minutes', () => {
		expect(jobEnd(new Date('2026-01-01T23:30:00Z'), 90).toISOString()).toBe('2026-01-02T01:00:00.000Z');
	});
});

describe('overrideReason', () => {
	it('needs written text, trimmed', () => {
		expect(overrideReason(undefined)).toEqual({ ok: false, problem: 'required' });
		expect(overrideReason('   \n ')).toEqual({ ok: false, problem: 'required' });
		expect(overrideReason('  only one on site \n')).toEqual({ ok: true, reason: 'only one on site' });
	});
	it('bounds the length after trimming', () => {
		expect(overrideReason(' ' + 'a'.repeat(OVERRIDE_REASON_MAX) + ' ')).toEqual({ ok: true, reason: 'a'.repeat(OVERRIDE_REASON_MAX) });
		expect(overrideReason('a'.repeat(OVERRIDE_REASON_MAX + 1))).toEqual({ ok: false, problem: 'too-long' });
	});
});

describe('pickerOrder', () => {
	const t = (name: string, eligible: boolean, reasons: number, id = name) => ({ name, eligible, reasons: Array(reasons).fill('r'), technicianId: id });
	it('puts eligible first, then fewer unmet requirements, then name and id', () => {
		const list = [t('Zed', true, 0), t('Amy', false, 2), t('Bob', false, 1), t('Ann', true, 0), t('Amy', false, 2, 'a0')];
		expect(pickerOrder(list).map((x) => `${x.name}/${x.technicianId}`)).toEqual(['Ann/Ann', 'Zed/Zed', 'Bob/Bob', 'Amy/Amy', 'Amy/a0']);
	});
	it('does not change its input', () => {
		const list = [t('B', false, 1), t('A', true, 0)];
		pickerOrder(list);
		expect(list[0]!.name).toBe('B');
	});
});

describe('parseUtcMinute', () => {
	it('reads a datetime-local value as UTC', () => {
		expect(parseUtcMinute('2026-06-01T09:30')!.toISOString()).toBe('2026-06-01T09:30:00.000Z');
		expect(parseUtcMinute(' 2026-06-01T09:30:15 ')!.toISOString()).toBe('2026-06-01T09:30:15.000Z');
	});
	it('refuses malformed and impossible times', () => {
		for (const bad of ['', 'tomorrow', '2026-06-01', '2026-06-01 09:30', '2026-02-30T10:00', '2026-06-01T24:00', '2026-13-01T10:00', '1999-12-31T23:59', '2026-06-01T09:30Z', '2026-06-01T09:30:61'])
			expect(parseUtcMinute(bad), bad).toBeNull();
	});
});

describe('teamsBlockingJobTypeChange', () => {
	const north = { id: 'n', name: 'North' };
	const south = { id: 's', name: 'South' };
	it('lets an administrator change any job type', () => {
		expect(teamsBlockingJobTypeChange('all', [north, south])).toEqual([]);
	});
	it('lets a manager change a type only when they lead every team that uses it', () => {
		expect(teamsBlockingJobTypeChange(['n', 's'], [north, south])).toEqual([]);
		expect(teamsBlockingJobTypeChange(['s'], [north, south])).toEqual(['North']);
		expect(teamsBlockingJobTypeChange([], [north])).toEqual(['North']);
	});
	it('lets any manager change a type no job uses yet', () => {
		expect(teamsBlockingJobTypeChange([], [])).toEqual([]);
	});
});

import { describe, expect, it } from 'vitest';
import { jobTimeFromForm } from './job-time';

const NOW = Date.parse('2026-03-01T00:00:00Z');

describe('a job time from a form, in the team zone', () => {
	it('reads the wall clock of the zone', () => {
		expect(jobTimeFromForm('2026-03-02T09:00', 'Asia/Shanghai', NOW)).toEqual({ ok: true, at: new Date('2026-03-02T01:00:00Z') });
		expect(jobTimeFromForm('2026-03-02T09:00', 'America/New_York', NOW)).toEqual({ ok: true, at: new Date('2026-03-02T14:00:00Z') });
	});

	it('takes the first of a time that happens twice', () => {
		expect(jobTimeFromForm('2026-11-01T01:30', 'America/New_York', NOW)).toEqual({ ok: true, at: new Date('2026-11-01T05:30:00Z') });
	});

	it('gives a missing, unreal, skipped or past time its own message', () => {
		expect(jobTimeFromForm('  ', 'UTC', NOW)).toEqual({ ok: false, message: 'Enter the date and time of the job.' });
		expect(jobTimeFromForm('2026-02-30T10:00', 'UTC', NOW)).toEqual({ ok: false, message: 'Enter a real date and time.' });
		const gap = jobTimeFromForm('2026-03-08T02:30', 'America/New_York', NOW);
		expect(gap.ok === false && gap.message).toMatch(/^2026-03-08 02:30 does not exist in America\/New_York: .* 2026-03-08 03:30\.$/);
		expect(jobTimeFromForm('2026-02-28T23:00', 'UTC', NOW)).toEqual({ ok: false, message: 'This time has passed: a job is entered for a time still to come.' });
		// A minute's grace for the time it takes to send the form.
		expect(jobTimeFromForm('2026-02-28T23:59', 'UTC', NOW).ok).toBe(true);
	});
});

import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, isTimeZone, resolveTimeZone, timeZoneNames } from './time-zone';

describe('time zones', () => {
	it('knows the IANA zones of the platform, UTC first', () => {
		const names = timeZoneNames();
		expect(names[0]).toBe('UTC');
		expect(names).toContain('Asia/Shanghai');
		expect(names).toContain('America/New_York');
		expect(names).toContain('Europe/Berlin');
	});

	it('accepts known zones in any case and gives their canonical name', () => {
		expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
		expect(canonicalTimeZone(' Europe/Berlin ')).toBe('Europe/Berlin');
		expect(isTimeZone('UTC')).toBe(true);
	});

	it('refuses what is not a zone', () => {
		for (const bad of ['', 'Mars/Olympus', '+08:00', 'Asia/Shanghai; drop', 'x'.repeat(80), 8, null, undefined])
			expect(isTimeZone(bad)).toBe(false);
	});
});

describe('resolveTimeZone', () => {
	it('takes the person’s zone, else the team’s, else the organisation’s', () => {
		expect(resolveTimeZone('America/New_York', 'Europe/Berlin', 'Asia/Shanghai')).toBe('America/New_York');
		expect(resolveTimeZone(null, 'Europe/Berlin', 'Asia/Shanghai')).toBe('Europe/Berlin');
		expect(resolveTimeZone(null, null, 'Asia/Shanghai')).toBe('Asia/Shanghai');
		expect(resolveTimeZone('Mars/Olympus', undefined, 'Asia/Shanghai')).toBe('Asia/Shanghai');
		expect(resolveTimeZone()).toBe('UTC');
	});
});

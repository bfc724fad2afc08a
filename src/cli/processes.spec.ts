import { describe, expect, it } from 'vitest';
import { MAX_PROCESSES, processCount } from './processes.js';

describe('processCount (WEB_CONCURRENCY)', () => {
	const db = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sr' };

	it('is one process when unset or empty', () => {
		expect(processCount({})).toEqual({ count: 1 });
		expect(processCount({ WEB_CONCURRENCY: '  ' })).toEqual({ count: 1 });
	});

	it('reads a whole number within the bound, on a PostgreSQL server', () => {
		expect(processCount({ ...db, WEB_CONCURRENCY: '2' })).toEqual({ count: 2 });
		expect(processCount({ ...db, WEB_CONCURRENCY: String(MAX_PROCESSES) })).toEqual({ count: MAX_PROCESSES });
		expect(processCount({ WEB_CONCURRENCY: '1' })).toEqual({ count: 1 });
	});

	it('refuses anything else with a message naming the setting', () => {
		for (const bad of ['0', '-1', '1.5', 'two', '2x', String(MAX_PROCESSES + 1), '1e2']) {
			const r = processCount({ ...db, WEB_CONCURRENCY: bad });
			expect(r).toHaveProperty('error');
			expect((r as { error: string }).error).toContain('WEB_CONCURRENCY');
		}
	});

	it('refuses several processes on the embedded database', () => {
		const r = processCount({ WEB_CONCURRENCY: '2' });
		expect((r as { error: string }).error).toContain('DATABASE_URL');
	});
});

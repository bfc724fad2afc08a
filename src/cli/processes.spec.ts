import { describe, expect, it } from 'vitest';
import { KEEP_ALIVE_SECONDS, MAX_PROCESSES, processCount, serverDefaults } from './processes.js';

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

describe('serverDefaults (what npm start sets when unset)', () => {
	it('fills the port, public address, body limit and keep-alive', () => {
		expect(serverDefaults({})).toEqual({ PORT: '3000', ORIGIN: 'http://localhost:3000', BODY_SIZE_LIMIT: '2M', KEEP_ALIVE_TIMEOUT: String(KEEP_ALIVE_SECONDS) });
	});

	it('keeps idle connections longer than a pause to think (Node closes them after 5 s)', () => {
		expect(KEEP_ALIVE_SECONDS).toBeGreaterThan(60);
	});

	it('leaves what is set alone, and derives the address from the port given', () => {
		expect(serverDefaults({ PORT: '8080' })).toEqual({ ORIGIN: 'http://localhost:8080', BODY_SIZE_LIMIT: '2M', KEEP_ALIVE_TIMEOUT: String(KEEP_ALIVE_SECONDS) });
		expect(serverDefaults({ PORT: '1', ORIGIN: 'https://x.example', BODY_SIZE_LIMIT: '1M', KEEP_ALIVE_TIMEOUT: '5' })).toEqual({});
	});
});

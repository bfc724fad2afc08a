import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import postgres from 'postgres';
import { ServiceError } from '../errors';
import { isDatabaseUnavailable, RECONNECT_DELAY_MAX_SECONDS, reconnectDelaySeconds } from './connection';

/** The errors as postgres.js builds them (see its src/errors.js), and as PostgreSQL words them. */
function driverError(code: string): Error {
	return Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code, errno: code, address: '127.0.0.1', port: 5432 });
}
function serverError(code: string, message: string, severity = 'FATAL'): Error {
	return new postgres.PostgresError({ message, code, severity, severity_local: severity } as never);
}
function networkError(code: string): Error {
	return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
}
/** What drizzle throws: its own error, the driver's as `cause`. */
const wrapped = (cause: Error) => new DrizzleQueryError('select 1', [], cause);

describe('isDatabaseUnavailable', () => {
	it.each([
		['the server refusing connections (stopped)', networkError('ECONNREFUSED')],
		['a connection reset', networkError('ECONNRESET')],
		['a network timeout', networkError('ETIMEDOUT')],
		['an unreachable host', networkError('EHOSTUNREACH')],
		['a temporary DNS failure', networkError('EAI_AGAIN')],
		['a connection closed under a query', driverError('CONNECTION_CLOSED')],
		['a connection destroyed', driverError('CONNECTION_DESTROYED')],
		['the pool ended while the process stops', driverError('CONNECTION_ENDED')],
		['no connection within connect_timeout', driverError('CONNECT_TIMEOUT')],
		['a server shutting down (57P01 admin_shutdown)', serverError('57P01', 'terminating connection due to administrator command')],
		['a server that crashed (57P02 crash_shutdown)', serverError('57P02', 'terminating connection because of crash of another server process')],
		['a server starting up (57P03 cannot_connect_now)', serverError('57P03', 'the database system is starting up')],
		['too many connections (53300)', serverError('53300', 'sorry, too many clients already')],
		['a connection failure (08006)', serverError('08006', 'connection failure')],
		['a connection that could not be made (08001)', serverError('08001', 'could not connect')]
	])('is true for %s, bare and wrapped by drizzle', (_, error) => {
		expect(isDatabaseUnavailable(error)).toBe(true);
		expect(isDatabaseUnavailable(wrapped(error))).toBe(true);
	});

	it('looks into an AggregateError, which Node raises when every address of a host refused', () => {
		const both = Object.assign(new AggregateError([networkError('ECONNREFUSED'), networkError('ECONNREFUSED')], ''), { code: undefined });
		expect(isDatabaseUnavailable(both)).toBe(true);
		expect(isDatabaseUnavailable(wrapped(both))).toBe(true);
		expect(isDatabaseUnavailable(new AggregateError([new Error('a'), new TypeError('b')], ''))).toBe(false);
	});

	it.each([
		['a unique violation', serverError('23505', 'duplicate key value violates unique constraint', 'ERROR')],
		['a syntax error', serverError('42601', 'syntax error at or near "selct"', 'ERROR')],
		['a missing table', serverError('42P01', 'relation "nope" does not exist', 'ERROR')],
		['a cancelled statement (57014, the request took too long, not the server)', serverError('57014', 'canceling statement due to statement timeout', 'ERROR')],
		['a dropped database (57P04: configuration, not a moment)', serverError('57P04', 'database dropped')],
		['a wrong password (28P01)', serverError('28P01', 'password authentication failed', 'FATAL')],
		['an unknown host (ENOTFOUND: configuration)', networkError('ENOTFOUND')],
		['a refusal of the product', new ServiceError('No such attempt.', null, 404)],
		['a plain error', new Error('CONNECTION_CLOSED is only in the message')],
		['a type error', new TypeError("Cannot read properties of undefined (reading 'id')")]
	])('is false for %s', (_, error) => {
		expect(isDatabaseUnavailable(error)).toBe(false);
		expect(isDatabaseUnavailable(wrapped(error))).toBe(false);
	});

	it('is false for values that are not errors, and a code must be a string', () => {
		for (const value of [undefined, null, 'ECONNREFUSED', 57, { code: 57 }, { code: ['ECONNREFUSED'] }]) {
			expect(isDatabaseUnavailable(value)).toBe(false);
		}
		expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
	});

	it('does not mistake a code that merely starts like a connection class for one', () => {
		expect(isDatabaseUnavailable({ code: '08' })).toBe(false);
		expect(isDatabaseUnavailable({ code: '080060' })).toBe(false);
		expect(isDatabaseUnavailable({ code: 'x08006' })).toBe(false);
	});

	it('ends on a cycle of causes, and on chains deeper than any driver builds', () => {
		const a = new Error('a');
		const b = new Error('b', { cause: a });
		(a as { cause?: unknown }).cause = b;
		expect(isDatabaseUnavailable(a)).toBe(false);
		let deep: Error = networkError('ECONNREFUSED');
		for (let i = 0; i < 3; i++) deep = new Error(`level ${i}`, { cause: deep });
		expect(isDatabaseUnavailable(deep)).toBe(true);
		for (let i = 0; i < 20; i++) deep = new Error(`level ${i}`, { cause: deep });
		expect(isDatabaseUnavailable(deep)).toBe(false);
	});
});

describe('reconnectDelaySeconds', () => {
	it('doubles from a tenth of a second and never waits more than a second', () => {
		expect([1, 2, 3, 4].map((n) => reconnectDelaySeconds(n, 1))).toEqual([0.1, 0.2, 0.4, 0.8]);
		for (const n of [5, 6, 10, 50, 1000]) expect(reconnectDelaySeconds(n, 1)).toBe(RECONNECT_DELAY_MAX_SECONDS);
		expect(RECONNECT_DELAY_MAX_SECONDS).toBe(1);
	});

	it('spreads retries between half and all of the delay', () => {
		expect(reconnectDelaySeconds(3, 0)).toBe(0.2);
		expect(reconnectDelaySeconds(3, 0.5)).toBeCloseTo(0.3, 10);
		for (let i = 0; i < 100; i++) {
			const d = reconnectDelaySeconds(20);
			expect(d).toBeGreaterThanOrEqual(0.5);
			expect(d).toBeLessThanOrEqual(1);
		}
	});

	it('is a delay postgres.js accepts: a finite number of seconds, 0.025 s at the first failure', () => {
		expect(reconnectDelaySeconds(0, 0)).toBe(0.025);
		expect(Number.isFinite(reconnectDelaySeconds(10_000))).toBe(true);
	});
});

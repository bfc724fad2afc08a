/**
 * How the app lives with a PostgreSQL server that goes away for a moment (a restart, a failover):
 * requests fail fast with a 503 while it is away, and the pool reconnects on its own once it is back.
 */

/**
 * Seconds to wait for a new connection (postgres.js waits 30 by default): while the server is
 * unreachable a request fails within this, instead of hanging.
 */
export const CONNECT_TIMEOUT_SECONDS = 5;

/** The longest wait before a failed connection is tried again. */
export const RECONNECT_DELAY_MAX_SECONDS = 1;

/**
 * Seconds before a failed connection is tried again, after `failures` consecutive failures in the
 * pool: doubling from 0.1 s, capped at RECONNECT_DELAY_MAX_SECONDS, with jitter so that the
 * connections of many processes do not retry in step. postgres.js's own delay grows to 20 s
 * (3^n / 100), and a request that needs that connection waits it out: a few seconds of outage left
 * requests hanging for up to 20 s, during the outage and after it.
 */
export function reconnectDelaySeconds(failures: number, random = Math.random()): number {
	return Math.min(0.05 * 2 ** failures, RECONNECT_DELAY_MAX_SECONDS) * (0.5 + random / 2);
}

/*
 * Which errors mean "the database cannot be reached right now" (refusing or dropping connections,
 * shutting down, starting up, too slow to accept one) rather than a fault of the request or of the
 * code. The first is temporary: the request is answered 503 "try again"; the second stays a 500.
 */

/** Node's network errors when a connection cannot be made or is cut. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/** postgres.js' own codes: a connection closed or destroyed under a query, not made in time, or the pool ended (shutdown). */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT']);

/**
 * SQLSTATEs (PostgreSQL manual, appendix A) that mean "not now" rather than "wrong": 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down),
 * 53300 too_many_connections. All of class 08 (connection exception) is matched by its prefix.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Causes followed at most: drizzle wraps the driver's error once; a loop in `cause` must not hang. */
const MAX_DEPTH = 8;

function codeOf(value: object): string | undefined {
	const code = (value as { code?: unknown }).code;
	return typeof code === 'string' ? code : undefined;
}

function matches(code: string): boolean {
	return NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}

/**
 * True when `error`, or any error it wraps (`cause`, and the `errors` of an AggregateError, which
 * Node raises when every address of a host refused), says the database is unreachable.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
	if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return false;
	const code = codeOf(error);
	if (code !== undefined && matches(code)) return true;
	const { cause, errors } = error as { cause?: unknown; errors?: unknown };
	if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
	return isDatabaseUnavailable(cause, depth + 1);
}

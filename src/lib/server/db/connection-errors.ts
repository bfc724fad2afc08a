/**
 * Tells a database that cannot be reached right now (PostgreSQL restarting, failing over, refusing
 * or dropping connections, too slow to accept one) from a fault of the request or of the code. The
 * first is temporary: the request is answered 503 "try again" and the connection pool reconnects
 * by itself; the second stays a 500.
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

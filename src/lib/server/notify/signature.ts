import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Webhook signatures, in the scheme Stripe made familiar: the header
 * `X-ServiceReady-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * Signing the timestamp with the body lets a receiver refuse a replayed old request.
 */

/** How old (or how far in the future) a signed timestamp may be, by default: five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
	return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The signature header's value for `body` sent at `timestamp` (unix seconds). */
export function sign(secret: string, timestamp: number, body: string): string {
	if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`timestamp must be whole unix seconds, got ${timestamp}`);
	return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'too-old' | 'mismatch' };

/**
 * Checks a signature header against the raw body a receiver got:
 * - `malformed` when the header has no integer `t` or no `v1`;
 * - `too-old` when `t` is more than `toleranceSeconds` away from `now` (either way: clocks drift,
 *   but a timestamp far in the future is as suspect as an old one);
 * - `mismatch` unless one of the `v1` values (several are allowed, for a secret being rotated) equals
 *   the expected HMAC, compared in constant time.
 */
export function verifySignature(
	secret: string,
	header: string | null | undefined,
	body: string,
	options: { now?: number; toleranceSeconds?: number } = {}
): Verification {
	const now = options.now ?? Math.floor(Date.now() / 1000);
	const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
	if (!header || header.length > 2000) return { ok: false, reason: 'malformed' };
	let timestamp: number | null = null;
	const candidates: string[] = [];
	for (const part of header.split(',')) {
		const eq = part.indexOf('=');
		if (eq < 1) return { ok: false, reason: 'malformed' };
		const key = part.slice(0, eq).trim();
		const value = part.slice(eq + 1).trim();
		if (key === 't') {
			if (timestamp !== null || !/^\d{1,12}$/.test(value)) return { ok: false, reason: 'malformed' };
			timestamp = Number(value);
		} else if (key === 'v1') {
			candidates.push(value);
		}
	}
	if (timestamp === null || candidates.length === 0) return { ok: false, reason: 'malformed' };
	if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: 'too-old' };
	const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
	let matched = false;
	for (const candidate of candidates) {
		if (!/^[0-9a-f]+$/i.test(candidate)) continue;
		const given = Buffer.from(candidate, 'hex');
		// timingSafeEqual needs equal lengths; a length difference says nothing about the secret.
		if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
	}
	return matched ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

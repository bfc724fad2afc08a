import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	SESSION_COOKIE,
	SESSION_LIFETIME_MS,
	SESSION_RENEW_BELOW_MS,
	generateToken,
	hashToken,
	renewedExpiry
} from './session';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('session constants', () => {
	it('lasts 30 days and renews below 15 days', () => {
		expect(SESSION_LIFETIME_MS).toBe(30 * DAY_MS);
		expect(SESSION_RENEW_BELOW_MS).toBe(15 * DAY_MS);
	});

	it('names the cookie sr_session', () => {
		expect(SESSION_COOKIE).toBe('sr_session');
	});
});

describe('generateToken', () => {
	it('returns 24 base64url characters', () => {
		const token = generateToken();
		expect(token).toHaveLength(24);
		expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
	});

	it('never repeats across many calls', () => {
		const tokens = new Set<string>();
		for (let i = 0; i < 1000; i++) tokens.add(generateToken());
		expect(tokens.size).toBe(1000);
	});

	it('always matches the shape the session check accepts', () => {
		for (let i = 0; i < 200; i++) expect(generateToken()).toMatch(/^[A-Za-z0-9_-]{24}$/);
	});
});

describe('hashToken', () => {
	it('returns 64 lower-case hex characters', () => {
		expect(hashToken(generateToken())).toMatch(/^[0-9a-f]{64}$/);
	});

	it('is the SHA-256 hex digest of the token', () => {
		const token = 'abcdefghijklmnopqrstuvwx';
		const expected = createHash('sha256').update(token, 'utf8').digest('hex');
		expect(hashToken(token)).toBe(expected);
	});

	it('matches the published SHA-256 vector for "abc"', () => {
		expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('is deterministic and differs between tokens', () => {
		const a = generateToken();
		const b = generateToken();
		expect(hashToken(a)).toBe(hashToken(a));
		expect(hashToken(a)).not.toBe(hashToken(b));
	});

	it('does not return the token itself', () => {
		const token = generateToken();
		expect(hashToken(token)).not.toContain(token);
	});
});

describe('renewedExpiry', () => {
	const now = new Date('2025-03-01T12:00:00.000Z');
	const after = (ms: number) => new Date(now.getTime() + ms);

	it('returns null when a full lifetime remains', () => {
		expect(renewedExpiry(after(30 * DAY_MS), now)).toBeNull();
	});

	it('returns null when more than 15 days remain', () => {
		expect(renewedExpiry(after(15 * DAY_MS + 1), now)).toBeNull();
		expect(renewedExpiry(after(20 * DAY_MS), now)).toBeNull();
	});

	it('returns null at exactly 15 days remaining', () => {
		expect(renewedExpiry(after(15 * DAY_MS), now)).toBeNull();
	});

	it('renews to now + 30 days one millisecond under 15 days', () => {
		const renewed = renewedExpiry(after(15 * DAY_MS - 1), now);
		expect(renewed).toBeInstanceOf(Date);
		expect(renewed?.getTime()).toBe(now.getTime() + 30 * DAY_MS);
	});

	it('renews to now + 30 days when few days remain', () => {
		expect(renewedExpiry(after(DAY_MS), now)?.toISOString()).toBe('2025-03-31T12:00:00.000Z');
	});

	it('renews when already expired, measured from now', () => {
		expect(renewedExpiry(after(-DAY_MS), now)?.getTime()).toBe(now.getTime() + SESSION_LIFETIME_MS);
	});
});

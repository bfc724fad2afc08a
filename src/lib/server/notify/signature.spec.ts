import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_TOLERANCE_SECONDS, sign, signatureOf, verifySignature } from './signature';

const secret = 'shh-secret';
const body = '{"hello":"世界"}';
const t = 1_700_000_000;

describe('sign', () => {
	it('is HMAC-SHA256 over "<t>.<body>" in hex (vector computed with openssl)', () => {
		expect(signatureOf(secret, t, body)).toBe('f0b258cd99daff5748003c55359fecd2bca2a32b84ee9c5f7bed14dbfaeeb42f');
		expect(sign(secret, t, body)).toBe(`t=${t},v1=f0b258cd99daff5748003c55359fecd2bca2a32b84ee9c5f7bed14dbfaeeb42f`);
	});

	it('refuses a timestamp that is not whole unix seconds', () => {
		expect(() => sign(secret, 1.5, body)).toThrow(RangeError);
		expect(() => sign(secret, -1, body)).toThrow(RangeError);
	});
});

describe('verifySignature', () => {
	const header = sign(secret, t, body);

	it('accepts its own signature at the moment of signing and within the tolerance either way', () => {
		expect(verifySignature(secret, header, body, { now: t })).toEqual({ ok: true, timestamp: t });
		expect(verifySignature(secret, header, body, { now: t + DEFAULT_TOLERANCE_SECONDS }).ok).toBe(true);
		expect(verifySignature(secret, header, body, { now: t - DEFAULT_TOLERANCE_SECONDS }).ok).toBe(true);
	});

	it('refuses an old or a future timestamp beyond the tolerance, even with a right signature', () => {
		expect(verifySignature(secret, header, body, { now: t + DEFAULT_TOLERANCE_SECONDS + 1 })).toEqual({ ok: false, reason: 'too-old' });
		expect(verifySignature(secret, header, body, { now: t - DEFAULT_TOLERANCE_SECONDS - 1 })).toEqual({ ok: false, reason: 'too-old' });
		expect(verifySignature(secret, header, body, { now: t + 3600, toleranceSeconds: 3600 }).ok).toBe(true);
	});

	it('refuses another secret, another body, another timestamp', () => {
		expect(verifySignature('other', header, body, { now: t })).toEqual({ ok: false, reason: 'mismatch' });
		expect(verifySignature(secret, header, body + ' ', { now: t })).toEqual({ ok: false, reason: 'mismatch' });
		const moved = header.replace(`t=${t}`, `t=${t + 1}`);
		expect(verifySignature(secret, moved, body, { now: t })).toEqual({ ok: false, reason: 'mismatch' });
	});

	it('refuses a truncated, non-hex or empty v1 without throwing', () => {
		const v1 = signatureOf(secret, t, body);
		for (const bad of [v1.slice(0, 63), v1.slice(0, 62), 'zz' + v1.slice(2), '', v1 + '00']) {
			expect(verifySignature(secret, `t=${t},v1=${bad}`, body, { now: t })).toEqual({ ok: false, reason: 'mismatch' });
		}
	});

	it('accepts any one of several v1 values (a secret being rotated), in any order, with spaces', () => {
		const v1 = signatureOf(secret, t, body);
		expect(verifySignature(secret, `v1=${'0'.repeat(64)}, t=${t}, v1=${v1}`, body, { now: t }).ok).toBe(true);
	});

	it('calls a header malformed when t or v1 is missing, t is not an integer, or t is given twice', () => {
		const v1 = signatureOf(secret, t, body);
		for (const bad of [null, undefined, '', `v1=${v1}`, `t=${t}`, `t=abc,v1=${v1}`, `t=-5,v1=${v1}`, `t=1.5,v1=${v1}`, `t=${t},t=${t},v1=${v1}`, 'garbage', `=${t},v1=${v1}`, 'x'.repeat(3000)]) {
			expect(verifySignature(secret, bad, body, { now: t }), String(bad)).toEqual({ ok: false, reason: 'malformed' });
		}
	});

	it('round-trips any secret and body, and any change to the body breaks it', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1 }), fc.string({ unit: 'grapheme' }), fc.integer({ min: 0, max: 4_000_000_000 }), (key, text, ts) => {
				const h = sign(key, ts, text);
				expect(verifySignature(key, h, text, { now: ts }).ok).toBe(true);
				expect(verifySignature(key, h, text + 'x', { now: ts }).ok).toBe(false);
			})
		);
	});
});

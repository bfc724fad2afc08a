import { describe, expect, it } from 'vitest';
import { isApiRoute, readBearer } from './handle';

describe('readBearer', () => {
	it('reads the token of a Bearer header, the scheme in any case', () => {
		expect(readBearer('Bearer sr_abc-_DEF')).toEqual({ ok: true, token: 'sr_abc-_DEF' });
		expect(readBearer('bearer  sr_abc ')).toEqual({ ok: true, token: 'sr_abc' });
		expect(readBearer('BEARER abc+/==')).toEqual({ ok: true, token: 'abc+/==' });
	});
	it('tells a missing header from a malformed one', () => {
		expect(readBearer(null)).toEqual({ ok: false, problem: 'missing' });
		expect(readBearer('  ')).toEqual({ ok: false, problem: 'missing' });
		for (const bad of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'sr_abc', 'Bearer a b', 'Bearer sr_"x"', 'Token sr_abc']) {
			expect(readBearer(bad), bad).toEqual({ ok: false, problem: 'malformed' });
		}
	});
});

describe('isApiRoute', () => {
	it('is the route ids under /api/v1, nothing else', () => {
		for (const p of ['/api/v1', '/api/v1/jobs', '/api/v1/openapi.json', '/api/v1/[...rest]']) expect(isApiRoute(p), p).toBe(true);
		for (const p of ['/api', '/api/v10', '/api/v1x/jobs', '/(admin)/admin/api/v1', '/']) expect(isApiRoute(p), p).toBe(false);
		expect(isApiRoute(null)).toBe(false);
	});
});

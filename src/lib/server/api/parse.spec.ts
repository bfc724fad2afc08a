import { describe, expect, it } from 'vitest';
import {
	BODY_MAX_BYTES,
	cursorFor,
	decodeCursor,
	encodeCursor,
	LIMIT_DEFAULT,
	parseCertificationsQuery,
	parseEligibilityBody,
	parseEligibilityQuery,
	parseEligibleQuery,
	parseInstant,
	parseJobBody,
	parseJobCancelBody,
	parseJobEditBody,
	queryValues,
	readJsonBody
} from './parse';
import { ApiError } from './respond';

/** The ApiError a call throws (fails when it does not throw one). */
function refused(run: () => unknown): ApiError {
	try {
		run();
	} catch (e) {
		if (e instanceof ApiError) return e;
		throw e;
	}
	throw new Error('expected an ApiError');
}
async function refusedAsync(run: () => Promise<unknown>): Promise<ApiError> {
	try {
		await run();
	} catch (e) {
		if (e instanceof ApiError) return e;
		throw e;
	}
	throw new Error('expected an ApiError');
}

const TYPE = '0d6f2c1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
const TECH = '7b1e2d3c-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('parseInstant', () => {
	it('reads ISO 8601 instants with a timezone, seconds and fractions optional', () => {
		expect(parseInstant('2026-06-01T09:00:00Z')!.toISOString()).toBe('2026-06-01T09:00:00.000Z');
		expect(parseInstant('2026-06-01T09:00Z')!.toISOString()).toBe('2026-06-01T09:00:00.000Z');
		expect(parseInstant('2026-06-01T17:00:00+08:00')!.toISOString()).toBe('2026-06-01T09:00:00.000Z');
		expect(parseInstant('2026-06-01T04:30:00-04:30')!.toISOString()).toBe('2026-06-01T09:00:00.000Z');
		expect(parseInstant('2026-06-01T09:00:00.123456789Z')!.toISOString()).toBe('2026-06-01T09:00:00.123Z');
		expect(parseInstant('2026-06-01T09:00:00.5Z')!.toISOString()).toBe('2026-06-01T09:00:00.500Z');
		expect(parseInstant('2026-06-01t09:00:00z')!.toISOString()).toBe('2026-06-01T09:00:00.000Z');
		expect(parseInstant('2024-02-29T00:00:00Z')!.toISOString()).toBe('2024-02-29T00:00:00.000Z');
		expect(parseInstant('2000-02-29T00:00:00Z')).not.toBeNull();
		expect(parseInstant('2026-01-01T00:30:00+01:00')!.toISOString()).toBe('2025-12-31T23:30:00.000Z');
		expect(parseInstant('0099-03-01T00:00:00Z')!.getUTCFullYear()).toBe(99);
	});

	it('refuses a time without a zone, impossible fields and anything else', () => {
		for (const bad of [
			'',
			'2026-06-01T09:00:00',
			'2026-06-01',
			'2026-06-01 09:00:00Z',
			'2026-06-01T9:00:00Z',
			'2026-02-29T00:00:00Z',
			'1900-02-29T00:00:00Z',
			'2026-04-31T00:00:00Z',
			'2026-13-01T00:00:00Z',
			'2026-00-10T00:00:00Z',
			'2026-06-00T00:00:00Z',
			'2026-06-01T24:00:00Z',
			'2026-06-01T23:60:00Z',
			'2026-06-01T23:59:60Z',
			'2026-06-01T09:00:00+0800',
			'2026-06-01T09:00:00+24:00',
			'2026-06-01T09:00:00+08:60',
			'2026-06-01T09:00:00.Z',
			'2026-06-01T09:00:00.1234567890Z',
			'1780304400000',
			'tomorrow',
			' 2026-06-01T09:00:00Z',
			'2026-06-01T09:00:00Z '
		]) {
			expect(parseInstant(bad), bad).toBeNull();
		}
	});
});

describe('parseEligibilityBody', () => {
	it('takes 1–200 ids (each once, lower case, in order), an instant and an optional duration', () => {
		const parsed = parseEligibilityBody({ jobTypeId: TYPE, technicianIds: [TECH, TECH.toUpperCase(), 'b'], at: '2026-06-01T17:00:00+08:00', durationMinutes: 90 });
		expect(parsed).toEqual({ jobTypeId: TYPE, technicianIds: [TECH, 'b'], at: new Date('2026-06-01T09:00:00Z'), durationMinutes: 90 });
		expect(parseEligibilityBody({ jobTypeId: TYPE, technicianIds: Array(200).fill(TECH), at: '2026-06-01T09:00:00Z' }).durationMinutes).toBeUndefined();
	});

	it('refuses wrong types, counts, instants and unknown fields, naming each field', () => {
		const ok = { jobTypeId: TYPE, technicianIds: [TECH], at: '2026-06-01T09:00:00Z' };
		const cases: Array<[unknown, string, RegExp]> = [
			[null, '', /JSON object/],
			[[ok], '', /JSON object/],
			['text', '', /JSON object/],
			[{ ...ok, technicianIds: [] }, 'technicianIds', /1 to 200/],
			[{ ...ok, technicianIds: Array.from({ length: 201 }, (_, i) => `t${i}`) }, 'technicianIds', /1 to 200/],
			[{ ...ok, technicianIds: TECH }, 'technicianIds', /array/],
			[{ ...ok, technicianIds: [TECH, 7] }, 'technicianIds.1', /must be a string/],
			[{ ...ok, at: '2026-06-01T09:00:00' }, 'at', /timezone/],
			[{ ...ok, at: 1780304400000 }, 'at', /timezone/],
			[{ ...ok, durationMinutes: 0 }, 'durationMinutes', /1 to 1440/],
			[{ ...ok, durationMinutes: 1441 }, 'durationMinutes', /1 to 1440/],
			[{ ...ok, durationMinutes: 1.5 }, 'durationMinutes', /whole number/],
			[{ ...ok, durationMinutes: '60' }, 'durationMinutes', /number/],
			[{ ...ok, jobTypeId: 5 }, 'jobTypeId', /string/],
			[{ technicianIds: [TECH], at: ok.at }, 'jobTypeId', /string/],
			[{ ...ok, jobtypeid: TYPE }, 'jobtypeid', /Unknown field "jobtypeid"/]
		];
		for (const [body, field, message] of cases) {
			const e = refused(() => parseEligibilityBody(body));
			expect([e.status, e.code], JSON.stringify(body)?.slice(0, 80)).toEqual([400, 'invalid-request']);
			expect(e.details?.issues?.[0], JSON.stringify(body)?.slice(0, 80)).toMatchObject({ field, message: expect.stringMatching(message) });
			expect(e.message).toBe(e.details!.issues![0]!.message);
		}
	});
});

describe('parseJobBody', () => {
	const ok = { jobTypeId: TYPE, technicianId: TECH, siteLabel: ' Mrs Li, Chaoyang ', scheduledAt: '2026-06-01T09:00:00Z', durationMinutes: 60 };
	it('trims the site and keeps optional team and override reason', () => {
		expect(parseJobBody(ok)).toEqual({ ...ok, siteLabel: 'Mrs Li, Chaoyang', scheduledAt: new Date('2026-06-01T09:00:00Z') });
		expect(parseJobBody({ ...ok, teamId: TYPE, overrideReason: null })).toMatchObject({ teamId: TYPE, overrideReason: null });
	});
	it('refuses a blank or long site, a long reason, a bad instant and a missing duration', () => {
		for (const [patch, field] of [
			[{ siteLabel: '   ' }, 'siteLabel'],
			[{ siteLabel: 'x'.repeat(201) }, 'siteLabel'],
			[{ overrideReason: 'x'.repeat(1001) }, 'overrideReason'],
			[{ overrideReason: 5 }, 'overrideReason'],
			[{ scheduledAt: '2026-06-31T09:00:00Z' }, 'scheduledAt'],
			[{ durationMinutes: undefined }, 'durationMinutes'],
			[{ technicianId: '' }, 'technicianId']
		] as const) {
			expect(refused(() => parseJobBody({ ...ok, ...patch })).details?.issues?.[0]?.field, JSON.stringify(patch)).toBe(field);
		}
	});
});

describe('parseJobEditBody', () => {
	it('takes any of the fields, trims the site and reads the time with its offset', () => {
		expect(parseJobEditBody({ scheduledAt: '2026-06-01T17:00:00+08:00' })).toEqual({ scheduledAt: new Date('2026-06-01T09:00:00Z') });
		expect(parseJobEditBody({ siteLabel: ' Mr Wang ', overrideReason: 'Customer insists' })).toEqual({ siteLabel: 'Mr Wang', overrideReason: 'Customer insists' });
		expect(parseJobEditBody({ jobTypeId: TYPE, durationMinutes: 30, overrideReason: null })).toEqual({ jobTypeId: TYPE, durationMinutes: 30, overrideReason: null });
	});
	it('refuses unknown fields, wrong types, a time without offset, and a body that changes nothing', () => {
		for (const [body, field] of [
			[{ scheduledAt: '2026-06-01T09:00:00' }, 'scheduledAt'],
			[{ scheduledAt: 1780000000000 }, 'scheduledAt'],
			[{ siteLabel: '  ' }, 'siteLabel'],
			[{ siteLabel: 'x'.repeat(201) }, 'siteLabel'],
			[{ siteLabel: 'a\u0000b' }, 'siteLabel'],
			[{ durationMinutes: '60' }, 'durationMinutes'],
			[{ durationMinutes: 1.5 }, 'durationMinutes'],
			[{ durationMinutes: 0 }, 'durationMinutes'],
			[{ jobTypeId: '' }, 'jobTypeId'],
			[{ jobTypeId: 7 }, 'jobTypeId'],
			[{ siteLabel: 'ok', overrideReason: 'x'.repeat(1001) }, 'overrideReason'],
			[{ siteLabel: 'ok', technicianId: TECH }, 'technicianId'],
			[{ siteLabel: 'ok', teamId: TYPE }, 'teamId'],
			[{ overrideReason: 'only a reason' }, ''],
			[{}, '']
		] as const) {
			const error = refused(() => parseJobEditBody(body));
			expect(error.status, JSON.stringify(body)).toBe(400);
			expect(error.details?.issues?.[0]?.field, JSON.stringify(body)).toBe(field);
		}
		expect(refused(() => parseJobEditBody({ scheduledAt: '2026-06-01T09:00:00' })).message).toMatch(/timezone/);
		expect(refused(() => parseJobEditBody({ siteLabel: 'ok', colour: 'red' })).message).toBe('Unknown field "colour".');
		for (const body of [null, [], 'x', 5]) expect(refused(() => parseJobEditBody(body)).message).toBe('The body must be a JSON object.');
	});
});

describe('parseJobCancelBody', () => {
	it('takes a trimmed reason', () => {
		expect(parseJobCancelBody({ reason: ' Customer moved ' })).toEqual({ reason: 'Customer moved' });
	});
	it('refuses an empty, long or missing reason, a wrong type and unknown fields', () => {
		for (const [body, field] of [
			[{ reason: '' }, 'reason'],
			[{ reason: '   ' }, 'reason'],
			[{ reason: 'x'.repeat(1001) }, 'reason'],
			[{ reason: 5 }, 'reason'],
			[{ reason: null }, 'reason'],
			[{}, 'reason'],
			[{ reason: 'ok', force: true }, 'force']
		] as const) {
			const error = refused(() => parseJobCancelBody(body));
			expect(error.status, JSON.stringify(body)).toBe(400);
			expect(error.details?.issues?.[0]?.field, JSON.stringify(body)).toBe(field);
		}
		expect(refused(() => parseJobCancelBody(null)).message).toBe('The body must be a JSON object.');
	});
});

describe('query strings', () => {
	const q = (s: string) => new URLSearchParams(s);
	it('refuses unknown and repeated parameters', () => {
		expect(queryValues(q('a=1&b=2'), ['a', 'b', 'c'])).toEqual({ a: '1', b: '2' });
		expect(refused(() => queryValues(q('a=1&durationMinute=5'), ['a', 'durationMinutes'])).message).toMatch(/Unknown query parameter "durationMinute"/);
		expect(refused(() => queryValues(q('a=1&a=2'), ['a'])).message).toMatch(/once/);
		expect(refused(() => queryValues(q('x='), [])).code).toBe('invalid-request');
	});

	it('reads the one-technician eligibility query', () => {
		expect(parseEligibilityQuery(q(`jobTypeId=${TYPE}&technicianId=${TECH.toUpperCase()}&at=2026-06-01T09:00:00Z&durationMinutes=30`))).toEqual({
			jobTypeId: TYPE,
			technicianIds: [TECH],
			at: new Date('2026-06-01T09:00:00Z'),
			durationMinutes: 30
		});
		expect(refused(() => parseEligibilityQuery(q(`jobTypeId=${TYPE}&at=2026-06-01T09:00:00Z`))).message).toBe('technicianId is required in the query string.');
		expect(refused(() => parseEligibilityQuery(q(`jobTypeId=${TYPE}&technicianId=${TECH}&at=2026-06-01T09:00:00`))).details?.issues?.[0]?.field).toBe('at');
	});

	it('reads paging with a default and bounded limit', () => {
		expect(parseEligibleQuery(q('at=2026-06-01T09:00:00Z'))).toEqual({ at: new Date('2026-06-01T09:00:00Z'), limit: LIMIT_DEFAULT });
		expect(parseEligibleQuery(q('at=2026-06-01T09:00:00Z&limit=200&durationMinutes=1440&cursor=abc'))).toMatchObject({ limit: 200, durationMinutes: 1440, cursor: 'abc' });
		for (const bad of ['limit=0', 'limit=201', 'limit=-1', 'limit=1.5', 'limit=ten', 'limit=', 'durationMinutes=0', 'durationMinutes=1441']) {
			const e = refused(() => parseEligibleQuery(q(`at=2026-06-01T09:00:00Z&${bad}`)));
			expect(e.message, bad).toMatch(/must be a whole number from 1 to (200|1440)/);
		}
		expect(refused(() => parseEligibleQuery(q('limit=5'))).message).toBe('at is required in the query string.');
	});

	it('takes now when the certifications query has no instant', () => {
		const now = new Date('2026-01-02T03:04:05Z');
		expect(parseCertificationsQuery(q(''), now)).toEqual({ at: now });
		expect(parseCertificationsQuery(q('at=2026-06-01T09:00:00Z'), now)).toEqual({ at: new Date('2026-06-01T09:00:00Z') });
		expect(refused(() => parseCertificationsQuery(q('at=now'), now)).details?.issues?.[0]?.field).toBe('at');
	});
});

describe('cursors', () => {
	const at = new Date('2026-06-01T09:00:00Z');
	const cursor = { after: TECH, jobTypeId: TYPE, at, durationMinutes: 90 };

	it('round-trips and is opaque URL-safe text', () => {
		const value = encodeCursor(cursor);
		expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeCursor(value)).toEqual(cursor);
		expect(decodeCursor(encodeCursor({ ...cursor, durationMinutes: null }))).toEqual({ ...cursor, durationMinutes: null });
	});

	it('refuses what this server did not make', () => {
		const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
		for (const bad of [
			'',
			'not a cursor',
			'%%%',
			b64({ after: TECH }),
			b64([2, TECH, TYPE, at.getTime(), null]),
			b64([1, 'x', TYPE, at.getTime(), null]),
			b64([1, TECH, TYPE, 'soon', null]),
			b64([1, TECH, TYPE, at.getTime(), 0]),
			b64([1, TECH, TYPE, at.getTime(), null, 'extra']),
			Buffer.from([0xff, 0xfe]).toString('base64url'),
			'A'.repeat(400)
		]) {
			expect(decodeCursor(bad), bad).toBeNull();
		}
	});

	it('belongs to one query: job type, instant and duration', () => {
		const value = encodeCursor(cursor);
		expect(cursorFor(undefined, { jobTypeId: TYPE, at })).toBeUndefined();
		expect(cursorFor(value, { jobTypeId: TYPE, at, durationMinutes: 90 })).toBe(TECH);
		for (const other of [
			{ jobTypeId: TECH, at, durationMinutes: 90 },
			{ jobTypeId: TYPE, at: new Date(at.getTime() + 1), durationMinutes: 90 },
			{ jobTypeId: TYPE, at }
		]) {
			expect(refused(() => cursorFor(value, other)).message).toMatch(/another query/);
		}
		expect(refused(() => cursorFor('junk', { jobTypeId: TYPE, at })).code).toBe('invalid-cursor');
	});
});

describe('readJsonBody', () => {
	const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
		new Request('http://x/api/v1/eligibility', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

	it('reads JSON sent as application/json (with a charset or a +json type)', async () => {
		expect(await readJsonBody(post('{"a":[1,"二"]}'))).toEqual({ a: [1, '二'] });
		expect(await readJsonBody(post('[]', { 'content-type': 'application/json; charset=utf-8' }))).toEqual([]);
		expect(await readJsonBody(post('{}', { 'content-type': 'application/merge-patch+json' }))).toEqual({});
	});

	it('refuses another type, a bad body and one too large, with the right status', async () => {
		expect(await refusedAsync(() => readJsonBody(post('a=1', { 'content-type': 'application/x-www-form-urlencoded' })))).toMatchObject({ status: 415, code: 'unsupported-media-type' });
		expect(await refusedAsync(() => readJsonBody(post('{}', {})))).toMatchObject({ status: 415 });
		expect(await refusedAsync(() => readJsonBody(post('{"a":')))).toMatchObject({ status: 400, code: 'invalid-json', message: expect.stringMatching(/not valid JSON/) });
		expect(await refusedAsync(() => readJsonBody(post('  ')))).toMatchObject({ status: 400, message: expect.stringMatching(/empty/) });
		expect(await refusedAsync(() => readJsonBody(post(null)))).toMatchObject({ status: 400, message: expect.stringMatching(/empty/) });
		expect(await refusedAsync(() => readJsonBody(post(new Uint8Array([0x7b, 0xff, 0x7d]))))).toMatchObject({ status: 400, message: expect.stringMatching(/UTF-8/) });
		const big = JSON.stringify({ pad: 'x'.repeat(BODY_MAX_BYTES) });
		expect(await refusedAsync(() => readJsonBody(post(big)))).toMatchObject({ status: 413, code: 'payload-too-large' });
		// Counted while reading, whatever Content-Length claims (a chunked body has none).
		const stream = new ReadableStream({
			start(c) {
				for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode('x'.repeat(BODY_MAX_BYTES / 4)));
				c.close();
			}
		});
		expect(await refusedAsync(() => readJsonBody(post(stream)))).toMatchObject({ status: 413 });
		expect(await refusedAsync(() => readJsonBody(post('{"a":1}'), 3))).toMatchObject({ status: 413 });
	});

	it('turns the server\'s own body limit into 413', async () => {
		const stream = new ReadableStream({
			start(c) {
				c.error(Object.assign(new Error('Content-length of 9999999 exceeds limit'), { status: 413 }));
			}
		});
		expect(await refusedAsync(() => readJsonBody(post(stream)))).toMatchObject({ status: 413, code: 'payload-too-large' });
	});
});

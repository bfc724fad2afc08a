import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, sql } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { apiToken, auditEvent, certificationHolding, job, jobType, jobTypeRequirement, team, user } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/users';
import * as auth from '../../src/lib/server/auth/session';
import { createApiToken, revokeApiToken } from '../../src/lib/server/api/tokens';
import { openApiDocument } from '../../src/lib/server/api/openapi';
import { apiClient, documentedResponses, seen, type ApiAnswer, type ApiCall } from './api-harness';

let t: TestDb;
let call: (method: string, path: string, options?: ApiCall) => Promise<ApiAnswer>;
const DAY = 86_400_000;
const NOW = new Date('2026-06-01T09:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * DAY);
const AT = NOW.toISOString();

let north: string;
let south: string;
let admin: string;
let ro: string;
let archived: string;
const techs: Record<string, string> = {};
let inactive: string;
const tokens = { full: '', reader: '', writer: '', revoked: '' };
const tokenIds: Record<keyof typeof tokens, string> = { full: '', reader: '', writer: '', revoked: '' };
const ELIGIBLE = ['ok1', 'ok2', 'ok3', 'ok4', 'ok5'];
/** Jobs the scope samples change: one to edit, one to cancel. */
const sampleJobs = { edit: '', cancel: '' };

async function hold(userId: string, certificationId: string, level: number, from: Date, to: Date, revoked?: { at: Date; reason: string }) {
	await t.db.insert(certificationHolding).values({
		userId,
		certificationId,
		level,
		grantedAt: from,
		expiresAt: to,
		revokedAt: revoked?.at ?? null,
		revokeReason: revoked?.reason ?? null,
		verifyCode: `v${Math.random().toString(36).slice(2, 12)}`.padEnd(16, 'x')
	});
}

beforeAll(async () => {
	t = await freshDb();
	call = await apiClient(t);
	[north, south] = (await t.db.insert(team).values([{ name: 'North', region: 'N' }, { name: 'South', region: 'S' }]).returning()).map((r) => r.id) as [string, string];
	admin = (await createUser(t.db, { email: 'admin@example.com', displayName: 'Admin', roles: ['admin', 'manager'] }, null)).id;
	const people: Array<[string, string]> = [
		['ok1', north], ['ok2', south], ['ok3', north], ['ok4', south], ['ok5', north],
		['expired', north], ['revoked', north], ['low', south], ['soon', north], ['future', south], ['missing', north]
	];
	for (const [key, teamId] of people) {
		techs[key] = (await createUser(t.db, { email: `${key}@example.com`, displayName: `Tech ${key}`, roles: ['technician'], teamId }, null)).id;
	}
	inactive = (await createUser(t.db, { email: 'gone@example.com', displayName: 'Gone', roles: ['technician'], teamId: north }, null)).id;
	await t.db.update(user).set({ active: false }).where(eq(user.id, inactive));
	for (const key of [...ELIGIBLE, 'expired', 'revoked', 'low', 'soon', 'future']) await hold(techs[key]!, 'ro-purifier-service', 1, days(-100), days(200));
	for (const key of ELIGIBLE) await hold(techs[key]!, 'home-visit-service', 2, days(-10), days(300));
	await hold(techs.expired!, 'home-visit-service', 2, days(-400), days(-35));
	await hold(techs.revoked!, 'home-visit-service', 2, days(-10), days(300), { at: days(-2), reason: 'Customer complaint upheld' });
	await hold(techs.low!, 'home-visit-service', 1, days(-10), days(300));
	await hold(techs.soon!, 'home-visit-service', 2, days(-300), new Date(NOW.getTime() + 30 * 60_000));
	await hold(techs.future!, 'home-visit-service', 2, days(10), days(375));
	[ro, archived] = (await t.db.insert(jobType).values([{ name: 'RO installation', productLine: 'water-purifier' }, { name: 'Old survey', productLine: 'general', archivedAt: days(-1) }]).returning()).map((r) => r.id) as [string, string];
	await t.db.insert(jobTypeRequirement).values([
		{ jobTypeId: ro, certificationId: 'ro-purifier-service', minLevel: 1 },
		{ jobTypeId: ro, certificationId: 'home-visit-service', minLevel: 2 }
	]);
	for (const [key, scopes] of [['full', ['eligibility:read', 'jobs:write']], ['reader', ['eligibility:read']], ['writer', ['jobs:write']], ['revoked', ['eligibility:read', 'jobs:write']]] as const) {
		const created = await createApiToken(t.db, { name: `Dispatch ${key}`, scopes: [...scopes] }, admin);
		tokens[key] = created.secret;
		tokenIds[key] = created.token.id;
	}
	await revokeApiToken(t.db, tokenIds.revoked, admin);
	const soon = new Date(Date.now() + 5 * DAY);
	[sampleJobs.edit, sampleJobs.cancel] = (
		await t.db
			.insert(job)
			.values([
				{ jobTypeId: ro, teamId: north, siteLabel: 'Sample edit', scheduledAt: soon, durationMinutes: 60 },
				{ jobTypeId: ro, teamId: north, siteLabel: 'Sample cancel', scheduledAt: soon, durationMinutes: 60 }
			])
			.returning()
	).map((r) => r.id) as [string, string];
});
afterAll(() => t?.dispose());

const lastCall = async (tokenId: string) =>
	(await t.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'api.call'), eq(auditEvent.subjectId, tokenId))).orderBy(desc(auditEvent.id)).limit(1))[0];
const countOf = async (action: string) => (await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent).where(eq(auditEvent.action, action)))[0]!.n;
const jobCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(job))[0]!.n;

/** One request per secured operation, valid apart from the token. */
const SAMPLES: Record<string, () => [string, string, ApiCall]> = {
	'GET /job-types': () => ['GET', '/api/v1/job-types', {}],
	'GET /eligibility': () => ['GET', `/api/v1/eligibility?jobTypeId=${ro}&technicianId=${techs.ok1}&at=${AT}`, {}],
	'POST /eligibility': () => ['POST', '/api/v1/eligibility', { json: { jobTypeId: ro, technicianIds: [techs.ok1], at: AT } }],
	'GET /job-types/{id}/eligible-technicians': () => ['GET', `/api/v1/job-types/${ro}/eligible-technicians?at=${AT}`, {}],
	'GET /technicians/{id}/certifications': () => ['GET', `/api/v1/technicians/${techs.ok1}/certifications?at=${AT}`, {}],
	'POST /jobs': () => ['POST', '/api/v1/jobs', { json: { jobTypeId: ro, technicianId: techs.ok2, siteLabel: 'Scope probe', scheduledAt: days(5).toISOString(), durationMinutes: 60 } }],
	'PATCH /jobs/{id}': () => ['PATCH', `/api/v1/jobs/${sampleJobs.edit}`, { json: { siteLabel: 'Scope probe' } }],
	'POST /jobs/{id}/cancel': () => ['POST', `/api/v1/jobs/${sampleJobs.cancel}/cancel`, { json: { reason: 'Scope probe' } }]
};
const securedOperations = () =>
	Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
		(['get', 'post', 'patch'] as const).flatMap((method) => {
			const op = item[method];
			const scopes = op?.security?.[0]?.bearer;
			return op && scopes ? [{ key: `${method.toUpperCase()} ${path}`, scope: scopes[0]! }] : [];
		})
	);

describe('the OpenAPI document', () => {
	it('is public, cacheable and revalidated by ETag, and not audited', async () => {
		const before = await countOf('api.call');
		const res = await call('GET', '/api/v1/openapi.json');
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ openapi: '3.1.0', info: { title: 'ServiceReady dispatch API' } });
		expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
		const etag = res.headers.get('etag')!;
		expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
		const again = await call('GET', '/api/v1/openapi.json', { headers: { 'if-none-match': etag } });
		expect(again.status).toBe(304);
		expect(again.body).toBe('');
		expect((await call('GET', '/api/v1/openapi.json', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
		expect(await countOf('api.call')).toBe(before);
	});
});

describe('authentication', () => {
	it('refuses a missing, malformed, unknown or revoked token with 401 and a Bearer challenge', async () => {
		const missing = await call('GET', '/api/v1/job-types');
		expect(missing.status).toBe(401);
		expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="serviceready"');
		expect(missing.body).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') } });
		for (const header of ['Basic YWRtaW46cGFzcw==', 'Bearer', 'Bearer two words']) {
			const res = await call('GET', '/api/v1/job-types', { headers: { authorization: header } });
			expect(res.status, header).toBe(401);
			expect(res.headers.get('www-authenticate')).toBe('Bearer realm="serviceready", error="invalid_token"');
		}
		const unknown = await call('GET', '/api/v1/job-types', { token: `sr_${'A'.repeat(43)}` });
		expect([unknown.status, unknown.body.error.message]).toEqual([401, 'This API token is not valid.']);
		const revoked = await call('GET', '/api/v1/job-types', { token: tokens.revoked });
		expect([revoked.status, revoked.body.error.message]).toEqual([401, 'This API token has been revoked.']);
		// A revoked token's use is worth seeing: it is audited, with the refusal.
		expect((await lastCall(tokenIds.revoked))!.detail).toEqual({ token: 'Dispatch revoked', method: 'GET', path: '/api/v1/job-types', status: 401 });
	});

	it('never takes a session cookie, even an admin\'s', async () => {
		const session = auth.generateToken();
		await auth.createSession(t.db, session, admin);
		expect((await auth.validateSessionToken(t.db, session)).user?.roles).toContain('admin');
		const res = await call('GET', '/api/v1/job-types', { headers: { cookie: `${auth.SESSION_COOKIE}=${session}` } });
		expect(res.status).toBe(401);
		const post = await call('POST', '/api/v1/jobs', { headers: { cookie: `${auth.SESSION_COOKIE}=${session}` }, json: SAMPLES['POST /jobs']!()[2].json });
		expect(post.status).toBe(401);
	});

	it('answers 401 on every secured operation and on unknown paths when no token is sent', async () => {
		for (const { key } of securedOperations()) {
			const [method, path, options] = SAMPLES[key]!();
			expect((await call(method, path, { ...options, token: undefined })).status, key).toBe(401);
		}
		expect((await call('GET', '/api/v1/no-such-thing')).status).toBe(401);
	});
});

describe('scopes', () => {
	it('every secured operation takes a token with its documented scope and refuses one without it (403 naming the scope)', async () => {
		const ops = securedOperations();
		expect(ops.map((o) => o.key).sort()).toEqual(Object.keys(SAMPLES).sort());
		for (const { key, scope } of ops) {
			const [method, path, options] = SAMPLES[key]!();
			const without = scope === 'jobs:write' ? tokens.reader : tokens.writer;
			const refused = await call(method, path, { ...options, token: without });
			expect(refused.status, key).toBe(403);
			expect(refused.body.error).toEqual({ code: 'forbidden', message: expect.stringMatching(new RegExp(`^This token lacks the scope ${scope}`)), details: { scope } });
			expect(refused.headers.get('www-authenticate')).toBe(`Bearer realm="serviceready", error="insufficient_scope", scope="${scope}"`);
			const only = scope === 'jobs:write' ? tokens.writer : tokens.reader;
			const allowed = await call(method, path, { ...options, token: only });
			expect(allowed.status, `${key} with ${scope}`).toBeLessThan(300);
		}
	});

	it('nothing is created when the scope is missing', async () => {
		const before = await jobCount();
		const [method, path, options] = SAMPLES['POST /jobs']!();
		expect((await call(method, path, { ...options, token: tokens.reader })).status).toBe(403);
		expect(await jobCount()).toBe(before);
		// …and the refused call is audited with its status.
		expect((await lastCall(tokenIds.reader))!.detail).toEqual({ token: 'Dispatch reader', method: 'POST', path: '/api/v1/jobs', status: 403 });
	});
});

describe('a token end to end', () => {
	it('is created, calls the API, and every call is audited once with the token name', async () => {
		const { token, secret } = await createApiToken(t.db, { name: 'Acme dispatch', scopes: ['eligibility:read'] }, admin);
		const before = await countOf('api.call');
		const res = await call('GET', '/api/v1/job-types', { token: secret });
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(res.body.items).toEqual([
			{ id: archived, name: 'Old survey', productLine: 'general', requirements: [], archived: true },
			{
				id: ro,
				name: 'RO installation',
				productLine: 'water-purifier',
				requirements: [
					{ certificationId: 'home-visit-service', minLevel: 2 },
					{ certificationId: 'ro-purifier-service', minLevel: 1 }
				],
				archived: false
			}
		]);
		expect(await countOf('api.call')).toBe(before + 1);
		const audit = await lastCall(token.id);
		expect(audit).toMatchObject({ actorId: null, subjectType: 'api_token', subjectId: token.id, detail: { token: 'Acme dispatch', method: 'GET', path: '/api/v1/job-types', status: 200 } });
		const [row] = await t.db.select().from(apiToken).where(eq(apiToken.id, token.id));
		expect(row!.lastUsedAt).toBeInstanceOf(Date);
		expect(JSON.stringify(await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, token.id)))).not.toContain(secret.slice(3));
	});

	it('refuses unknown query parameters on the list', async () => {
		const res = await call('GET', '/api/v1/job-types?archived=false', { token: tokens.reader });
		expect(res.status).toBe(400);
		expect(res.body.error.message).toMatch(/Unknown query parameter "archived"/);
	});
});

describe('eligibility', () => {
	const everyone = () => ['missing', 'ok1', 'expired', 'revoked', 'low', 'soon', 'future', 'ok2'].map((k) => techs[k]!);

	it('answers for many technicians in the order asked, with a reason per unmet requirement', async () => {
		const res = await call('POST', '/api/v1/eligibility', { token: tokens.reader, json: { jobTypeId: ro, technicianIds: [...everyone(), techs.ok1!.toUpperCase()], at: '2026-06-01T17:00:00+08:00', durationMinutes: 60 } });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ jobType: { id: ro, name: 'RO installation' }, at: AT, end: '2026-06-01T10:00:00.000Z' });
		const byName = res.body.results.map((r: { name: string; eligible: boolean; reasons: Array<{ code: string }> }) => [r.name, r.eligible, r.reasons.map((x) => x.code)]);
		expect(byName).toEqual([
			['Tech missing', false, ['missing', 'missing']],
			['Tech ok1', true, []],
			['Tech expired', false, ['expired']],
			['Tech revoked', false, ['revoked']],
			['Tech low', false, ['level-too-low']],
			['Tech soon', false, ['expires-before-job']],
			['Tech future', false, ['not-yet-valid']],
			['Tech ok2', true, []]
		]);
		const reason = (name: string) => res.body.results.find((r: { name: string }) => r.name === name).reasons[0];
		expect(reason('Tech expired')).toEqual({ code: 'expired', certificationId: 'home-visit-service', on: days(-35).toISOString(), message: 'Home visit service expired on 2026-04-27.' });
		expect(reason('Tech revoked')).toMatchObject({ code: 'revoked', reason: 'Customer complaint upheld', on: days(-2).toISOString(), message: expect.stringContaining('Customer complaint upheld') });
		expect(reason('Tech low')).toMatchObject({ code: 'level-too-low', level: 1, required: 2 });
		expect(reason('Tech future')).toMatchObject({ code: 'not-yet-valid', from: days(10).toISOString() });
		expect(reason('Tech soon')).toMatchObject({ code: 'expires-before-job', message: expect.stringMatching(/^Home visit service expires on \d{4}-\d{2}-\d{2}, before the job ends\.$/) });
		expect(res.body.results[1]).toEqual({ technicianId: techs.ok1, name: 'Tech ok1', teamId: north, teamName: 'North', eligible: true, reasons: [] });
	});

	it('without a duration, only the start counts', async () => {
		const res = await call('POST', '/api/v1/eligibility', { token: tokens.reader, json: { jobTypeId: ro, technicianIds: [techs.soon], at: AT } });
		expect(res.body.end).toBeUndefined();
		expect(res.body.results[0].eligible).toBe(true);
	});

	it('answers for one technician by query string, the same as the body form', async () => {
		const one = await call('GET', `/api/v1/eligibility?jobTypeId=${ro}&technicianId=${techs.expired}&at=${AT}&durationMinutes=60`, { token: tokens.reader });
		const many = await call('POST', '/api/v1/eligibility', { token: tokens.reader, json: { jobTypeId: ro, technicianIds: [techs.expired], at: AT, durationMinutes: 60 } });
		expect(one.status).toBe(200);
		expect(one.body).toEqual(many.body);
	});

	it('refuses unknown job types and technicians, malformed instants and bad bodies with 400 and a message', async () => {
		const ask = (json: unknown) => call('POST', '/api/v1/eligibility', { token: tokens.reader, json });
		const base = { jobTypeId: ro, technicianIds: [techs.ok1], at: AT };

		const noType = await ask({ ...base, jobTypeId: '00000000-0000-4000-8000-000000000000' });
		expect([noType.status, noType.body.error.code]).toEqual([400, 'unknown-job-type']);
		expect(noType.body.error.message).toBe('Unknown job type: "00000000-0000-4000-8000-000000000000".');

		const stranger = '00000000-0000-4000-8000-00000000abcd';
		const noTech = await ask({ ...base, technicianIds: [techs.ok1, stranger.toUpperCase(), admin, inactive, 'junk'] });
		expect([noTech.status, noTech.body.error.code]).toEqual([400, 'unknown-technician']);
		expect(noTech.body.error.details).toEqual({ technicianIds: [stranger, admin, inactive, 'junk'] });
		expect(noTech.body.error.message).toMatch(/^Unknown technicians: /);

		const naive = await ask({ ...base, at: '2026-06-01T09:00:00' });
		expect([naive.status, naive.body.error.code]).toEqual([400, 'invalid-request']);
		expect(naive.body.error.message).toMatch(/^at must be an ISO 8601 date and time with a timezone/);
		expect(naive.body.error.details.issues).toEqual([{ field: 'at', message: naive.body.error.message }]);

		expect((await ask({ ...base, at: '2026-02-30T09:00:00Z' })).status).toBe(400);
		const tooMany = await ask({ ...base, technicianIds: Array.from({ length: 201 }, () => techs.ok1) });
		expect([tooMany.status, tooMany.body.error.message]).toEqual([400, 'technicianIds must hold 1 to 200 ids.']);
		const wrongType = await ask({ ...base, durationMinutes: '60' });
		expect(wrongType.body.error.details.issues[0].field).toBe('durationMinutes');
		expect((await ask({ ...base, extra: true })).body.error.message).toBe('Unknown field "extra".');
		expect((await ask([base])).body.error.message).toBe('The body must be a JSON object.');

		const badJson = await call('POST', '/api/v1/eligibility', { token: tokens.reader, body: '{"jobTypeId": ', headers: { 'content-type': 'application/json' } });
		expect([badJson.status, badJson.body.error.code]).toEqual([400, 'invalid-json']);
		const form = await call('POST', '/api/v1/eligibility', { token: tokens.reader, body: 'jobTypeId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
		expect([form.status, form.body.error.code]).toEqual([415, 'unsupported-media-type']);
		const huge = await ask({ ...base, padding: 'x'.repeat(70_000) });
		expect([huge.status, huge.body.error.code]).toEqual([413, 'payload-too-large']);

		const noTechParam = await call('GET', `/api/v1/eligibility?jobTypeId=${ro}&at=${AT}`, { token: tokens.reader });
		expect([noTechParam.status, noTechParam.body.error.message]).toEqual([400, 'technicianId is required in the query string.']);
		const unknownOne = await call('GET', `/api/v1/eligibility?jobTypeId=${ro}&technicianId=${inactive}&at=${AT}`, { token: tokens.reader });
		expect(unknownOne.body.error).toMatchObject({ code: 'unknown-technician', details: { technicianIds: [inactive] } });
		const badAt = await call('GET', `/api/v1/eligibility?jobTypeId=${ro}&technicianId=${techs.ok1}&at=tomorrow`, { token: tokens.reader });
		expect(badAt.body.error.message).toMatch(/^at must be .* got "tomorrow"\.$/);
	});
});

describe('eligible technicians', () => {
	const page = (query: string) => call('GET', `/api/v1/job-types/${ro}/eligible-technicians?${query}`, { token: tokens.reader });

	async function all(query: string, limit: number) {
		const ids: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const res = await page(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
			expect(res.status).toBe(200);
			expect(res.body.items.length).toBeLessThanOrEqual(limit);
			ids.push(...res.body.items.map((i: { technicianId: string }) => i.technicianId));
			cursor = res.body.nextCursor;
			pages++;
		} while (cursor);
		return { ids, pages };
	}

	it('pages through everyone eligible, by id, with the same answer as the eligibility check', async () => {
		const withoutDuration = await all(`at=${AT}`, 2);
		const expected = [...ELIGIBLE, 'soon'].map((k) => techs[k]!).sort();
		expect(withoutDuration).toEqual({ ids: expected, pages: 3 });
		const withDuration = await all(`at=${AT}&durationMinutes=60`, 2);
		expect(withDuration.ids).toEqual(ELIGIBLE.map((k) => techs[k]!).sort());
		const first = await page(`at=${AT}&limit=50`);
		expect(first.body).toMatchObject({ jobType: { id: ro }, at: AT, nextCursor: null });
		expect(first.body.items[0]).toEqual({ technicianId: expected[0], name: expect.any(String), teamId: expect.any(String), teamName: expect.any(String) });
		const check = await call('POST', '/api/v1/eligibility', { token: tokens.reader, json: { jobTypeId: ro, technicianIds: Object.values(techs), at: AT } });
		expect(check.body.results.filter((r: { eligible: boolean }) => r.eligible).map((r: { technicianId: string }) => r.technicianId).sort()).toEqual(expected);
	});

	it('refuses a cursor from another query or not from this API, a bad limit and a missing instant', async () => {
		const first = await page(`at=${AT}&limit=2`);
		const cursor = first.body.nextCursor as string;
		const other = await page(`at=2026-06-02T09:00:00Z&limit=2&cursor=${cursor}`);
		expect([other.status, other.body.error.code]).toEqual([400, 'invalid-cursor']);
		expect(other.body.error.message).toMatch(/another query/);
		expect((await page(`at=${AT}&durationMinutes=60&cursor=${cursor}`)).status).toBe(400);
		expect((await page(`at=${AT}&cursor=bm90LWEtY3Vyc29y`)).body.error).toMatchObject({ code: 'invalid-cursor' });
		for (const limit of ['0', '201', 'ten']) {
			const res = await page(`at=${AT}&limit=${limit}`);
			expect([res.status, res.body.error.message], limit).toEqual([400, expect.stringMatching(/^limit must be a whole number from 1 to 200/)]);
		}
		expect((await page('limit=5')).body.error.message).toBe('at is required in the query string.');
	});

	it('answers 404 for a job type that does not exist', async () => {
		for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
			const res = await call('GET', `/api/v1/job-types/${id}/eligible-technicians?at=${AT}`, { token: tokens.reader });
			expect([res.status, res.body.error.code], id).toEqual([404, 'unknown-job-type']);
		}
	});
});

describe("a technician's certifications", () => {
	it('gives the status of each certification at the instant and every cycle, without verification codes', async () => {
		const res = await call('GET', `/api/v1/technicians/${techs.expired}/certifications?at=${AT}`, { token: tokens.reader });
		expect(res.status).toBe(200);
		expect(res.body.technician).toEqual({ technicianId: techs.expired, name: 'Tech expired', teamId: north, teamName: 'North' });
		const status = Object.fromEntries(res.body.certifications.map((c: { certificationId: string; status: string }) => [c.certificationId, c.status]));
		expect(status).toEqual({ 'home-visit-service': 'expired', 'ro-purifier-service': 'active' });
		const hv = res.body.certifications.find((c: { certificationId: string }) => c.certificationId === 'home-visit-service');
		expect(hv).toMatchObject({ title: 'Home visit service', level: 2, expiresAt: days(-35).toISOString() });
		expect(hv.cycles).toHaveLength(1);
		expect(JSON.stringify(res.body)).not.toMatch(/verifyCode/);
		const revoked = await call('GET', `/api/v1/technicians/${techs.revoked}/certifications?at=${AT}`, { token: tokens.reader });
		expect(revoked.body.certifications.find((c: { certificationId: string }) => c.certificationId === 'home-visit-service').cycles[0]).toMatchObject({ revokeReason: 'Customer complaint upheld' });
	});

	it('reports now when no instant is given', async () => {
		const res = await call('GET', `/api/v1/technicians/${techs.future}/certifications`, { token: tokens.reader });
		expect(res.status).toBe(200);
		expect(Math.abs(new Date(res.body.at).getTime() - Date.now())).toBeLessThan(60_000);
	});

	it('answers 404 for an unknown or inactive technician and 400 for a malformed instant', async () => {
		for (const id of [inactive, admin, 'nobody']) {
			const res = await call('GET', `/api/v1/technicians/${id}/certifications`, { token: tokens.reader });
			expect([res.status, res.body.error.code], id).toEqual([404, 'unknown-technician']);
		}
		const bad = await call('GET', `/api/v1/technicians/${techs.ok1}/certifications?at=2026-06-01`, { token: tokens.reader });
		expect([bad.status, bad.body.error.details.issues[0].field]).toEqual([400, 'at']);
	});
});

describe('jobs', () => {
	const body = (patch: Record<string, unknown> = {}) => ({ jobTypeId: ro, technicianId: techs.ok1, siteLabel: 'Mrs Li, Chaoyang', scheduledAt: days(3).toISOString(), durationMinutes: 90, ...patch });
	const post = (json: unknown, token = tokens.writer) => call('POST', '/api/v1/jobs', { token, json });
	const auditOfJob = (id: string) => t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id));

	it('creates and assigns a job for an eligible technician, in the technician\'s team, audited with the token', async () => {
		const res = await post(body());
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			job: { jobTypeId: ro, jobTypeName: 'RO installation', teamId: north, teamName: 'North', assigneeId: techs.ok1, siteLabel: 'Mrs Li, Chaoyang', durationMinutes: 90, overrideReason: null, createdByToken: 'Dispatch writer' },
			eligibility: { eligible: true, reasons: [] },
			overridden: false
		});
		const id = res.body.job.id;
		expect((await t.db.select().from(job).where(eq(job.id, id)))[0]).toMatchObject({ assigneeId: techs.ok1, createdByToken: 'Dispatch writer', createdBy: null });
		const actions = (await auditOfJob(id)).map((a) => [a.action, a.actorId, a.detail.token]);
		expect(actions.sort()).toEqual([['job.assigned', null, 'Dispatch writer'], ['job.created', null, 'Dispatch writer']]);
		expect((await lastCall(tokenIds.writer))!.detail).toEqual({ token: 'Dispatch writer', method: 'POST', path: '/api/v1/jobs', status: 201 });
		// Own-team rule: a south technician for a north job only with a reason, audited.
		const refused = await post(body({ technicianId: techs.ok2, teamId: north.toUpperCase() }));
		expect(refused.status).toBe(409);
		expect(refused.body.error).toMatchObject({ code: 'other-team', details: { technicianId: techs.ok2, technicianTeamId: south, jobTeamId: north } });
		const other = await post(body({ technicianId: techs.ok2, teamId: north.toUpperCase(), overrideReason: 'North is short today.' }));
		expect(other.status).toBe(201);
		expect(other.body).toMatchObject({ job: { teamId: north, assigneeId: techs.ok2, overrideReason: 'North is short today.' }, overridden: true });
	});

	it('refuses an ineligible technician with 409 and the reasons, creating nothing', async () => {
		const before = await jobCount();
		for (const overrideReason of [undefined, null, '   ']) {
			const res = await post(body({ technicianId: techs.expired, overrideReason }));
			expect(res.status).toBe(409);
			expect(res.body.error).toEqual({
				code: 'not-eligible',
				message: 'Tech expired is not eligible for this job. Give overrideReason to assign anyway; the override is audited.',
				details: { technicianId: techs.expired, reasons: [{ code: 'expired', certificationId: 'home-visit-service', on: days(-35).toISOString(), message: 'Home visit service expired on 2026-04-27.' }] }
			});
		}
		expect(await jobCount()).toBe(before);
	});

	it('assigns an ineligible technician with a written override, which is kept and audited with the reasons', async () => {
		const res = await post(body({ technicianId: techs.low, overrideReason: ' Only technician near the site; exam booked. ' }));
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			job: { assigneeId: techs.low, overrideReason: 'Only technician near the site; exam booked.', teamId: south },
			eligibility: { eligible: false, reasons: [{ code: 'level-too-low', level: 1, required: 2 }] },
			overridden: true
		});
		const entry = (await auditOfJob(res.body.job.id)).find((a) => a.action === 'job.assigned_override')!;
		expect(entry.actorId).toBeNull();
		expect(entry.detail).toMatchObject({
			token: 'Dispatch writer',
			overrideReason: 'Only technician near the site; exam booked.',
			technicianId: techs.low,
			reasons: [{ code: 'level-too-low', message: 'Holds level 1 of Home visit service; the job needs level 2.' }]
		});
	});

	it('refuses an archived job type with 409, and unknown or malformed input with 400, creating nothing', async () => {
		const before = await jobCount();
		const old = await post(body({ jobTypeId: archived }));
		expect([old.status, old.body.error.code]).toEqual([409, 'job-type-archived']);
		const cases: Array<[Record<string, unknown>, string, RegExp]> = [
			[{ jobTypeId: '00000000-0000-4000-8000-000000000000' }, 'unknown-job-type', /Unknown job type/],
			[{ technicianId: admin }, 'unknown-technician', /Unknown technician/],
			[{ technicianId: 'nobody' }, 'unknown-technician', /Unknown technician/],
			[{ teamId: '00000000-0000-4000-8000-000000000000' }, 'unknown-team', /Unknown team/],
			[{ teamId: 'North' }, 'unknown-team', /Unknown team: "North"/],
			[{ scheduledAt: '2026-06-04 09:00' }, 'invalid-request', /^scheduledAt must be an ISO 8601/],
			[{ scheduledAt: '2026-06-04T09:00:00' }, 'invalid-request', /timezone/],
			[{ siteLabel: '  ' }, 'invalid-request', /siteLabel .*required/],
			[{ durationMinutes: 0 }, 'invalid-request', /durationMinutes must be from 1 to 1440/],
			[{ durationMinutes: 90.5 }, 'invalid-request', /whole number/],
			[{ overrideReason: 'x'.repeat(1001) }, 'invalid-request', /at most 1000/],
			[{ technicianId: 7 }, 'invalid-request', /technicianId must be a string/]
		];
		for (const [patch, code, message] of cases) {
			const res = await post(body(patch));
			expect([res.status, res.body.error.code], JSON.stringify(patch)).toEqual([400, code]);
			expect(res.body.error.message, JSON.stringify(patch)).toMatch(message);
		}
		const { durationMinutes: _, ...withoutDuration } = body();
		expect((await post(withoutDuration)).body.error.details.issues[0].field).toBe('durationMinutes');
		expect((await call('POST', '/api/v1/jobs', { token: tokens.writer, body: JSON.stringify(body()), headers: { 'content-type': 'text/plain' } })).status).toBe(415);
		expect((await post(body({ siteLabel: 'x'.repeat(80_000) }))).status).toBe(413);
		expect(await jobCount()).toBe(before);
	});
});

describe('changing and cancelling jobs', () => {
	// Times here are relative to the real clock: a changed time must not be in the past.
	const realNow = Date.now();
	const inDays = (n: number) => new Date(realNow + n * DAY);
	let editor: string;
	const patch = (id: string, json: unknown, token = tokens.writer) => call('PATCH', `/api/v1/jobs/${id}`, { token, json });
	const cancel = (id: string, json: unknown, token = tokens.writer) => call('POST', `/api/v1/jobs/${id}/cancel`, { token, json });
	const rowOf = async (id: string) => (await t.db.select().from(job).where(eq(job.id, id)))[0]!;
	const newJob = async () => {
		const res = await call('POST', '/api/v1/jobs', { token: tokens.writer, json: { jobTypeId: ro, technicianId: editor, siteLabel: 'Mr Wang, Haidian', scheduledAt: inDays(5).toISOString(), durationMinutes: 60 } });
		expect(res.status).toBe(201);
		return res.body.job.id as string;
	};

	beforeAll(async () => {
		editor = (await createUser(t.db, { email: 'editor@example.com', displayName: 'Tech editor', roles: ['technician'], teamId: north }, null)).id;
		// Eligible for about two months from now, then both certifications lapse.
		await hold(editor, 'ro-purifier-service', 1, inDays(-10), inDays(60));
		await hold(editor, 'home-visit-service', 2, inDays(-10), inDays(60));
	});

	it('changes the site and the time (read with its offset), answering the job', async () => {
		const id = await newJob();
		const at = new Date(inDays(7).setUTCHours(1, 0, 0, 0));
		const offset = at.toISOString().replace(/\.000Z$/, '').replace(/T01:/, 'T09:') + '+08:00';
		const res = await patch(id, { siteLabel: ' Mrs Zhao, Xicheng ', scheduledAt: offset, durationMinutes: 45 });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			job: expect.objectContaining({ id, siteLabel: 'Mrs Zhao, Xicheng', scheduledAt: at.toISOString(), durationMinutes: 45, assigneeId: editor, cancelledAt: null, cancelReason: null }),
			overridden: false
		});
		expect((await auditOfJob(id)).map((a) => a.action)).toContain('job.changed');
	});

	it('re-checks the technician at a new time: refused with the reasons (changing nothing) unless overrideReason is given', async () => {
		const id = await newJob();
		const before = await rowOf(id);
		for (const overrideReason of [undefined, null, '  ']) {
			const res = await patch(id, { scheduledAt: inDays(90).toISOString(), overrideReason });
			expect(res.status).toBe(409);
			expect(res.body.error).toMatchObject({ code: 'not-eligible', message: expect.stringContaining('Give overrideReason'), details: { technicianId: editor } });
			expect(res.body.error.details.reasons.map((r: { code: string }) => r.code).sort()).toEqual(['expired', 'expired']);
		}
		expect(await rowOf(id)).toEqual(before);
		const res = await patch(id, { scheduledAt: inDays(90).toISOString(), overrideReason: 'Renewal exam booked next week.' });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ job: { id, scheduledAt: inDays(90).toISOString(), assigneeId: editor, overrideReason: 'Renewal exam booked next week.' }, overridden: true });
		expect((await auditOfJob(id)).find((a) => a.action === 'job.changed_override')!.detail).toMatchObject({ token: 'Dispatch writer', overrideReason: 'Renewal exam booked next week.' });
	});

	it('refuses a time in the past, an archived or unknown type and bad bodies with 4xx, changing nothing', async () => {
		const id = await newJob();
		const before = await rowOf(id);
		const past = await patch(id, { scheduledAt: inDays(-1).toISOString() });
		expect([past.status, past.body.error.code, past.body.error.details.issues[0].field]).toEqual([400, 'invalid-request', 'scheduledAt']);
		expect(past.body.error.message).toMatch(/past/);
		expect([(await patch(id, { jobTypeId: archived })).status, (await patch(id, { jobTypeId: archived })).body.error.code]).toEqual([409, 'job-type-archived']);
		expect((await patch(id, { jobTypeId: '00000000-0000-4000-8000-000000000000' })).body.error.code).toBe('unknown-job-type');
		for (const bad of [{}, { scheduledAt: inDays(3).toISOString().slice(0, 19) }, { siteLabel: '' }, { durationMinutes: '60' }, { siteLabel: 'ok', technicianId: editor }, [], null]) {
			expect((await patch(id, bad)).status, JSON.stringify(bad)).toBe(400);
		}
		expect((await call('PATCH', `/api/v1/jobs/${id}`, { token: tokens.writer, body: JSON.stringify({ siteLabel: 'x' }), headers: { 'content-type': 'text/plain' } })).status).toBe(415);
		expect((await patch(id, { siteLabel: 'x'.repeat(80_000) })).status).toBe(413);
		expect(await rowOf(id)).toEqual(before);
	});

	it('cancels with a reason, taking the technician off; a cancelled job cannot be cancelled or changed again (409)', async () => {
		const id = await newJob();
		for (const bad of [{}, { reason: '' }, { reason: '   ' }, { reason: 5 }, { reason: 'x'.repeat(1001) }, { reason: 'ok', force: true }]) {
			const res = await cancel(id, bad);
			expect([res.status, res.body.error.details.issues[0].field], JSON.stringify(bad)).toEqual([400, Object.keys(bad).includes('force') ? 'force' : 'reason']);
		}
		expect((await call('POST', `/api/v1/jobs/${id}/cancel`, { token: tokens.writer, body: JSON.stringify({ reason: 'x' }), headers: { 'content-type': 'text/plain' } })).status).toBe(415);
		expect((await cancel(id, { reason: 'x'.repeat(80_000) })).status).toBe(413);
		expect((await rowOf(id)).cancelledAt).toBeNull();
		const res = await cancel(id, { reason: ' Customer moved house. ' });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ job: expect.objectContaining({ id, assigneeId: null, assigneeName: null, assignedAt: null, cancelReason: 'Customer moved house.', cancelledAt: expect.any(String) }) });
		const entry = (await auditOfJob(id)).find((a) => a.action === 'job.cancelled')!;
		expect(entry.detail).toMatchObject({ token: 'Dispatch writer', reason: 'Customer moved house.', technicianId: editor });
		const cancelled = await rowOf(id);
		const again = await cancel(id, { reason: 'Twice' });
		expect([again.status, again.body.error.code]).toEqual([409, 'job-cancelled']);
		const edit = await patch(id, { siteLabel: 'Somewhere else' });
		expect([edit.status, edit.body.error.code]).toEqual([409, 'job-cancelled']);
		expect(await rowOf(id)).toEqual(cancelled);
	});

	it('answers 404 for an unknown or malformed job id', async () => {
		for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', ro]) {
			const edit = await patch(id, { siteLabel: 'x' });
			expect([edit.status, edit.body.error.code], id).toEqual([404, 'not-found']);
			const gone = await cancel(id, { reason: 'x' });
			expect([gone.status, gone.body.error.code], id).toEqual([404, 'not-found']);
		}
	});

	const auditOfJob = (id: string) => t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id));
});

describe('paths and methods', () => {
	it('answers 404 with the error body for a path that names no endpoint, and 405 with Allow for a wrong method', async () => {
		for (const path of ['/api/v1/nope', '/api/v1', '/api/v1/jobs/123/assign', '/api/v1/job-types/x/y/z']) {
			const res = await call('GET', path, { token: tokens.full });
			expect([res.status, res.body.error.code], path).toEqual([404, 'not-found']);
		}
		const cases: Array<[string, string, string]> = [
			['GET', '/api/v1/jobs', 'POST'],
			['DELETE', '/api/v1/jobs', 'POST'],
			['PUT', '/api/v1/eligibility', 'GET, POST, HEAD'],
			['POST', '/api/v1/job-types', 'GET, HEAD'],
			['PATCH', `/api/v1/technicians/${techs.ok1}/certifications`, 'GET, HEAD'],
			['POST', `/api/v1/job-types/${ro}/eligible-technicians`, 'GET, HEAD'],
			['GET', `/api/v1/jobs/${sampleJobs.edit}`, 'PATCH'],
			['PUT', `/api/v1/jobs/${sampleJobs.edit}`, 'PATCH'],
			['GET', `/api/v1/jobs/${sampleJobs.edit}/cancel`, 'POST']
		];
		for (const [method, path, allow] of cases) {
			const res = await call(method, path, { token: tokens.full });
			expect([res.status, res.headers.get('allow'), res.body.error.code], `${method} ${path}`).toEqual([405, allow, 'method-not-allowed']);
		}
		expect((await lastCall(tokenIds.full))!.detail).toMatchObject({ status: 405 });
		const head = await call('HEAD', '/api/v1/job-types', { token: tokens.full });
		expect([head.status, head.body]).toEqual([200, '']);
	});
});

describe('the document covers what the server answers', () => {
	it('every documented response of every operation was exercised and matched its schema', () => {
		expect(documentedResponses().filter((r) => !seen.has(r))).toEqual([]);
	});
});

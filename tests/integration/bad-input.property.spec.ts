/**
 * Bad input, generated: every form action in the route tree and every /api/v1 operation gets
 * thousands of malformed requests — wrong types, huge strings, lone surrogates, NUL, right-to-left
 * and combining marks, emoji, full-width forms, missing, extra and repeated fields, forged ids
 * (random, malformed, another user's, another team's, another kind of record's), numbers out of
 * range, JSON type confusion — built so that each one must be refused. Each must get a 4xx (never
 * a 5xx), and the database must be exactly as before.
 *
 * What may change, and nothing else (checked per target, then over the whole run):
 * - API calls: one `api.call` row each in audit_event (every call is audited, refusals too), and
 *   api_token.last_used_at (a known token's use is recorded).
 * - The login form: login_attempt, the failed sign-in counters that rate limiting is made of.
 * Every other table — session included: no session is created, ended or extended — must hash the
 * same, row by row in primary key order.
 *
 * Form actions run in process through the real hooks and pages (form-harness.ts); the API through
 * the real hooks and endpoints, each answer checked against the OpenAPI document (api-harness.ts).
 *
 * One seed per run, printed at the start and by fast-check with any counterexample; replay with
 * FC_SEED=<seed>. BAD_INPUT_SCALE=<n> multiplies the number of inputs (the default takes ≈ 30 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { freshDb, rowsOf, type TestDb } from '../helpers/db';
import {
	certificationHolding,
	job,
	jobType,
	jobTypeRequirement,
	team,
	teamManager,
	API_SCOPES
} from '../../src/lib/server/db/schema';
import { createUser, inviteUser, reinviteUser, acceptInvitation, setActive } from '../../src/lib/server/users';
import * as auth from '../../src/lib/server/auth/session';
import { ROLES, type Role } from '../../src/lib/server/auth/roles';
import { createApiToken, revokeApiToken } from '../../src/lib/server/api/tokens';
import { createWebhook, setWebhookActive } from '../../src/lib/server/notify/webhooks';
import { WEBHOOK_EVENTS } from '../../src/lib/server/notify/events';
import { findCourse, listCourses } from '../../src/lib/server/content';
import { allQuizzes, allScenarios, findQuiz, findScenario } from '../../src/lib/server/assessment/catalog';
import { startOrResume, submitAttempt } from '../../src/lib/server/assessment/attempts';
import { matchingRightColumn } from '../../src/lib/server/assessment/draw';
import type { Question } from '../../src/lib/server/assessment/types';
import { startOrResumeRun } from '../../src/lib/server/scenario/runs';
import { replyTokens } from '../../src/lib/server/scenario/run';
import { listCertifications } from '../../src/lib/server/certification/catalog';
import { PRODUCT_LINES } from '../../src/lib/content/schema';
import { openApiDocument } from '../../src/lib/server/api/openapi';
import { cursorFor, decodeCursor, encodeCursor, parseCertificationsQuery, parseEligibilityBody, parseEligibilityQuery, parseEligibleQuery, parseInstant, parseJobBody, parseJobCancelBody, parseJobEditBody, queryValues, readJsonBody } from '../../src/lib/server/api/parse';
import { ApiError } from '../../src/lib/server/api/respond';
import { canonicalTimeZone } from '../../src/lib/time-zone';
import { email, optionalUuid, password, readForm, roles, text, uuid } from '../../src/lib/server/forms';
import { readJobTypeForm } from '../../src/lib/server/dispatch/forms';
import { readAnswerFields } from '../../src/lib/server/assessment/present';
import { apiClient, ROUTES as API_ROUTES, type ApiAnswer, type ApiCall } from './api-harness';
import {
	actionKey,
	blank,
	codePoints,
	discoverActions,
	encodeForm,
	extraFieldName,
	fileValue,
	formClient,
	invalidUtf8,
	malformedUuid,
	randomUuid,
	tooLong,
	trickyText,
	withLoneSurrogate,
	withNul,
	type FieldValue,
	type Fields,
	type FormAnswer,
	type FormRequest
} from './form-harness';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const SCALE = Number(process.env.BAD_INPUT_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

let t: TestDb;
let submit: (req: FormRequest) => Promise<FormAnswer>;
let call: (method: string, path: string, options?: ApiCall) => Promise<ApiAnswer>;

/** Inputs sent per target, printed at the end. */
const counts = new Map<string, number>();
const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const timings = new Map<string, number>();

afterAll(() => {
	const rows = [...counts].map(([key, n]) => `${String(n).padStart(6)}  ${timings.has(key) ? `${String(Math.round(timings.get(key)!)).padStart(6)} ms` : ' '.repeat(9)}  ${key}`);
	const total = [...counts.values()].reduce((a, b) => a + b, 0);
	console.log(`Malformed inputs per target (seed ${SEED}):\n${rows.join('\n')}\n${String(total).padStart(6)}  in total`);
});

// ------------------------------------------------------------------ the data the forged ids are measured against

const DAY = 86_400_000;
const now = Date.now();
const days = (n: number) => new Date(now + n * DAY);

const ids = {
	teams: { north: '', south: '', east: '', archived: '' },
	users: { admin: '', manager: '', managerSouth: '', trainer: '', tech: '', techLow: '', techSouth: '', inactive: '', pending: '', accepted: '' },
	jobTypes: { ro: '', archived: '' },
	jobs: { open: '', assigned: '', south: '' },
	holdings: { active: '', revoked: '', expired: '', south: '' },
	tokens: { full: '', reader: '', writer: '', revoked: '' },
	webhooks: { active: '', inactive: '' },
	attempts: { open: '', submitted: '', south: '' },
	runs: { open: '', south: '' }
};
const secrets = { full: '', reader: '', writer: '', revoked: '' };
const invitations = { pending: '', expired: '', accepted: '' };
const sessions: Record<Role, string> = { admin: '', manager: '', trainer: '', technician: '' };
const tokenNames: string[] = [];
const jobTypeNames: string[] = [];
const userEmails: string[] = [];
/** The open attempt's questions, each with fields a browser would send to answer it. */
let openQuestions: Array<{ id: string; answer: Record<string, string | string[]> }> = [];
let runChoices: string[] = [];

/** Every real id of every kind: an id of one kind is a forged id for every other. */
const allIds = () => Object.values(ids).flatMap((group) => Object.values(group as Record<string, string>));

/** A forged id for a place that accepts only `valid`: random, malformed, or a real id of something else. */
function forgedId(valid: readonly string[], alsoForged: readonly string[] = []) {
	const others = allIds().filter((id) => !valid.includes(id));
	return fc.oneof(
		{ weight: 3, arbitrary: randomUuid },
		{ weight: 3, arbitrary: malformedUuid },
		{ weight: 3, arbitrary: fc.constantFrom(...others, ...alsoForged) }
	);
}

// ------------------------------------------------------------------ database checksum

type Checksum = Map<string, string>;

/**
 * Per table, the count and md5 of its rows in primary key order, in one statement. audit_event
 * and api_token are hashed twice: whole, and without what an API call legitimately changes.
 */
async function checksum(): Promise<Checksum> {
	const tables = rowsOf<{ name: string; pk: string | null }>(
		await t.db.execute(sql`
			select c.relname as name,
				(select string_agg(quote_ident(a.attname), ', ' order by k.ord)
				 from pg_index i cross join unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
				 join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
				 where i.indrelid = c.oid and i.indisprimary) as pk
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind = 'r'
			order by c.relname`)
	);
	const part = (label: string, table: string, row: string, where = '') => {
		const pk = tables.find((x) => x.name === table)?.pk;
		const order = pk ? pk.split(', ').map((c) => `x.${c}`).join(', ') : `x::text`;
		return `select '${label}' as label, count(*)::int as n, md5(coalesce(string_agg(${row}, E'\\n' order by ${order}), '')) as h from "${table}" x ${where}`;
	};
	const parts = tables.map((x) => part(x.name, x.name, 'to_jsonb(x)::text'));
	parts.push(part('audit_event without api.call', 'audit_event', 'to_jsonb(x)::text', `where x.action <> 'api.call'`));
	parts.push(part('api_token without last_used_at', 'api_token', `(to_jsonb(x) - 'last_used_at')::text`));
	const rows = rowsOf<{ label: string; n: number; h: string }>(await t.db.execute(sql.raw(parts.join('\nunion all\n'))));
	return new Map(rows.map((r) => [r.label, `${r.n}:${r.h}`]));
}

const API_MAY_CHANGE = ['audit_event', 'api_token'];
const LOGIN_MAY_CHANGE = ['login_attempt'];

function changedTables(before: Checksum, after: Checksum, mayChange: readonly string[]): string[] {
	return [...new Set([...before.keys(), ...after.keys()])].filter((k) => !mayChange.includes(k) && before.get(k) !== after.get(k));
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const withoutAllowed = (c: Checksum): Checksum => new Map([...c].filter(([k]) => ![...API_MAY_CHANGE, ...LOGIN_MAY_CHANGE].includes(k)));
let initial: Checksum;

const digest = (c: Checksum) =>
	[...c]
		.sort()
		.map(([k, v]) => `${k}=${v}`)
		.join(';');

// ------------------------------------------------------------------ set-up

beforeAll(async () => {
	console.log(`Bad input properties: seed ${SEED} (replay with FC_SEED=${SEED})`);
	t = await freshDb();
	submit = await formClient(t);
	call = await apiClient(t);
	const { db } = t;

	[ids.teams.north, ids.teams.south, ids.teams.east, ids.teams.archived] = (
		await db
			.insert(team)
			.values([{ name: 'North', region: 'N' }, { name: 'South', region: 'S' }, { name: 'East', region: 'E' }, { name: 'Old West', region: 'W', archivedAt: days(-30) }])
			.returning()
	).map((r) => r.id) as [string, string, string, string];
	const password = () => `pw-${crypto.randomUUID()}`;
	const person = async (key: keyof typeof ids.users, roles: Role[], teamId: string | null = null, withPassword = true) => {
		const email = `${key.toLowerCase()}@example.com`;
		userEmails.push(email);
		ids.users[key] = (await createUser(db, { email, displayName: `Person ${key}`, roles, teamId, password: withPassword ? password() : undefined }, null)).id;
	};
	await person('admin', ['admin']);
	await person('manager', ['manager']);
	await person('managerSouth', ['manager']);
	await person('trainer', ['trainer']);
	await person('tech', ['technician'], ids.teams.north);
	await person('techLow', ['technician'], ids.teams.north);
	await person('techSouth', ['technician'], ids.teams.south);
	await person('inactive', ['technician'], ids.teams.north);
	await setActive(db, ids.users.inactive, false, null);
	await db.insert(teamManager).values([
		{ teamId: ids.teams.north, userId: ids.users.manager },
		{ teamId: ids.teams.south, userId: ids.users.managerSouth }
	]);
	for (const role of ROLES) {
		const token = auth.generateToken();
		const owner = { admin: ids.users.admin, manager: ids.users.manager, trainer: ids.users.trainer, technician: ids.users.tech }[role];
		await auth.createSession(db, token, owner);
		sessions[role] = token;
	}

	// Invitations: one pending (its link works), one replaced by a newer link, one accepted.
	const pending = await inviteUser(db, { email: 'pending@example.com', displayName: 'Pending', roles: ['technician'], teamId: ids.teams.north }, ids.users.admin);
	ids.users.pending = pending.user.id;
	invitations.expired = pending.token;
	invitations.pending = (await reinviteUser(db, pending.user.id, ids.users.admin)).token;
	const accepted = await inviteUser(db, { email: 'accepted@example.com', displayName: 'Accepted', roles: ['technician'], teamId: ids.teams.south }, ids.users.admin);
	ids.users.accepted = accepted.user.id;
	invitations.accepted = accepted.token;
	await acceptInvitation(db, accepted.token, password());
	userEmails.push('pending@example.com', 'accepted@example.com');

	// Certifications: the technician is eligible for the RO job type; techLow is not.
	const hold = async (userId: string, certificationId: string, level: number, from: Date, to: Date, revoked = false) =>
		(
			await db
				.insert(certificationHolding)
				.values({
					userId,
					certificationId,
					level,
					grantedAt: from,
					expiresAt: to,
					revokedAt: revoked ? days(-1) : null,
					revokeReason: revoked ? 'Complaint upheld' : null,
					verifyCode: `v${crypto.randomUUID().replace(/-/g, '')}`.slice(0, 16)
				})
				.returning()
		)[0]!.id;
	const certs = listCertifications();
	const ro = certs.find((c) => c.id === 'ro-purifier-service')!;
	const home = certs.find((c) => c.id === 'home-visit-service')!;
	ids.holdings.active = await hold(ids.users.tech, ro.id, ro.levels, days(-100), days(200));
	await hold(ids.users.tech, home.id, home.levels, days(-10), days(300));
	ids.holdings.revoked = await hold(ids.users.techLow, home.id, 1, days(-50), days(300), true);
	ids.holdings.expired = await hold(ids.users.techLow, ro.id, 1, days(-500), days(-20));
	ids.holdings.south = await hold(ids.users.techSouth, ro.id, 1, days(-30), days(300));

	[ids.jobTypes.ro, ids.jobTypes.archived] = (
		await db
			.insert(jobType)
			.values([
				{ name: 'RO installation', productLine: 'water-purifier' },
				{ name: 'Old survey', productLine: 'general', archivedAt: days(-1) }
			])
			.returning()
	).map((r) => r.id) as [string, string];
	jobTypeNames.push('RO installation', 'Old survey');
	await db.insert(jobTypeRequirement).values([
		{ jobTypeId: ids.jobTypes.ro, certificationId: ro.id, minLevel: 1 },
		{ jobTypeId: ids.jobTypes.ro, certificationId: home.id, minLevel: 1 }
	]);
	const at = days(5);
	[ids.jobs.open, ids.jobs.assigned, ids.jobs.south] = (
		await db
			.insert(job)
			.values([
				{ jobTypeId: ids.jobTypes.ro, teamId: ids.teams.north, siteLabel: 'Flat 3', scheduledAt: at, durationMinutes: 60, createdBy: ids.users.manager },
				{ jobTypeId: ids.jobTypes.ro, teamId: ids.teams.north, siteLabel: 'Flat 4', scheduledAt: at, durationMinutes: 60, createdBy: ids.users.manager, assigneeId: ids.users.tech, assignedAt: new Date(), assignedBy: ids.users.manager },
				{ jobTypeId: ids.jobTypes.ro, teamId: ids.teams.south, siteLabel: 'Shop 9', scheduledAt: at, durationMinutes: 60, createdBy: ids.users.managerSouth }
			])
			.returning()
	).map((r) => r.id) as [string, string, string];

	for (const key of ['full', 'reader', 'writer', 'revoked'] as const) {
		const scopes = key === 'reader' ? ['eligibility:read'] : key === 'writer' ? ['jobs:write'] : [...API_SCOPES];
		const created = await createApiToken(db, { name: `Dispatch ${key}`, scopes }, ids.users.admin);
		ids.tokens[key] = created.token.id;
		secrets[key] = created.secret;
		tokenNames.push(created.token.name);
	}
	await revokeApiToken(db, ids.tokens.revoked, ids.users.admin);

	ids.webhooks.active = (await createWebhook(db, { url: 'https://dispatch.example/hooks', events: ['certification.granted'] }, ids.users.admin)).id;
	ids.webhooks.inactive = (await createWebhook(db, { url: 'https://old.example/hooks', events: ['certification.revoked'] }, ids.users.admin)).id;
	await setWebhookActive(db, ids.webhooks.inactive, false, ids.users.admin);

	// Attempts and runs: an untimed practice quiz, so nothing expires while the properties run.
	const quiz = allQuizzes().find((q) => !q.timeLimitMinutes && q.kind === 'practice')!;
	const open = await startOrResume(db, ids.users.tech, quiz, 'en');
	ids.attempts.open = open.id;
	openQuestions = (open.questions as Question[]).map((q) => ({ id: q.id, answer: rightFields(q, open.seed) }));
	const other = allQuizzes().find((q) => !q.timeLimitMinutes && q.kind === 'practice' && q.id !== quiz.id)!;
	const done = await startOrResume(db, ids.users.tech, other, 'en');
	await submitAttempt(db, done.id, new Date());
	ids.attempts.submitted = done.id;
	ids.attempts.south = (await startOrResume(db, ids.users.techSouth, quiz, 'en')).id;
	const scenario = allScenarios()[0]!;
	ids.runs.open = (await startOrResumeRun(db, ids.users.tech, scenario, 'en')).id;
	ids.runs.south = (await startOrResumeRun(db, ids.users.techSouth, scenario, 'en')).id;
	// The browser sees this run's reply tokens, never the choice ids (which are refused as forged).
	runChoices = replyTokens(scenario.nodes.find((n) => n.id === scenario.start)!, ids.runs.open).map((r) => r.token);
	initial = await checksum();
});

afterAll(() => t?.dispose());

/** The fields a browser sends for a right answer (as in assessment.spec.ts). */
function rightFields(q: Question, seed: string): Record<string, string | string[]> {
	switch (q.type) {
		case 'single':
			return { choice: q.options.find((o) => o.correct)!.id };
		case 'multiple':
			return { choice: q.options.filter((o) => o.correct).map((o) => o.id) };
		case 'truefalse':
			return { choice: String(q.answer) };
		case 'ordering':
			return { order: q.items.map((i) => i.id), orderConfirmed: 'yes' };
		case 'matching': {
			const tokens = new Map(matchingRightColumn(q, seed).map((c) => [c.pairId, c.token]));
			return Object.fromEntries(q.pairs.map((p) => [`match.${p.id}`, tokens.get(p.id)!]));
		}
		case 'numeric':
			return { value: String(q.answer) };
		case 'text':
			return { value: q.accept[0]! };
	}
}

// ------------------------------------------------------------------ field generators

/** One field's values: what is acceptable, and what must get the form refused whatever else is sent. */
interface FieldSpec {
	name: string;
	good: () => fc.Arbitrary<FieldValue[]>;
	/** Each value list makes the form refused on its own ([] = the field is missing). */
	bad?: () => fc.Arbitrary<FieldValue[]>;
}

const one = (a: fc.Arbitrary<FieldValue>) => a.map((v): FieldValue[] => [v]);
/** The field not sent at all. */
const ABSENT: fc.Arbitrary<FieldValue[]> = fc.constant([]);
/** The value repeated 1–3 times: a repeated field whose every copy is bad stays bad whichever copy a reader takes. */
const repeated = (a: fc.Arbitrary<FieldValue>) => fc.tuple(a, fc.integer({ min: 1, max: 3 })).map(([v, n]) => Array.from({ length: n }, () => v));

/** What the server must refuse in any text field: bytes that are not UTF-8, a file, a lone surrogate, NUL. */
const unstorable = () => fc.oneof(invalidUtf8, fileValue, withLoneSurrogate, withNul) as fc.Arbitrary<FieldValue>;

/** Text that names no time zone the platform knows (nor an offset: zones are IANA names). */
const badZone: fc.Arbitrary<FieldValue> = fc.oneof(
	fc.constantFrom('Mars/Olympus', 'Asia/Shang hai', 'Asia/Shanghai; drop', '+08:00', 'UTC+8', 'Beijing', 'Asia/', '/UTC', 'Asia/Shanghai/x'),
	trickyText(6).filter((v) => v.trim() !== '' && !/^[A-Za-z]/.test(v.trim()))
);

/** Storable text, not empty and at most `max` characters once trimmed. */
const goodText = (max: number, maxParts = 20) =>
	trickyText(maxParts).filter((s) => {
		const v = s.trim();
		return v.length >= 1 && v.length <= max && s.isWellFormed() && !s.includes('\uFFFD') && !s.includes('\u0000');
	});

/** A required text field of at most `max` characters. */
const textField = (name: string, max: number, extraBad: fc.Arbitrary<FieldValue>[] = []): FieldSpec => ({
	name,
	good: () => one(goodText(max)),
	bad: () => fc.oneof(ABSENT, repeated(blank), repeated(tooLong(max)), repeated(unstorable()), ...extraBad.map(repeated))
});

/**
 * A form: `valid` sends acceptable values (with noise fields the action ignores); `broken` makes
 * at least one field bad (or one of the `crossBreaks`, for rules between fields).
 */
function formOf(specs: FieldSpec[], options: { crossBreaks?: Array<() => fc.Arbitrary<Fields>>; reserved?: string[] } = {}) {
	const reserved = new Set([...specs.map((s) => s.name), ...(options.reserved ?? [])]);
	const noise = fc.array(fc.tuple(extraFieldName.filter((n) => !reserved.has(n) && !n.startsWith('level.') && !n.startsWith('match.')), fc.oneof(trickyText(6), fc.constant(''))), { maxLength: 3 });
	const assemble = (parts: FieldValue[][], extra: Fields): Fields => [...parts.flatMap((values, i) => values.map((v): [string, FieldValue] => [specs[i]!.name, v])), ...extra];
	const valid = () => fc.tuple(fc.tuple(...specs.map((s) => s.good())), noise).map(([parts, extra]) => assemble(parts, extra));
	const breakable = specs.map((s, i) => (s.bad ? i : -1)).filter((i) => i >= 0);
	const fieldBreak = () =>
		fc
			.shuffledSubarray(breakable, { minLength: 1, maxLength: Math.min(2, breakable.length) })
			.chain((bad) => fc.tuple(fc.tuple(...specs.map((s, i) => (bad.includes(i) ? s.bad!() : s.good()))), noise))
			.map(([parts, extra]) => assemble(parts, extra));
	const breaks = [...(breakable.length ? [fieldBreak] : []), ...(options.crossBreaks ?? [])];
	const broken = () => fc.oneof(...breaks.map((b) => b()));
	return { valid, broken };
}

/** Values of an array field (e.g. roles[]): each element one field. */
const listOf = (a: fc.Arbitrary<string>, min: number, max: number) => fc.array(a, { minLength: min, maxLength: max }) as fc.Arbitrary<FieldValue[]>;

// ------------------------------------------------------------------ form targets

type Access = Role | 'signed-in' | 'public';
interface FormTarget {
	route: string;
	action: string;
	access: Access;
	runs: number;
	/** Real route params (when the route has any). */
	params?: () => fc.Arbitrary<Record<string, string>>;
	/** Params refused whatever the body. */
	forged?: () => fc.Arbitrary<Record<string, string>>;
	/** The fields the action reads; absent when it reads none. */
	form?: { valid: () => fc.Arbitrary<Fields>; broken: () => fc.Arbitrary<Fields> };
	/** Sessions that may send a correct request (default: the access's own). */
	goodSessions?: Array<'none' | 'bogus' | Role>;
	/** More sessions, sent only with a request that is wrong in another way. */
	envelopeSessions?: Role[];
	/** An answer that is not a refusal but changes nothing. */
	harmless?: (answer: FormAnswer, input: FormInput) => boolean;
}

const courses = () => listCourses();
const realSlug = () => fc.constantFrom(...courses().map((c) => c.slug));
/** A slug that names nothing: random text, or a real slug of another kind. */
const strangeSlug = (avoid: readonly string[]) =>
	fc
		.oneof(trickyText(6), fc.constantFrom('quizzes', 'scenarios', 'undefined', 'null', '__proto__', 'constructor', '%', '..', 'index', '0'), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-0123456789'), minLength: 1, maxLength: 30 }))
		.filter((s) => s !== '' && !avoid.includes(s) && s.isWellFormed());

const instantLike = fc.oneof(
	fc.constantFrom('2026-02-30T10:00', '2026-13-01T10:00', '2026-06-01T24:00', '2026-06-01T10:60', '2026-06-01 10:00', '2026-06-01', '10:00', '1999-12-31T23:59', '2101-01-01T00:00', '２０２６-06-01T10:00', 'tomorrow', 'NaN', '0', '-1', '9'.repeat(30), '2026-06-01T10:00:00.000Z'),
	trickyText(8).filter((s) => !/^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?\s*$/.test(s))
);

const roleValue = fc.constantFrom(...ROLES);
const unknownRole = fc.oneof(fc.constantFrom('Admin', 'ADMIN', 'root', 'superuser', 'admin ', ' manager', 'técnico', 'technician\u0000', '', 'trainer,admin'), trickyText(5)).filter((r) => !(ROLES as readonly string[]).includes(r));

function formTargets(): FormTarget[] {
	const A = '/(admin)/admin';
	const M = '/(manager)/manager';
	const T = '/(technician)/learn';
	const certs = listCertifications();
	const emails = userEmails;
	const badEmail = fc.oneof(
		fc.constantFrom('no-at-sign', '@example.com', 'a@b', 'a @b.c', 'a@b .c', 'a@@b.c', 'a@b.c\u00A0d', 'a\u3000@b.c'),
		trickyText(10).filter((s) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim().toLowerCase()))
	);
	const newEmail = fc.tuple(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._+-'), minLength: 1, maxLength: 20 }), fc.constantFrom('example.com', 'example.org', '例え.テスト', 'ｅｘａｍｐｌｅ.com'))
		.map(([local, domain]) => `new.${local}@${domain}`);
	const takenEmail = fc.constantFrom(...emails).chain((e) => fc.constantFrom(e, e.toUpperCase(), ` ${e} `));
	const teamIds = Object.values(ids.teams);
	const userIds = Object.values(ids.users);
	const activeTechs = [ids.users.tech, ids.users.techLow, ids.users.techSouth, ids.users.pending, ids.users.accepted];
	const notTechnicians = [ids.users.admin, ids.users.manager, ids.users.managerSouth, ids.users.trainer, ids.users.inactive];
	const nullableTeam = fc.oneof(fc.constant(''), fc.constantFrom(...teamIds));
	const uuidOrForged = (valid: string[]) => fc.oneof(fc.constantFrom(...valid), forgedId(valid));
	const webhookUrl = fc.oneof(
		fc.constantFrom('https://dispatch.example/hooks', 'http://127.0.0.1:8080/x', 'https://例え.テスト/フック', 'https://a.example/p?q=1#frag'),
		fc.webUrl({ validSchemes: ['https', 'http'] })
	);
	const badUrl = fc.oneof(
		fc.constantFrom('', 'dispatch.example', '/relative', 'ftp://x.example/a', 'javascript:alert(1)', 'file:///etc/passwd', 'https:///x', 'https://user:pw@x.example/', 'http://:80', 'https://', 'http//x.example', 'https://a b.example/'),
		tooLong(2000).map((s) => `https://x.example/${s.replace(/\s/g, 'a')}`)
	);
	const teamNames = ['North', 'South', 'East'];
	const zoneName = fc.constantFrom('Asia/Shanghai', 'asia/urumqi', 'UTC', 'Europe/Berlin', ' America/New_York ');
	const unknownZone = fc
		.oneof(fc.constantFrom('Mars/Olympus', '+08:00', 'GMT+8:00', 'Asia/Beijing', 'Asia/', '/UTC', 'Asia//Shanghai', 'Asia/Shanghai\u200b', '亚洲/上海', 'Ａｓｉａ/Shanghai'), trickyText(4))
		.filter((z) => z.trim() !== '' && canonicalTimeZone(z) === null && z.isWellFormed() && !z.includes('\u0000'));
	const dueDate = (offsetDays: number) => new Date(now + offsetDays * DAY).toISOString().slice(0, 10);
	const badDue = () => fc.oneof(ABSENT, one(fc.constant('')), repeated(fc.oneof(fc.integer({ min: 740, max: 100_000 }).map(dueDate), fc.integer({ min: -100_000, max: -2 }).map(dueDate), fc.constantFrom('2026-02-30', '2026-13-01', '2026-1-1', '01/06/2026', 'tomorrow', '２０２６-01-01', '2026-06-01T00:00'), tooLong(10))), repeated(unstorable()));
	// A removal is confirmed by a ticked box (value "yes"): missing or anything else is refused.
	const badConfirm = () => fc.oneof(ABSENT, repeated(fc.constantFrom('', 'no', 'YES', ' yes', 'on', '1', 'true')), repeated(unstorable()));
	const courseParam = () => fc.record({ course: realSlug() });
	const forgedCourse = () => fc.record({ course: strangeSlug(courses().map((c) => c.slug)) });

	return [
		// ---- admin
		{ route: `${A}/outbox`, action: 'check', access: 'admin', runs: 150 },
		{
			route: `${A}/tokens`,
			action: 'create',
			access: 'admin',
			runs: 380,
			form: formOf([
				textField('name', 80, [fc.constantFrom(...tokenNames).map((n) => ` ${n}  `)]),
				{
					name: 'scopes',
					good: () => listOf(fc.constantFrom(...API_SCOPES), 1, 3),
					bad: () =>
						fc.oneof(
							ABSENT,
							fc.tuple(listOf(fc.constantFrom(...API_SCOPES), 0, 2), fc.oneof(fc.constantFrom('admin', 'jobs:read', 'eligibility:write', 'ELIGIBILITY:READ', ' jobs:write', '*'), trickyText(5))).map(([ok, bad]) => [...ok, bad]),
							listOf(fc.constantFrom(...API_SCOPES), 11, 20),
							one(tooLong(40)),
							repeated(unstorable())
						)
				}
			])
		},
		{
			route: `${A}/tokens`,
			action: 'revoke',
			access: 'admin',
			runs: 320,
			form: formOf([{ name: 'id', good: () => one(fc.constantFrom(ids.tokens.full, ids.tokens.reader)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.tokens.full, ids.tokens.reader, ids.tokens.writer]) as fc.Arbitrary<FieldValue>), repeated(unstorable())) }])
		},
		{
			route: `${A}/users`,
			action: 'invite',
			access: 'admin',
			runs: 380,
			form: formOf([
				{ name: 'email', good: () => one(newEmail), bad: () => fc.oneof(ABSENT, repeated(blank), repeated(badEmail), repeated(tooLong(254).map((s) => `${s.replace(/[\s@]/g, 'a')}@example.com`)), repeated(takenEmail), repeated(unstorable())) },
				textField('displayName', 100),
				{ name: 'roles', good: () => fc.uniqueArray(roleValue, { minLength: 1, maxLength: 4 }), bad: () => fc.oneof(ABSENT, fc.tuple(listOf(roleValue, 0, 2), unknownRole).map(([ok, bad]) => [...ok, bad]), listOf(roleValue, 5, 9), repeated(unstorable())) },
				{ name: 'teamId', good: () => one(nullableTeam), bad: () => fc.oneof(repeated(forgedId(teamIds).filter((s) => s.trim() !== '')), repeated(unstorable())) }
			])
		},
		{
			route: `${A}/users/[id=uuid]`,
			action: 'roles',
			access: 'admin',
			runs: 320,
			params: () => fc.record({ id: fc.constantFrom(...userIds) }),
			forged: () => fc.record({ id: forgedId(userIds) }),
			// No role at all is refused: every user keeps at least one.
			form: formOf([{ name: 'roles', good: () => fc.uniqueArray(roleValue, { minLength: 1, maxLength: 4 }), bad: () => fc.oneof(ABSENT, fc.tuple(listOf(roleValue, 0, 2), unknownRole).map(([ok, bad]) => [...ok, bad]), listOf(roleValue, 5, 9), repeated(unstorable())) }])
		},
		{
			route: `${A}/users/[id=uuid]`,
			action: 'team',
			access: 'admin',
			runs: 320,
			params: () => fc.record({ id: fc.constantFrom(...userIds) }),
			forged: () => fc.record({ id: forgedId(userIds) }),
			form: formOf([{ name: 'teamId', good: () => one(nullableTeam), bad: () => fc.oneof(repeated(forgedId(teamIds).filter((s) => s.trim() !== '')), repeated(unstorable())) }])
		},
		// The admin is the only admin: deactivating oneself is refused. Deactivating is confirmed in the form.
		{
			route: `${A}/users/[id=uuid]`,
			action: 'deactivate',
			access: 'admin',
			runs: 200,
			params: () => fc.record({ id: fc.constantFrom(...userIds) }),
			forged: () => fc.record({ id: forgedId(userIds, [ids.users.admin]) }),
			form: formOf([{ name: 'confirm', good: () => one(fc.constant('yes')), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(fc.constantFrom('no', 'YES', 'on', 'true', '', ' yes', 'yes\u200b'), trickyText(4)).filter((v) => v !== 'yes')), repeated(unstorable())) }])
		},
		{ route: `${A}/users/[id=uuid]`, action: 'reactivate', access: 'admin', runs: 150, params: () => fc.record({ id: fc.constantFrom(...userIds) }), forged: () => fc.record({ id: forgedId(userIds) }) },
		// Anyone with a password cannot be invited again.
		{ route: `${A}/users/[id=uuid]`, action: 'reinvite', access: 'admin', runs: 150, params: () => fc.record({ id: fc.constantFrom(...userIds) }), forged: () => fc.record({ id: forgedId(userIds, userIds.filter((id) => id !== ids.users.pending)) }) },
		{
			route: `${A}/teams`,
			action: 'create',
			access: 'admin',
			runs: 380,
			form: formOf([
				// Team names are unique whatever their case.
				textField('name', 80, [fc.constantFrom(...teamNames).chain((n) => fc.constantFrom(n, n.toLowerCase(), ` ${n.toUpperCase()} `))]),
				textField('region', 100),
				{ name: 'timeZone', good: () => fc.oneof(ABSENT, one(fc.oneof(fc.constant(''), zoneName))), bad: () => fc.oneof(repeated(unknownZone), repeated(tooLong(64)), repeated(unstorable())) }
			])
		},
		{
			route: `${A}/teams/[id=uuid]`,
			action: 'update',
			access: 'admin',
			runs: 320,
			params: () => fc.record({ id: fc.constantFrom(...teamIds) }),
			forged: () => fc.record({ id: forgedId(teamIds) }),
			form: formOf([
				textField('name', 80),
				textField('region', 100),
				{ name: 'timeZone', good: () => fc.oneof(ABSENT, one(fc.oneof(fc.constant(''), zoneName))), bad: () => fc.oneof(repeated(unknownZone), repeated(tooLong(64)), repeated(unstorable())) }
			])
		},
		...(['archive', 'unarchive'] as const).map(
			(action): FormTarget => ({ route: `${A}/teams/[id=uuid]`, action, access: 'admin', runs: 150, params: () => fc.record({ id: fc.constantFrom(...teamIds) }), forged: () => fc.record({ id: forgedId(teamIds) }) })
		),
		// Each person action with the people it would accept: any other id, real or not, is refused.
		...(
			[
				['addMember', activeTechs],
				['removeMember', [...activeTechs, ids.users.inactive]],
				['linkManager', [ids.users.manager, ids.users.managerSouth]],
				['unlinkManager', [ids.users.manager, ids.users.managerSouth]]
			] as const
		).map(
			([action, accepted]): FormTarget => ({
				route: `${A}/teams/[id=uuid]`,
				action,
				access: 'admin',
				runs: 260,
				params: () => fc.record({ id: fc.constantFrom(...teamIds) }),
				forged: () => fc.record({ id: forgedId(teamIds) }),
				form: formOf([{ name: 'userId', good: () => one(fc.constantFrom(...accepted)), bad: () => fc.oneof(ABSENT, repeated(forgedId([...accepted]) as fc.Arbitrary<FieldValue>), repeated(unstorable())) }])
			})
		),
		{
			route: `${A}/webhooks`,
			action: 'create',
			access: 'admin',
			runs: 380,
			form: formOf([
				{ name: 'url', good: () => one(webhookUrl), bad: () => fc.oneof(ABSENT, repeated(blank), repeated(badUrl), repeated(unstorable())) },
				{
					name: 'events',
					good: () => fc.uniqueArray(fc.constantFrom(...WEBHOOK_EVENTS), { minLength: 1, maxLength: 4 }),
					bad: () => fc.oneof(ABSENT, fc.tuple(listOf(fc.constantFrom(...WEBHOOK_EVENTS), 0, 2), fc.oneof(fc.constantFrom('certification.*', 'webhook.test', 'CERTIFICATION.GRANTED', 'certification.granted '), trickyText(5))).map(([ok, bad]) => [...ok, bad]), listOf(fc.constantFrom(...WEBHOOK_EVENTS), 21, 25), one(tooLong(60)), repeated(unstorable()))
				}
			])
		},
		...(['activate', 'deactivate', 'delete'] as const).map(
			(action): FormTarget => ({ route: `${A}/webhooks/[id=uuid]`, action, access: 'admin', runs: 150, params: () => fc.record({ id: fc.constantFrom(ids.webhooks.active, ids.webhooks.inactive) }), forged: () => fc.record({ id: forgedId(Object.values(ids.webhooks)) }) })
		),
		// A test event goes only to an active webhook.
		{ route: `${A}/webhooks/[id=uuid]`, action: 'test', access: 'admin', runs: 150, params: () => fc.record({ id: fc.constant(ids.webhooks.active) }), forged: () => fc.record({ id: forgedId([ids.webhooks.active]) }) },

		{
			route: `${A}/organisation`,
			action: 'zone',
			access: 'admin',
			runs: 200,
			form: formOf([{ name: 'timeZone', good: () => one(fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'UTC')), bad: () => fc.oneof(ABSENT, repeated(blank), repeated(badZone), one(tooLong(64)), repeated(unstorable())) }])
		},

		// ---- everyone signed in
		{
			route: '/(app)/profile',
			action: 'profile',
			access: 'signed-in',
			runs: 320,
			form: formOf([
				textField('displayName', 100),
				{ name: 'locale', good: () => one(fc.constantFrom('en', 'zh-CN')), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(fc.constantFrom('EN', 'zh-cn', 'zh', ' en', 'en ', 'fr', 'zh_CN', 'en-US', ''), trickyText(4)).filter((v) => v !== 'en' && v !== 'zh-CN')), repeated(unstorable())) },
				// Left out: unchanged; empty: automatic. Anything but a zone the platform knows is refused.
				{ name: 'timeZone', good: () => fc.oneof(ABSENT, one(fc.constantFrom('', 'Asia/Shanghai', 'America/New_York', 'europe/berlin'))), bad: () => fc.oneof(repeated(badZone), one(tooLong(64)), repeated(unstorable())) }
			])
		},
		{
			route: '/(app)/profile',
			action: 'password',
			access: 'signed-in',
			runs: 120,
			form: (() => {
				const pw = fc.string({ minLength: 10, maxLength: 40 }).filter((s) => s.isWellFormed() && !/^(.)\1+$/.test(s) && !s.includes('\u0000'));
				const badPw = () => fc.oneof(ABSENT, one(fc.constant('')), one(tooLong(256)), repeated(unstorable()));
				return formOf(
					[
						{ name: 'currentPassword', good: () => one(pw), bad: badPw },
						{ name: 'newPassword', good: () => one(pw), bad: badPw },
						{ name: 'confirm', good: () => one(pw), bad: badPw }
					],
					{
						crossBreaks: [
							// The new password typed twice differently.
							() => fc.tuple(pw, pw, pw).filter(([, a, b]) => a !== b).map(([c, a, b]): Fields => [['currentPassword', c], ['newPassword', a], ['confirm', b]]),
							// A well-formed change with a wrong current password (no generated text is anyone's password).
							() => fc.tuple(pw, pw).map(([c, a]): Fields => [['currentPassword', c], ['newPassword', a], ['confirm', a]])
						]
					}
				);
			})()
		},

		// ---- manager
		...(() => {
			const levelFields = (bad: boolean) =>
				fc.array(
					bad
						? fc.oneof(
								fc.tuple(strangeSlug(certs.map((c) => c.id)).map((id) => `level.${id}`), fc.constantFrom('1', '2', '3')),
								fc.tuple(fc.constantFrom(...certs.map((c) => `level.${c.id}`)), fc.oneof(fc.constantFrom('0', '4', '9', 'x', '1.0', '１', ' 1', '-1', '01'), fc.constant(String(9)))).filter(([key, v]) => {
									const def = certs.find((c) => `level.${c.id}` === key)!;
									return !(/^\d$/.test(v) && Number(v) >= 1 && Number(v) <= def.levels);
								})
							)
						: fc.constantFrom(...certs.map((c) => c.id)).chain((id) => fc.tuple(fc.constant(`level.${id}`), fc.constantFrom('', ...Array.from({ length: certs.find((c) => c.id === id)!.levels }, (_, i) => String(i + 1))))),
					{ minLength: bad ? 1 : 0, maxLength: 3 }
				);
			const jobTypeForm = (taken: string[]) =>
				formOf(
					[
						textField('name', 120, [fc.constantFrom(...taken).map((n) => `  ${n} `)]),
						{ name: 'productLine', good: () => one(fc.constantFrom(...PRODUCT_LINES)), bad: () => fc.oneof(ABSENT, repeated(blank), repeated(fc.oneof(fc.constantFrom('Water-Purifier', 'water_purifier', 'cars', 'general '), tooLong(80)).filter((v) => !(PRODUCT_LINES as readonly string[]).includes(v.trim()))), repeated(unstorable())) }
					],
					{
						reserved: ['level'],
						crossBreaks: [() => fc.tuple(fc.constantFrom(...PRODUCT_LINES), goodText(120), levelFields(true)).map(([line, name, levels]): Fields => [['name', name], ['productLine', line], ...(levels as Fields)])]
					}
				);
			// The reader keeps the last copy of a field: the good levels go first, so a bad level is never overwritten.
			const withLevels = (form: ReturnType<typeof jobTypeForm>) => ({
				valid: () => fc.tuple(levelFields(false), form.valid()).map(([l, f]) => [...(l as Fields), ...f]),
				broken: () => fc.tuple(levelFields(false), form.broken()).map(([l, f]) => [...(l as Fields), ...f])
			});
			const types = Object.values(ids.jobTypes);
			return [
				{ route: `${M}/job-types`, action: 'create', access: 'manager', runs: 380, form: withLevels(jobTypeForm(jobTypeNames)) },
				// Saved under another type's name; its own name is not taken.
				{ route: `${M}/job-types/[id=uuid]`, action: 'save', access: 'manager', runs: 320, params: () => fc.record({ id: fc.constant(ids.jobTypes.ro) }), forged: () => fc.record({ id: forgedId(types) }), form: withLevels(jobTypeForm(['Old survey'])) },
				// Archiving an archived type is refused.
				{ route: `${M}/job-types/[id=uuid]`, action: 'archive', access: 'manager', runs: 150, params: () => fc.record({ id: fc.constantFrom(...types) }), forged: () => fc.record({ id: forgedId([ids.jobTypes.ro], [ids.jobTypes.archived]) }) }
			] satisfies FormTarget[];
		})(),
		{
			route: `${M}/jobs`,
			action: 'create',
			access: 'manager',
			runs: 380,
			form: formOf([
				// An archived type takes no jobs; the South team is not this manager's.
				{ name: 'jobTypeId', good: () => one(fc.constant(ids.jobTypes.ro)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.jobTypes.ro], [ids.jobTypes.archived])), repeated(unstorable())) },
				{ name: 'teamId', good: () => one(fc.constant(ids.teams.north)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.teams.north], [ids.teams.south, ids.teams.east, ids.teams.north.toUpperCase()])), repeated(unstorable())) },
				textField('siteLabel', 200),
				// A job is entered for a time still to come: one in the past is refused.
				{
					name: 'scheduledAt',
					good: () => one(fc.date({ min: new Date(Date.now() + 3_600_000), max: new Date('2100-12-31T23:59:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16))),
					bad: () => fc.oneof(ABSENT, repeated(instantLike), repeated(unstorable()), one(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date(Date.now() - 3_600_000), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16))))
				},
				{ name: 'durationMinutes', good: () => one(fc.integer({ min: 1, max: 1440 }).map(String)), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(fc.constantFrom('0', '1441', '99999', '-1', '1.5', '60 ', ' 60', '６０', '1e3', '0x10', 'NaN', 'Infinity', ''), fc.integer({ min: 1441 }).map(String), fc.integer({ max: 0 }).map(String))), repeated(unstorable())) }
			])
		},
		{
			route: `${M}/jobs/[id=uuid]`,
			action: 'assign',
			access: 'manager',
			runs: 380,
			params: () => fc.record({ id: fc.constantFrom(ids.jobs.open, ids.jobs.assigned) }),
			// Another team's job is as unknown as a random id.
			forged: () => fc.record({ id: forgedId([ids.jobs.open, ids.jobs.assigned], [ids.jobs.south]) }),
			form: formOf(
				[
					// techSouth is outside this manager's teams; a manager, an inactive technician or an invited one is not assignable here.
					{ name: 'technicianId', good: () => one(fc.constant(ids.users.tech)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.users.tech, ids.users.techLow, ids.users.pending], [ids.users.techSouth, ...notTechnicians])), repeated(unstorable())) },
					{ name: 'overrideReason', good: () => fc.oneof(ABSENT, one(goodText(1000))), bad: () => repeated(tooLong(4000)) }
				],
				{
					crossBreaks: [
						// An ineligible technician without a reason to override (or with one that is too long).
						() => fc.oneof(ABSENT, one(blank), one(tooLong(1000).filter((s) => codePoints(s) <= 4000))).map((reason): Fields => [['technicianId', ids.users.techLow], ...reason.map((r): [string, FieldValue] => ['overrideReason', r])])
					]
				}
			)
		},
		{
			route: `${M}/jobs/[id=uuid]`,
			action: 'edit',
			access: 'manager',
			runs: 380,
			params: () => fc.record({ id: fc.constantFrom(ids.jobs.open, ids.jobs.assigned) }),
			forged: () => fc.record({ id: forgedId([ids.jobs.open, ids.jobs.assigned], [ids.jobs.south]) }),
			form: formOf([
				// An archived type takes no jobs, also when a job is changed to it.
				{ name: 'jobTypeId', good: () => one(fc.constant(ids.jobTypes.ro)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.jobTypes.ro], [ids.jobTypes.archived])), repeated(unstorable())) },
				textField('siteLabel', 200),
				// A new time is still to come: one in the past is refused.
				{
					name: 'scheduledAt',
					good: () => one(fc.date({ min: new Date(Date.now() + 3_600_000), max: new Date('2100-12-31T23:59:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16))),
					bad: () => fc.oneof(ABSENT, repeated(instantLike), repeated(unstorable()), one(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date(Date.now() - 3_600_000), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16))))
				},
				{ name: 'durationMinutes', good: () => one(fc.integer({ min: 1, max: 1440 }).map(String)), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(fc.constantFrom('0', '1441', '99999', '-1', '1.5', '60 ', ' 60', '６０', '1e3', '0x10', 'NaN', 'Infinity', ''), fc.integer({ min: 1441 }).map(String), fc.integer({ max: 0 }).map(String))), repeated(unstorable())) },
				{ name: 'overrideReason', good: () => fc.oneof(ABSENT, one(goodText(1000))), bad: () => repeated(tooLong(4000)) }
			])
		},
		{
			route: `${M}/jobs/[id=uuid]`,
			action: 'cancel',
			access: 'manager',
			runs: 300,
			params: () => fc.record({ id: fc.constantFrom(ids.jobs.open, ids.jobs.assigned) }),
			forged: () => fc.record({ id: forgedId([ids.jobs.open, ids.jobs.assigned], [ids.jobs.south]) }),
			form: formOf([
				textField('cancelReason', 1000),
				// Cancelling needs the box ticked (a browser sends "on").
				{ name: 'confirm', good: () => one(fc.constant('on')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('', 'off', 'ON', 'yes', 'true', '1', 'on ')), repeated(unstorable())) }
			])
		},
		// Unassigning a job with no technician is refused.
		{ route: `${M}/jobs/[id=uuid]`, action: 'unassign', access: 'manager', runs: 150, params: () => fc.record({ id: fc.constant(ids.jobs.assigned) }), forged: () => fc.record({ id: forgedId([ids.jobs.assigned], [ids.jobs.south, ids.jobs.open]) }) },

		// ---- public
		{
			route: '/(public)/invite/[token]',
			action: 'default',
			access: 'public',
			runs: 320,
			params: () => fc.record({ token: fc.constant(invitations.pending) }),
			forged: () =>
				fc.record({
					token: fc.oneof(
						fc.constantFrom(invitations.expired, invitations.accepted, invitations.pending.toUpperCase(), invitations.pending + 'A', invitations.pending.slice(1)),
						fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 24, maxLength: 24 }),
						trickyText(10).filter((s) => s !== '' && s.isWellFormed())
					).filter((s) => s !== invitations.pending)
				}),
			form: (() => {
				const pw = fc.string({ minLength: 10, maxLength: 40 }).filter((s) => s.isWellFormed() && !/^(.)\1+$/.test(s) && !s.includes('\u0000') && s.toLowerCase() !== 'pending@example.com');
				return formOf(
					[
						{ name: 'password', good: () => one(pw), bad: () => fc.oneof(ABSENT, one(fc.constant('')), one(tooLong(256)), repeated(unstorable())) },
						{ name: 'confirm', good: () => one(pw), bad: () => fc.oneof(ABSENT, one(fc.constant('')), one(tooLong(256)), repeated(unstorable())) }
					],
					{
						crossBreaks: [
							() => fc.tuple(pw, pw).filter(([a, b]) => a !== b).map(([a, b]): Fields => [['password', a], ['confirm', b]]),
							// Too short, the e-mail address itself, one character repeated.
							() => fc.oneof(fc.string({ minLength: 1, maxLength: 9 }).filter((s) => s.isWellFormed() && !s.includes('\u0000')), fc.constantFrom('pending@example.com', 'PENDING@EXAMPLE.COM', 'aaaaaaaaaaaa', '            ')).map((p): Fields => [['password', p], ['confirm', p]])
						]
					}
				);
			})()
		},
		{
			route: '/(public)/language',
			action: 'default',
			access: 'public',
			runs: 250,
			form: formOf([
				{ name: 'locale', good: () => one(fc.constantFrom('en', 'zh-CN')), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(fc.constantFrom('EN', 'zh-cn', 'de', ''), trickyText(4)).filter((v) => v !== 'en' && v !== 'zh-CN')), repeated(unstorable())) },
				{ name: 'next', good: () => fc.oneof(ABSENT, one(fc.oneof(fc.constantFrom('/', '/learn', '//evil.example', 'https://evil.example', '/\\evil', 'javascript:alert(1)'), trickyText(10)))), bad: () => fc.oneof(repeated(tooLong(2000)), repeated(unstorable())) }
			])
		},
		{
			route: '/(public)/login',
			action: 'default',
			access: 'public',
			runs: 190,
			// A signed-in visitor is sent home by the page; their sessions are tried with requests wrong in other ways.
			goodSessions: ['none', 'bogus'],
			envelopeSessions: [...ROLES],
			form: formOf(
				[
					{ name: 'email', good: () => one(fc.oneof(fc.constantFrom(...emails), newEmail)), bad: () => fc.oneof(ABSENT, repeated(blank), repeated(badEmail), repeated(tooLong(254)), repeated(unstorable())) },
					{ name: 'password', good: () => one(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.isWellFormed() && !s.includes('\u0000'))), bad: () => fc.oneof(ABSENT, one(fc.constant('')), one(tooLong(256)), repeated(unstorable())) },
					{ name: 'next', good: () => fc.oneof(ABSENT, one(fc.constantFrom('/admin', '//evil.example', '/learn?x=1'))), bad: () => repeated(tooLong(2000)) }
				],
				{
					// Well-formed credentials that are nobody's: refused (and counted by the rate limit).
					crossBreaks: [() => fc.tuple(fc.oneof(fc.constantFrom(...emails), newEmail), fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.isWellFormed() && !s.includes('\u0000'))).map(([e, p]): Fields => [['email', e], ['password', p]])]
				}
			)
		},
		// Signing out without a session, or with one that is not valid, just goes to the sign-in page.
		{ route: '/(public)/logout', action: 'default', access: 'public', runs: 150, goodSessions: ['none', 'bogus'], envelopeSessions: [...ROLES], harmless: (a, input) => a.status === 303 && a.location === '/login' && input.kind !== 'envelope' },

		// ---- technician
		{
			route: `${T}/attempts/[id]`,
			action: 'answer',
			access: 'technician',
			runs: 380,
			params: () => fc.record({ id: fc.constant(ids.attempts.open) }),
			// A question number pressed on a question left without an answer moves there, saving nothing.
			harmless: (a, input) => !input.enhanced && a.status === 303 && /^\/learn\/attempts\/[0-9a-f-]{36}\?q=\d{1,4}$/.test(a.location ?? ''),
			// Another technician's attempt, a submitted one, and ids with no route matcher to stop them.
			forged: () => fc.record({ id: forgedId([ids.attempts.open], [ids.attempts.south, ids.attempts.submitted]) }),
			form: (() => {
				const answerOf = (q: { id: string; answer: Record<string, string | string[]> }): Fields => Object.entries(q.answer).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, FieldValue] => [k, x]));
				const real = fc.constantFrom(...openQuestions);
				const ANSWER_NAMES = ['choice', 'order', 'orderConfirmed', 'value', 'question', 'goto'];
				const noise = fc.array(fc.tuple(extraFieldName.filter((n) => !ANSWER_NAMES.includes(n) && !n.startsWith('match.') && n.length <= 100), trickyText(4)), { maxLength: 3 });
				const question = fc.oneof(fc.constantFrom(...openQuestions.map((q) => q.id)), fc.constant(''));
				return {
					valid: () => fc.tuple(real, noise).map(([q, extra]): Fields => [['question', q.id], ...answerOf(q), ...extra]),
					broken: () =>
						fc.oneof(
							// No such question in this attempt, or none, or two.
							fc.tuple(fc.oneof(strangeSlug(openQuestions.map((q) => q.id)), fc.constantFrom(...allQuizzes().flatMap((q) => q.questions.map((x) => x.id))).filter((id) => !openQuestions.some((q) => q.id === id))), real, noise).map(([id, q, extra]): Fields => [['question', id], ...answerOf(q), ...extra]),
							fc.tuple(real, noise).map(([q, extra]): Fields => [...answerOf(q), ...extra]),
							fc.tuple(real, real, noise).map(([a, b, extra]): Fields => [['question', a.id], ['question', b.id], ...answerOf(a), ...extra]),
							// A real question with no answer, or with a value longer than any answer may be.
							fc.tuple(question, noise).filter(([q]) => q !== '').map(([q, extra]): Fields => [['question', q], ...extra]),
							fc.tuple(question, tooLong(500), noise).filter(([q]) => q !== '').map(([q, v, extra]): Fields => [['question', q], ['value', v], ...extra]),
							// Undecodable text or a file in any field, or a field name longer than any answer's.
							fc.tuple(real, fc.constantFrom('question', 'choice', 'value', 'order', 'goto'), unstorable()).map(([q, name, bad]): Fields => [['question', q.id], ...answerOf(q), [name, bad]]),
							// Moving to another question (a question number pressed) from one left without an answer.
							fc.tuple(question, fc.oneof(fc.integer({ min: 1, max: 9999 }).map(String), fc.constantFrom('', '0x1', '1\r\nSet-Cookie: a=b', '课', '99999')), noise).filter(([q]) => q !== '').map(([q, to, extra]): Fields => [['question', q], ['goto', to], ...extra]),
							fc.tuple(real, tooLong(100).filter((s) => s.length <= 2000)).map(([q, name]): Fields => [['question', q.id], ...answerOf(q), [name, 'x']])
						)
				};
			})()
		},
		{ route: `${T}/attempts/[id]`, action: 'submit', access: 'technician', runs: 150, params: () => fc.record({ id: fc.constant(ids.attempts.open) }), forged: () => fc.record({ id: forgedId([ids.attempts.open, ids.attempts.submitted], [ids.attempts.south]) }) },
		{
			route: `${T}/courses/[course]/[lesson]`,
			action: 'done',
			access: 'technician',
			runs: 190,
			params: () => realSlug().chain((c) => fc.record({ course: fc.constant(c), lesson: fc.constantFrom(...courses().find((x) => x.slug === c)!.lessons.map((l) => l.slug)) })),
			forged: () =>
				fc.oneof(
					fc.record({ course: strangeSlug(courses().map((c) => c.slug)), lesson: fc.constantFrom(...courses().flatMap((c) => c.lessons.map((l) => l.slug))) }),
					realSlug().chain((c) => fc.record({ course: fc.constant(c), lesson: strangeSlug(courses().find((x) => x.slug === c)!.lessons.map((l) => l.slug)) }))
				)
		},
		{
			route: `${T}/courses/[course]/quizzes/[quiz]`,
			action: 'start',
			access: 'technician',
			runs: 190,
			params: () => fc.constantFrom(...allQuizzes()).map((q) => ({ course: q.courseSlug, quiz: q.id })),
			forged: () =>
				fc
					.record({ course: fc.oneof(realSlug(), strangeSlug([])), quiz: fc.oneof(fc.constantFrom(...allQuizzes().map((q) => q.id), ...allScenarios().map((s) => s.id)), strangeSlug([])) })
					.filter(({ course, quiz }) => !findQuiz(course, quiz))
		},
		{
			route: `${T}/courses/[course]/scenarios/[scenario]`,
			action: 'start',
			access: 'technician',
			runs: 190,
			params: () => fc.constantFrom(...allScenarios()).map((s) => ({ course: s.courseSlug, scenario: s.id })),
			forged: () =>
				fc
					.record({ course: fc.oneof(realSlug(), strangeSlug([])), scenario: fc.oneof(fc.constantFrom(...allScenarios().map((s) => s.id), ...allQuizzes().map((q) => q.id)), strangeSlug([])) })
					.filter(({ course, scenario }) => !findScenario(course, scenario))
		},
		{
			route: `${T}/runs/[id]`,
			action: 'choose',
			access: 'technician',
			runs: 380,
			params: () => fc.record({ id: fc.constant(ids.runs.open) }),
			forged: () => fc.record({ id: forgedId([ids.runs.open], [ids.runs.south]) }),
			form: formOf(
				[
					{ name: 'choice', good: () => one(fc.constantFrom(...runChoices)), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(strangeSlug(runChoices), fc.constantFrom(...allScenarios()[0]!.nodes[0]!.choices.map((c) => c.id)), tooLong(60))), repeated(fileValue as fc.Arbitrary<FieldValue>), repeated(invalidUtf8 as fc.Arbitrary<FieldValue>)) },
					// The run is at step 0: any other step is a stale or forged form.
					{ name: 'step', good: () => one(fc.constantFrom('0', '00', '000')), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(fc.integer({ min: 1, max: 999 }).map(String), fc.constantFrom('', '-0', '+0', '0.0', '0000', '０', ' 0', '1e0', 'NaN')))) }
				],
				{ reserved: ['question'] }
			)
		},

		// ---- trainer
		{
			route: '/(trainer)/trainer/assignments',
			action: 'assign',
			access: 'trainer',
			runs: 380,
			form: formOf(
				[
					{ name: 'course', good: () => one(realSlug()), bad: () => fc.oneof(ABSENT, one(fc.constant('')), repeated(strangeSlug(courses().map((c) => c.slug))), repeated(tooLong(100)), repeated(unstorable())) },
					// An archived team takes no new assignments.
					{ name: 'teamId', good: () => one(fc.constantFrom(ids.teams.north, ids.teams.south)), bad: () => fc.oneof(repeated(forgedId(teamIds, [ids.teams.archived]).filter((s) => s.trim() !== '')), repeated(unstorable())) },
					{ name: 'userIds', good: () => fc.uniqueArray(fc.constantFrom(ids.users.tech, ids.users.techLow, ids.users.techSouth), { maxLength: 3 }), bad: () => fc.tuple(fc.uniqueArray(fc.constantFrom(...activeTechs), { maxLength: 2 }), forgedId(activeTechs, notTechnicians)).map(([ok, bad]) => [...ok, bad]) },
					{ name: 'due', good: () => one(fc.integer({ min: 1, max: 700 }).map(dueDate)), bad: badDue },
					// The confirm step sends 1; anything else is not a confirmation.
					{ name: 'confirm', good: () => fc.oneof(ABSENT, one(fc.constant('1'))), bad: () => repeated(fc.constantFrom('0', 'yes', '', ' 1', '1 ', 'true', '１', 'on')) }
				],
				{
					// Neither a team nor technicians; or only a team without technicians.
					crossBreaks: [() => fc.tuple(realSlug(), fc.integer({ min: 1, max: 700 }).map(dueDate), fc.constantFrom('', ids.teams.east)).map(([c, d, teamId]): Fields => [['course', c], ['due', d], ['teamId', teamId]])]
				}
			)
		},
		// Nobody in this database holds a course: every team and person is refused as not assigned.
		{
			route: '/(trainer)/trainer/assignments/[course]',
			action: 'removeTeam',
			access: 'trainer',
			runs: 200,
			params: courseParam,
			forged: forgedCourse,
			form: formOf([
				{ name: 'teamId', good: () => one(fc.constantFrom(ids.teams.north, ids.teams.south)), bad: () => fc.oneof(ABSENT, repeated(forgedId(teamIds, [ids.teams.archived, ids.teams.east])), repeated(unstorable())) },
				{ name: 'confirm', good: () => one(fc.constant('yes')), bad: badConfirm }
			])
		},
		{
			route: '/(trainer)/trainer/assignments/[course]',
			action: 'removePerson',
			access: 'trainer',
			runs: 200,
			params: courseParam,
			forged: forgedCourse,
			form: formOf([
				{ name: 'userId', good: () => one(fc.constant(ids.users.tech)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.users.tech], [...activeTechs.filter((id) => id !== ids.users.tech), ...notTechnicians])), repeated(unstorable())) },
				{ name: 'confirm', good: () => one(fc.constant('yes')), bad: badConfirm }
			])
		},
		{
			route: '/(trainer)/trainer/assignments/[course]',
			action: 'redatePerson',
			access: 'trainer',
			runs: 250,
			params: courseParam,
			forged: forgedCourse,
			form: formOf([
				{ name: 'userId', good: () => one(fc.constant(ids.users.tech)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.users.tech], [...activeTechs.filter((id) => id !== ids.users.tech), ...notTechnicians])), repeated(unstorable())) },
				{ name: 'due', good: () => one(fc.integer({ min: 1, max: 700 }).map(dueDate)), bad: badDue }
			])
		},
		...(() => {
			const technicianParams = () => fc.record({ id: fc.constant(ids.users.tech) });
			// Not a technician (the trainer themself included), inactive, or nobody.
			const forgedTechnician = () => fc.record({ id: forgedId([ids.users.tech, ids.users.techLow, ids.users.techSouth, ids.users.pending, ids.users.accepted], notTechnicians) });
			const held = certs.filter((c) => ['ro-purifier-service', 'home-visit-service'].includes(c.id));
			return [
				{
					route: '/(trainer)/trainer/certifications/[id=uuid]',
					action: 'grant',
					access: 'trainer',
					runs: 320,
					params: technicianParams,
					forged: forgedTechnician,
					form: formOf(
						[
							{ name: 'certification', good: () => one(fc.constantFrom(...certs.map((c) => c.id))), bad: () => fc.oneof(ABSENT, repeated(blank), repeated(strangeSlug(certs.map((c) => c.id)).filter((s) => !certs.some((c) => c.id === s.trim()))), repeated(tooLong(100)), repeated(unstorable())) },
							{ name: 'level', good: () => one(fc.constantFrom('1', '2', '3')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('0', '4', '', ' 1', '1.0', '１', 'one', '-1', '10'))) },
							textField('evidence', 2000)
						],
						{
							// A level the certification does not have; or a level already held (the technician holds these at their top level).
							crossBreaks: [
								() => fc.tuple(fc.constantFrom(...certs.filter((c) => c.levels < 3)), goodText(2000)).chain(([c, evidence]) => fc.integer({ min: c.levels + 1, max: 3 }).map((level): Fields => [['certification', c.id], ['level', String(level)], ['evidence', evidence]])),
								() => fc.tuple(fc.constantFrom(...held), goodText(2000)).chain(([c, evidence]) => fc.integer({ min: 1, max: c.levels }).map((level): Fields => [['certification', c.id], ['level', String(level)], ['evidence', evidence]]))
							]
						}
					)
				},
				{
					route: '/(trainer)/trainer/certifications/[id=uuid]',
					action: 'revoke',
					access: 'trainer',
					runs: 320,
					params: technicianParams,
					forged: forgedTechnician,
					form: formOf([
						// Another technician's cycle, a revoked or an expired one, or no cycle at all.
						{ name: 'holdingId', good: () => one(fc.constant(ids.holdings.active)), bad: () => fc.oneof(ABSENT, repeated(forgedId([ids.holdings.active], [ids.holdings.south, ids.holdings.revoked, ids.holdings.expired]))) },
						textField('reason', 500),
						// Revoking is confirmed in the form.
						{ name: 'confirm', good: () => one(fc.constant('yes')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('no', 'on', 'YES', '', 'true'))) }
					])
				}
			] satisfies FormTarget[];
		})(),

		// ---- trainer: the studio
		...(() => {
			const S = '/(trainer)/studio';
			const slug = () => fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 3, maxLength: 20 });
			const badSlug = () => fc.oneof(fc.constantFrom('Has Caps', 'under_score', '-lead', 'trail-', 'two--dashes', 'dot.ted', '课程', ' ', 'a'.repeat(61)), trickyText(6).filter((v) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v.trim())));
			const courseParams = () => fc.record({ course: fc.constant('complaints') });
			const forgedCourse = () => fc.record({ course: strangeSlug(courses().map((c) => c.slug)) });
			const lessonSlugs = findCourse('complaints')!.lessons.map((l) => l.slug);
			const lessonParams = () => fc.record({ course: fc.constant('complaints'), lesson: fc.constantFrom(...lessonSlugs) });
			const forgedLesson = () => fc.oneof(fc.record({ course: fc.constant('complaints'), lesson: strangeSlug(lessonSlugs) }), fc.record({ course: strangeSlug(courses().map((c) => c.slug)), lesson: fc.constantFrom(...lessonSlugs) }));
			const slugField = (name: string): FieldSpec => ({ name, good: () => one(slug()), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(unstorable())) });
			const lessonField: FieldSpec = { name: 'lesson', good: () => one(fc.constantFrom(...lessonSlugs)), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(unstorable())) };
			const lessonFile = `courses/02-complaints/03-five-steps.en.svx`;
			return [
				{ route: S, action: 'create', access: 'trainer', runs: 200, form: formOf([slugField('slug'), textField('titleEn', 120), textField('titleZh', 120)]) },
				// An upload is a file: anything else is refused (the zip rules have their own specs).
				{ route: S, action: 'import', access: 'trainer', runs: 120 },
				{
					route: `${S}/courses/[course]`,
					action: 'settings',
					access: 'trainer',
					runs: 200,
					params: courseParams,
					forged: forgedCourse,
					form: formOf(
						[
							{ name: 'revision', good: () => one(fc.constantFrom('0', '1')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('x', '-1', '1.5', ''))) },
							textField('titleEn', 120),
							textField('titleZh', 120),
							textField('summaryEn', 400),
							textField('summaryZh', 400),
							{ name: 'category', good: () => one(fc.constantFrom('product', 'etiquette', 'communication')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('cooking', 'Product', ' product', ''))) },
							{ name: 'productLines', good: () => fc.uniqueArray(fc.constantFrom(...PRODUCT_LINES), { minLength: 1, maxLength: 4 }), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('cars', 'Water-Purifier'))) },
							{ name: 'minutes', good: () => one(fc.integer({ min: 1, max: 6000 }).map(String)), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('0', '6001', '1.5', 'ten', '-3'))) },
							{ name: 'locales', good: () => fc.uniqueArray(fc.constantFrom('en', 'zh-CN'), { minLength: 1, maxLength: 2 }), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('fr', 'zh', 'EN'))) }
						],
						{ reserved: ['productLines', 'locales'] }
					)
				},
				{
					route: `${S}/courses/[course]`,
					action: 'addLesson',
					access: 'trainer',
					runs: 200,
					params: courseParams,
					forged: forgedCourse,
					form: formOf([slugField('slug'), textField('titleEn', 120), textField('titleZh', 120)])
				},
				{ route: `${S}/courses/[course]`, action: 'removeLesson', access: 'trainer', runs: 150, params: courseParams, forged: forgedCourse, form: formOf([lessonField]) },
				{
					route: `${S}/courses/[course]`,
					action: 'moveLesson',
					access: 'trainer',
					runs: 150,
					params: courseParams,
					forged: forgedCourse,
					form: formOf([lessonField, { name: 'direction', good: () => one(fc.constantFrom('up', 'down')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('left', 'UP', '', 'sideways'))) }])
				},
				{
					route: `${S}/courses/[course]`,
					action: 'publish',
					access: 'trainer',
					runs: 200,
					params: courseParams,
					forged: forgedCourse,
					form: formOf([
						textField('note', 500),
						{ name: 'material', good: () => ABSENT, bad: () => repeated(fc.constantFrom('yes', 'true', '1', 'ON')) },
						{ name: 'renewBy', good: () => fc.oneof(ABSENT, one(fc.constant(''))), bad: () => repeated(fc.constantFrom('tomorrow', '12/01/2027', '2027-1-1', '2027-01-01T00:00')) }
					])
				},
				// Discarding reads no fields: only a refused envelope or an unknown course reaches it here.
				{ route: `${S}/courses/[course]`, action: 'discard', access: 'trainer', runs: 120, params: courseParams, forged: forgedCourse },
				{
					route: `${S}/courses/[course]/history`,
					action: 'restore',
					access: 'trainer',
					runs: 150,
					params: courseParams,
					forged: forgedCourse,
					form: formOf([{ name: 'version', good: () => one(fc.constant('1')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('0', '-1', '1.5', 'x', '', '99999999999'))) }])
				},
				{
					route: `${S}/courses/[course]/lessons/[lesson]`,
					action: 'save',
					access: 'trainer',
					runs: 200,
					params: lessonParams,
					forged: forgedLesson,
					form: formOf([
						{ name: 'path', good: () => one(fc.constant(lessonFile)), bad: () => fc.oneof(ABSENT, repeated(tooLong(301))) },
						{ name: 'text', good: () => one(goodText(2000)), bad: () => fc.oneof(ABSENT, repeated(fc.oneof(fileValue, invalidUtf8, withNul) as fc.Arbitrary<FieldValue>)) },
						{ name: 'revision', good: () => one(fc.constant('0')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('x', '-1', '1.5', ''))) }
					])
				},
				// A picture is a file: anything else is refused (picture rules have their own specs).
				{ route: `${S}/courses/[course]/lessons/[lesson]`, action: 'picture', access: 'trainer', runs: 120, params: lessonParams, forged: forgedLesson },
				...quizTargets(),
				...scenarioTargets(),
				...certificationTargets()
			] satisfies FormTarget[];

			/** The certification editor: refusals before the draft is opened; publish and discard without a draft are refused. */
			function certificationTargets(): FormTarget[] {
				const C = `${S}/certifications/[certification]`;
				const ids = listCertifications().map((c) => c.id);
				const certParams = () => fc.record({ certification: fc.constantFrom(...ids) });
				const forgedCert = () => fc.record({ certification: strangeSlug(ids) });
				const minScore = (name: string): FieldSpec => ({ name, good: () => one(fc.integer({ min: 0, max: 100 }).map(String)), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('-1', '101', 'high'))) });
				return [
					{
						route: S,
						action: 'createCertification',
						access: 'trainer',
						runs: 150,
						form: formOf([
							{ name: 'id', good: () => one(slug()), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(fc.constantFrom(...ids))) },
							textField('titleEn', 200),
							textField('titleZh', 200),
							{ name: 'course', good: () => one(realSlug()), bad: () => fc.oneof(ABSENT, repeated(strangeSlug(courses().map((c) => c.slug)))) }
						])
					},
					{
						route: C,
						action: 'save',
						access: 'trainer',
						runs: 200,
						params: certParams,
						forged: forgedCert,
						form: formOf([
							{ name: 'revision', good: () => one(fc.constant('0')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('x', '-1', '', '7'))) },
							{ name: 'title.en', good: () => one(goodText(100)) },
							{ name: 'validityDays', good: () => one(fc.constantFrom('365', '730')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('0', '1.5', 'year', '99999'))) },
							{ name: 'renewalWindowDays', good: () => one(fc.constantFrom('30', '60')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('-1', 'x', '4000'))) },
							{ name: 'levels.0.0.ref', good: () => one(fc.constant('quiz:complaints/final-exam')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('', 'badge:x', 'quiz:Not Valid', 'course:'))) },
							minScore('levels.0.0.minScore')
						])
					},
					{ route: C, action: 'publish', access: 'trainer', runs: 120, params: certParams, forged: forgedCert, form: formOf([textField('note', 500)]) },
					{ route: C, action: 'discard', access: 'trainer', runs: 100, params: certParams, forged: forgedCert }
				];
			}

			/** The quiz and question editors: every refusal comes before the draft is opened. */
			function quizTargets(): FormTarget[] {
				const Q = `${S}/courses/[course]/quizzes/[quiz]`;
				const questionIds = findQuiz('complaints', 'final-exam')!.questions.map((q) => q.id);
				const quizParams = () => fc.record({ course: fc.constant('complaints'), quiz: fc.constant('final-exam') });
				const forgedQuiz = () =>
					fc.oneof(
						fc.record({ course: fc.constant('complaints'), quiz: strangeSlug(['final-exam', 'practice-handling', 'practice-understanding', 'five-steps-drill']) }),
						fc.record({ course: strangeSlug(courses().map((c) => c.slug)), quiz: fc.constant('final-exam') })
					);
				const questionParams = () => fc.record({ course: fc.constant('complaints'), quiz: fc.constant('final-exam'), question: fc.constantFrom(...questionIds) });
				const forgedQuestion = () => fc.oneof(forgedQuiz().map((p) => ({ ...p, question: questionIds[0]! })), fc.record({ course: fc.constant('complaints'), quiz: fc.constant('final-exam'), question: strangeSlug(questionIds) }));
				const revision: FieldSpec = { name: 'revision', good: () => one(fc.constant('0')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('x', '-1', '1.5', '', '7', '99999999999'))) };
				const question: FieldSpec = { name: 'question', good: () => one(fc.constantFrom(...questionIds)), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(strangeSlug(questionIds)), repeated(unstorable())) };
				const questionForm = formOf([
					revision,
					{ name: 'type', good: () => one(fc.constant('truefalse')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('essay', 'TrueFalse', '', 'cloze', '__proto__'))) },
					{ name: 'id', good: () => one(slug()), bad: () => fc.oneof(ABSENT, repeated(badSlug())) },
					{ name: 'prompt.en', good: () => one(goodText(300)), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('', '   ')), repeated(unstorable())) },
					{ name: 'answer', good: () => one(fc.constantFrom('true', 'false')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('yes', 'TRUE', '1', ''))) },
					{ name: 'points', good: () => one(fc.constantFrom('1', '2', '0.5')), bad: () => repeated(fc.constantFrom('0', '-1', '101', 'lots', 'NaN')) }
				]);
				return [
					{
						route: `${S}/courses/[course]`,
						action: 'addQuiz',
						access: 'trainer',
						runs: 200,
						params: courseParams,
						forged: forgedCourse,
						form: formOf([
							{ name: 'id', good: () => one(slug()), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(fc.constantFrom('final-exam', 'leaking-purifier'))) },
							{ name: 'kind', good: () => one(fc.constantFrom('practice', 'exam')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('survey', 'Exam', ''))) },
							textField('titleEn', 200),
							textField('titleZh', 200)
						])
					},
					{
						route: Q,
						action: 'settings',
						access: 'trainer',
						runs: 200,
						params: quizParams,
						forged: forgedQuiz,
						form: formOf(
							[
								revision,
								{ name: 'title.en', good: () => one(goodText(100)) },
								{ name: 'kind', good: () => one(fc.constantFrom('practice', 'exam')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('survey', 'Exam', ''))) },
								{ name: 'passMark', good: () => one(fc.integer({ min: 0, max: 100 }).map(String)), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('high', '120', '-1', ''))) },
								{ name: 'review', good: () => one(fc.constant('score')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('all', 'Score', ''))) },
								{ name: 'attempts', good: () => one(fc.integer({ min: 0, max: 100 }).map(String)), bad: () => repeated(fc.constantFrom('1.5', '-2', '101', 'many')) },
								{ name: 'draw.0.tag', good: () => ABSENT, bad: () => repeated(fc.constantFrom('Not A Tag', 'under_score', '-x')) }
							],
							{ reserved: ['lessons'] }
						)
					},
					{
						route: Q,
						action: 'move',
						access: 'trainer',
						runs: 150,
						params: quizParams,
						forged: forgedQuiz,
						form: formOf([revision, question, { name: 'direction', good: () => one(fc.constantFrom('up', 'down')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('left', 'UP', ''))) }])
					},
					{ route: Q, action: 'duplicate', access: 'trainer', runs: 150, params: quizParams, forged: forgedQuiz, form: formOf([revision, question]) },
					{ route: Q, action: 'remove', access: 'trainer', runs: 150, params: quizParams, forged: forgedQuiz, form: formOf([revision, question]) },
					// A question bank is a file: anything else is refused (the formats have their own specs).
					{ route: Q, action: 'import', access: 'trainer', runs: 120, params: quizParams, forged: forgedQuiz },
					{ route: `${Q}/add`, action: 'save', access: 'trainer', runs: 200, params: quizParams, forged: forgedQuiz, form: questionForm },
					{ route: `${Q}/questions/[question]`, action: 'save', access: 'trainer', runs: 200, params: questionParams, forged: forgedQuestion, form: questionForm },
					{
						route: `${Q}/preview`,
						action: 'check',
						access: 'trainer',
						runs: 150,
						params: quizParams,
						forged: forgedQuiz,
						form: formOf([question, { name: 'choice', good: () => one(fc.constantFrom('a', 'b')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('zz', '', '__proto__'))) }])
					}
				];
			}

			/** The scenario editor: every refusal comes before the draft is opened. */
			function scenarioTargets(): FormTarget[] {
				const SC = `${S}/courses/[course]/scenarios/[scenario]`;
				const nodeIds = findScenario('complaints', 'leaking-purifier')!.nodes.map((n) => n.id);
				const scenarioParams = () => fc.record({ course: fc.constant('complaints'), scenario: fc.constant('leaking-purifier') });
				const forgedScenario = () =>
					fc.oneof(
						fc.record({ course: fc.constant('complaints'), scenario: strangeSlug(['leaking-purifier', 'skin-reaction-refund']) }),
						fc.record({ course: strangeSlug(courses().map((c) => c.slug)), scenario: fc.constant('leaking-purifier') })
					);
				const nodeParams = () => fc.record({ course: fc.constant('complaints'), scenario: fc.constant('leaking-purifier'), node: fc.constantFrom(...nodeIds) });
				const forgedNode = () => fc.oneof(forgedScenario().map((p) => ({ ...p, node: nodeIds[0]! })), fc.record({ course: fc.constant('complaints'), scenario: fc.constant('leaking-purifier'), node: strangeSlug(nodeIds) }));
				const revision: FieldSpec = { name: 'revision', good: () => one(fc.constant('0')), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('x', '-1', '1.5', '', '7'))) };
				const mood: FieldSpec = { name: 'mood', good: () => one(fc.constantFrom('calm', 'angry')), bad: () => repeated(fc.constantFrom('giddy', 'Calm')) };
				return [
					{
						route: `${S}/courses/[course]`,
						action: 'addScenario',
						access: 'trainer',
						runs: 150,
						params: courseParams,
						forged: forgedCourse,
						form: formOf([
							{ name: 'id', good: () => one(slug()), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(fc.constantFrom('final-exam', 'leaking-purifier'))) },
							textField('titleEn', 200),
							textField('titleZh', 200),
							textField('summaryEn', 2000),
							textField('summaryZh', 2000)
						])
					},
					{
						route: SC,
						action: 'settings',
						access: 'trainer',
						runs: 150,
						params: scenarioParams,
						forged: forgedScenario,
						form: formOf([
							revision,
							{ name: 'title.en', good: () => one(goodText(100)) },
							{ name: 'summary.en', good: () => one(goodText(100)) },
							{ name: 'passMark', good: () => one(fc.integer({ min: 0, max: 100 }).map(String)), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('high', '120', '-1', ''))) },
							{ name: 'start', good: () => one(fc.constantFrom(...nodeIds)), bad: () => fc.oneof(ABSENT, repeated(badSlug())) }
						])
					},
					{
						route: SC,
						action: 'addNode',
						access: 'trainer',
						runs: 150,
						params: scenarioParams,
						forged: forgedScenario,
						form: formOf([
							revision,
							{ name: 'id', good: () => one(slug()), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(fc.constantFrom(...nodeIds))) },
							{ name: 'line.en', good: () => one(goodText(200)), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('', '  ')), repeated(unstorable())) },
							mood,
							{ name: 'outcome', good: () => one(fc.constantFrom('', 'resolved')), bad: () => repeated(fc.constantFrom('won', 'Resolved')) }
						])
					},
					{
						route: SC,
						action: 'removeNode',
						access: 'trainer',
						runs: 120,
						params: scenarioParams,
						forged: forgedScenario,
						form: formOf([revision, { name: 'node', good: () => one(fc.constantFrom(...nodeIds.slice(1))), bad: () => fc.oneof(ABSENT, repeated(badSlug()), repeated(fc.constantFrom('door', 'no-such-node'))) }])
					},
					{
						route: `${SC}/nodes/[node]`,
						action: 'save',
						access: 'trainer',
						runs: 150,
						params: nodeParams,
						forged: forgedNode,
						form: formOf([
							revision,
							{ name: 'id', good: () => one(slug()), bad: () => fc.oneof(ABSENT, repeated(badSlug())) },
							{ name: 'line.en', good: () => one(goodText(200)), bad: () => fc.oneof(ABSENT, repeated(fc.constantFrom('', '  ')), repeated(unstorable())) },
							mood,
							{ name: 'outcome', good: () => one(fc.constant('resolved')), bad: () => repeated(fc.constantFrom('won', 'Resolved')) }
						])
					}
				];
			}
		})()
	];
}

// ------------------------------------------------------------------ requests from inputs

interface FormInput {
	kind: 'envelope' | 'params' | 'body';
	session: string;
	origin: string | null;
	method: string;
	/** The query naming the action: `?/create`, or '' for a default action. */
	query: string;
	params: Record<string, string>;
	fields: Fields;
	encoding: 'urlencoded' | 'multipart' | 'text/plain' | 'application/x-sveltekit-formdata' | 'multipart-without-boundary' | 'truncated-multipart';
	/** Overrides the encoding's Content-Type (null: none). */
	contentType?: string | null;
	enhanced: boolean;
}

const bogusToken = fc.oneof(
	fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 24, maxLength: 24 }),
	fc.constantFrom('', 'x', "' or 1=1 --", 'null', 'undefined'),
	fc.string({ unit: fc.constantFrom(...'abc+/=%;'), maxLength: 40 })
);

/** Percent-encoded UTF-8 for a path segment or query part (a lone surrogate goes as U+FFFD, as browsers send it). */
const percent = (s: string) => encodeURIComponent(s.toWellFormed());

function pathOf(route: string, params: Record<string, string>): string {
	const path = route
		.split('/')
		.filter((s) => s && !/^\(.+\)$/.test(s))
		.map((s) => {
			const p = /^\[(\w+)(?:=\w+)?\]$/.exec(s);
			return p ? percent(params[p[1]!]!) : s;
		})
		.join('/');
	return '/' + path;
}

const PROTOTYPE_NAMES = ['valueOf', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__'];

function inputsFor(target: FormTarget): fc.Arbitrary<FormInput> {
	const roleSessions = (roles: Role[]) => roles.map((r) => sessions[r]);
	const good: string[] =
		target.goodSessions?.map((s) => (s === 'none' ? '' : s === 'bogus' ? 'bogus' : sessions[s])) ??
		(target.access === 'public' ? ['', 'bogus', ...roleSessions([...ROLES])] : target.access === 'signed-in' ? roleSessions([...ROLES]) : [sessions[target.access]]);
	const badSessions: string[] = target.access === 'public' ? [] : target.access === 'signed-in' ? ['', 'bogus'] : ['', 'bogus', ...roleSessions(ROLES.filter((r) => r !== target.access))];
	const envelopeGood = [...good, ...roleSessions(target.envelopeSessions ?? [])];
	const session = (list: string[]) => fc.constantFrom(...list).chain((s) => (s === 'bogus' ? bogusToken.map((b) => `bogus:${b}`) : fc.constant(s)));
	const named = target.action !== 'default';
	// Query parameters the actions and their redirects might read, holding what a Location header
	// cannot carry (CR/LF, CJK, a lone %): never a 5xx.
	const queryNoise = fc.oneof(
		{ weight: 3, arbitrary: fc.constant('') },
		fc.tuple(fc.constantFrom('q', 'next', 'saved', 'team', 'before'), fc.oneof(trickyText(6), fc.constantFrom('\r\n', '课程', '/learn/课程', '/learn\r\nSet-Cookie: a=b', '%E8', '\u2028'))).map(([k, v]) => `&${k}=${percent(v)}`),
		fc.constantFrom('&q=%', '&next=%ZZ', '&q=%0D%0A', '&next=/learn/%E8%AF%BE')
	);
	const baseQuery = named ? fc.constantFrom(`?/${target.action}`, `?x=1&/${target.action}`, `?/${target.action}&/other`) : fc.constantFrom('', '?x=1', '?next=/admin');
	const goodQuery = fc.tuple(baseQuery, queryNoise).map(([q, noise]) => (noise === '' ? q : q === '' ? `?${noise.slice(1)}` : q + noise));
	const badQuery = fc
		.oneof(fc.constantFrom(...PROTOTYPE_NAMES, 'default', '', 'DEFAULT', `${target.action} `, `${target.action.toUpperCase()}`), trickyText(6))
		.filter((name) => name !== target.action && name.isWellFormed())
		.map((name) => `?/${percent(name)}`);
	const body = target.form ? fc.oneof(target.form.valid(), target.form.broken()) : fc.array(fc.tuple(extraFieldName, trickyText(6)), { maxLength: 4 });
	const goodEncoding = fc.constantFrom<FormInput['encoding']>('urlencoded', 'multipart');
	const params = target.params?.() ?? fc.constant({});
	const anyParams = target.forged ? fc.oneof(params, target.forged()) : params;

	// A request that is right in every way the body is not: the right session, origin, method, type and action.
	const correct = (p: fc.Arbitrary<Record<string, string>>, fields: fc.Arbitrary<Fields>, encoding: fc.Arbitrary<FormInput['encoding']>, kind: FormInput['kind']) =>
		fc.record({ kind: fc.constant(kind), session: session(good), origin: fc.constant('http://localhost'), method: fc.constant('POST'), query: goodQuery, params: p, fields, encoding, enhanced: fc.boolean() });

	type Dim = 'session' | 'origin' | 'type' | 'method' | 'action';
	const dims: Dim[] = ['origin', 'type', 'method', 'action', ...(badSessions.length ? (['session'] as Dim[]) : [])];
	const envelope = fc.shuffledSubarray(dims, { minLength: 1, maxLength: 3 }).chain((bad) =>
		fc.record({
			kind: fc.constant<FormInput['kind']>('envelope'),
			session: bad.includes('session') ? session(badSessions) : session(envelopeGood),
			origin: bad.includes('origin') ? fc.constantFrom(null, 'null', 'https://evil.example', 'http://localhost:5173', 'http://LOCALHOST', 'https://localhost', 'http://localhost.evil.example') : fc.constant('http://localhost'),
			method: bad.includes('method') ? fc.constantFrom('PUT', 'PATCH', 'DELETE') : fc.constant('POST'),
			query: bad.includes('action') ? (named ? fc.oneof(badQuery, fc.constantFrom('', '?x=/create')) : badQuery) : goodQuery,
			params: anyParams,
			fields: body,
			encoding: goodEncoding,
			contentType: bad.includes('type') ? fc.constantFrom(null, 'application/json', 'application/xml', 'text/html', 'multipart/mixed; boundary=x', 'application/x-www-form-urlencodedx', 'form', 'application/octet-stream') : fc.constant(undefined),
			enhanced: fc.boolean()
		})
	);
	const kinds: Array<{ weight: number; arbitrary: fc.Arbitrary<FormInput> }> = [{ weight: target.form ? 2 : 4, arbitrary: envelope }];
	if (target.forged) kinds.push({ weight: 3, arbitrary: correct(target.forged(), body, goodEncoding, 'params') });
	if (target.form) {
		kinds.push({ weight: 5, arbitrary: correct(params, target.form.broken(), goodEncoding, 'body') });
		// A body no form parser reads: a form type it cannot parse, a missing or wrong boundary.
		kinds.push({ weight: 1, arbitrary: correct(params, body, fc.constantFrom<FormInput['encoding']>('text/plain', 'application/x-sveltekit-formdata', 'multipart-without-boundary', 'truncated-multipart'), 'body') });
	}
	return fc.oneof(...kinds);
}

function requestOf(target: FormTarget, input: FormInput): FormRequest {
	const path = pathOf(target.route, input.params) + input.query;
	let body: Uint8Array;
	let contentType: string;
	switch (input.encoding) {
		case 'urlencoded':
		case 'multipart':
			({ body, contentType } = encodeForm(input.fields, input.encoding));
			break;
		case 'multipart-without-boundary':
			({ body } = encodeForm(input.fields, 'multipart'));
			contentType = 'multipart/form-data';
			break;
		case 'truncated-multipart': {
			const encoded = encodeForm(input.fields, 'multipart');
			body = encoded.body.slice(0, Math.max(0, encoded.body.length - 8));
			contentType = encoded.contentType;
			break;
		}
		default:
			({ body } = encodeForm(input.fields, 'urlencoded'));
			contentType = input.encoding;
	}
	const session = input.session.startsWith('bogus:') ? input.session.slice('bogus:'.length) : input.session;
	return {
		path,
		method: input.method,
		body,
		contentType: input.contentType === undefined ? contentType : input.contentType,
		origin: input.origin,
		session: session === '' && !input.session.startsWith('bogus:') ? undefined : session,
		enhanced: input.enhanced
	};
}

function describeInput(target: FormTarget, input: FormInput, answer: FormAnswer): string {
	const req = requestOf(target, input);
	const fields = input.fields.map(([k, v]) => `${JSON.stringify(k.slice(0, 40))}=${typeof v === 'string' ? JSON.stringify(v.slice(0, 80)) + (v.length > 80 ? `…(${v.length})` : '') : 'bytes' in v ? `<${v.bytes.length} bytes>` : `<file ${v.file.name}>`}`);
	const err = answer.error instanceof Error ? `\n${answer.error.stack}` : answer.error ? `\n${String(answer.error)}` : '';
	return `${req.method} ${req.path} [${input.kind}; session ${input.session ? (input.session.startsWith('bogus') ? 'bogus' : 'real') : 'none'}; origin ${input.origin}; ${req.contentType}; ${input.enhanced ? 'enhanced' : 'plain'}]\n  fields: ${fields.join(', ')}\n  → ${answer.status} (${answer.outcome} ${answer.effective}) ${answer.message ?? ''} ${answer.location ?? ''}${err}`;
}

// ------------------------------------------------------------------ the properties

describe('every form action', () => {
	let targets: FormTarget[];
	beforeAll(() => {
		targets = formTargets();
	});

	it('has a generator (the list comes from the route tree)', async () => {
		const existing = await discoverActions();
		const covered = targets.map((x) => actionKey(x.route, x.action)).sort();
		expect(existing.length).toBeGreaterThan(30);
		expect(existing.filter((k) => !covered.includes(k)), 'form actions without a bad-input generator').toEqual([]);
		expect(covered.filter((k) => !existing.includes(k)), 'generators for actions that no longer exist').toEqual([]);
	});

	it('refuses malformed input with a 4xx and changes nothing', { timeout: 600_000 }, async () => {
		for (const [i, target] of targets.entries()) {
			const key = actionKey(target.route, target.action);
			const started = performance.now();
			const before = await checksum();
			await fc.assert(
				fc.asyncProperty(inputsFor(target), async (input) => {
					const answer = await submit(requestOf(target, input));
					count(`form ${key}`);
					const what = () => describeInput(target, input, answer);
					if (answer.status >= 500 || answer.error) throw new Error(`5xx for ${key}:\n${what()}`);
					// Without JavaScript, a page's load may redirect after the action refused (a submitted
					// attempt shows its result, the language page goes home): still a refusal.
					const is4xx = (s: number | undefined) => s !== undefined && s >= 400 && s < 500;
					const refused = is4xx(answer.effective) || (answer.outcome === 'failure' && is4xx(answer.actionStatus) && answer.status === 303 && !input.enhanced);
					if (!refused && !target.harmless?.(answer, input)) throw new Error(`Not refused by ${key}:\n${what()}`);
				}),
				{ numRuns: runs(target.runs), seed: SEED + i, endOnFailure: true }
			);
			timings.set(`form ${key}`, performance.now() - started);
			const changed = changedTables(before, await checksum(), key.startsWith('/(public)/login ') || key === '/(app)/profile ?/password' ? LOGIN_MAY_CHANGE : []);
			expect(changed, `tables changed by malformed input to ${key}`).toEqual([]);
		}
	});
});

// ------------------------------------------------------------------ the dispatch API

interface ApiInput {
	/** Which part of the request is wrong (for the counterexample). */
	kind: string;
	method: string;
	/** Path and query under /api/v1. */
	path: string;
	/** The Authorization header; absent when undefined. */
	authorization?: string;
	body?: { json: unknown } | { text: string } | { bytes: Uint8Array };
	/** null: no Content-Type. */
	contentType?: string | null;
	headers?: Record<string, string>;
}

const API = '/api/v1';
const bearer = (secret: string) => `Bearer ${secret}`;
const base64url = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: min, maxLength: max });
/** Header values are byte strings: Latin-1 without CR, LF or NUL. */
const latin1 = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: max });

/** Every way to present no valid token for `scope`: none, malformed, unknown, revoked, or lacking the scope. */
function badAuthorization(scope: 'eligibility:read' | 'jobs:write') {
	return fc.oneof(
		fc.constant(undefined),
		fc.constantFrom('', ' ', 'Basic YWRtaW46cGFzcw==', 'Bearer', 'Bearer ', 'Bearer two words', 'Token abc', 'Bearer\tabc', 'Bearer sr_!', 'Bearer "sr_x"', 'Digest x'),
		latin1(60).filter((h) => !/^Bearer +[A-Za-z0-9\-._~+/]+=* *$/i.test(h)),
		base64url(43, 43).map((s) => bearer(`sr_${s}`)),
		base64url(1, 80).map((s) => bearer(s)),
		fc.constantFrom(bearer(secrets.revoked), `bearer   ${secrets.revoked}`, bearer(scope === 'jobs:write' ? secrets.reader : secrets.writer))
	);
}
const goodAuthorization = (scope: 'eligibility:read' | 'jobs:write') =>
	fc.constantFrom(bearer(secrets.full), `bearer ${secrets.full}`, `BEARER ${secrets.full}  `, bearer(scope === 'jobs:write' ? secrets.writer : secrets.reader));

/** URLs resolve `.` and `..` segments, so such an id would be another path (the path target covers those). */
const notDotSegment = (id: string) => id !== '.' && id !== '..';
const queryOf = (pairs: Array<[string, string]>) => (pairs.length ? '?' + pairs.map(([k, v]) => `${percent(k)}=${percent(v)}`).join('&') : '');

const validInstant = fc
	.tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Z', '+08:00', '-05:30', '+00:00'))
	.map(([d, zone]) => {
		if (zone === 'Z') return d.toISOString();
		const sign = zone[0] === '-' ? -1 : 1;
		const minutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
		return new Date(d.getTime() + minutes * 60_000).toISOString().slice(0, 19) + zone;
	});
/** Not an instant: no zone, out of range, not ISO 8601, or not a date at all. */
const badInstant = fc.oneof(
	fc.constantFrom('2026-02-30T10:00:00Z', '2026-06-01T24:00:00Z', '2026-06-01T10:60:00Z', '2026-06-01T10:00:60Z', '2026-06-01T10:00:00', '2026-06-01', '2026-06-01T10:00Z+08:00', '2026-06-01T10:00:00+24:00', '2026-06-01T10:00:00+08:60', ' 2026-06-01T10:00:00Z', '2026-06-01T10:00:00Z ', '+002026-06-01T10:00:00Z', '２０２６-06-01T10:00:00Z', '2026-06-01T10:00:00.Z', '2026-06-01t10:00:00z\u0000', '1780300800000', 'now', 'null', ''),
	trickyText(10).filter((s) => !/^\d{4}-\d{2}-\d{2}T/i.test(s))
);
const badWhole = (min: number, max: number) =>
	fc.oneof(fc.constantFrom('0', '-1', '1.5', '1e3', ' 5', '5 ', '+5', '０', 'NaN', 'Infinity', '', '0x10', '1,000', '9999999'), fc.integer({ min: max + 1 }).map(String), fc.integer({ max: min - 1 }).map(String));

/** Any JSON value but a string (a number, boolean, null, array or object). */
const notString = fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'string');
/** A JSON value a duration can never be. */
const notDuration = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.double(), fc.integer()).filter((v) => !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1440));

interface JsonField {
	name: string;
	good: () => fc.Arbitrary<unknown>;
	/** Makes the body refused whatever else it holds; NO_KEY leaves the field out. */
	bad: () => fc.Arbitrary<unknown>;
}
const NO_KEY = Symbol('absent');

/**
 * JSON bodies for an object schema: `valid` ones, and `broken` ones — a field wrong (type, value or
 * missing), an unknown field, a repeated key whose last copy is wrong, not an object at all, or not
 * JSON — each of which the API must refuse.
 */
function jsonBodies(fields: JsonField[], crossBreaks: Array<() => fc.Arbitrary<Record<string, unknown>>> = []) {
	const build = (entries: Array<[string, unknown]>) => Object.fromEntries(entries.filter(([, v]) => v !== NO_KEY && v !== undefined));
	const valid = () => fc.tuple(...fields.map((f) => f.good())).map((values) => build(fields.map((f, i) => [f.name, values[i]])));
	const fieldBreak = () =>
		fc
			.shuffledSubarray(fields.map((_, i) => i), { minLength: 1, maxLength: Math.min(2, fields.length) })
			.chain((bad) => fc.tuple(...fields.map((f, i) => (bad.includes(i) ? f.bad() : f.good()))))
			.map((values) => ({ json: build(fields.map((f, i) => [f.name, values[i]])) }) as ApiInput['body']);
	const names = fields.map((f) => f.name);
	const unknownField = () =>
		fc.tuple(valid(), extraFieldName.filter((n) => !names.includes(n)), fc.jsonValue({ maxDepth: 1 })).map(([body, name, value]) => ({ text: JSON.stringify(body).replace(/}$/, `${Object.keys(body).length ? ',' : ''}${JSON.stringify(name)}:${JSON.stringify(value) ?? 'null'}}`) }));
	const repeatedKey = () =>
		fc.tuple(valid(), fc.integer({ min: 0, max: fields.length - 1 })).chain(([body, i]) =>
			fields[i]!.bad()
				.filter((v) => v !== NO_KEY)
				.map((v) => ({ text: JSON.stringify(body).replace(/}$/, `${Object.keys(body).length ? ',' : ''}${JSON.stringify(fields[i]!.name)}:${JSON.stringify(v) ?? 'null'}}`) }))
		);
	const notObject = () => fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((json) => ({ json }));
	const notJson = () =>
		fc.oneof(
			valid().map((b) => ({ text: JSON.stringify(b).slice(0, -1) })),
			valid().map((b) => ({ text: JSON.stringify(b) + ' x' })),
			valid().map((b) => ({ text: JSON.stringify(b).replace(/"/g, "'") })),
			valid().map((b) => ({ text: `// comment\n${JSON.stringify(b)}` })),
			valid().map((b) => ({ text: '\uFEFF' + JSON.stringify(b).slice(1) })),
			fc.constantFrom('', ' ', '\n\t', '{', '}', '[', 'NaN', 'undefined', '{"a":NaN}', '{"a":1,}', '{a:1}', '\u0000').map((text) => ({ text })),
			fc.tuple(valid(), invalidUtf8).map(([b, bad]) => {
				const text = JSON.stringify({ ...b, x: '' });
				const at = text.lastIndexOf('""') + 1;
				const enc = new TextEncoder();
				return { bytes: Uint8Array.from([...enc.encode(text.slice(0, at)), ...bad.bytes, ...enc.encode(text.slice(at))]) };
			}),
			// Larger than the 64 KiB the API reads, or nested deeper than anything valid.
			fc.tuple(valid(), fc.integer({ min: 65 * 1024, max: 300 * 1024 })).map(([b, n]) => ({ text: JSON.stringify({ ...b, padding: 'x'.repeat(n) }) })),
			fc.integer({ min: 1000, max: 30_000 }).map((depth) => ({ text: '['.repeat(depth) + ']'.repeat(depth) }))
		) as fc.Arbitrary<ApiInput['body']>;
	const broken = () =>
		fc.oneof(
			{ weight: 6, arbitrary: fieldBreak() },
			{ weight: 1, arbitrary: unknownField() },
			{ weight: 1, arbitrary: repeatedKey() },
			{ weight: 1, arbitrary: notObject() },
			{ weight: 2, arbitrary: notJson() },
			...crossBreaks.map((b) => ({ weight: 2, arbitrary: b().map((json) => ({ json })) }))
		) as fc.Arbitrary<ApiInput['body']>;
	return { valid: () => valid().map((json) => ({ json })) as fc.Arbitrary<ApiInput['body']>, broken };
}

interface ApiTarget {
	/** The operations (as `GET /eligibility`) and the route files it exercises. */
	operations: string[];
	routes: string[];
	runs: number;
	inputs: () => fc.Arbitrary<ApiInput>;
	/** Answers other than a 4xx that a request of this kind may get (the public document). */
	allow?: (status: number, input: ApiInput) => boolean;
}

function apiTargets(): ApiTarget[] {
	const techIds = [ids.users.tech, ids.users.techLow, ids.users.techSouth, ids.users.pending, ids.users.accepted];
	const types = Object.values(ids.jobTypes);
	const forgedTech = () => forgedId(techIds, [ids.users.inactive]);
	const forgedType = () => forgedId(types);
	const idString = (forged: fc.Arbitrary<string>) => fc.oneof({ weight: 3, arbitrary: forged }, { weight: 1, arbitrary: notString }, { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(101)) });
	const wrongMethods = (allowed: string[]) => fc.constantFrom(...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.includes(m)));
	const goodPostType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.dispatch+json', 'APPLICATION/JSON');
	const badPostType = fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-patch', 'text/json', 'json', 'application/javascript');

	/** A GET endpoint: its query is the only input besides the token, the method and the path. */
	const getTarget = (o: { operation: string; route: string; runs: number; path: () => fc.Arbitrary<string>; forgedPath?: () => fc.Arbitrary<string>; goodQuery: () => fc.Arbitrary<Array<[string, string]>>; badQuery: () => fc.Arbitrary<Array<[string, string]>> }): ApiTarget => ({
		operations: [o.operation],
		routes: [o.route],
		runs: o.runs,
		inputs: () => {
			const anyQuery = fc.oneof(o.goodQuery(), o.badQuery());
			const anyPath = o.forgedPath ? fc.oneof(o.path(), o.forgedPath()) : o.path();
			const get = (kind: string, path: fc.Arbitrary<string>, query: fc.Arbitrary<Array<[string, string]>>, authorization: fc.Arbitrary<string | undefined>) =>
				fc.record({ kind: fc.constant(kind), method: fc.constantFrom('GET', 'HEAD'), path: fc.tuple(path, query).map(([p, q]) => p + queryOf(q)), authorization });
			const kinds = [
				get('query', o.path(), o.badQuery(), goodAuthorization('eligibility:read')),
				get('token', anyPath, anyQuery, badAuthorization('eligibility:read')),
				fc.record({ kind: fc.constant('method'), method: wrongMethods(['GET', 'HEAD']), path: fc.tuple(anyPath, anyQuery).map(([p, q]) => p + queryOf(q)), authorization: fc.oneof(goodAuthorization('eligibility:read'), badAuthorization('eligibility:read')), body: fc.option(fc.jsonValue({ maxDepth: 1 }).map((json) => ({ json })), { nil: undefined }) })
			];
			if (o.forgedPath) kinds.push(get('path', o.forgedPath(), o.goodQuery(), goodAuthorization('eligibility:read')));
			return fc.oneof(...kinds) as fc.Arbitrary<ApiInput>;
		}
	});
	/** Unknown or repeated query parameters, added to a query that is otherwise fine. */
	const strayParams = (good: fc.Arbitrary<Array<[string, string]>>, names: string[]) => {
		const extra = fc.tuple(good, fc.array(fc.tuple(extraFieldName.filter((n) => !names.includes(n)), trickyText(4)), { minLength: 1, maxLength: 3 })).map(([q, more]) => [...q, ...more]);
		return fc.oneof(extra, good.chain((q) => (q.length ? fc.constantFrom(...q).map((dup) => [...q, dup]) : extra)));
	};
	/** Replaces (or drops, with NO_KEY) one parameter of a good query by a bad value. */
	const withBad = (good: fc.Arbitrary<Array<[string, string]>>, name: string, bad: fc.Arbitrary<string | typeof NO_KEY>) =>
		fc.tuple(good, bad).map(([q, v]) => {
			const rest = q.filter(([k]) => k !== name);
			return v === NO_KEY ? rest : [...rest, [name, v] as [string, string]];
		});

	const eligibilityQuery = () =>
		fc
			.record({ jobTypeId: fc.constantFrom(...types), technicianId: fc.constantFrom(...techIds, ids.users.tech.toUpperCase()), at: validInstant, durationMinutes: fc.option(fc.integer({ min: 1, max: 1440 }).map(String), { nil: undefined }) }, { requiredKeys: ['jobTypeId', 'technicianId', 'at'] })
			.map((q) => Object.entries(q).filter(([, v]) => v !== undefined) as Array<[string, string]>);
	const eligibleQuery = () =>
		fc
			.record({ at: validInstant, durationMinutes: fc.option(fc.integer({ min: 1, max: 1440 }).map(String), { nil: undefined }), limit: fc.option(fc.integer({ min: 1, max: 200 }).map(String), { nil: undefined }) }, { requiredKeys: ['at'] })
			.map((q) => Object.entries(q).filter(([, v]) => v !== undefined) as Array<[string, string]>);
	const cursorOf = (at: string) => encodeCursor({ after: ids.users.tech, jobTypeId: ids.jobTypes.ro, at: new Date(at), durationMinutes: null });

	const eligibilityFields = (): JsonField[] => [
		{ name: 'jobTypeId', good: () => fc.constantFrom(...types), bad: () => fc.oneof(fc.constant(NO_KEY), idString(forgedType())) },
		{
			name: 'technicianIds',
			good: () => fc.uniqueArray(fc.constantFrom(...techIds), { minLength: 1, maxLength: 5 }),
			bad: () =>
				fc.oneof(
					fc.constant(NO_KEY),
					notString.filter((v) => !Array.isArray(v)),
					fc.constant([]),
					fc.array(fc.constantFrom(...techIds), { minLength: 201, maxLength: 230 }),
					fc.tuple(fc.uniqueArray(fc.constantFrom(...techIds), { maxLength: 3 }), idString(forgedTech()), fc.nat()).map(([ok, bad, i]) => {
						const list: unknown[] = [...ok];
						list.splice(i % (ok.length + 1), 0, bad);
						return list;
					})
				)
		},
		{ name: 'at', good: () => validInstant, bad: () => fc.oneof(fc.constant(NO_KEY), notString, badInstant) },
		{ name: 'durationMinutes', good: () => fc.option(fc.integer({ min: 1, max: 1440 }), { nil: undefined }), bad: () => notDuration }
	];
	const soon = fc.integer({ min: 1, max: 150 }).map((d) => new Date(now + d * DAY + 3_600_000).toISOString());
	const textOf = (max: number) => fc.oneof(tooLong(max), withNul, withLoneSurrogate);
	const jobFields = (): JsonField[] => [
		{ name: 'jobTypeId', good: () => fc.constant(ids.jobTypes.ro), bad: () => fc.oneof(fc.constant(NO_KEY), idString(forgedId([ids.jobTypes.ro], [ids.jobTypes.archived]))) },
		{ name: 'technicianId', good: () => fc.constantFrom(ids.users.tech, ids.users.tech.toUpperCase()), bad: () => fc.oneof(fc.constant(NO_KEY), idString(forgedTech())) },
		{ name: 'siteLabel', good: () => goodText(200), bad: () => fc.oneof(fc.constant(NO_KEY), notString, blank, textOf(200)) },
		{ name: 'scheduledAt', good: () => soon, bad: () => fc.oneof(fc.constant(NO_KEY), notString, badInstant) },
		{ name: 'durationMinutes', good: () => fc.integer({ min: 1, max: 120 }), bad: () => fc.oneof(fc.constant(NO_KEY), notDuration) },
		{ name: 'teamId', good: () => fc.option(fc.constantFrom(...Object.values(ids.teams)), { nil: undefined }), bad: () => idString(forgedId(Object.values(ids.teams))) },
		{ name: 'overrideReason', good: () => fc.option(fc.oneof(fc.constant(null), goodText(1000)), { nil: undefined }), bad: () => fc.oneof(notString.filter((v) => v !== null), textOf(1000)) }
	];
	/** A technician who is not eligible, and no reason (or a blank one) to override. */
	const ineligible = () =>
		fc
			.record({
				jobTypeId: fc.constant(ids.jobTypes.ro),
				technicianId: fc.constantFrom(ids.users.techLow, ids.users.techSouth, ids.users.pending, ids.users.accepted),
				siteLabel: goodText(200),
				scheduledAt: soon,
				durationMinutes: fc.integer({ min: 1, max: 120 }),
				overrideReason: fc.option(fc.oneof(fc.constant(null), blank), { nil: undefined })
			})
			.map((b) => Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)));

	/** An endpoint taking a JSON body (POST, or PATCH with `method`); `path` may vary, as a job id does. */
	const postTarget = (o: { operation: string; route: string; path: string | (() => fc.Arbitrary<string>); method?: 'POST' | 'PATCH'; scope: 'eligibility:read' | 'jobs:write'; runs: number; bodies: ReturnType<typeof jsonBodies> }): ApiTarget => ({
		operations: [o.operation],
		routes: [o.route],
		runs: o.runs,
		inputs: () => {
			const method = o.method ?? 'POST';
			const path = () => (typeof o.path === 'string' ? fc.constant(o.path) : o.path());
			const anyBody = fc.oneof(o.bodies.valid(), o.bodies.broken());
			const post = (kind: string, body: fc.Arbitrary<ApiInput['body']>, contentType: fc.Arbitrary<string | null>, authorization: fc.Arbitrary<string | undefined>) =>
				fc.record({ kind: fc.constant(kind), method: fc.constant(method), path: path(), body, contentType, authorization });
			return fc.oneof(
				{ weight: 6, arbitrary: post('body', o.bodies.broken(), goodPostType, goodAuthorization(o.scope)) },
				{ weight: 1, arbitrary: post('type', anyBody, badPostType, goodAuthorization(o.scope)) },
				{ weight: 1, arbitrary: post('token', anyBody, goodPostType, badAuthorization(o.scope)) },
				{ weight: 1, arbitrary: fc.record({ kind: fc.constant('method'), method: wrongMethods([method, ...(typeof o.path === 'string' && o.path.endsWith('/eligibility') ? ['GET', 'HEAD'] : [])]), path: path(), body: fc.option(anyBody, { nil: undefined }), contentType: goodPostType, authorization: goodAuthorization(o.scope) }) }
			) as fc.Arbitrary<ApiInput>;
		}
	});
	/** A job by id: real ones (open, assigned, another team's) or forged ids, which are not found. */
	const jobPath = (suffix: string) => () =>
		fc.oneof(
			{ weight: 3, arbitrary: fc.constantFrom(ids.jobs.open, ids.jobs.assigned, ids.jobs.south) },
			{ weight: 1, arbitrary: forgedId([ids.jobs.open, ids.jobs.assigned, ids.jobs.south]).filter(notDotSegment).map(percent) }
		).map((id) => `${API}/jobs/${id}${suffix}`);
	const liveTypes = types.filter((t) => t !== ids.jobTypes.archived);
	/** Every field optional, but a bad value refuses the change; a body that names no field is refused too. */
	const jobEditFields = (): JsonField[] => [
		{ name: 'jobTypeId', good: () => fc.constant(undefined), bad: () => idString(forgedId(liveTypes, [ids.jobTypes.archived])) },
		{ name: 'siteLabel', good: () => fc.constant(undefined), bad: () => fc.oneof(notString, blank, textOf(200)) },
		{ name: 'scheduledAt', good: () => fc.constant(undefined), bad: () => fc.oneof(notString, badInstant) },
		{ name: 'durationMinutes', good: () => fc.constant(undefined), bad: () => notDuration },
		{ name: 'overrideReason', good: () => fc.option(fc.oneof(fc.constant(null), goodText(1000)), { nil: undefined }), bad: () => fc.oneof(notString.filter((v) => v !== null), textOf(1000)) }
	];
	/** A time in the past: refused for any job. */
	const pastTime = () => fc.integer({ min: 1, max: 400 }).map((d) => ({ scheduledAt: new Date(now - d * DAY).toISOString() }));
	const cancelFields = (): JsonField[] => [{ name: 'reason', good: () => fc.constant(NO_KEY), bad: () => fc.oneof(fc.constant(NO_KEY), notString, blank, textOf(1000)) }];

	return [
		getTarget({
			operation: 'GET /job-types',
			route: '/api/v1/job-types',
			runs: 200,
			path: () => fc.constant(`${API}/job-types`),
			goodQuery: () => fc.constant([]),
			badQuery: () => strayParams(fc.constant([]), [])
		}),
		getTarget({
			operation: 'GET /eligibility',
			route: '/api/v1/eligibility',
			runs: 450,
			path: () => fc.constant(`${API}/eligibility`),
			goodQuery: eligibilityQuery,
			badQuery: () =>
				fc.oneof(
					strayParams(eligibilityQuery(), ['jobTypeId', 'technicianId', 'at', 'durationMinutes']),
					withBad(eligibilityQuery(), 'jobTypeId', fc.oneof(fc.constant(NO_KEY), forgedType())),
					withBad(eligibilityQuery(), 'technicianId', fc.oneof(fc.constant(NO_KEY), forgedTech())),
					withBad(eligibilityQuery(), 'at', fc.oneof(fc.constant(NO_KEY), badInstant)),
					withBad(eligibilityQuery(), 'durationMinutes', badWhole(1, 1440))
				)
		}),
		postTarget({ operation: 'POST /eligibility', route: '/api/v1/eligibility', path: `${API}/eligibility`, scope: 'eligibility:read', runs: 650, bodies: jsonBodies(eligibilityFields()) }),
		getTarget({
			operation: 'GET /job-types/{id}/eligible-technicians',
			route: '/api/v1/job-types/[id]/eligible-technicians',
			runs: 450,
			path: () => fc.constantFrom(...types).map((id) => `${API}/job-types/${id}/eligible-technicians`),
			forgedPath: () => forgedType().filter(notDotSegment).map((id) => `${API}/job-types/${percent(id)}/eligible-technicians`),
			goodQuery: eligibleQuery,
			badQuery: () =>
				fc.oneof(
					strayParams(eligibleQuery(), ['at', 'durationMinutes', 'limit', 'cursor']),
					withBad(eligibleQuery(), 'at', fc.oneof(fc.constant(NO_KEY), badInstant)),
					withBad(eligibleQuery(), 'durationMinutes', badWhole(1, 1440)),
					withBad(eligibleQuery(), 'limit', badWhole(1, 200).filter((v) => !/^0*([1-9]\d{0,2})$/.test(v) || Number(v) > 200)),
					// Not a cursor this API made, or one made for another query (a minute later).
					withBad(eligibleQuery(), 'cursor', fc.oneof(base64url(1, 120), trickyText(8), fc.constantFrom('', '=', 'e30', 'W10', 'bnVsbA', 'x'.repeat(301)))),
					eligibleQuery().map((q) => [...q, ['cursor', cursorOf(new Date(new Date(q.find(([k]) => k === 'at')![1]).getTime() + 60_000).toISOString())] as [string, string]])
				)
		}),
		getTarget({
			operation: 'GET /technicians/{id}/certifications',
			route: '/api/v1/technicians/[id]/certifications',
			runs: 350,
			path: () => fc.constantFrom(...techIds).map((id) => `${API}/technicians/${id}/certifications`),
			// Not a technician (a manager, an admin), deactivated, nobody, or not an id.
			forgedPath: () => forgedTech().filter(notDotSegment).map((id) => `${API}/technicians/${percent(id)}/certifications`),
			goodQuery: () => fc.option(validInstant, { nil: undefined }).map((at) => (at ? [['at', at] as [string, string]] : [])),
			badQuery: () => fc.oneof(strayParams(fc.option(validInstant, { nil: undefined }).map((at) => (at ? [['at', at] as [string, string]] : [])), ['at']), badInstant.map((at) => [['at', at] as [string, string]]))
		}),
		postTarget({ operation: 'POST /jobs', route: '/api/v1/jobs', path: `${API}/jobs`, scope: 'jobs:write', runs: 750, bodies: jsonBodies(jobFields(), [ineligible]) }),
		postTarget({ operation: 'PATCH /jobs/{id}', route: '/api/v1/jobs/[id]', path: jobPath(''), method: 'PATCH', scope: 'jobs:write', runs: 500, bodies: jsonBodies(jobEditFields(), [pastTime]) }),
		postTarget({ operation: 'POST /jobs/{id}/cancel', route: '/api/v1/jobs/[id]/cancel', path: jobPath('/cancel'), scope: 'jobs:write', runs: 300, bodies: jsonBodies(cancelFields()) }),
		{
			operations: ['GET /openapi.json'],
			routes: ['/api/v1/openapi.json'],
			runs: 100,
			// Public and read-only: a junk validator still gets the document (or 304).
			allow: (status, input) => (input.method === 'GET' || input.method === 'HEAD') && (status === 200 || status === 304),
			inputs: () =>
				fc.oneof(
					fc.record({ kind: fc.constant('method'), method: wrongMethods(['GET', 'HEAD']), path: fc.constant(`${API}/openapi.json`), body: fc.option(fc.jsonValue({ maxDepth: 1 }).map((json) => ({ json })), { nil: undefined }), authorization: fc.option(badAuthorization('eligibility:read'), { nil: undefined }) }),
					// (Its query string is not read: a cache-busting parameter is harmless, and not generated.)
					fc.record({ kind: fc.constant('junk'), method: fc.constantFrom('GET', 'HEAD'), path: fc.constant(`${API}/openapi.json`), headers: latin1(80).map((v) => ({ 'if-none-match': v })) })
				) as fc.Arbitrary<ApiInput>
		},
		{
			operations: [],
			routes: ['/api/v1/[...rest]'],
			runs: 200,
			// Paths that name no endpoint: 404 with a token, 401 without.
			inputs: () =>
				fc.record({
					kind: fc.constant('path'),
					// HEAD is left out: the harness reads the body of every answer to an unknown path.
					method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
					path: fc
						.oneof(
							fc.array(trickyText(6).filter((s) => s.isWellFormed() && s !== '' && s !== '.' && s !== '..'), { minLength: 1, maxLength: 4 }).map((parts) => `${API}/${parts.map(percent).join('/')}`),
							fc.constantFrom('jobs/x', 'jobs/1/assign', 'job-types/x', 'eligibility/x', 'technicians', 'technicians/x', 'v2', 'openapi.yaml', 'OPENAPI.JSON', 'Jobs').map((p) => `${API}/${p}`),
							forgedId([]).filter(notDotSegment).map((id) => `${API}/job-types/${percent(id)}`)
						)
						.filter((p) => !/^\/api\/v1\/(job-types|eligibility|jobs|openapi\.json)$/.test(p)),
					authorization: fc.oneof(goodAuthorization('eligibility:read'), badAuthorization('eligibility:read')),
					body: fc.option(fc.jsonValue({ maxDepth: 1 }).map((json) => ({ json })), { nil: undefined })
				}) as fc.Arbitrary<ApiInput>
		}
	];
}

async function callApi(input: ApiInput): Promise<ApiAnswer> {
	const headers: Record<string, string> = { ...input.headers };
	if (input.authorization !== undefined) headers.authorization = input.authorization;
	let body: ApiCall['body'];
	let json: unknown;
	if (input.method === 'GET' || input.method === 'HEAD') {
		// No body on a GET (fetch forbids it).
	} else if (input.body && 'json' in input.body) {
		json = input.body.json;
		if (input.contentType !== undefined && input.contentType !== null) headers['content-type'] = input.contentType;
	} else if (input.body && 'text' in input.body) {
		body = new TextEncoder().encode(input.body.text);
	} else if (input.body) {
		body = new Uint8Array(input.body.bytes);
	}
	if (json === undefined && body !== undefined && input.contentType) headers['content-type'] = input.contentType;
	if (json !== undefined && input.contentType === null) {
		// JSON text with no Content-Type at all.
		body = new TextEncoder().encode(JSON.stringify(json));
		json = undefined;
	}
	return call(input.method, input.path, { json, body, headers });
}

function describeApi(input: ApiInput, answer: ApiAnswer | null, error?: unknown): string {
	const body = !input.body ? '' : 'json' in input.body ? JSON.stringify(input.body.json)?.slice(0, 300) : 'text' in input.body ? JSON.stringify(input.body.text.slice(0, 300)) : `<${input.body.bytes.length} bytes>`;
	const err = error instanceof Error ? `\n${error.stack}` : '';
	return `${input.method} ${input.path.slice(0, 300)} [${input.kind}; ${input.contentType ?? 'default type'}; auth ${JSON.stringify(input.authorization)?.slice(0, 40)}]\n  body: ${body}\n  → ${answer ? `${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}` : 'no answer'}${err}`;
}

describe('every /api/v1 endpoint', () => {
	let targets: ApiTarget[];
	beforeAll(() => {
		targets = apiTargets();
	});

	it('has a generator for every documented operation and every route file', () => {
		const documented = Object.entries(openApiDocument.paths).flatMap(([path, item]) => (['get', 'post', 'patch'] as const).filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`));
		expect(documented.filter((op) => !targets.some((x) => x.operations.includes(op))), 'operations without a generator').toEqual([]);
		expect(API_ROUTES.map((r) => r.id).filter((id) => !targets.some((x) => x.routes.includes(id))), 'API routes without a generator').toEqual([]);
	});

	it('refuses malformed requests with a 4xx and changes nothing but the call log', { timeout: 600_000 }, async () => {
		for (const [i, target] of targets.entries()) {
			const key = `api ${target.operations.join(', ') || target.routes.join(', ')}`;
			const started = performance.now();
			const before = await checksum();
			await fc.assert(
				fc.asyncProperty(target.inputs(), async (input) => {
					let answer: ApiAnswer | null = null;
					try {
						answer = await callApi(input);
					} catch (e) {
						// A 5xx, or an answer the OpenAPI document does not allow.
						throw new Error(`Failed for ${key}:\n${describeApi(input, answer, e)}`);
					}
					count(key);
					if (answer.status >= 500) throw new Error(`5xx for ${key}:\n${describeApi(input, answer)}`);
					const refused = answer.status >= 400 && answer.status < 500;
					if (!refused && !target.allow?.(answer.status, input)) throw new Error(`Not refused by ${key}:\n${describeApi(input, answer)}`);
				}),
				{ numRuns: runs(target.runs), seed: SEED + 100 + i, endOnFailure: true }
			);
			timings.set(key, performance.now() - started);
			expect(changedTables(before, await checksum(), API_MAY_CHANGE), `tables changed by malformed requests to ${key}`).toEqual([]);
		}
	});
});

// ------------------------------------------------------------------ the parsers themselves

/** Runs `fn`; anything thrown but the parser's own refusal fails the property. */
async function refusesOnly(fn: () => unknown): Promise<void> {
	try {
		await fn();
	} catch (e) {
		if (e instanceof ApiError && e.status >= 400 && e.status < 500) return;
		throw e;
	}
}

const anything = fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, withUnicodeString: true, withObjectString: true });
const queryParams = fc.array(fc.tuple(fc.oneof(fc.constantFrom('jobTypeId', 'technicianId', 'at', 'durationMinutes', 'limit', 'cursor'), fc.string({ unit: 'grapheme', maxLength: 12 })), fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), validInstant, badInstant)), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs));
const UNIT_RUNS = 600;

describe('the parsers never throw for arbitrary input: they return (or throw) their refusal', () => {
	it('api/parse.ts: bodies, query strings, instants and cursors', async () => {
		const fieldsAnything = <K extends string>(keys: K[]) => fc.record(Object.fromEntries(keys.map((k) => [k, anything])) as Record<K, typeof anything>, { requiredKeys: [] });
		await fc.assert(
			fc.asyncProperty(fc.oneof(anything, fieldsAnything(['jobTypeId', 'technicianIds', 'at', 'durationMinutes']), fieldsAnything(['jobTypeId', 'technicianId', 'siteLabel', 'scheduledAt', 'durationMinutes', 'teamId', 'overrideReason']), fieldsAnything(['reason'])), async (value) => {
				count('unit parseEligibilityBody, parseJobBody, parseJobEditBody, parseJobCancelBody');
				await refusesOnly(() => parseEligibilityBody(value));
				await refusesOnly(() => parseJobBody(value));
				await refusesOnly(() => parseJobEditBody(value));
				await refusesOnly(() => parseJobCancelBody(value));
			}),
			{ numRuns: runs(UNIT_RUNS), seed: SEED + 200 }
		);
		await fc.assert(
			fc.asyncProperty(queryParams, fc.string({ unit: 'binary', maxLength: 400 }), async (params, text) => {
				count('unit query strings, instants, cursors');
				await refusesOnly(() => parseEligibilityQuery(params));
				await refusesOnly(() => parseEligibleQuery(params));
				await refusesOnly(() => parseCertificationsQuery(params));
				await refusesOnly(() => queryValues(params, ['at']));
				const at = parseInstant(text);
				expect(at === null || Number.isFinite(at.getTime())).toBe(true);
				const cursor = decodeCursor(text);
				expect(cursor === null || Number.isFinite(cursor.at.getTime())).toBe(true);
				await refusesOnly(() => cursorFor(text, { jobTypeId: ids.jobTypes.ro, at: new Date(), durationMinutes: 60 }));
			}),
			{ numRuns: runs(UNIT_RUNS), seed: SEED + 201 }
		);
	});

	const contentTypes = fc.oneof(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x', 'text/plain', ''), latin1(40));
	const bodies = fc.oneof(
		fc.uint8Array({ maxLength: 300 }),
		fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
		fc.string({ unit: 'binary', maxLength: 200 }).map((s) => new TextEncoder().encode(s))
	);
	const requestOfBytes = (body: Uint8Array, type: string) => new Request('http://localhost/x', { method: 'POST', body: new Uint8Array(body), headers: type ? { 'content-type': type } : {} });

	it('api/parse.ts readJsonBody: any bytes under any Content-Type', async () => {
		await fc.assert(
			fc.asyncProperty(bodies, contentTypes, fc.integer({ min: 1, max: 400 }), async (body, type, limit) => {
				count('unit readJsonBody');
				await refusesOnly(() => readJsonBody(requestOfBytes(body, type), limit));
			}),
			{ numRuns: runs(UNIT_RUNS), seed: SEED + 202 }
		);
	});

	it('forms.ts readForm (and the job type and answer readers) answer with errors, never throw; text with NUL or U+FFFD is refused', async () => {
		const schema = z.object({ name: text(20), email: email(), secret: password(), team: optionalUuid(), id: uuid(), roles: roles() });
		const names = fc.constantFrom('name', 'email', 'secret', 'team', 'id', 'roles', 'level.home-visit-service', 'question', 'choice', 'value', 'order');
		const fieldValue = fc.oneof(trickyText(6), withNul, withLoneSurrogate, invalidUtf8, fileValue, blank, fc.string({ unit: 'binary', maxLength: 30 })) as fc.Arbitrary<FieldValue>;
		const formBody = fc.tuple(fc.array(fc.tuple(fc.oneof(names, extraFieldName), fieldValue), { maxLength: 8 }), fc.constantFrom<'urlencoded' | 'multipart'>('urlencoded', 'multipart'));
		await fc.assert(
			fc.asyncProperty(fc.oneof(formBody.map(([fields, encoding]) => ({ fields, ...encodeForm(fields, encoding) })), fc.tuple(bodies, contentTypes).map(([body, contentType]) => ({ fields: null, body, contentType }))), async ({ fields, body, contentType }) => {
				count('unit readForm, readJobTypeForm, readAnswerFields');
				const form = await readForm(requestOfBytes(body, contentType), schema, { arrays: ['roles'] });
				const unstorable = fields?.some(([, v]) => typeof v === 'string' && (v.includes('\u0000') || !v.isWellFormed() || v.includes('\uFFFD')));
				if (unstorable) expect(form.ok, 'a form with NUL or U+FFFD in a field is refused').toBe(false);
				if (!form.ok) expect([400, 413]).toContain(form.status);
				const jobType = await readJobTypeForm(requestOfBytes(body, contentType));
				if (unstorable) expect(jobType.ok).toBe(false);
				const answer = await readAnswerFields(requestOfBytes(body, contentType));
				if (unstorable) expect('error' in answer).toBe(true);
			}),
			{ numRuns: runs(UNIT_RUNS), seed: SEED + 203 }
		);
	});
});

// ------------------------------------------------------------------ examples and the totals

describe('examples that the properties found', () => {
	it('a reserved or inherited action name is an unknown action (404) on every page with actions', async () => {
		const targets = formTargets();
		for (const target of targets) {
			const params = target.params ? fc.sample(target.params(), { numRuns: 1, seed: SEED })[0]! : {};
			const session = target.access === 'public' ? undefined : sessions[target.access === 'signed-in' ? 'technician' : target.access];
			for (const name of ['default', 'valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
				const { body, contentType } = encodeForm([['x', '1']], 'urlencoded');
				const answer = await submit({ path: `${pathOf(target.route, params)}?/${name}`, body, contentType, session });
				expect([answer.status, answer.effective], `${target.route} ?/${name}`).toEqual([404, 404]);
			}
		}
	});

	it('a job whose site label holds NUL is refused by the form and by the API', async () => {
		const form = encodeForm([['jobTypeId', ids.jobTypes.ro], ['teamId', ids.teams.north], ['siteLabel', 'Flat\u00005'], ['scheduledAt', '2030-01-01T10:00'], ['durationMinutes', '60']], 'multipart');
		const answer = await submit({ path: '/manager/jobs?/create', ...form, session: sessions.manager });
		expect([answer.outcome, answer.effective]).toEqual(['failure', 400]);
		const api = await call('POST', `${API}/jobs`, { token: secrets.full, json: { jobTypeId: ids.jobTypes.ro, technicianId: ids.users.tech, siteLabel: 'Flat\u00005', scheduledAt: days(3).toISOString(), durationMinutes: 60 } });
		expect(api.status).toBe(400);
		expect(api.body.error.message).toBe('siteLabel must be text without NUL characters or unpaired surrogates.');
	});
});

describe('over the whole run', () => {
	it(`sent at least 10,000 malformed inputs to the forms and the API, and the database is as it was`, async () => {
		const endpoints = [...counts].filter(([key]) => !key.startsWith('unit ')).reduce((n, [, c]) => n + c, 0);
		const after = await checksum();
		console.log(`Database checksum before: ${md5(digest(initial))}\nDatabase checksum after:  ${md5(digest(after))} (API calls and failed sign-ins left out: ${md5(digest(withoutAllowed(after)))} = ${md5(digest(withoutAllowed(initial)))})`);
		expect(changedTables(initial, after, [...API_MAY_CHANGE, ...LOGIN_MAY_CHANGE])).toEqual([]);
		expect(endpoints).toBeGreaterThanOrEqual(10_000 * Math.min(1, SCALE));
	});
});

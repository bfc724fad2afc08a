/**
 * Faults, against the built app run as a child process (`node build/index.js`):
 *  1. the app killed with SIGKILL in the middle of a timed exam under load, on PostgreSQL and on
 *     the embedded database: every acknowledged answer survives, attempts resume with the server's
 *     deadline, and each attempt is graded exactly once;
 *  2. PostgreSQL restarted while the app serves: a 503 "try again" (page, data, form action, API)
 *     during the outage, and service again afterwards without restarting the app;
 *  3. the embedded database killed again and again during writes: it opens, every acknowledged
 *     write is there, and its indexes, tables and migrations check out.
 * PostgreSQL here is a private server started for this file (stopping the machine's shared
 * server would break everyone else's tests); without server binaries those parts are skipped.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/lib/server/db';
import { CONNECT_TIMEOUT_SECONDS, RECONNECT_DELAY_MAX_SECONDS } from '../../src/lib/server/db/connection';
import { quizAnswer, quizAttempt, quizItemResult } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/users';
import { createApiToken } from '../../src/lib/server/api/tokens';
import { gradeAttempt, parseResponse } from '../../src/lib/server/assessment/grade';
import type { Question, Response } from '../../src/lib/server/assessment/types';
import { ensureBuild, freePort, killAllApps, ROOT, startApp, type AppProcess } from '../helpers/faults-app';
import { createPgCluster, pgClusterUnavailable, type PgCluster } from '../helpers/faults-pg';
import {
	answerFields,
	cookieFrom,
	httpClient,
	questionCount,
	readCountdown,
	readDeadline,
	readQuestionForm,
	type Fields,
	type HttpClient,
	type QuestionForm,
	type Reply
} from '../helpers/faults-http';

const PASSWORD = 'faults-pass-2026';
/** The timed exam (20 minutes, 11 questions drawn) of content/courses/02-complaints. */
const EXAM = { course: 'complaints', quiz: 'final-exam', minutes: 20 };
const EXAM_PATH = `/learn/courses/${EXAM.course}/quizzes/${EXAM.quiz}`;
const TECHNICIANS = 20;
/**
 * Acknowledged saves after which the app is killed: halfway through the second pass over the exam,
 * and not a multiple of TECHNICIANS — the clients move nearly in step, and a kill between two
 * rounds would catch only saves the server has not begun.
 */
const KILL_AFTER_ACKS = 310;
const UNAVAILABLE_EN = 'The service is temporarily unavailable. Please try again in a moment.';
const UNAVAILABLE_ZH = '服务暂时不可用，请稍后再试。';

const noPg = pgClusterUnavailable();
let entry = '';
let cluster: PgCluster | null = null;
/** Figures measured by the tests, printed once at the end. */
const figures: string[] = [];
const note = (line: string) => figures.push(line);

beforeAll(async () => {
	const started = performance.now();
	entry = ensureBuild();
	const built = performance.now() - started;
	if (built > 1000) note(`build: ${Math.round(built / 1000)} s (the build was missing or older than its sources)`);
	if (!noPg) cluster = await createPgCluster();
}, 240_000);

afterAll(() => {
	killAllApps();
	cluster?.destroy();
	if (noPg) note(`PostgreSQL parts skipped: ${noPg}`);
	console.log(`Fault test figures:\n  ${figures.join('\n  ')}`);
});

// ------------------------------------------------------------------ shared steps

interface Target {
	engine: 'postgres' | 'pglite';
	databaseUrl?: string;
	dataDir?: string;
	open(): Promise<DbHandle>;
	dispose(): Promise<void>;
}

async function postgresTarget(name: string): Promise<Target> {
	const url = await cluster!.createDatabase(name);
	return { engine: 'postgres', databaseUrl: url, open: () => createDb({ url, max: 4 }), dispose: () => cluster!.dropDatabase(name) };
}

function pgliteTarget(): Target {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'serviceready-faults-data-'));
	return { engine: 'pglite', dataDir, open: () => createDb({ dataDir }), dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Migrates the target's database and creates technicians who sign in with PASSWORD. */
async function prepare(target: Target, count: number, prefix: string): Promise<string[]> {
	const handle = await target.open();
	try {
		await handle.migrate();
		const emails: string[] = [];
		for (let i = 0; i < count; i++) {
			const email = `${prefix}${i + 1}@faults.example.com`;
			await createUser(handle.db, { email, displayName: `Technician ${i + 1}`, roles: ['technician'], password: PASSWORD }, null);
			emails.push(email);
		}
		return emails;
	} finally {
		await handle.close();
	}
}

async function withDb<T>(target: Target, run: (handle: DbHandle) => Promise<T>): Promise<T> {
	const handle = await target.open();
	try {
		return await run(handle);
	} finally {
		await handle.close();
	}
}

async function signIn(client: HttpClient, email: string): Promise<string> {
	const reply = await client.send('POST', '/login', { form: [['email', email], ['password', PASSWORD]] });
	expect(reply.status, reply.body.slice(0, 500)).toBe(303);
	const cookie = cookieFrom(reply, 'sr_session');
	expect(cookie).not.toBeNull();
	return cookie!;
}

/** The fields as the server reads a posted form (readAnswerFields): repeated names and `order` become lists. */
function rawOf(fields: Fields): Record<string, string | string[]> {
	const raw: Record<string, string | string[]> = {};
	for (const [k, v] of fields) {
		if (k === 'question') continue;
		const prev = raw[k];
		raw[k] = prev === undefined ? (k === 'order' ? [v] : v) : [...(Array.isArray(prev) ? prev : [prev]), v];
	}
	return raw;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ 1. killed mid-exam

interface Technician {
	email: string;
	cookie: string;
	attemptId: string;
	deadline: string;
	count: number;
	forms: Map<number, QuestionForm>;
	/** Per question: the last acknowledged answer, and answers sent after it that got no answer (they may or may not be saved). */
	answers: Map<string, { acked: Fields | null; unacked: Fields[] }>;
}

async function examKilledMidway(target: Target) {
	const emails = await prepare(target, TECHNICIANS, `exam-${target.engine}-`);
	const port = await freePort();
	const start = () => startApp({ entry, port, databaseUrl: target.databaseUrl, dataDir: target.dataDir });

	// Phase 1: everyone signs in, starts the same exam and saves answers, until the app is killed.
	let app: AppProcess = await start();
	let client = httpClient(app.base);
	const techs: Technician[] = await Promise.all(
		emails.map(async (email) => {
			const cookie = await signIn(client, email);
			const started = await client.send('POST', `${EXAM_PATH}?/start`, { cookie, form: [] });
			expect(started.status, started.body.slice(0, 500)).toBe(303);
			const attemptId = /\/learn\/attempts\/([0-9a-f-]{36})$/.exec(started.location ?? '')?.[1];
			expect(attemptId, started.location ?? '').toBeDefined();
			const page = await client.send('GET', `/learn/attempts/${attemptId}`, { cookie });
			expect(page.status).toBe(200);
			const deadline = readDeadline(page.body);
			expect(deadline).not.toBeNull();
			return { email, cookie, attemptId: attemptId!, deadline: deadline!.deadline, count: questionCount(page.body), forms: new Map(), answers: new Map() };
		})
	);
	expect(new Set(techs.map((t) => t.attemptId)).size).toBe(TECHNICIANS);
	for (const t of techs) expect(t.count).toBeGreaterThanOrEqual(5);

	let acks = 0;
	let inFlight = 0;
	let inFlightAtKill = -1;
	let killed: Promise<void> | null = null;
	const stormStarted = performance.now();
	const kill = () => {
		if (killed) return;
		inFlightAtKill = inFlight;
		killed = app.kill9();
	};
	const fallback = setTimeout(kill, 15_000);
	await Promise.all(
		techs.map(async (t) => {
			for (let variant = 0; !killed; variant++) {
				for (let q = 1; q <= t.count && !killed; q++) {
					let form = t.forms.get(q);
					if (!form) {
						const page = await client.send('GET', `/learn/attempts/${t.attemptId}?q=${q}`, { cookie: t.cookie });
						if (page.status === 0) return;
						expect(page.status).toBe(200);
						form = readQuestionForm(page.body);
						t.forms.set(q, form);
					}
					const fields = answerFields(form, variant);
					const state = t.answers.get(form.id) ?? { acked: null, unacked: [] };
					t.answers.set(form.id, state);
					inFlight++;
					const reply = await client.send('POST', `/learn/attempts/${t.attemptId}?/answer&q=${q}`, { cookie: t.cookie, form: fields });
					inFlight--;
					if (reply.status === 303 && reply.location?.includes(`saved=${encodeURIComponent(form.id)}`)) {
						state.acked = fields;
						state.unacked = [];
						if (++acks === KILL_AFTER_ACKS) kill();
						continue;
					}
					// No answer at all: the process died under this save. Anything else is a failure of the test.
					expect(reply.status, `${reply.status} ${reply.error ?? reply.body.slice(0, 300)}`).toBe(0);
					state.unacked.push(fields);
					return;
				}
			}
		})
	);
	clearTimeout(fallback);
	await killed;
	client.close();
	expect(app.alive()).toBe(false);
	const stormMs = Math.round(performance.now() - stormStarted);
	const unackedKeys = techs.reduce((n, t) => n + [...t.answers.values()].filter((s) => s.unacked.length).length, 0);
	note(`${target.engine} exam: ${TECHNICIANS} technicians, ${acks} acknowledged saves in ${stormMs} ms, then SIGKILL with ${inFlightAtKill} saves in flight (${unackedKeys} questions with a save unacknowledged)`);
	expect(acks).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

	// Phase 2: the app again on the same database; each attempt resumes with the server's deadline.
	app = await start();
	note(`${target.engine} exam: restart after SIGKILL ready (database open, recovered, migrated; /health 200) in ${app.readyMs} ms`);
	client = httpClient(app.base);
	for (const t of techs) {
		const page = await client.send('GET', `/learn/attempts/${t.attemptId}`, { cookie: t.cookie });
		// 200, not a redirect: the session survived and the attempt is still open.
		expect(page.status, page.location ?? '').toBe(200);
		const clock = readDeadline(page.body)!;
		expect(clock.deadline).toBe(t.deadline);
		expect(Math.abs(Date.parse(clock.serverNow) - Date.now())).toBeLessThan(5000);
		const shown = readCountdown(page.body);
		expect(shown).toBe(Math.floor((Date.parse(clock.deadline) - Date.parse(clock.serverNow)) / 1000));
		expect(shown!).toBeGreaterThan(EXAM.minutes * 60 - 120);
		expect(shown!).toBeLessThanOrEqual(EXAM.minutes * 60);
		// The page counts the saved answers: at least every acknowledged one.
		const answered = Number(/(\d+) of \d+ questions answered/.exec(page.body)?.[1]);
		const acked = [...t.answers.values()].filter((s) => s.acked).length;
		expect(answered).toBeGreaterThanOrEqual(acked);
		expect(answered).toBeLessThanOrEqual(acked + [...t.answers.values()].filter((s) => !s.acked && s.unacked.length).length);
	}
	expect(await app.stop()).toBe(0);
	client.close();

	// Phase 3: in the database, every acknowledged answer as it was sent, deadlines unchanged, nothing submitted.
	const expired = techs.filter((_, i) => i % 2 === 1);
	const ids = techs.map((t) => t.attemptId);
	const answersBefore = await withDb(target, async ({ db }) => {
		const attempts = new Map((await db.select().from(quizAttempt).where(inArray(quizAttempt.id, ids))).map((a) => [a.id, a]));
		const rows = await db.select().from(quizAnswer).where(inArray(quizAnswer.attemptId, ids));
		const stored = new Map(rows.map((r) => [`${r.attemptId}/${r.questionId}`, r.response as Response]));
		let ackedCount = 0;
		let ackedFound = 0;
		let unackedSaved = 0;
		for (const t of techs) {
			const attempt = attempts.get(t.attemptId)!;
			expect(attempt.deadlineAt?.toISOString()).toBe(t.deadline);
			expect(attempt.submittedAt).toBeNull();
			const questions = attempt.questions as Question[];
			for (const [questionId, state] of t.answers) {
				const question = questions.find((q) => q.id === questionId)!;
				const expected = (fields: Fields) => parseResponse(question, rawOf(fields), attempt.seed);
				const got = stored.get(`${t.attemptId}/${questionId}`);
				const allowed = [...(state.acked ? [state.acked] : []), ...state.unacked].map(expected);
				if (state.acked) ackedCount++;
				if (got === undefined) {
					expect(state.acked, `acknowledged answer to ${questionId} of ${t.email} is missing`).toBeNull();
					continue;
				}
				expect(allowed.some((a) => isDeepStrictEqual(a, got)), `${t.email} ${questionId}: stored ${JSON.stringify(got)}`).toBe(true);
				if (state.acked) ackedFound++;
				else unackedSaved++;
			}
		}
		expect(ackedFound).toBe(ackedCount);
		expect(rows.length).toBe(ackedFound + unackedSaved);
		note(`${target.engine} exam: ${ackedFound} of ${ackedCount} acknowledged answers in the database (${unackedSaved} more saved whose acknowledgement the kill cut off); every deadline unchanged`);
		// Half the attempts run out of time while the app is down.
		await db.update(quizAttempt).set({ deadlineAt: sql`now() - interval '1 second'` }).where(inArray(quizAttempt.id, expired.map((t) => t.attemptId)));
		return rows;
	});

	// Phase 4: submissions racing each other: a double submit, or everything that submits an expired attempt at once.
	app = await start();
	client = httpClient(app.base);
	await Promise.all(
		techs.map(async (t, i) => {
			const submit = () => client.send('POST', `/learn/attempts/${t.attemptId}?/submit`, { cookie: t.cookie, form: [] });
			const result = `/learn/attempts/${t.attemptId}/result`;
			if (i % 2 === 0) {
				for (const reply of await Promise.all([submit(), submit()])) {
					expect(reply.status).toBe(303);
					expect(reply.location).toBe(result);
				}
				return;
			}
			const form = t.forms.get(1)!;
			const [page, quizPage, late, submitted] = await Promise.all([
				client.send('GET', `/learn/attempts/${t.attemptId}`, { cookie: t.cookie }),
				client.send('GET', EXAM_PATH, { cookie: t.cookie }),
				client.send('POST', `/learn/attempts/${t.attemptId}?/answer&q=1`, { cookie: t.cookie, form: answerFields(form, 99) }),
				submit()
			]);
			expect([page.status, page.location]).toEqual([303, result]);
			expect(quizPage.status).toBe(200);
			// Refused (409), or — when the attempt is already closed by then — the page reloads onto the result.
			expect([[409, null], [303, result]], `late answer ${late.status}: ${late.body.slice(0, 300)}\napp log:\n${app.output().slice(-3000)}`).toContainEqual([late.status, late.location]);
			expect(submitted.status).toBe(303);
		})
	);
	for (const t of techs) {
		const result = await client.send('GET', `/learn/attempts/${t.attemptId}/result`, { cookie: t.cookie });
		expect(result.status).toBe(200);
		expect(result.body).toMatch(/class="stat">\d+(\.\d+)?%/);
	}
	expect(await app.stop()).toBe(0);
	client.close();

	// Phase 5: each attempt graded once, on the answers saved; the late answers changed nothing.
	await withDb(target, async ({ db }) => {
		const attempts = await db.select().from(quizAttempt).where(inArray(quizAttempt.id, ids));
		const items = await db.select().from(quizItemResult).where(inArray(quizItemResult.attemptId, ids));
		const answers = await db.select().from(quizAnswer).where(inArray(quizAnswer.attemptId, ids));
		expect(answers.length).toBe(answersBefore.length);
		for (const a of answers) {
			const before = answersBefore.find((b) => b.attemptId === a.attemptId && b.questionId === a.questionId);
			expect(before?.response).toEqual(a.response);
		}
		for (const attempt of attempts) {
			const wasExpired = expired.some((t) => t.attemptId === attempt.id);
			expect(attempt.submittedAt).not.toBeNull();
			expect(attempt.autoSubmitted).toBe(wasExpired);
			if (wasExpired) expect(attempt.submittedAt!.getTime()).toBe(attempt.deadlineAt!.getTime());
			const questions = attempt.questions as Question[];
			const own = items.filter((i) => i.attemptId === attempt.id);
			expect(own.length).toBe(questions.length);
			expect(new Set(own.map((i) => i.questionId)).size).toBe(questions.length);
			const responses = Object.fromEntries(answers.filter((r) => r.attemptId === attempt.id).map((r) => [r.questionId, r.response as Response]));
			const graded = gradeAttempt(questions, responses);
			expect(attempt.score).toBeCloseTo(graded.score, 6);
			expect(attempt.percent).toBe(graded.percent);
			expect(own.reduce((s, i) => s + i.score, 0)).toBeCloseTo(graded.score, 6);
		}
		note(`${target.engine} exam: ${attempts.length} attempts graded once each (${items.length} item results, none twice), ${expired.length} of them submitted at their deadline`);
	});
}

describe('the app killed with SIGKILL in the middle of a timed exam', () => {
	it.skipIf(noPg)('on PostgreSQL: loses no acknowledged answer, resumes with the same deadline, grades each attempt once', async () => {
		const target = await postgresTarget('faults_exam');
		try {
			await examKilledMidway(target);
		} finally {
			await target.dispose();
		}
	}, 90_000);

	it('on the embedded database: the same', async () => {
		const target = pgliteTarget();
		try {
			await examKilledMidway(target);
		} finally {
			await target.dispose();
		}
	}, 120_000);
});

// ------------------------------------------------------------------ 2. PostgreSQL restarted

type Kind = 'page' | 'data' | 'form' | 'action' | 'api';

interface Probe {
	kind: Kind;
	started: number;
	ended: number;
	reply: Reply;
}

/** Longest a request may take at any moment: a connection attempt that times out, after the longest reconnect delay, plus slack. */
const SLOWEST_ALLOWED_MS = (CONNECT_TIMEOUT_SECONDS + RECONNECT_DELAY_MAX_SECONDS) * 1000 + 2000;

describe.skipIf(noPg)('PostgreSQL restarted while the app serves', () => {
	it('answers 503 "try again" during the outage — pages, data, form actions, the API — and serves again without restarting the app', async () => {
		const target = await postgresTarget('faults_restart');
		let app: AppProcess | null = null;
		try {
			const [email] = await prepare(target, 1, 'restart-');
			const { secret } = await withDb(target, ({ db }) => createApiToken(db, { name: 'dispatch', scopes: ['eligibility:read'] }, null));
			app = await startApp({ entry, port: await freePort(), databaseUrl: target.databaseUrl });
			const client = httpClient(app.base);
			const cookie = await signIn(client, email!);
			const lesson = `/learn/courses/${EXAM.course}/why-customers-complain`;
			const send: Record<Kind, (headers?: Record<string, string>) => Promise<Reply>> = {
				page: (headers) => client.send('GET', '/learn', { cookie, headers, timeoutMs: 20_000 }),
				data: () => client.send('GET', '/learn/__data.json', { cookie, timeoutMs: 20_000 }),
				// A form posted without JavaScript: the answer is the page itself.
				form: () => client.send('POST', `${lesson}?/done`, { cookie, form: [], timeoutMs: 20_000 }),
				// What use:enhance sends: its client reads { type: 'error' } and shows the error page.
				action: () => client.send('POST', `${lesson}?/done`, { cookie, form: [], headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }, timeoutMs: 20_000 }),
				api: () => client.send('GET', '/api/v1/job-types', { headers: { authorization: `Bearer ${secret}`, accept: 'application/json' }, timeoutMs: 20_000 })
			};
			const kinds = Object.keys(send) as Kind[];
			for (const kind of kinds) expect((await send[kind]()).status, kind).toBe(200);

			// A restart (sessions terminated, 57P01), then a crash (immediate stop: no goodbye to anyone).
			for (const mode of ['fast', 'immediate'] as const) {
				// Five clients keep asking, each kind in turn, while the server goes down and comes back.
				const probes: Probe[] = [];
				let running = true;
				const load = kinds.map(async (_, w) => {
					for (let i = w; running; i++) {
						const kind = kinds[i % kinds.length]!;
						const started = performance.now();
						const reply = await send[kind]();
						probes.push({ kind, started, ended: performance.now(), reply });
						await wait(20);
					}
				});
				await wait(600);
				const stopAsked = performance.now();
				await cluster!.stop(mode);
				const down = performance.now();
				// Asked during the outage, in Chinese by the browser's language (the profile's is out of reach).
				const zh = await send.page({ 'accept-language': 'zh-CN,zh;q=0.9' });
				await wait(2000);
				const startAsked = performance.now();
				await cluster!.start();
				const up = performance.now();
				// Until every kind has succeeded twice since the server came back (at most 15 s).
				const successesSince = (kind: Kind) => probes.filter((p) => p.kind === kind && p.started >= up && p.reply.status === 200).length;
				while (kinds.some((k) => successesSince(k) < 2) && performance.now() - up < 15_000) await wait(50);
				running = false;
				await Promise.all(load);

				// Nothing failed in another way than 503, nothing hung, and it is the same process.
				for (const p of probes) expect([200, 503], `${mode} ${p.kind} ${p.reply.status} ${p.reply.error ?? p.reply.body.slice(0, 200)}`).toContain(p.reply.status);
				const slowest = Math.max(...probes.map((p) => p.ended - p.started));
				expect(slowest).toBeLessThan(SLOWEST_ALLOWED_MS);
				expect(app.alive()).toBe(true);
				expect(app.output().match(/Listening on/g)?.length).toBe(1);
				const during = probes.filter((p) => p.started >= down && p.ended <= startAsked);
				expect(during.length).toBeGreaterThanOrEqual(8);
				for (const kind of kinds) expect(during.some((p) => p.kind === kind), `${mode} ${kind}`).toBe(true);
				for (const p of during) expect(p.reply.status, `${mode} ${p.kind}`).toBe(503);
				const slowestDuring = Math.max(...during.map((p) => p.ended - p.started));
				expect(slowestDuring).toBeLessThan(3000);

				// What each kind of client is told.
				const one = (kind: Kind) => during.find((p) => p.kind === kind)!.reply;
				for (const page of [one('page'), one('form')]) {
					expect(page.headers['content-type']).toMatch(/^text\/html/);
					expect(page.body).toContain('<p class="status">503</p>');
					expect(page.body).toContain(UNAVAILABLE_EN);
				}
				expect(zh.status).toBe(503);
				expect(zh.body).toContain(UNAVAILABLE_ZH);
				expect(JSON.parse(one('data').body)).toEqual({ message: UNAVAILABLE_EN });
				expect(JSON.parse(one('action').body)).toEqual({ type: 'error', error: { message: UNAVAILABLE_EN } });
				const api = one('api');
				expect(api.headers['retry-after']).toBe('5');
				expect(JSON.parse(api.body)).toEqual({ error: { code: 'service-unavailable', message: expect.stringMatching(/try again/) } });

				// Served again, by the same process.
				for (const kind of kinds) expect(successesSince(kind), `${mode} ${kind}`).toBeGreaterThanOrEqual(2);
				for (const kind of kinds) expect((await send[kind]()).status, `${mode} ${kind}`).toBe(200);
				const after = probes.filter((p) => p.started >= up);
				const firstBack = Math.min(...after.filter((p) => p.reply.status === 200).map((p) => p.ended));
				// Known to postgres.js 3.4.9: a connection cut under a query replays that error once on its
				// next use, and a connection opened just as the server comes back can wait out connect_timeout.
				// Both end in a 503 and are bounded by the pool's size.
				const failedAfter = after.filter((p) => p.reply.status === 503).length;
				expect(failedAfter).toBeLessThanOrEqual(10);
				note(
					`PostgreSQL ${mode === 'fast' ? 'restart' : 'crash (immediate stop)'}: stop ${Math.round(down - stopAsked)} ms, outage ${Math.round(startAsked - down)} ms, start ${Math.round(up - startAsked)} ms; ` +
						`${during.length} requests during the outage, all 503 in at most ${Math.round(slowestDuring)} ms; ` +
						`first success ${Math.round(firstBack - up)} ms after the server was up, then ${failedAfter} of ${after.length} requests still 503; ` +
						`slowest request of all ${Math.round(slowest)} ms; no 500, same process`
				);
			}
		} finally {
			await app?.stop();
			if (!cluster!.running()) await cluster!.start();
			await target.dispose();
		}
	}, 90_000);
});

// ------------------------------------------------------------------ 3. embedded database killed during writes

/** Lessons in course order, from content/courses/<nn>-<course>/<nn>-<lesson>.en.svx. */
function lessons(): Array<{ course: string; lesson: string }> {
	const dir = path.join(ROOT, 'content', 'courses');
	return readdirSync(dir)
		.sort()
		.flatMap((c) =>
			readdirSync(path.join(dir, c))
				.filter((f) => /^\d+-.+\.en\.svx$/.test(f))
				.sort()
				.map((f) => ({ course: c.replace(/^\d+-/, ''), lesson: f.replace(/^\d+-/, '').replace(/\.en\.svx$/, '') }))
		);
}

describe('the embedded database killed during writes', () => {
	it('opens after each SIGKILL with every acknowledged write, and its indexes, tables and migrations check out', async () => {
		const target = pgliteTarget();
		try {
			const emails = await prepare(target, 8, 'writes-');
			const all = lessons();
			expect(all.length).toBeGreaterThanOrEqual(10);
			const port = await freePort();
			const cookies = new Map<string, string>();
			const next = new Map(emails.map((e) => [e, 0]));
			const acked = new Set<string>();
			const unacked = new Set<string>();
			const cycles = 3;
			const readyMs: number[] = [];
			for (let cycle = 0; cycle < cycles; cycle++) {
				const app = await startApp({ entry, port, dataDir: target.dataDir });
				readyMs.push(app.readyMs);
				const client = httpClient(app.base);
				// Signed in once: the sessions must outlive the kills too.
				if (cycle === 0) for (const e of emails) cookies.set(e, await signIn(client, e));
				let acksThisCycle = 0;
				let killed: Promise<void> | null = null;
				const kill = () => (killed ??= app.kill9());
				const fallback = setTimeout(kill, 10_000);
				await Promise.all(
					emails.map(async (email) => {
						const cookie = cookies.get(email)!;
						while (!killed && next.get(email)! < all.length) {
							const { course, lesson } = all[next.get(email)!]!;
							const key = `${email}/${course}/${lesson}`;
							const page = await client.send('GET', `/learn/courses/${course}/${lesson}`, { cookie });
							if (page.status === 0) return;
							expect(page.status, page.location ?? page.body.slice(0, 200)).toBe(200);
							const done = await client.send('POST', `/learn/courses/${course}/${lesson}?/done`, { cookie, form: [] });
							if (done.status === 0) {
								unacked.add(key);
								return;
							}
							expect(done.status).toBe(200);
							expect(done.body).toContain('role="status"');
							acked.add(key);
							next.set(email, next.get(email)! + 1);
							// Mid-round (not a multiple of the 8 technicians), so that some completions are under way.
							if (++acksThisCycle === 20) kill();
						}
					})
				);
				clearTimeout(fallback);
				kill();
				await killed;
				client.close();
			}

			// Opened by a fresh process of our own, with amcheck to verify every index and table.
			const opening = performance.now();
			const pg = await PGlite.create({ dataDir: target.dataDir, extensions: { amcheck } });
			const openMs = Math.round(performance.now() - opening);
			try {
				const rows = (await pg.query<{ email: string; course_slug: string; lesson_slug: string; completed_at: Date | null }>(
					`select u.email, p.course_slug, p.lesson_slug, p.completed_at from lesson_progress p join "user" u on u.id = p.user_id`
				)).rows;
				const done = new Set(rows.filter((r) => r.completed_at).map((r) => `${r.email}/${r.course_slug}/${r.lesson_slug}`));
				const missing = [...acked].filter((k) => !done.has(k));
				expect(missing).toEqual([]);
				for (const k of done) expect(acked.has(k) || unacked.has(k), k).toBe(true);
				expect((await pg.query<{ n: number }>('select count(*)::int as n from session')).rows[0]!.n).toBe(emails.length);

				const journal = JSON.parse(readFileSync(path.join(ROOT, 'drizzle', 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number }> };
				const migrations = (await pg.query<{ n: number; last: string }>('select count(*)::int as n, max(created_at)::text as last from drizzle.__drizzle_migrations')).rows[0]!;
				expect(migrations.n).toBe(journal.entries.length);
				expect(Number(migrations.last)).toBe(journal.entries.at(-1)!.when);

				await pg.exec('create extension if not exists amcheck');
				const indexes = (await pg.query<{ name: string }>(
					`select c.oid::regclass::text as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
					 join pg_namespace n on n.oid = c.relnamespace where a.amname = 'btree' and n.nspname in ('public', 'drizzle')`
				)).rows;
				expect(indexes.length).toBeGreaterThan(10);
				// Every btree index consistent, and every table row present in it (heapallindexed).
				for (const { name } of indexes) await pg.query(`select bt_index_check('${name}'::regclass, true)`);
				const tables = (await pg.query<{ name: string }>(
					`select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname in ('public', 'drizzle')`
				)).rows;
				for (const { name } of tables) {
					const corrupt = await pg.query(`select * from verify_heapam('${name}'::regclass)`);
					expect(corrupt.rows, name).toEqual([]);
				}
				note(
					`embedded writes: ${cycles} SIGKILLs during writes, restarts ready in ${readyMs.slice(1).join(', ')} ms; ${acked.size} acknowledged lesson completions all present ` +
						`(${[...unacked].filter((k) => done.has(k)).length} of ${unacked.size} cut off unacknowledged saved too); reopened in ${openMs} ms; ` +
						`${indexes.length} indexes and ${tables.length} tables verified by amcheck, ${migrations.n} migrations recorded`
				);
			} finally {
				await pg.close();
			}
			// And the app serves from it once more.
			const app = await startApp({ entry, port, dataDir: target.dataDir });
			const client = httpClient(app.base);
			const learn = await client.send('GET', '/learn', { cookie: cookies.get(emails[0]!)! });
			expect(learn.status).toBe(200);
			expect(await app.stop()).toBe(0);
			client.close();
		} finally {
			await target.dispose();
		}
	}, 90_000);
});

// Benchmark (not a test): two app processes on one PostgreSQL database behind a round-robin HTTP
// proxy (node:http, `startProxy` of exam-day.ts).
//   npm run bench:scale-out                 (npx tsx tests/bench/scale-out.ts; builds the app if needed)
//  1. The exam-day run of exam-day.ts again, through the proxy.
//  2. Automatic certification grants racing across both processes, for technicians who have done
//     everything the complaint-handling certification asks but the last step:
//     - "submit race": each submits the same passing final-exam attempt on both processes at the
//       same moment (the attempt page's submit action grades, then evaluates certifications);
//     - "page race": each, with a passing attempt submitted but certifications not yet evaluated,
//       opens /learn/certifications (which evaluates and grants) on both processes at once.
//     Checked afterwards in the database: exactly one certification cycle and one grant in the
//     audit trail per technician; every raced attempt submitted once, graded (score set) and with
//     one item result per drawn question.
//  3. The sign-in limit shared by the processes: five wrong passwords for one account alternating
//     between them, then a sixth try on each process (one with the right password) must be refused
//     with the "try again" message.
// Settings: those of exam-day.ts (BENCH_TECHNICIANS, BENCH_SAVES, BENCH_THINK_*, BENCH_NAVIGATE,
// BENCH_WARMUP, BENCH_BUILD_DIR, BENCH_DATABASE_URL, BENCH_POOL_MAX, BENCH_APP_LOG), and
// BENCH_RACE_TECHNICIANS (100) technicians in each race.
import type { ChildProcess } from 'node:child_process';
import { createDb, type DbHandle } from '../../src/lib/server/db';
import { checkContent } from '../../src/lib/content/check';
import { saveAnswer, startOrResume, submitAttempt } from '../../src/lib/server/assessment/attempts';
import { hashPassword } from '../../src/lib/server/auth/password';
import type { Question, Quiz } from '../../src/lib/server/assessment/types';
import {
	actionResult,
	appErrors,
	Browser,
	createTechnicians,
	ensureBuilt,
	envNumber,
	examDay,
	examDaySettings,
	freePort,
	freshDatabase,
	percentile,
	pickExam,
	printExamDay,
	rawAnswer,
	root,
	SERVER_URL,
	startApp,
	startProxy,
	stopApp,
	warmUp,
	type Sql,
	type Technician
} from './exam-day';

/** Evidence for complaint-handling level 1 except the exam: every lesson done, the scenario passed. */
async function seedEvidence(sql: Sql, technicians: Technician[]) {
	const course = (await checkContent(root)).index.courses.find((c) => c.slug === 'complaints');
	if (!course) throw new Error('no complaints course in content/');
	const ids = technicians.map((t) => t.id);
	const done = new Date(Date.now() - 3600_000);
	await sql`insert into lesson_progress (user_id, course_slug, lesson_slug, locale, content_version, opened_at, completed_at)
		select u, 'complaints', l, 'en', ${course.version}, ${done}, ${done}
		from unnest(${ids}::uuid[]) u cross join unnest(${course.lessons.map((l) => l.slug)}::text[]) l`;
	await sql`insert into scenario_run (user_id, course_slug, scenario_id, locale, node_id, path, scores, outcome, percent, passed, started_at, finished_at)
		select u, 'complaints', 'leaking-purifier', 'en', 'end', '[]'::jsonb, '{}'::jsonb, 'resolved', 100, true, ${done}, ${done}
		from unnest(${ids}::uuid[]) u`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RaceResult {
	name: string;
	technicians: number;
	requests: number;
	refused: number;
	samples: string[];
}

/** Submit race: a passing attempt answered through the proxy, then submitted on both processes at once. */
async function submitRace(o: { sql: Sql; quiz: Quiz; technicians: Technician[]; proxy: string; apps: string[] }) {
	const quizPath = `/learn/courses/${o.quiz.courseSlug}/quizzes/${o.quiz.id}`;
	const attempts = await Promise.all(
		o.technicians.map(async (t) => {
			const b = new Browser(o.proxy, t.token);
			const r = actionResult(await b.request('POST', `${quizPath}?/start`, { form: new URLSearchParams(), enhance: true }));
			const id = /\/learn\/attempts\/([0-9a-f-]{36})/.exec(r.location ?? '')?.[1];
			if (!id) throw new Error(`could not start an attempt: ${JSON.stringify(r)}`);
			const [row] = await o.sql<{ seed: string; questions: Question[] }[]>`select seed, questions from quiz_attempt where id = ${id}`;
			for (const [i, q] of row!.questions.entries()) {
				const form = new URLSearchParams({ question: q.id });
				for (const [k, v] of Object.entries(rawAnswer(q, row!.seed, false))) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
				const res = await b.request('POST', `/learn/attempts/${id}?/answer&q=${i + 1}`, { form, enhance: true });
				if (actionResult(res).type !== 'success') throw new Error(`could not save an answer: ${res.status} ${res.body.slice(0, 200)}`);
			}
			b.close();
			return { t, id, drawn: row!.questions.length };
		})
	);
	const result: RaceResult = { name: 'submit race', technicians: attempts.length, requests: 0, refused: 0, samples: [] };
	await Promise.all(
		attempts.map(({ t, id }) =>
			Promise.all(
				o.apps.map(async (app) => {
					const b = new Browser(o.proxy, t.token);
					result.requests++;
					try {
						const res = await b.request('POST', `/learn/attempts/${id}?/submit`, { form: new URLSearchParams(), enhance: true, base: app });
						const r = actionResult(res);
						if (res.status !== 200 || r.type !== 'redirect' || !r.location?.endsWith(`/learn/attempts/${id}/result`)) {
							result.refused++;
							if (result.samples.length < 5) result.samples.push(`${res.status} ${res.body.slice(0, 200)}`);
						}
					} catch (e) {
						result.refused++;
						if (result.samples.length < 5) result.samples.push((e as Error).message);
					} finally {
						b.close();
					}
				})
			)
		)
	);
	return { result, attempts: attempts.map(({ t, id, drawn }) => ({ userId: t.id, attemptId: id, drawn })) };
}

/** Page race: a passing attempt submitted in the database, certifications not evaluated; the page opened on both processes at once. */
async function pageRace(o: { handle: DbHandle; quiz: Quiz; technicians: Technician[]; proxy: string; apps: string[] }) {
	const attempts = await Promise.all(
		o.technicians.map(async (t) => {
			const a = await startOrResume(o.handle.db, t.id, o.quiz, 'en');
			for (const q of a.questions as Question[]) await saveAnswer(o.handle.db, t.id, a.id, q.id, rawAnswer(q, a.seed, false));
			const done = await submitAttempt(o.handle.db, a.id, new Date());
			if (!done.passed) throw new Error('the prepared attempt did not pass');
			return { userId: t.id, attemptId: a.id, drawn: (a.questions as Question[]).length };
		})
	);
	const result: RaceResult = { name: 'page race', technicians: o.technicians.length, requests: 0, refused: 0, samples: [] };
	await Promise.all(
		o.technicians.map((t) =>
			Promise.all(
				o.apps.map(async (app) => {
					const b = new Browser(o.proxy, t.token);
					result.requests++;
					try {
						const res = await b.request('GET', '/learn/certifications', { base: app });
						if (res.status !== 200) {
							result.refused++;
							if (result.samples.length < 5) result.samples.push(`${res.status} ${res.body.slice(0, 200)}`);
						}
					} catch (e) {
						result.refused++;
						if (result.samples.length < 5) result.samples.push((e as Error).message);
					} finally {
						b.close();
					}
				})
			)
		)
	);
	return { result, attempts };
}

/** What the database holds after the races. */
async function checkGrants(sql: Sql, userIds: string[], attempts: Array<{ attemptId: string; drawn: number }>) {
	const [cycles] = await sql<{ technicians_with_one: number; technicians_with_none: number; technicians_with_more: number; extra_cycles: number }[]>`
		with n as (
			select u, (select count(*) from certification_holding h where h.user_id = u and h.certification_id = 'complaint-handling')::int as c
			from unnest(${userIds}::uuid[]) u
		)
		select count(*) filter (where c = 1)::int as technicians_with_one, count(*) filter (where c = 0)::int as technicians_with_none,
			count(*) filter (where c > 1)::int as technicians_with_more, coalesce(sum(c - 1) filter (where c > 1), 0)::int as extra_cycles from n`;
	const [audit] = await sql<{ grants: number; technicians: number }[]>`
		select count(*)::int as grants, count(distinct detail->>'userId')::int as technicians from audit_event
		where action = 'certification.granted' and detail->>'userId' = any(${userIds}::text[])`;
	const ids = attempts.map((a) => a.attemptId);
	const drawn = new Map(attempts.map((a) => [a.attemptId, a.drawn]));
	const graded = await sql<{ id: string; submitted: boolean; scored: boolean; passed: boolean | null; items: number }[]>`
		select a.id, a.submitted_at is not null as submitted, a.score is not null as scored, a.passed,
			(select count(*) from quiz_item_result r where r.attempt_id = a.id)::int as items
		from quiz_attempt a where a.id = any(${ids}::uuid[])`;
	const notGradedOnce = graded.filter((g) => !g.submitted || !g.scored || g.items !== drawn.get(g.id)).length + (ids.length - graded.length);
	return { ...cycles!, auditGrants: audit!.grants, auditTechnicians: audit!.technicians, attempts: ids.length, notGradedOnce, passed: graded.filter((g) => g.passed).length };
}

/** Five wrong passwords alternating between the processes, then a sixth try on each. */
async function signInLimit(sql: Sql, apps: string[], origin: string) {
	const email = 'limit@bench.example';
	const password = 'right-password-2026';
	const [u] = await sql<{ id: string }[]>`insert into "user" (email, display_name, password_hash) values (${email}, 'Bench limit', ${await hashPassword(password)}) returning id`;
	await sql`insert into user_role (user_id, role) values (${u!.id}, 'technician')`;
	const attempt = async (app: string, pw: string) => {
		const body = new URLSearchParams({ email, password: pw }).toString();
		const res = await fetch(`${app}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body
		});
		const text = await res.text();
		const message = /Too many failed sign-ins\. Try again in \d+ minutes?\./.exec(text)?.[0] ?? (/do not match an active account/.test(text) ? 'That email and password do not match an active account.' : `(${res.status}, no message found)`);
		return { status: res.status, signedIn: res.status === 303, tryAgain: message.includes('Try again'), message };
	};
	const lines: string[] = [];
	for (let i = 0; i < 5; i++) {
		const a = await attempt(apps[i % 2]!, `wrong-password-${i}`);
		lines.push(`try ${i + 1} (wrong password) on process ${(i % 2) + 1}: ${a.status} ${a.message}`);
	}
	const sixthA = await attempt(apps[1]!, 'wrong-password-6');
	lines.push(`try 6 (wrong password) on process 2: ${sixthA.status} ${sixthA.message}`);
	const sixthB = await attempt(apps[0]!, password);
	lines.push(`try 6 (RIGHT password) on process 1: ${sixthB.status} ${sixthB.message}`);
	const ok = sixthA.tryAgain && !sixthA.signedIn && sixthB.tryAgain && !sixthB.signedIn;
	return { ok, lines };
}

async function main() {
	const runStart = performance.now();
	const settings = examDaySettings();
	const raceCount = envNumber('BENCH_RACE_TECHNICIANS', 100);
	ensureBuilt();
	const quiz = await pickExam();
	const db = await freshDatabase('sr_bench_scale');
	const children: ChildProcess[] = [];
	let proxy: Awaited<ReturnType<typeof startProxy>> | null = null;
	let handle: DbHandle | null = null;
	try {
		const { count, ...run } = settings;
		const technicians = await createTechnicians(db.sql, count, 'exam');
		const [proxyPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
		const base = `http://127.0.0.1:${proxyPort}`;
		const apps = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
		// Both processes serve the proxy's origin (the address people use).
		const started = await Promise.all([
			startApp({ databaseUrl: db.url, port: portA, origin: base, label: '1', behindProxy: true }),
			startApp({ databaseUrl: db.url, port: portB, origin: base, label: '2', behindProxy: true })
		]);
		children.push(...started);
		proxy = await startProxy(proxyPort, apps);

		// 1. Exam day through the proxy.
		await warmUp(db.sql, base, quiz);
		const before = [...proxy.served];
		const exam = await examDay({ base, sql: db.sql, quiz, technicians, ...run, protocol: 'data', appPids: started.map((c) => c.pid!) });
		const share = proxy.served.map((n, i) => n - before[i]!);
		console.log(`ServiceReady scale-out benchmark: two app processes behind a round-robin node:http proxy, PostgreSQL ${new URL(SERVER_URL).host}${process.env.BENCH_POOL_MAX ? `, DATABASE_POOL_MAX ${process.env.BENCH_POOL_MAX}` : ''}`);
		console.log(`1. Exam day through the proxy (requests per process: ${share.join(' / ')})`);
		printExamDay(exam, { quiz, ...run });
		const p99 = percentile(exam.saveMs, 99);
		console.log(`  goal (0 errors, 0 lost, save p99 ≤ 50 ms): ${exam.errors === 0 && exam.startErrors === 0 && exam.lost === 0 && p99 <= 50 ? 'met' : 'NOT met'}`);

		// 2. Certification grants racing across the processes.
		const racers = await createTechnicians(db.sql, raceCount * 2, 'race');
		const [submitters, viewers] = [racers.slice(0, raceCount), racers.slice(raceCount)];
		await seedEvidence(db.sql, racers);
		handle = await createDb({ url: db.url, max: 4 });
		const submit = await submitRace({ sql: db.sql, quiz, technicians: submitters, proxy: base, apps });
		const page = await pageRace({ handle, quiz, technicians: viewers, proxy: base, apps });
		await sleep(100);
		const check = await checkGrants(db.sql, racers.map((t) => t.id), [...submit.attempts, ...page.attempts]);
		console.log(`2. Certification grants racing on both processes (${raceCount} technicians per race, each on both processes at the same moment)`);
		for (const r of [submit.result, page.result]) {
			console.log(`  ${r.name}: ${r.requests} requests, ${r.refused} not answered as expected`);
			for (const s of r.samples) console.log(`    e.g. ${s}`);
		}
		console.log(
			`  complaint-handling cycles: ${check.technicians_with_one} technicians with exactly one, ${check.technicians_with_none} with none, ${check.technicians_with_more} with more (${check.extra_cycles} extra cycles)`
		);
		console.log(`  grants in the audit trail: ${check.auditGrants} for ${check.auditTechnicians} technicians`);
		console.log(`  raced attempts: ${check.attempts}, passed ${check.passed}, not graded exactly once (unsubmitted, unscored or item results ≠ questions drawn): ${check.notGradedOnce}`);
		const racesOk =
			check.technicians_with_one === racers.length && check.auditGrants === racers.length && check.notGradedOnce === 0 && submit.result.refused + page.result.refused === 0;
		console.log(`  exactly one cycle per technician, each attempt graded once: ${racesOk ? 'yes' : 'NO'}`);

		// 3. The sign-in limit across processes.
		const limit = await signInLimit(db.sql, apps, base);
		console.log('3. Sign-in limit shared by the processes (one account, 127.0.0.1)');
		for (const l of limit.lines) console.log(`  ${l}`);
		console.log(`  sixth try refused with "try again" on either process: ${limit.ok ? 'yes' : 'NO'}`);
		// 4. What the processes reported on their error output (e.g. a job queue that did not start).
		const reported = started.map((c) => appErrors.get(c) ?? []);
		const queueFailures = reported.map((lines) => lines.find((l) => l.includes('job queue did not start')));
		console.log(
			`4. Job queue at start (both processes started together on one database): ${queueFailures.every((f) => !f) ? 'started on both' : queueFailures.map((f, i) => (f ? `process ${i + 1}: ${f} ${reported[i]!.find((l) => /^\w*Error|error:/.test(l) && l !== f) ?? ''}`.trim() : `process ${i + 1}: started`)).join('; ')}`
		);
		console.log(`  (run took ${((performance.now() - runStart) / 1000).toFixed(1)} s; the load generator and the proxy share the machine's 2 cores with both apps and PostgreSQL)`);
	} finally {
		await proxy?.close();
		await handle?.close();
		await Promise.all(children.map((c) => stopApp(c)));
		await db.drop();
	}
}

await main();

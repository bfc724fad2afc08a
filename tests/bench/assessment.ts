// Benchmark (not a test): answer saving and grading under 200 concurrent technicians, on the
// embedded database (PGlite, in memory) and on a PostgreSQL server, in the same run.
// Prints figures from this one run.
//   npx tsx tests/bench/assessment.ts        (part of `npm run bench`)
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
// database sr_bench_<random> is created for the run and dropped at the end. When the server
// cannot be reached, only PGlite is measured.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { checkContent } from '../../src/lib/content/check';
import { createDb, type Db, type DbHandle } from '../../src/lib/server/db';
import { createUser } from '../../src/lib/server/users';
import { answersOf, saveAnswer, startOrResume, submitAttempt, type Attempt } from '../../src/lib/server/assessment/attempts';
import { matchingRightColumn } from '../../src/lib/server/assessment/draw';
import { gradeAttempt } from '../../src/lib/server/assessment/grade';
import type { Question, Quiz, Response } from '../../src/lib/server/assessment/types';

const TECHNICIANS = 200;
const SAVES_EACH = 10;
const PURE_GRADING_MS = 1000;
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const root = path.resolve(import.meta.dirname, '../..');
const migrationsFolder = path.join(root, 'drizzle');

type Raw = Record<string, string | string[]>;

/** The exam: the complaints course's final exam, or else any exam drawing at least SAVES_EACH questions. */
async function pickQuiz(): Promise<Quiz> {
	const { graded } = await checkContent(root);
	const quizzes = graded.quizzes;
	const drawn = (q: Quiz) => (q.draw.length ? q.draw.reduce((n, d) => n + d.count, 0) : q.questions.length);
	const quiz =
		quizzes.find((q) => q.courseSlug === 'complaints' && q.id === 'final-exam' && drawn(q) >= SAVES_EACH) ??
		quizzes.find((q) => q.kind === 'exam' && drawn(q) >= SAVES_EACH);
	if (!quiz) throw new Error(`no exam with ${SAVES_EACH} questions or more in content/`);
	// Lift limits that would stop a run (attempts, cooldown, deadline); they are not what is measured.
	return { ...quiz, attempts: 0, cooldownMinutes: 0, timeLimitMinutes: 0 };
}

/**
 * Form fields for one question as the browser would send them (conventions of `parseResponse`).
 * About one answer in four is wrong, so that grading meets both outcomes.
 */
function rawAnswer(q: Question, seed: string, wrong: boolean): Raw {
	switch (q.type) {
		case 'single': {
			const option = q.options.find((o) => o.correct !== wrong) ?? q.options[0]!;
			return { choice: option.id };
		}
		case 'multiple': {
			const ids = wrong ? [q.options[0]!.id] : q.options.filter((o) => o.correct).map((o) => o.id);
			return { choice: ids.length ? ids : [q.options[0]!.id] };
		}
		case 'truefalse':
			return { choice: String(wrong ? !q.answer : q.answer) };
		case 'ordering': {
			const ids = q.items.map((i) => i.id);
			return { order: wrong ? ids.reverse() : ids, orderConfirmed: 'yes' };
		}
		case 'matching': {
			const tokenOf = new Map(matchingRightColumn(q, seed).map(({ token, pairId }) => [pairId, token]));
			const pairs = q.pairs.map((p) => p.id);
			const raw: Raw = {};
			pairs.forEach((id, i) => {
				const target = wrong ? pairs[(i + 1) % pairs.length]! : id;
				raw[`match.${id}`] = tokenOf.get(target)!;
			});
			return raw;
		}
		case 'numeric':
			return { value: String(wrong ? q.answer + q.tolerance + 1 : q.answer) };
		case 'text':
			return { value: wrong ? 'no idea' : q.accept[0] ?? 'no idea' };
	}
}

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface EngineResult {
	engine: string;
	p50: number;
	p99: number;
	savesPerSecond: number;
	gradingsPerSecond: number;
	/** Questions and saved responses of every attempt, for the pure grading loop. */
	graded: Array<{ questions: Question[]; responses: Record<string, Response> }>;
	passed: number;
	/** Mean percent of the graded attempts (a check that answers are parsed and graded as meant). */
	meanPercent: number;
}

async function measure(label: string, handle: DbHandle, quiz: Quiz): Promise<EngineResult> {
	const db: Db = handle.db;
	await handle.migrate();

	// Seed: technicians without passwords (no argon2), one open attempt each.
	const users = await Promise.all(
		Array.from({ length: TECHNICIANS }, (_, i) =>
			createUser(db, { email: `bench-tech-${i}@example.com`, displayName: `Bench technician ${i}`, roles: ['technician'] }, null)
		)
	);
	const attempts: Attempt[] = await Promise.all(users.map((u) => startOrResume(db, u.id, quiz, 'en')));

	// The fields each technician will send, built before the clock starts.
	const plans = attempts.map((a, t) => {
		const questions = a.questions as Question[];
		if (questions.length < SAVES_EACH) throw new Error(`attempt drew ${questions.length} questions, fewer than ${SAVES_EACH}`);
		return questions.slice(0, SAVES_EACH).map((q, j) => ({ questionId: q.id, raw: rawAnswer(q, a.seed, (t + j) % 4 === 0) }));
	});

	// 1. Answer saving: every technician saves its answers one after another, all at once.
	const latencies: number[] = [];
	const savesStart = performance.now();
	await Promise.all(
		attempts.map(async (a, t) => {
			for (const { questionId, raw } of plans[t]!) {
				const start = performance.now();
				await saveAnswer(db, a.userId, a.id, questionId, raw);
				latencies.push(performance.now() - start);
			}
		})
	);
	const savesMs = performance.now() - savesStart;
	latencies.sort((x, y) => x - y);

	// Responses as stored, for the pure grading loop (read before submitting, outside the clock).
	const graded = await Promise.all(
		attempts.map(async (a) => {
			const answers = await answersOf(db, a.id);
			return {
				questions: a.questions as Question[],
				responses: Object.fromEntries(Object.entries(answers).map(([id, x]) => [id, x.response]))
			};
		})
	);
	const savedCount = graded.reduce((n, g) => n + Object.keys(g.responses).length, 0);
	if (savedCount !== TECHNICIANS * SAVES_EACH) throw new Error(`${label}: ${savedCount} answers stored, expected ${TECHNICIANS * SAVES_EACH}`);

	// 2. Grading: every attempt submitted at once.
	const now = new Date();
	const gradeStart = performance.now();
	const submitted = await Promise.all(attempts.map((a) => submitAttempt(db, a.id, now)));
	const gradeMs = performance.now() - gradeStart;
	if (submitted.some((s) => s.score === null)) throw new Error(`${label}: an attempt was not graded`);

	return {
		engine: label,
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		savesPerSecond: (latencies.length / savesMs) * 1000,
		gradingsPerSecond: (TECHNICIANS / gradeMs) * 1000,
		graded,
		passed: submitted.filter((s) => s.passed).length,
		meanPercent: submitted.reduce((n, s) => n + (s.percent ?? 0), 0) / submitted.length
	};
}

/** gradeAttempt alone over the same questions and responses, for about PURE_GRADING_MS. */
function pureGrading(graded: EngineResult['graded']): number {
	for (let i = 0; i < 2000; i++) gradeAttempt(graded[i % graded.length]!.questions, graded[i % graded.length]!.responses);
	let n = 0;
	let sink = 0;
	const start = performance.now();
	let elapsed = 0;
	while (elapsed < PURE_GRADING_MS) {
		for (let i = 0; i < graded.length; i++, n++) sink += gradeAttempt(graded[i]!.questions, graded[i]!.responses).score;
		elapsed = performance.now() - start;
	}
	if (Number.isNaN(sink)) console.log('');
	return (n / elapsed) * 1000;
}

/** A fresh database on the server, or null (with the reason) when the server cannot be reached. */
async function serverDatabase(): Promise<{ url: string; drop: () => Promise<void> } | { error: string }> {
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	const name = `sr_bench_${randomBytes(6).toString('hex')}`;
	try {
		await admin.unsafe(`create database ${name}`);
	} catch (e) {
		await admin.end({ timeout: 1 }).catch(() => {});
		return { error: e instanceof Error ? e.message : String(e) };
	}
	const url = new URL(SERVER_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			try {
				await admin.unsafe(`drop database if exists ${name} with (force)`);
			} finally {
				await admin.end({ timeout: 5 });
			}
		}
	};
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;

const runStart = performance.now();
const quiz = await pickQuiz();
const results: EngineResult[] = [];

{
	const handle = await createDb({ dataDir: 'memory://', migrationsFolder });
	try {
		results.push(await measure('PGlite', handle, quiz));
	} finally {
		await handle.close();
	}
}

let serverNote = '';
const server = await serverDatabase();
if ('error' in server) {
	serverNote = `PostgreSQL at ${SERVER_URL.replace(/\/\/[^@/]*@/, '//')} unreachable (${server.error}); measured PGlite only.`;
} else {
	try {
		const handle = await createDb({ url: server.url, max: 20, migrationsFolder });
		try {
			results.push(await measure('PostgreSQL', handle, quiz));
		} finally {
			await handle.close();
		}
	} finally {
		await server.drop();
	}
}

const pure = pureGrading(results[0]!.graded);
const drawn = (results[0]!.graded[0]?.questions.length ?? 0);

console.log(`ServiceReady assessment benchmarks (${TECHNICIANS} technicians × ${SAVES_EACH} answers, ${quiz.courseSlug}/${quiz.id}, ${drawn} questions drawn)`);
console.log('  engine      save p50 ms  save p99 ms   saves/s  gradings/s  mean %  passed');
for (const r of results) {
	console.log(
		`  ${r.engine.padEnd(10)}  ${fmt(r.p50, 2).padStart(11)}  ${fmt(r.p99, 2).padStart(11)}  ${fmt(r.savesPerSecond, 0).padStart(8)}  ${fmt(r.gradingsPerSecond, 0).padStart(10)}  ${fmt(r.meanPercent, 1).padStart(6)}  ${String(r.passed).padStart(3)}/${TECHNICIANS}`
	);
}
const [lite, pg] = [results.find((r) => r.engine === 'PGlite')!, results.find((r) => r.engine === 'PostgreSQL')];
if (pg) {
	console.log(
		`  PostgreSQL / PGlite: p50 ${ratio(pg.p50, lite.p50)}, p99 ${ratio(pg.p99, lite.p99)}, saves/s ${ratio(pg.savesPerSecond, lite.savesPerSecond)}, gradings/s ${ratio(pg.gradingsPerSecond, lite.gradingsPerSecond)}`
	);
} else {
	console.log(`  ${serverNote}`);
}
const share = (r: EngineResult) => `${r.engine} ${((r.gradingsPerSecond / pure) * 100).toPrecision(2)} % (1/${Math.round(pure / r.gradingsPerSecond)})`;
console.log(`  pure gradeAttempt: ${fmt(pure, 0)} /s; database grading is ${results.map(share).join(', ')} of pure`);
console.log(`  (run took ${fmt((performance.now() - runStart) / 1000, 1)} s)`);

// Benchmark (not a test): content as published data, measured in one run.
//  1. Lesson page requests/s of this build against the build before content moved into the
//     store (BENCH_BASELINE, a git revision; lessons were compiled into the app then), on the
//     embedded database and on the PostgreSQL server.
//  2. Publish to visible: two app processes on one PostgreSQL database, a publish made by a third
//     process; how long after its commit each process serves the new text (goal: 2 s).
//   npx tsx tests/bench/content-store.ts        (part of `npm run bench`)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createDb } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/demo';
import { importShippedContent, publish, publishedPackages } from '../../src/lib/server/content/store';

const root = path.resolve(import.meta.dirname, '../..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const BASELINE = process.env.BENCH_BASELINE ?? 'ec7328c';
const PG = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION_MS = Number(process.env.BENCH_MS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LESSON = '/learn/courses/complaints/five-steps';

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = http.createServer().listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}) {
	return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
		const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

async function startApp(entry: string, env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [entry], {
		cwd: path.dirname(path.dirname(entry)),
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, ...env },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 1200; i++) {
		if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
		const ok = await request(`${base}/health`).then((r) => r.status === 200, () => false);
		if (ok) return { child, base };
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`${entry} did not start`);
}

function stop(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null) return resolve();
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 5000).unref();
	});
}

async function signIn(base: string): Promise<string> {
	const res = await request(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: 'email=technician%40example.com&password=demo-pass-2026'
	});
	const cookie = (res.headers['set-cookie'] ?? []).map((l) => l.split(';')[0]).find((p) => p!.startsWith('sr_session='));
	if (!cookie) throw new Error(`could not sign in at ${base}`);
	return cookie;
}

async function load(url: string, cookie: string): Promise<{ perSecond: number; bad: number }> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	const headers = { cookie, accept: 'text/html' };
	for (let i = 0; i < 50; i++) await request(url, { headers, agent });
	const until = performance.now() + DURATION_MS;
	let done = 0;
	let bad = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (performance.now() < until) {
				const res = await request(url, { headers, agent });
				if (res.status === 200) done++;
				else bad++;
			}
		})
	);
	agent.destroy();
	return { perSecond: done / ((performance.now() - started) / 1000), bad };
}

/** The baseline revision, built once into a worktree of its own (node_modules shared). */
function baselineBuild(): { entry: string; cleanup: () => void } {
	const dir = mkdtempSync(path.join(tmpdir(), 'serviceready-baseline-'));
	const add = spawnSync('git', ['worktree', 'add', '--detach', dir, BASELINE], { cwd: root, encoding: 'utf8' });
	if (add.status !== 0) throw new Error(`git worktree add ${BASELINE}: ${add.stderr}`);
	symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
	if (built.status !== 0) throw new Error('the baseline build failed');
	return {
		entry: path.join(dir, 'build', 'index.js'),
		cleanup: () => {
			spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root });
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

async function throwawayDb(admin: postgres.Sql, name: string): Promise<string> {
	await admin.unsafe(`drop database if exists "${name}" with (force)`);
	await admin.unsafe(`create database "${name}"`);
	const url = new URL(PG);
	url.pathname = `/${name}`;
	return url.toString();
}

async function lessonThroughput(entry: string, env: Record<string, string>) {
	const app = await startApp(entry, env);
	try {
		const cookie = await signIn(app.base);
		return await load(`${app.base}${LESSON}`, cookie);
	} finally {
		await stop(app.child);
	}
}

async function main() {
	if (!existsSync(path.join(root, 'build', 'index.js'))) spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
	const current = path.join(root, 'build', 'index.js');
	const baseline = baselineBuild();
	const admin = postgres(PG, { max: 1, onnotice: () => {} });
	const rows: Array<[string, string | number]> = [];
	try {
		// 1. Lesson pages: the same demo data, each build on a fresh database of its own.
		const pglite = { DATA_DIR: 'memory://' };
		const before = await lessonThroughput(baseline.entry, pglite);
		const after = await lessonThroughput(current, pglite);
		const pgBefore = await lessonThroughput(baseline.entry, { DATABASE_URL: await throwawayDb(admin, 'sr_bench_lesson_base'), DEMO_DATA: '1' });
		const pgAfter = await lessonThroughput(current, { DATABASE_URL: await throwawayDb(admin, 'sr_bench_lesson_now'), DEMO_DATA: '1' });
		rows.push(
			[`lesson page req/s, PGlite, before (${BASELINE})`, before.perSecond.toFixed(0)],
			['lesson page req/s, PGlite, content in the store', after.perSecond.toFixed(0)],
			['store / before ratio, PGlite', (after.perSecond / before.perSecond).toFixed(2)],
			[`lesson page req/s, PostgreSQL, before (${BASELINE})`, pgBefore.perSecond.toFixed(0)],
			['lesson page req/s, PostgreSQL, content in the store', pgAfter.perSecond.toFixed(0)],
			['store / before ratio, PostgreSQL', (pgAfter.perSecond / pgBefore.perSecond).toFixed(2)],
			['unexpected answers during load', before.bad + after.bad + pgBefore.bad + pgAfter.bad]
		);

		// 2. Publish to visible across two processes.
		const url = await throwawayDb(admin, 'sr_bench_publish');
		const setup = await createDb({ url, max: 2 });
		await setup.migrate();
		await importShippedContent(setup.db);
		await seedDemo(setup.db);
		const apps = await Promise.all([0, 1].map(() => startApp(current, { DATABASE_URL: url })));
		const cookies = await Promise.all(apps.map((a) => signIn(a.base)));
		const seen: number[] = [];
		try {
			for (let round = 1; round <= 5; round++) {
				const pkg = (await publishedPackages(setup.db)).find((p) => p.kind === 'course' && p.key === 'complaints')!;
				const file = Object.keys(pkg.files).find((f) => f.endsWith('five-steps.en.svx'))!;
				const marker = `Benchmark round ${round} ${Date.now()}.`;
				const files = { ...pkg.files, [file]: pkg.files[file]!.trimEnd() + `\n\n${marker}\n` };
				const result = await publish(setup.db, { changes: [{ kind: 'course', key: 'complaints', files }], authorId: null, note: `bench ${round}` });
				if (!result.ok) throw new Error(result.problems[0]!.message);
				const committed = performance.now();
				await Promise.all(
					apps.map(async (app, i) => {
						for (;;) {
							const res = await request(`${app.base}${LESSON}`, { headers: { cookie: cookies[i]!, accept: 'text/html' } });
							if (res.body.includes(marker)) return seen.push(performance.now() - committed);
							if (performance.now() - committed > 10_000) throw new Error('a publish was not seen within 10 s');
							await new Promise((r) => setTimeout(r, 10));
						}
					})
				);
			}
		} finally {
			await Promise.all(apps.map((a) => stop(a.child)));
			await setup.close();
		}
		seen.sort((a, b) => a - b);
		const median = seen[Math.floor(seen.length / 2)]!;
		const worst = seen.at(-1)!;
		rows.push(
			['publish → visible in 2 processes, median (ms, 5 publishes)', median.toFixed(0)],
			['publish → visible in 2 processes, worst (ms)', worst.toFixed(0)],
			['worst / 2,000 ms goal ratio', (worst / 2000).toFixed(3)]
		);
	} finally {
		for (const name of ['sr_bench_lesson_base', 'sr_bench_lesson_now', 'sr_bench_publish']) await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
		baseline.cleanup();
	}
	console.log('ServiceReady content store benchmarks');
	for (const [k, v] of rows) console.log(`  ${k.padEnd(60)} ${v}`);
}

await main();

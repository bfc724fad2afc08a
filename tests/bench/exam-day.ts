// Benchmark (not a test): exam day. Many technicians start the same timed exam together and save
// answers with think-time between saves, through the real HTTP routes of the built app on a
// PostgreSQL server; then every acknowledged save is looked up in the database.
//   npm run bench:exam-day                  (npx tsx tests/bench/exam-day.ts; builds the app if needed)
// Settings (environment):
//   BENCH_TECHNICIANS (500)          technicians, each with a real session made in the database
//   BENCH_SAVES (40)                 answer saves each; cycles through the drawn questions
//   BENCH_THINK_MIN_MS / _MAX_MS     think-time before each save, uniform (500 / 3000)
//   BENCH_PROCESSES (1)              app processes; with more, see BENCH_TOPOLOGY
//   BENCH_TOPOLOGY (cluster)         with several processes: "cluster", the product's own server
//                                    of WEB_CONCURRENCY processes sharing one port; "proxy",
//                                    separate processes behind a round-robin node:http proxy run
//                                    in the load generator's process
//   BENCH_BASELINE                   a git revision (e.g. main's) measured first in the same run, on a
//                                    database of its own, then this build; prints both and the ratios.
//                                    Checked out with `git worktree add` and built under
//                                    /tmp/sr-bench-baseline-<rev> (kept for the next run)
//   BENCH_BASELINE_PROTOCOL (redirect)  how that build's page saves: "redirect" (the answer action
//                                    redirects; the page then loads its data) or "data"
//   BENCH_NAVIGATE (1)               for a build whose answer action redirects, follow the redirect
//                                    with a __data.json request as its page's `use:enhance` does
//                                    (two requests per save); 0: off. This build's action answers
//                                    with what the page needs: one request per save
//   BENCH_WARMUP (20)                technicians who start and save (not measured) before the run
//   BENCH_BUILD_DIR (build)          the built app to start (`node <dir>/index.js`)
//   BENCH_DATABASE_URL               server (default postgres://postgres@127.0.0.1:5432/postgres);
//                                    a database sr_bench_exam_<random> is created and dropped
//   BENCH_POOL_MAX                   passed to the app as DATABASE_POOL_MAX when set
//   BENCH_CPU_PROF=<dir>             start the app with --cpu-prof into <dir>
//   BENCH_APP_LOG=1                  show the app's output
//   BENCH_APP_NODE_ARGS              Node flags for the app processes only, e.g. "--trace-gc" or
//                                    "--max-semi-space-size=64" (a cluster's processes inherit them)
// "Acknowledged": the answer action answered 200 with SvelteKit's action result for that question,
// as the page's script receives it: {"type":"success", "data": {saved: <question>, answered, …}}
// (this build), or {"type":"redirect", "location": ".../learn/attempts/<id>?q=..&saved=<question>"}
// (a build whose action redirects). "Lost": a pair (attempt, question) with at least one
// acknowledged save whose database row is missing or holds another value than the LAST acknowledged
// save of that pair (each technician sends one save at a time, so send order is acknowledgement
// order); a row holding the value of a later save that failed on the client side is counted apart.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import net, { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { checkContent } from '../../src/lib/content/check';
import { createDb } from '../../src/lib/server/db';
import { generateToken, hashToken } from '../../src/lib/server/auth/session';
import { matchingRightColumn } from '../../src/lib/server/assessment/draw';
import { parseResponse } from '../../src/lib/server/assessment/grade';
import type { Question, Quiz } from '../../src/lib/server/assessment/types';

export const root = path.resolve(import.meta.dirname, '../..');
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BUILD_DIR = process.env.BENCH_BUILD_DIR ?? 'build';

export type Sql = postgres.Sql;
export type Raw = Record<string, string | string[]>;

export const envNumber = (name: string, fallback: number) => {
	const v = process.env[name];
	if (v === undefined || v === '') return fallback;
	const n = Number(v);
	if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0, not "${v}"`);
	return n;
};

/** CPU time (user + system, ms) used so far by these processes, from /proc; null where unreadable. */
export function cpuMs(pids: number[]): number | null {
	try {
		let ticks = 0;
		for (const pid of pids) {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		}
		return ticks * 10; // USER_HZ is 100 on Linux
	} catch {
		return null;
	}
}

/** CPU time (ms) used so far by the PostgreSQL server's processes on this machine, by process. */
export function databaseCpu(): Map<number, number> {
	const byPid = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (!stat.includes('(postgres)')) continue;
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			byPid.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
		} catch {
			// The process ended meanwhile.
		}
	}
	return byPid;
}

/** Busy and total CPU time (ms, all cores) of the machine so far, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } | null {
	try {
		const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
		const ticks = line.trim().split(/\s+/).slice(1).map(Number);
		const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
		const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
		return { busy: (total - idle) * 10, total: total * 10 };
	} catch {
		return null;
	}
}

/** Where the machine's CPU went over a phase: the app, the database, this load generator, all. */
export function cpuMeter(appPids: number[] | undefined) {
	const app0 = appPids ? cpuMs(appPids) : null;
	const db0 = databaseCpu();
	const own0 = process.cpuUsage();
	const machine0 = machineCpu();
	return () => {
		const app1 = appPids ? cpuMs(appPids) : null;
		let database = 0;
		for (const [pid, ms] of databaseCpu()) database += ms - (db0.get(pid) ?? 0);
		const own = process.cpuUsage(own0);
		const machine1 = machineCpu();
		return {
			appCpuMs: app0 !== null && app1 !== null ? app1 - app0 : null,
			databaseCpuMs: database,
			generatorCpuMs: (own.user + own.system) / 1000,
			machine: machine0 && machine1 ? { busyMs: machine1.busy - machine0.busy, totalMs: machine1.total - machine0.total } : null
		};
	};
}

export function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

/** A new database on the server, migrated; `drop` removes it. */
export async function freshDatabase(prefix: string): Promise<{ url: string; sql: Sql; drop: () => Promise<void> }> {
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	const name = `${prefix}_${randomBytes(4).toString('hex')}`;
	await admin.unsafe(`create database "${name}"`);
	const url = new URL(SERVER_URL);
	url.pathname = `/${name}`;
	const handle = await createDb({ url: url.toString(), max: 1, migrationsFolder: path.join(root, 'drizzle') });
	await handle.migrate();
	await handle.close();
	const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
	return {
		url: url.toString(),
		sql,
		drop: async () => {
			await sql.end({ timeout: 5 }).catch(() => {});
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
			await admin.end({ timeout: 5 });
		}
	};
}

export function ensureBuilt() {
	if (existsSync(path.join(root, BUILD_DIR, 'index.js'))) return;
	console.log(`Building the app into ${BUILD_DIR}/…`);
	const built = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, BUILD_DIR }
	});
	if (built.status !== 0) throw new Error('build failed');
}

/** A built app: the checkout it runs in (its content/ and drizzle/) and its build folder there. */
export interface AppBuild {
	root: string;
	buildDir: string;
}

/**
 * Another revision of the app (e.g. main's), checked out beside this one with `git worktree add`
 * and built there once; later runs reuse it. Its node_modules are this checkout's.
 */
export function baselineBuild(rev: string): AppBuild {
	const sha = spawnSync('git', ['rev-parse', '--short=12', rev], { cwd: root, encoding: 'utf8' });
	if (sha.status !== 0) throw new Error(`BENCH_BASELINE: no git revision "${rev}"`);
	const dir = `/tmp/sr-bench-baseline-${sha.stdout.trim()}`;
	const step = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) => {
		const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
		if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
	};
	if (!existsSync(dir)) {
		step('git', ['worktree', 'add', '--detach', dir, sha.stdout.trim()], root);
		symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'));
	}
	if (!existsSync(path.join(dir, 'build', 'index.js'))) {
		console.log(`Building ${rev} (${sha.stdout.trim()}) in ${dir}…`);
		step(process.execPath, [path.join(dir, 'node_modules/@inlang/paraglide-js/bin/run.js'), 'compile', '--project', './project.inlang', '--outdir', './src/lib/paraglide', '--strategy', 'cookie', 'preferredLanguage', 'baseLocale', '--silent'], dir);
		step(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], dir, { ...process.env, BUILD_DIR: 'build' });
	}
	return { root: dir, buildDir: 'build' };
}

/** A round-robin reverse proxy over `upstreams`, counting the requests each one served. */
export function startProxy(port: number, upstreams: string[]) {
	// Idle upstream connections are closed after 30 s, before the apps' 65 s (see startApp).
	const agents = upstreams.map(() => new http.Agent({ keepAlive: true, timeout: 30_000 }));
	const served = upstreams.map(() => 0);
	let next = 0;
	const server = http.createServer((req, res) => {
		const i = next++ % upstreams.length;
		served[i]!++;
		const upstream = http.request(upstreams[i]! + req.url, { method: req.method, headers: req.headers, agent: agents[i] }, (up) => {
			res.writeHead(up.statusCode ?? 502, up.headers);
			up.pipe(res);
		});
		upstream.on('error', (e) => {
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`proxy: ${e.message}`);
		});
		req.pipe(upstream);
	});
	server.keepAliveTimeout = 10_000;
	return new Promise<{ served: number[]; close: () => Promise<void> }>((resolve) =>
		server.listen(port, '127.0.0.1', () =>
			resolve({
				served,
				close: () =>
					new Promise((r) => {
						server.closeAllConnections();
						server.close(() => r());
						for (const a of agents) a.destroy();
					})
			})
		)
	);
}

/** Starts the built app on `port` against `databaseUrl` and waits for /health. */
/** The app's error output is passed through, and its lines kept here, for the report. */
export const appErrors = new WeakMap<ChildProcess, string[]>();

/** The processes a process started (Linux: /proc), for CPU accounting of a cluster's workers. */
export function childPids(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

/** The settings a tree's `npm start` gives its app when unset (src/cli/processes.js's serverDefaults, where it has one). */
async function startDefaults(appRoot: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
	try {
		const mod = (await import(pathToFileURL(path.join(appRoot, 'src', 'cli', 'processes.js')).href)) as { serverDefaults?: (env: NodeJS.ProcessEnv) => Record<string, string> };
		return mod.serverDefaults?.(env) ?? {};
	} catch {
		return {};
	}
}

/**
 * Starts the built app on `port` against `databaseUrl` and waits for /health. With `processes`
 * above 1 it is the product's own multi-process server (src/cli/processes.js of this tree, with
 * WEB_CONCURRENCY): one port shared by that many app processes, and all of them listening first.
 */
export async function startApp(opts: { databaseUrl: string; port: number; origin: string; label?: string; app?: AppBuild; behindProxy?: boolean; processes?: number }): Promise<ChildProcess> {
	const args: string[] = [];
	const app = opts.app ?? { root, buildDir: BUILD_DIR };
	const processes = opts.processes ?? 1;
	if (process.env.BENCH_CPU_PROF) args.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`);
	if (process.env.BENCH_APP_NODE_ARGS) args.push(...process.env.BENCH_APP_NODE_ARGS.split(/\s+/).filter(Boolean));
	if (processes > 1) args.push(path.join(root, 'src', 'cli', 'processes.js'));
	args.push(path.resolve(app.root, app.buildDir, 'index.js'));
	const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: opts.databaseUrl, PORT: String(opts.port), HOST: '127.0.0.1', ORIGIN: opts.origin };
	if (processes > 1) env.WEB_CONCURRENCY = String(processes);
	if (process.env.BENCH_POOL_MAX) env.DATABASE_POOL_MAX = process.env.BENCH_POOL_MAX;
	// What that tree's `npm start` sets when unset (a build from before serverDefaults gets none).
	Object.assign(env, await startDefaults(app.root, env));
	// Behind a proxy, as behind any load balancer, the app keeps idle connections open longer than
	// the proxy does: else the app may close one (adapter-node's 5 s) just as the proxy reuses it.
	if (opts.behindProxy && !env.KEEP_ALIVE_TIMEOUT) env.KEEP_ALIVE_TIMEOUT = '65';
	const child = spawn(process.execPath, args, { cwd: app.root, env, stdio: ['ignore', process.env.BENCH_APP_LOG ? 'inherit' : 'ignore', 'pipe'] });
	const lines: string[] = [];
	appErrors.set(child, lines);
	child.stderr!.on('data', (chunk: Buffer) => {
		process.stderr.write(chunk);
		lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim()));
	});
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`the app ${opts.label ?? ''} exited with ${child.exitCode}`);
		try {
			if ((await fetch(`http://127.0.0.1:${opts.port}/health`)).ok && childPids(child.pid!).length >= (processes > 1 ? processes : 0)) {
				// A forked process may be up but not listening yet: each answers /health once it is.
				if (processes > 1) await new Promise((r) => setTimeout(r, 3000));
				return child;
			}
		} catch {
			/* not up yet */
		}
		if (i > 300) throw new Error('the app did not start');
		await new Promise((r) => setTimeout(r, 100));
	}
}

export function stopApp(child: ChildProcess | null | undefined): Promise<void> {
	if (!child || child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
	});
}

/** The exam: the complaints course's final exam, else the exam drawing the most questions. */
export async function pickExam(): Promise<Quiz> {
	const { graded } = await checkContent(root);
	const drawn = (q: Quiz) => (q.draw.length ? q.draw.reduce((n, d) => n + d.count, 0) : q.questions.length);
	const exams = graded.quizzes.filter((q) => q.kind === 'exam');
	const quiz = exams.find((q) => q.courseSlug === 'complaints' && q.id === 'final-exam') ?? exams.sort((a, b) => drawn(b) - drawn(a))[0];
	if (!quiz) throw new Error('no exam in content/');
	return quiz;
}

export interface Technician {
	id: string;
	email: string;
	/** The session cookie's value; the database holds its SHA-256 only, as after a sign-in. */
	token: string;
}

/** Technicians with sessions, made in the database in three statements. */
export async function createTechnicians(sql: Sql, count: number, prefix: string): Promise<Technician[]> {
	if (count === 0) return [];
	const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@bench.example`);
	const rows = await sql<{ id: string; email: string }[]>`
		insert into "user" (email, display_name)
		select e, 'Bench ' || e from unnest(${emails}::text[]) e
		returning id, email`;
	const ids = rows.map((r) => r.id);
	await sql`insert into user_role (user_id, role) select u, 'technician' from unnest(${ids}::uuid[]) u`;
	const techs = rows.map((r) => ({ id: r.id, email: r.email, token: generateToken() }));
	const expires = new Date(Date.now() + 30 * 86_400_000);
	await sql`insert into session (id, user_id, expires_at)
		select s, u, ${expires} from unnest(${techs.map((t) => hashToken(t.token))}::text[], ${ids}::uuid[]) as x(s, u)`;
	return techs;
}

/** Form fields for one question as the browser sends them (conventions of `parseResponse`). */
export function rawAnswer(q: Question, seed: string, wrong: boolean): Raw {
	switch (q.type) {
		case 'single':
			return { choice: (q.options.find((o) => Boolean(o.correct) !== wrong) ?? q.options[0]!).id };
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
			pairs.forEach((id, i) => (raw[`match.${id}`] = tokenOf.get(wrong ? pairs[(i + 1) % pairs.length]! : id)!));
			return raw;
		}
		case 'numeric':
			return { value: String(wrong ? q.answer + q.tolerance + 1 : q.answer) };
		case 'text':
			return { value: wrong ? 'no idea' : (q.accept[0] ?? 'no idea') };
	}
}

/** JSON with sorted keys, to compare a stored jsonb value with the expected one. */
export function canonical(v: unknown): string {
	if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
	if (v && typeof v === 'object')
		return `{${Object.keys(v)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(v);
}

export interface HttpAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A response being read off a raw connection: headers first, then a body by length or in chunks. */
class ResponseReader {
	private buffer: Buffer = Buffer.alloc(0);
	private head: { status: number; headers: http.IncomingHttpHeaders; bodyStart: number; length: number | null; chunked: boolean } | null = null;

	constructor(private readonly bodyless: boolean) {}

	/** Adds bytes; returns the answer once complete (and whether the server closes the connection). */
	push(chunk: Buffer): (HttpAnswer & { close: boolean }) | null {
		this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
		if (!this.head) {
			const end = this.buffer.indexOf('\r\n\r\n');
			if (end < 0) return null;
			const lines = this.buffer.toString('latin1', 0, end).split('\r\n');
			const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
			if (!Number.isInteger(status)) throw new Error(`not an HTTP answer: ${lines[0]}`);
			const headers: http.IncomingHttpHeaders = {};
			for (const line of lines.slice(1)) {
				const colon = line.indexOf(':');
				const name = line.slice(0, colon).trim().toLowerCase();
				const value = line.slice(colon + 1).trim();
				if (name === 'set-cookie') (headers['set-cookie'] ??= []).push(value);
				else headers[name] = headers[name] === undefined ? value : `${String(headers[name])}, ${value}`;
			}
			const noBody = this.bodyless || status === 204 || status === 304 || (status >= 100 && status < 200);
			const length = noBody ? 0 : headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
			const chunked = !noBody && /chunked/i.test(String(headers['transfer-encoding'] ?? ''));
			if (length === null && !chunked) throw new Error('an answer without a length on a kept-alive connection');
			this.head = { status, headers, bodyStart: end + 4, length, chunked };
		}
		const h = this.head;
		let body: Buffer | null = null;
		if (h.length !== null) {
			if (this.buffer.length - h.bodyStart >= h.length) body = this.buffer.subarray(h.bodyStart, h.bodyStart + h.length);
		} else {
			const parts: Buffer[] = [];
			let at = h.bodyStart;
			for (;;) {
				const lineEnd = this.buffer.indexOf('\r\n', at);
				if (lineEnd < 0) return null;
				const size = parseInt(this.buffer.toString('latin1', at, lineEnd), 16);
				if (!Number.isFinite(size)) throw new Error('a malformed chunk');
				if (size === 0) {
					if (this.buffer.indexOf('\r\n\r\n', lineEnd) !== lineEnd) return null;
					body = Buffer.concat(parts);
					break;
				}
				if (this.buffer.length < lineEnd + 2 + size + 2) return null;
				parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
				at = lineEnd + 2 + size + 2;
			}
		}
		if (!body) return null;
		return { status: h.status, headers: h.headers, body: body.toString('utf8'), close: /close/i.test(String(h.headers.connection ?? '')) };
	}
}

/**
 * One browser: its own keep-alive connection and its session cookie. Requests go over a raw
 * socket with a minimal HTTP/1.1 reader, so that the load generator, which shares the cores with
 * the app and the database, spends as little CPU as it can per request (node:http's client costs
 * several times more and that time is taken from what is measured).
 */
export class Browser {
	private socket: net.Socket | null = null;
	private readonly host: string;
	private readonly port: number;
	/** When the connection was last used, and how long the server keeps an idle one (its Keep-Alive header). */
	private idleSince = 0;
	private keepAliveMs = 5000;
	private pending: { reader: ResponseReader; resolve: (a: HttpAnswer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
	private chain: Promise<unknown> = Promise.resolve();

	constructor(
		readonly base: string,
		readonly token: string
	) {
		const u = new URL(base);
		this.host = u.hostname;
		this.port = Number(u.port || 80);
	}

	request(method: string, pathAndQuery: string, opts: { form?: URLSearchParams; enhance?: boolean; base?: string } = {}): Promise<HttpAnswer> {
		if (opts.base) return this.requestElsewhere(method, pathAndQuery, { ...opts, base: opts.base });
		const body = opts.form?.toString();
		const headers = { host: `${this.host}:${this.port}`, ...this.headersFor(body, opts.enhance) };
		const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
		const bytes = `${method} ${pathAndQuery} HTTP/1.1\r\n${head}\r\n${body ?? ''}`;
		// One request at a time on the connection, as a browser tab does.
		const run = this.chain.then(() => this.send(bytes, method === 'HEAD'));
		this.chain = run.catch(() => undefined);
		return run;
	}

	private connection(): net.Socket {
		// A connection idle for nearly as long as the server keeps one is not reused: the server may
		// be closing it as the request goes out (node:http's Agent does the same, a second early).
		if (this.socket && performance.now() - this.idleSince > this.keepAliveMs - 1000) this.close();
		if (this.socket && !this.socket.destroyed) return this.socket;
		const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
		socket.on('data', (chunk: Buffer) => {
			const p = this.pending;
			if (!p || this.socket !== socket) return;
			try {
				const answer = p.reader.push(chunk);
				if (!answer) return;
				this.settle();
				this.idleSince = performance.now();
				const timeout = /timeout=(\d+)/.exec(String(answer.headers['keep-alive'] ?? ''))?.[1];
				if (timeout) this.keepAliveMs = Number(timeout) * 1000;
				if (answer.close) socket.destroy();
				p.resolve({ status: answer.status, headers: answer.headers, body: answer.body });
			} catch (e) {
				this.settle();
				socket.destroy();
				p.reject(e as Error);
			}
		});
		const fail = (e: Error) => {
			// A connection already given up (closed for being idle too long) concerns nobody.
			if (this.socket !== socket) return;
			this.socket = null;
			const p = this.pending;
			if (!p) return;
			this.settle();
			p.reject(e);
		};
		socket.on('error', fail);
		socket.on('close', () => fail(new Error('the server closed the connection')));
		this.socket = socket;
		return socket;
	}

	private settle() {
		if (this.pending) clearTimeout(this.pending.timer);
		this.pending = null;
	}

	private send(bytes: string, bodyless: boolean): Promise<HttpAnswer> {
		return new Promise((resolve, reject) => {
			const socket = this.connection();
			const timer = setTimeout(() => {
				this.settle();
				socket.destroy();
				reject(new Error('timeout after 60 s'));
			}, 60_000);
			this.pending = { reader: new ResponseReader(bodyless), resolve, reject, timer };
			socket.write(bytes);
		});
	}

	/** What a browser sends with a request: its session cookie, and for a form post what `use:enhance` adds. */
	private headersFor(body: string | undefined, enhance = false): Record<string, string> {
		const headers: Record<string, string> = { cookie: `sr_session=${this.token}`, accept: enhance ? 'application/json' : 'text/html' };
		if (body !== undefined) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			headers['content-length'] = String(Buffer.byteLength(body));
			headers.origin = this.base;
		}
		if (enhance) headers['x-sveltekit-action'] = 'true';
		return headers;
	}

	/** A request to another address than the browser's own (node:http, a connection of its own). */
	private requestElsewhere(method: string, pathAndQuery: string, opts: { form?: URLSearchParams; enhance?: boolean; base: string }): Promise<HttpAnswer> {
		const body = opts.form?.toString();
		const headers = this.headersFor(body, opts.enhance);
		return new Promise((resolve, reject) => {
			const req = http.request(opts.base + pathAndQuery, { method, headers }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			});
			req.setTimeout(60_000, () => req.destroy(new Error('timeout after 60 s')));
			req.on('error', reject);
			if (body !== undefined) req.write(body);
			req.end();
		});
	}

	close() {
		this.socket?.destroy();
		this.socket = null;
	}
}

/** SvelteKit's answer to a `use:enhance` form post: `{ type, status, location | data | error }`. */
export function actionResult(res: HttpAnswer): { type?: string; location?: string; data?: string } {
	try {
		return JSON.parse(res.body) as { type?: string; location?: string; data?: string };
	} catch {
		return {};
	}
}

/** A top-level field of an action result's `data` (devalue: a JSON array, the object first, its values by index). */
export function resultField(data: string | undefined, name: string): unknown {
	try {
		const values = JSON.parse(data ?? '') as unknown[];
		const index = (values[0] as Record<string, number>)[name];
		return index === undefined ? undefined : values[index];
	} catch {
		return undefined;
	}
}

export function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export type SaveProtocol = 'data' | 'redirect';

export interface ExamDayOptions {
	base: string;
	sql: Sql;
	quiz: Quiz;
	technicians: Technician[];
	saves: number;
	thinkMinMs: number;
	thinkMaxMs: number;
	navigate: boolean;
	/** How the build's page saves: its action answers with data (one request) or redirects. */
	protocol: SaveProtocol;
	/** App processes whose CPU time is measured over the save phase. */
	appPids?: number[];
}

interface SaveRecord {
	attemptId: string;
	questionId: string;
	expected: string;
	acked: boolean;
}

export interface ExamDayResult {
	technicians: number;
	savesEach: number;
	drawn: number;
	cycled: boolean;
	startMs: number[];
	startErrors: number;
	saveMs: number[];
	/** Save latencies by the 10-second window of the save phase they were sent in. */
	saveWindows: number[][];
	navigateMs: number[];
	acknowledged: number;
	errors: number;
	errorSamples: string[];
	navigateErrors: number;
	savePhaseMs: number;
	/** CPU time the app processes used during the save phase (ms), when measured. */
	appCpuMs: number | null;
	/** CPU time of the PostgreSQL server's processes, of this load generator, and of the whole machine (all cores) over the save phase. */
	databaseCpuMs: number;
	generatorCpuMs: number;
	machine: { busyMs: number; totalMs: number } | null;
	pairs: number;
	held: number;
	laterUnacknowledged: number;
	lost: number;
	lostSamples: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The exam-day run: every technician starts the exam at once (the quiz page's `start` action),
 * then makes `saves` answer saves with think-time before each (the attempt page's `answer`
 * action, as `use:enhance` posts it), then the database is checked against what was acknowledged.
 */
export async function examDay(o: ExamDayOptions): Promise<ExamDayResult> {
	const browsers = o.technicians.map((t) => new Browser(o.base, t.token));
	const quizPath = `/learn/courses/${o.quiz.courseSlug}/quizzes/${o.quiz.id}`;
	const errorSamples: string[] = [];
	const note = (s: string) => void (errorSamples.length < 8 && errorSamples.push(s));

	// 1. Everyone starts at once.
	const startMs: number[] = [];
	let startErrors = 0;
	let navigateErrors = 0;
	const attemptIds = await Promise.all(
		browsers.map(async (b) => {
			const t0 = performance.now();
			try {
				const res = await b.request('POST', `${quizPath}?/start`, { form: new URLSearchParams(), enhance: true });
				startMs.push(performance.now() - t0);
				const r = actionResult(res);
				const id = r.type === 'redirect' ? /\/learn\/attempts\/([0-9a-f-]{36})/.exec(r.location ?? '')?.[1] : undefined;
				if (res.status !== 200 || !id) {
					startErrors++;
					note(`start: ${res.status} ${res.body.slice(0, 200)}`);
					return null;
				}
				// The attempt page opens right after the start's redirect, as the page's script
				// follows it (both builds load it once).
				await b.request('GET', `/learn/attempts/${id}/__data.json`).catch(() => navigateErrors++);
				return id;
			} catch (e) {
				startErrors++;
				note(`start: ${(e as Error).message}`);
				return null;
			}
		})
	);
	const started = attemptIds.filter((id): id is string => id !== null);
	const rows = await o.sql<{ id: string; seed: string; questions: Question[] }[]>`select id, seed, questions from quiz_attempt where id = any(${started}::uuid[])`;
	const byId = new Map(rows.map((r) => [r.id, r]));
	const drawn = Math.min(...rows.map((r) => r.questions.length));

	// 2. The saves: think, save, (follow the redirect as the page does), 'saves' times each.
	const records: SaveRecord[] = [];
	const saveMs: number[] = [];
	const saveWindows: number[][] = [];
	const navigateMs: number[] = [];
	let errors = 0;
	const phaseStart = performance.now();
	const meter = cpuMeter(o.appPids);
	await Promise.all(
		browsers.map(async (b, t) => {
			const attemptId = attemptIds[t];
			const attempt = attemptId ? byId.get(attemptId) : undefined;
			if (!attemptId || !attempt) return;
			const qs = attempt.questions;
			for (let j = 0; j < o.saves; j++) {
				await sleep(o.thinkMinMs + Math.random() * (o.thinkMaxMs - o.thinkMinMs));
				const index = j % qs.length;
				const q = qs[index]!;
				// Each round over the questions changes every answer (right ↔ wrong), so that the
				// latest acknowledged value differs from the one before it.
				const wrong = (t + index + Math.floor(j / qs.length)) % 2 === 1;
				const raw = rawAnswer(q, attempt.seed, wrong);
				const parsed = parseResponse(q, raw, attempt.seed);
				if ('error' in parsed) throw new Error(`the benchmark built an invalid answer for ${q.id}: ${parsed.error}`);
				// As each build's page posts it: the old one named the question to show next.
				const form = new URLSearchParams(o.protocol === 'redirect' ? { question: q.id, next: String(Math.min(index + 2, qs.length)) } : { question: q.id });
				for (const [k, v] of Object.entries(raw)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
				const record: SaveRecord = { attemptId, questionId: q.id, expected: canonical(parsed), acked: false };
				records.push(record);
				const t0 = performance.now();
				const window = (saveWindows[Math.floor((t0 - phaseStart) / 10_000)] ??= []);
				let location: string | undefined;
				try {
					const res = await b.request('POST', `/learn/attempts/${attemptId}?/answer&q=${index + 1}`, { form, enhance: true });
					saveMs.push(performance.now() - t0);
					window.push(performance.now() - t0);
					const r = actionResult(res);
					location = r.location;
					record.acked =
						res.status === 200 &&
						(o.protocol === 'data'
							? r.type === 'success' && resultField(r.data, 'saved') === q.id
							: r.type === 'redirect' && (r.location ?? '').includes(`saved=${encodeURIComponent(q.id)}`));
					if (!record.acked) note(`answer: ${res.status} ${res.body.slice(0, 200)}`);
				} catch (e) {
					saveMs.push(performance.now() - t0);
					window.push(performance.now() - t0);
					note(`answer: ${(e as Error).message}`);
				}
				if (!record.acked) errors++;
				else if (o.navigate && o.protocol === 'redirect' && location) {
					const u = new URL(location, o.base);
					const n0 = performance.now();
					try {
						const res = await b.request('GET', `${u.pathname}/__data.json${u.search}`);
						navigateMs.push(performance.now() - n0);
						if (res.status !== 200) navigateErrors++;
					} catch {
						navigateErrors++;
					}
				}
			}
		})
	);
	const savePhaseMs = performance.now() - phaseStart;
	const cpu = meter();
	for (const b of browsers) b.close();

	// 3. The database against the acknowledgements.
	const latest = new Map<string, { acked?: string; after: string[] }>();
	for (const r of records) {
		const key = `${r.attemptId}/${r.questionId}`;
		const entry = latest.get(key) ?? { after: [] };
		if (r.acked) entry.acked = r.expected;
		entry.after = r.acked ? [] : [...entry.after, r.expected];
		latest.set(key, entry);
	}
	const stored = await o.sql<{ attempt_id: string; question_id: string; response: unknown }[]>`
		select attempt_id, question_id, response from quiz_answer where attempt_id = any(${started}::uuid[])`;
	const inDb = new Map(stored.map((s) => [`${s.attempt_id}/${s.question_id}`, canonical(s.response)]));
	let pairs = 0;
	let held = 0;
	let laterUnacknowledged = 0;
	const lostSamples: string[] = [];
	for (const [key, entry] of latest) {
		if (entry.acked === undefined) continue;
		pairs++;
		const value = inDb.get(key);
		if (value === entry.acked) held++;
		else if (value !== undefined && entry.after.includes(value)) laterUnacknowledged++;
		else if (lostSamples.length < 5) lostSamples.push(`${key}: expected ${entry.acked}, database ${value ?? 'no row'}`);
	}
	saveMs.sort((a, b) => a - b);
	startMs.sort((a, b) => a - b);
	navigateMs.sort((a, b) => a - b);
	return {
		technicians: o.technicians.length,
		savesEach: o.saves,
		drawn,
		cycled: drawn < o.saves,
		startMs,
		startErrors,
		saveMs,
		saveWindows: Array.from(saveWindows, (w) => (w ?? []).sort((a, b) => a - b)),
		navigateMs,
		acknowledged: records.filter((r) => r.acked).length,
		errors,
		errorSamples,
		navigateErrors,
		savePhaseMs,
		...cpu,
		pairs,
		held,
		laterUnacknowledged,
		lost: pairs - held - laterUnacknowledged,
		lostSamples
	};
}

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');

export function printExamDay(r: ExamDayResult, o: Pick<ExamDayOptions, 'quiz' | 'thinkMinMs' | 'thinkMaxMs'>) {
	console.log(
		`  exam ${o.quiz.courseSlug}/${o.quiz.id} (${r.drawn} questions drawn, time limit ${o.quiz.timeLimitMinutes} min); ${r.technicians} technicians × ${r.savesEach} saves, think ${o.thinkMinMs}–${o.thinkMaxMs} ms`
	);
	if (r.cycled) console.log(`  the attempt has ${r.drawn} questions, fewer than ${r.savesEach}: saves cycle through them, each round changing every answer`);
	console.log(`  start (all at once):  p50 ${ms(percentile(r.startMs, 50))}, p95 ${ms(percentile(r.startMs, 95))}, p99 ${ms(percentile(r.startMs, 99))}, max ${ms(r.startMs.at(-1) ?? NaN)}, errors ${r.startErrors}`);
	console.log(
		`  answer save:          p50 ${ms(percentile(r.saveMs, 50))}, p95 ${ms(percentile(r.saveMs, 95))}, p99 ${ms(percentile(r.saveMs, 99))}, max ${ms(r.saveMs.at(-1) ?? NaN)}`
	);
	console.log(`  save p99 by 10 s window: ${r.saveWindows.map((w) => (w.length ? percentile(w, 99).toFixed(0) : '—')).join(' ')} ms`);
	if (r.navigateMs.length)
		console.log(
			`  page data after save: p50 ${ms(percentile(r.navigateMs, 50))}, p95 ${ms(percentile(r.navigateMs, 95))}, p99 ${ms(percentile(r.navigateMs, 99))}, errors ${r.navigateErrors}`
		);
	const requests = r.saveMs.length + r.navigateMs.length;
	console.log(
		`  throughput:           ${(r.acknowledged / (r.savePhaseMs / 1000)).toFixed(1)} acknowledged saves/s (${(requests / (r.savePhaseMs / 1000)).toFixed(1)} requests/s) over ${(r.savePhaseMs / 1000).toFixed(1)} s`
	);
	if (r.appCpuMs !== null)
		console.log(
			`  app CPU:              ${(r.appCpuMs / 1000).toFixed(1)} s in ${(r.savePhaseMs / 1000).toFixed(1)} s (${((100 * r.appCpuMs) / r.savePhaseMs).toFixed(0)}% of one core), ${(r.appCpuMs / requests).toFixed(2)} ms per request`
		);
	const cores = (x: number) => `${(x / r.savePhaseMs).toFixed(2)} cores`;
	console.log(
		`  CPU over the save phase: app ${r.appCpuMs !== null ? cores(r.appCpuMs) : '—'}, PostgreSQL ${cores(r.databaseCpuMs)}, load generator ${cores(r.generatorCpuMs)}${r.machine ? `; machine busy ${((100 * r.machine.busyMs) / Math.max(1, r.machine.totalMs)).toFixed(0)}% of ${availableParallelism()} cores` : ''}`
	);
	console.log(`  saves sent ${r.saveMs.length}, acknowledged ${r.acknowledged}, errors ${r.errors}; requests per save ${(requests / Math.max(1, r.saveMs.length)).toFixed(2)}`);
	for (const s of r.errorSamples) console.log(`    e.g. ${s}`);
	console.log(
		`  database: ${r.pairs} (attempt, question) pairs acknowledged, ${r.held} hold their latest acknowledged answer${r.laterUnacknowledged ? `, ${r.laterUnacknowledged} hold a later unacknowledged one` : ''}`
	);
	console.log(`  lost: ${r.lost}`);
	for (const s of r.lostSamples) console.log(`    e.g. ${s}`);
}

export function examDaySettings() {
	return {
		count: envNumber('BENCH_TECHNICIANS', 500),
		saves: envNumber('BENCH_SAVES', 40),
		thinkMinMs: envNumber('BENCH_THINK_MIN_MS', 500),
		thinkMaxMs: envNumber('BENCH_THINK_MAX_MS', 3000),
		navigate: process.env.BENCH_NAVIGATE !== '0'
	};
}

/**
 * A few technicians (not counted) start the exam and save answers without pause first, so that
 * the measured run meets a warmed-up process as on a real exam day, not a cold one.
 */
export async function warmUp(sql: Sql, base: string, quiz: Quiz, protocol: SaveProtocol = 'data') {
	const count = envNumber('BENCH_WARMUP', 20);
	if (!count) return;
	const technicians = await createTechnicians(sql, count, `warm${randomBytes(3).toString('hex')}`);
	await examDay({ base, sql, quiz, technicians, saves: 10, thinkMinMs: 0, thinkMaxMs: 0, navigate: true, protocol });
}

/**
 * How several app processes are reached: "cluster" (the default), the product's multi-process
 * server sharing one port (WEB_CONCURRENCY, src/cli/processes.js); "proxy", separate processes
 * behind the benchmark's round-robin node:http proxy, which runs in the load generator's process.
 */
type Topology = 'single' | 'cluster' | 'proxy';

export function topologyOf(processes: number): Topology {
	if (processes <= 1) return 'single';
	const t = process.env.BENCH_TOPOLOGY ?? 'cluster';
	if (t !== 'cluster' && t !== 'proxy') throw new Error(`BENCH_TOPOLOGY must be "cluster" or "proxy", not "${t}"`);
	return t;
}

/** One build on a database of its own: `processes` app processes (behind a proxy when more than one), warmed up, then the exam day. */
async function measure(o: { app: AppBuild; protocol: SaveProtocol; processes: number; topology: Topology; quiz: Quiz; settings: ReturnType<typeof examDaySettings> }) {
	const db = await freshDatabase('sr_bench_exam');
	const children: ChildProcess[] = [];
	let proxy: Awaited<ReturnType<typeof startProxy>> | null = null;
	try {
		const { count, ...run } = o.settings;
		const technicians = await createTechnicians(db.sql, count, 'exam');
		if (o.topology === 'cluster') {
			const port = await freePort();
			const base = `http://127.0.0.1:${port}`;
			children.push(await startApp({ databaseUrl: db.url, port, origin: base, app: o.app, processes: o.processes }));
			await warmUp(db.sql, base, o.quiz, o.protocol);
			const pids = [children[0]!.pid!, ...childPids(children[0]!.pid!)];
			const result = await examDay({ base, sql: db.sql, quiz: o.quiz, technicians, ...run, protocol: o.protocol, appPids: pids });
			return { result, share: [] as number[] };
		}
		const ports = await Promise.all(Array.from({ length: o.processes }, () => freePort()));
		let base = `http://127.0.0.1:${ports[0]}`;
		if (o.processes > 1) {
			const proxyPort = await freePort();
			base = `http://127.0.0.1:${proxyPort}`;
			proxy = await startProxy(proxyPort, ports.map((p) => `http://127.0.0.1:${p}`));
		}
		// Every process serves the address people use (the proxy's, when there is one).
		children.push(...(await Promise.all(ports.map((port, i) => startApp({ databaseUrl: db.url, port, origin: base, label: String(i + 1), app: o.app, behindProxy: o.processes > 1 })))));
		await warmUp(db.sql, base, o.quiz, o.protocol);
		const before = proxy ? [...proxy.served] : [];
		const result = await examDay({ base, sql: db.sql, quiz: o.quiz, technicians, ...run, protocol: o.protocol, appPids: children.map((c) => c.pid!) });
		const share = proxy ? proxy.served.map((n, i) => n - before[i]!) : [];
		return { result, share };
	} finally {
		await proxy?.close();
		await Promise.all(children.map((c) => stopApp(c)));
		await db.drop();
	}
}

const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '—');

async function main() {
	const settings = examDaySettings();
	const processes = Math.max(1, Math.floor(envNumber('BENCH_PROCESSES', 1)));
	const runStart = performance.now();
	const baselineRev = process.env.BENCH_BASELINE;
	const baseline = baselineRev ? baselineBuild(baselineRev) : null;
	ensureBuilt();
	const quiz = await pickExam();
	const topology = topologyOf(processes);
	const where = `${topology === 'single' ? 'one app process' : topology === 'cluster' ? `${processes} app processes sharing one port (WEB_CONCURRENCY=${processes})` : `${processes} app processes behind a round-robin node:http proxy`}, PostgreSQL ${new URL(SERVER_URL).host}${process.env.BENCH_POOL_MAX ? `, DATABASE_POOL_MAX ${process.env.BENCH_POOL_MAX}` : ''}`;
	const goal = (r: ExamDayResult) => r.errors === 0 && r.startErrors === 0 && r.lost === 0 && percentile(r.saveMs, 99) <= 50;
	const show = (label: string, m: Awaited<ReturnType<typeof measure>>) => {
		console.log(`${label}${m.share.length ? ` (requests per process: ${m.share.join(' / ')})` : ''}`);
		printExamDay(m.result, { quiz, ...settings });
		console.log(`  goal (0 errors, 0 lost, save p99 ≤ 50 ms): ${goal(m.result) ? 'met' : 'NOT met'}`);
	};
	console.log(`ServiceReady exam-day benchmark: ${where}`);
	let before: Awaited<ReturnType<typeof measure>> | null = null;
	if (baseline) {
		const protocol = (process.env.BENCH_BASELINE_PROTOCOL ?? 'redirect') as SaveProtocol;
		before = await measure({ app: baseline, protocol, processes, topology, quiz, settings });
		show(`Baseline ${baselineRev} (${baseline.root}; saves ${protocol === 'redirect' ? `redirect${settings.navigate ? ', then the page loads its data' : ''}` : 'answer with data'})`, before);
	}
	const now = await measure({ app: { root, buildDir: BUILD_DIR }, protocol: 'data', processes, topology, quiz, settings });
	show(`This build (${root}; a save is one request answered with what the page needs)`, now);
	if (before) {
		const [a, b] = [before.result, now.result];
		const perSecond = (r: ExamDayResult) => r.acknowledged / (r.savePhaseMs / 1000);
		const cpuPerSave = (r: ExamDayResult) => (r.appCpuMs ?? NaN) / Math.max(1, r.saveMs.length);
		console.log(`Ratio this build / baseline ${baselineRev}:`);
		console.log(`  save p99 ${percentile(b.saveMs, 99).toFixed(1)} / ${percentile(a.saveMs, 99).toFixed(1)} ms = ${ratio(percentile(b.saveMs, 99), percentile(a.saveMs, 99))}; p50 ${ratio(percentile(b.saveMs, 50), percentile(a.saveMs, 50))}`);
		console.log(`  acknowledged saves/s ${perSecond(b).toFixed(1)} / ${perSecond(a).toFixed(1)} = ${ratio(perSecond(b), perSecond(a))} (paced by think-time); requests per save ${((b.saveMs.length + b.navigateMs.length) / Math.max(1, b.saveMs.length)).toFixed(2)} / ${((a.saveMs.length + a.navigateMs.length) / Math.max(1, a.saveMs.length)).toFixed(2)}`);
		console.log(`  app CPU per save ${cpuPerSave(b).toFixed(2)} / ${cpuPerSave(a).toFixed(2)} ms = ${ratio(cpuPerSave(b), cpuPerSave(a))}`);
		console.log(`  errors ${b.errors + b.startErrors} / ${a.errors + a.startErrors}; lost ${b.lost} / ${a.lost}`);
	}
	console.log(`  (run took ${((performance.now() - runStart) / 1000).toFixed(1)} s; the load generator shares the machine's 2 cores with the app and PostgreSQL)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

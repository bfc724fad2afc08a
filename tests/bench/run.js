// Benchmarks (not tests): each prints figures measured in this one run, as ratios where a
// comparison makes sense. `npm run bench`.
//  1. Authenticated page requests per second against a bare Node HTTP server sending the same bytes:
//     /learn, and a lesson page against a bare server in its own process, on the embedded database
//     and on the PostgreSQL server (BENCH_DATABASE_URL), with SvelteKit's own floor (a redirect
//     answered by the hooks, nothing else) measured the same way.
//  2. Time from `npm start` (already built) to the first served page: first start (database created,
//     migrated, demo data loaded) and a later start reusing the data.
//  3. Sign-in time for an unknown email against a wrong password (should be about 1).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DURATION_MS = Number(process.env.BENCH_MS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve) => {
		const s = http.createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = /** @type {import('node:net').AddressInfo} */ (s.address()).port;
			s.close(() => resolve(port));
		});
	});
}

/**
 * @param {string} url
 * @param {{ method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent }} [options]
 * @returns {Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>}
 */
function request(url, options = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
		});
		req.on('error', reject);
		if (options.body) req.write(options.body);
		req.end();
	});
}

/**
 * Starts `node <entry>` and resolves once `url` answers 200, with the milliseconds that took.
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @param {string} url
 */
async function startServer(args, env, url) {
	const started = performance.now();
	const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
		try {
			const res = await request(url);
			if (res.status === 200) return { child, ms: performance.now() - started };
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 10));
	}
}

/** @param {import('node:child_process').ChildProcess} child */
function stop(child) {
	return new Promise((resolve) => {
		child.once('exit', resolve);
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 5000).unref();
	});
}

/**
 * Closed-loop load: CONCURRENCY clients on keep-alive connections for DURATION_MS.
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {number} [expect] the status that counts as served
 */
async function load(url, headers, expect = 200) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	const until = performance.now() + DURATION_MS;
	let done = 0;
	let bad = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (performance.now() < until) {
				const res = await request(url, { headers, agent });
				if (res.status === expect) done++;
				else bad++;
			}
		})
	);
	agent.destroy();
	return { perSecond: done / ((performance.now() - started) / 1000), bad };
}

/**
 * Signs in as the demo technician and returns the Cookie header a browser would then send: the
 * session cookie, and the language cookie the first page sets.
 * @param {string} base
 */
async function signIn(base) {
	const res = await request(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: 'email=technician%40example.com&password=demo-pass-2026'
	});
	/** @type {Map<string, string>} */
	const jar = new Map();
	/** @param {http.IncomingHttpHeaders} headers */
	const keep = (headers) => {
		for (const line of headers['set-cookie'] ?? []) {
			const [pair = ''] = line.split(';');
			const at = pair.indexOf('=');
			jar.set(pair.slice(0, at), pair.slice(at + 1));
		}
	};
	keep(res.headers);
	if (!jar.get('sr_session')) throw new Error('Could not sign in for the benchmark');
	const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	keep((await request(`${base}/learn`, { headers: { cookie: header(), accept: 'text/html' } })).headers);
	return header();
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// A fresh build first, so that `npm start` below measures serving a built app, not building it.
spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });

// 2. Start-up time through `npm start`'s own script, on a new data folder and then again on it.
const dataDir = mkdtempSync(path.join(tmpdir(), 'serviceready-bench-'));
const startPort = await freePort();
const startUrl = `http://127.0.0.1:${startPort}/login`;
const startEnv = { PORT: String(startPort), DATA_DIR: dataDir, ORIGIN: `http://127.0.0.1:${startPort}` };
const first = await startServer(['src/cli/start.js'], startEnv, startUrl);
await stop(first.child);
const again = await startServer(['src/cli/start.js'], startEnv, startUrl);
await stop(again.child);
rmSync(dataDir, { recursive: true, force: true });

// 1. Authenticated throughput against a bare server with the same bytes.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const app = await startServer(['build/index.js'], { PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, DATA_DIR: 'memory://' }, `${base}/login`);
const cookie = await signIn(base);
const headers = { cookie, accept: 'text/html' };
const page = await request(`${base}/learn`, { headers });
if (page.status !== 200) throw new Error(`/learn answered ${page.status}`);
const bytes = page.body;
const contentType = String(page.headers['content-type']);

const barePort = await freePort();
const bare = http.createServer((_req, res) => {
	res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
	res.end(bytes);
});
await new Promise((r) => bare.listen(barePort, '127.0.0.1', () => r(undefined)));

await load(`${base}/learn`, headers); // warm-up
const appLoad = await load(`${base}/learn`, headers);
const bareLoad = await load(`http://127.0.0.1:${barePort}/`, {});
bare.close();

// 1b. A lesson page (session, progress read, the lesson rendered) against a bare node:http server
// in its own process sending the same bytes: on the embedded database here, on PostgreSQL below.
const LESSON = '/learn/courses/complaints/five-steps';

/**
 * A bare node:http server in its own process answering every request with this status, these
 * headers and this body.
 * @param {number} status
 * @param {Record<string, string>} head
 * @param {Buffer} body
 */
async function startBare(status, head, body) {
	const dir = mkdtempSync(path.join(tmpdir(), 'serviceready-bare-'));
	const file = path.join(dir, 'body');
	writeFileSync(file, body);
	const barePort = await freePort();
	const script = `const b=require('fs').readFileSync(${JSON.stringify(file)});const h=${JSON.stringify(head)};h['content-length']=b.length;require('http').createServer((q,r)=>{r.writeHead(${status},h);r.end(b)}).listen(${barePort},'127.0.0.1',()=>console.log('ready'))`;
	const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise((resolve) => child.stdout.once('data', resolve));
	return {
		url: `http://127.0.0.1:${barePort}/`,
		close() {
			child.kill();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/**
 * The page at `base + pathname` under load, then a bare server in its own process sending the
 * bytes it answered, under the same load.
 * @param {string} base
 * @param {string} pathname
 * @param {Record<string, string>} reqHeaders
 * @param {number} [status]
 */
async function againstBare(base, pathname, reqHeaders, status = 200) {
	const sample = await request(`${base}${pathname}`, { headers: reqHeaders });
	if (sample.status !== status) throw new Error(`${pathname} answered ${sample.status}`);
	/** @type {Record<string, string>} */
	const head = { 'content-type': String(sample.headers['content-type'] ?? 'text/plain') };
	if (sample.headers.location) head.location = String(sample.headers.location);
	const bareServer = await startBare(status, head, sample.body);
	await load(`${base}${pathname}`, reqHeaders, status); // warm-up
	const appRun = await load(`${base}${pathname}`, reqHeaders, status);
	const bareRun = await load(bareServer.url, {}, status);
	bareServer.close();
	return { app: appRun.perSecond, bare: bareRun.perSecond, bad: appRun.bad + bareRun.bad, bytes: sample.body.length };
}

const lessonPglite = await againstBare(base, LESSON, headers);

// 3. Sign-in timing: unknown email against wrong password, alternated, from different addresses' view.
/** @param {string} email */
async function timeLogin(email) {
	const t = performance.now();
	await request(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: `email=${encodeURIComponent(email)}&password=wrong-password-x`
	});
	return performance.now() - t;
}
/** @type {number[]} */ const unknown = [];
/** @type {number[]} */ const wrong = [];
for (let i = 0; i < 12; i++) {
	unknown.push(await timeLogin(`nobody${i}@example.com`));
	wrong.push(await timeLogin(i % 2 ? 'li.na@example.com' : 'chen.jie@example.com'));
}
await stop(app.child);

// 1c. The same lesson page with the app on the PostgreSQL server (a throwaway database with the
// demo data), and the floor SvelteKit itself sets: an anonymous request for the lesson, answered
// with a redirect to the sign-in page by the hooks (no database, nothing rendered).
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `sr_bench_run_${process.pid}`;
/** @param {string} statement */
const psql = (statement) => spawnSync('psql', [serverUrl, '-qAtc', statement], { encoding: 'utf8' });
/** @type {null | { lesson: Awaited<ReturnType<typeof againstBare>>; floor: Awaited<ReturnType<typeof againstBare>> }} */
let onServer = null;
if (psql(`create database ${dbName}`).status === 0) {
	try {
		const pgPort = await freePort();
		const pgBase = `http://127.0.0.1:${pgPort}`;
		const dbUrl = new URL(serverUrl);
		dbUrl.pathname = `/${dbName}`;
		const pgApp = await startServer(['build/index.js'], { PORT: String(pgPort), HOST: '127.0.0.1', ORIGIN: pgBase, DATABASE_URL: dbUrl.href, DEMO_DATA: '1' }, `${pgBase}/login`);
		const pgCookie = await signIn(pgBase);
		const lesson = await againstBare(pgBase, LESSON, { cookie: pgCookie, accept: 'text/html' });
		const floor = await againstBare(pgBase, LESSON, { accept: 'text/html' }, 303);
		onServer = { lesson, floor };
		await stop(pgApp.child);
	} finally {
		psql(`drop database if exists ${dbName} with (force)`);
	}
} else {
	console.log(`(no PostgreSQL server at ${serverUrl}: the lesson page runs on the embedded database only)`);
}

const results = {
	'page requests/s, authenticated /learn (app)': Math.round(appLoad.perSecond),
	'page requests/s, same bytes (bare node:http)': Math.round(bareLoad.perSecond),
	'app / bare throughput ratio': Number((appLoad.perSecond / bareLoad.perSecond).toFixed(3)),
	'lesson page requests/s, PGlite (app)': Math.round(lessonPglite.app),
	'lesson page requests/s, PGlite, same bytes (bare)': Math.round(lessonPglite.bare),
	'lesson page app / bare ratio, PGlite': Number((lessonPglite.app / lessonPglite.bare).toFixed(3)),
	...(onServer && {
		'lesson page requests/s, PostgreSQL (app)': Math.round(onServer.lesson.app),
		'lesson page requests/s, PostgreSQL, same bytes (bare)': Math.round(onServer.lesson.bare),
		'lesson page app / bare ratio, PostgreSQL': Number((onServer.lesson.app / onServer.lesson.bare).toFixed(3)),
		'floor: anonymous lesson → 303 by the hooks (app) req/s': Math.round(onServer.floor.app),
		'floor: the same 303 (bare, own process) req/s': Math.round(onServer.floor.bare),
		'floor: SvelteKit redirect / bare ratio': Number((onServer.floor.app / onServer.floor.bare).toFixed(3))
	}),
	'unexpected answers during load': appLoad.bad + bareLoad.bad + lessonPglite.bad + (onServer ? onServer.lesson.bad + onServer.floor.bad : 0),
	'npm start → first page, first start (ms)': Math.round(first.ms),
	'npm start → first page, later start (ms)': Math.round(again.ms),
	'later / first start ratio': Number((again.ms / first.ms).toFixed(3)),
	'sign-in median, unknown email (ms)': Number(median(unknown).toFixed(1)),
	'sign-in median, wrong password (ms)': Number(median(wrong).toFixed(1)),
	'unknown / wrong-password time ratio': Number((median(unknown) / median(wrong)).toFixed(3))
};
console.log(`ServiceReady benchmarks (${DURATION_MS} ms per load run, ${CONCURRENCY} connections, page ${bytes.length} bytes)`);
for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(56)} ${v}`);

// Benchmarks (not tests): each prints figures measured in this one run, as ratios where a
// comparison makes sense. `npm run bench`.
//  1. Authenticated page requests per second against a bare Node HTTP server sending the same bytes.
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
 */
async function load(url, headers) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
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
const login = await request(`${base}/login`, {
	method: 'POST',
	headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
	body: 'email=technician%40example.com&password=demo-pass-2026'
});
const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
if (!cookie.startsWith('sr_session=')) throw new Error('Could not sign in for the benchmark');
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

// 1b. A lesson page (session, progress recorded as opened, the lesson rendered) against a bare
// node:http server in its own process sending the same bytes.
const LESSON = '/learn/courses/complaints/five-steps';
const lessonPage = await request(`${base}${LESSON}`, { headers });
if (lessonPage.status !== 200) throw new Error(`${LESSON} answered ${lessonPage.status}`);
const lessonFile = path.join(mkdtempSync(path.join(tmpdir(), 'serviceready-lesson-')), 'page.html');
writeFileSync(lessonFile, lessonPage.body);
const lessonBarePort = await freePort();
const bareScript = `const fs=require('fs');const b=fs.readFileSync(${JSON.stringify(lessonFile)});require('http').createServer((q,r)=>{r.writeHead(200,{'content-type':${JSON.stringify(String(lessonPage.headers['content-type']))},'content-length':b.length});r.end(b)}).listen(${lessonBarePort},'127.0.0.1',()=>console.log('ready'))`;
const lessonBare = spawn(process.execPath, ['-e', bareScript], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => lessonBare.stdout.once('data', resolve));
await load(`${base}${LESSON}`, headers); // warm-up
const lessonLoad = await load(`${base}${LESSON}`, headers);
const lessonBareLoad = await load(`http://127.0.0.1:${lessonBarePort}/`, {});
lessonBare.kill();
rmSync(path.dirname(lessonFile), { recursive: true, force: true });

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

const results = {
	'page requests/s, authenticated /learn (app)': Math.round(appLoad.perSecond),
	'page requests/s, same bytes (bare node:http)': Math.round(bareLoad.perSecond),
	'app / bare throughput ratio': Number((appLoad.perSecond / bareLoad.perSecond).toFixed(3)),
	'lesson page requests/s (app)': Math.round(lessonLoad.perSecond),
	'lesson page requests/s, same bytes (bare node:http, own process)': Math.round(lessonBareLoad.perSecond),
	'lesson page app / bare ratio': Number((lessonLoad.perSecond / lessonBareLoad.perSecond).toFixed(3)),
	'non-200 answers during load': appLoad.bad + bareLoad.bad + lessonLoad.bad + lessonBareLoad.bad,
	'npm start → first page, first start (ms)': Math.round(first.ms),
	'npm start → first page, later start (ms)': Math.round(again.ms),
	'later / first start ratio': Number((again.ms / first.ms).toFixed(3)),
	'sign-in median, unknown email (ms)': Number(median(unknown).toFixed(1)),
	'sign-in median, wrong password (ms)': Number(median(wrong).toFixed(1)),
	'unknown / wrong-password time ratio': Number((median(unknown) / median(wrong)).toFixed(3))
};
console.log(`ServiceReady benchmarks (${DURATION_MS} ms per load run, ${CONCURRENCY} connections, page ${bytes.length} bytes)`);
for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(48)} ${v}`);

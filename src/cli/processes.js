// Serving from several processes on one machine: `WEB_CONCURRENCY=N npm start` (or
// `node src/cli/processes.js <build>/index.js`) runs N app processes that share one port through
// Node's cluster module, so one server uses all its cores without a load balancer in front. Every
// process is stateless (sessions, limits, the queue and the audit live in PostgreSQL), so any of
// them serves any request; several processes need DATABASE_URL, since the embedded database opens
// in one process only.
import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MAX_PROCESSES = 64;

/** Idle connections are kept this long (seconds), as load balancers commonly expect (60 s + margin). */
export const KEEP_ALIVE_SECONDS = 65;

/**
 * The number of app processes asked for in WEB_CONCURRENCY (1 when unset), or an error message.
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ count: number } | { error: string }}
 */
export function processCount(env) {
	const raw = env.WEB_CONCURRENCY?.trim();
	if (!raw) return { count: 1 };
	if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PROCESSES) {
		return { error: `WEB_CONCURRENCY must be a whole number from 1 to ${MAX_PROCESSES} (app processes), not "${raw.slice(0, 40)}".` };
	}
	const count = Number(raw);
	if (count > 1 && !env.DATABASE_URL) {
		return { error: 'WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database can be opened by one process only.' };
	}
	return { count };
}

/**
 * The settings `npm start` gives the app when they are not set: the port, the public address, the
 * body limit, and how long an idle connection stays open (KEEP_ALIVE_TIMEOUT, seconds). Node's 5 s
 * would close a technician's connection during every pause to think, so that each answer saved
 * opens a new one (with several processes, each new connection also passes through the first
 * process, which hands it to an app process). Browsers keep idle connections far longer.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, string>} the values to set
 */
export function serverDefaults(env) {
	const port = env.PORT || '3000';
	/** @type {Record<string, string>} */
	const defaults = {
		PORT: port,
		// adapter-node assumes https when it does not know the public address; say it, so that
		// form posts pass the origin check and cookies are not marked Secure on plain http.
		ORIGIN: `http://localhost:${port}`,
		// Room for a whole form of long text; each field's own limit still applies with a clear message.
		BODY_SIZE_LIMIT: '2M',
		KEEP_ALIVE_TIMEOUT: String(KEEP_ALIVE_SECONDS)
	};
	return Object.fromEntries(Object.entries(defaults).filter(([name]) => !env[name]));
}

/** A process that dies this many times within RESTART_WINDOW_MS stops the whole server. */
const RESTARTS_ALLOWED = 5;
const RESTART_WINDOW_MS = 60_000;

/**
 * Runs `entry` (the built app's index.js) in `count` processes sharing its port. The first
 * process starts alone (it applies the migrations), the others once it listens. A process that
 * dies is started again, unless processes keep dying; SIGTERM and SIGINT stop every process
 * gracefully (adapter-node lets requests in flight finish), then this one.
 * @param {string} entry
 * @param {number} count
 */
export function serveInProcesses(entry, count) {
	cluster.setupPrimary({ exec: path.join(path.dirname(fileURLToPath(import.meta.url)), 'process-worker.js'), args: [entry] });
	/** @type {number[]} */
	const deaths = [];
	/** @type {Set<import('node:cluster').Worker>} */
	const live = new Set();
	let stopping = false;
	let exitCode = 0;
	/**
	 * The signal lets each process stop as it does alone (./process-worker.js). Whatever still
	 * runs after SHUTDOWN_TIMEOUT (adapter-node's, 30 s) and a margin is killed.
	 * @param {NodeJS.Signals} signal
	 */
	const stopAll = (signal) => {
		if (live.size === 0) process.exit(exitCode);
		for (const w of live) w.process.kill(signal);
		const grace = (Number(process.env.SHUTDOWN_TIMEOUT) || 30) * 1000 + 5000;
		setTimeout(() => {
			for (const w of live) w.process.kill('SIGKILL');
		}, grace).unref();
	};
	const fork = () => {
		const worker = cluster.fork();
		live.add(worker);
		return worker;
	};

	/** A new process, once it listens (or has stopped trying). @returns {Promise<void>} */
	const forkOne = () =>
		new Promise((resolve) => {
			const worker = fork();
			worker.once('listening', () => resolve());
			worker.once('exit', () => resolve());
		});

	cluster.on('exit', (worker, code, signal) => {
		live.delete(worker);
		if (stopping) {
			if (live.size === 0) process.exit(exitCode);
			return;
		}
		const now = Date.now();
		deaths.push(now);
		while (deaths.length && (deaths[0] ?? now) < now - RESTART_WINDOW_MS) deaths.shift();
		if (deaths.length > RESTARTS_ALLOWED) {
			console.error(`App processes stopped ${deaths.length} times within a minute (the last: ${signal ?? `exit code ${code}`}); stopping the server.`);
			stopping = true;
			exitCode = 1;
			stopAll('SIGTERM');
			return;
		}
		console.error(`App process ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another.`);
		fork();
	});

	/** @param {NodeJS.Signals} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		stopAll(signal);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));

	void (async () => {
		await forkOne();
		if (stopping) return;
		await Promise.all(Array.from({ length: count - 1 }, forkOne));
		console.log(`ServiceReady serving from ${count} processes (pids ${[...live].map((w) => w.process.pid).join(', ')}).`);
	})();
}

// `node src/cli/processes.js <build>/index.js`: the benchmarks start a given build this way.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	const entry = process.argv[2];
	const asked = processCount(process.env);
	if (!entry || 'error' in asked) {
		console.error(entry ? /** @type {{ error: string }} */ (asked).error : 'Usage: node src/cli/processes.js <build>/index.js (with WEB_CONCURRENCY and DATABASE_URL set)');
		process.exit(2);
	}
	serveInProcesses(path.resolve(entry), asked.count);
}

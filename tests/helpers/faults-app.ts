import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built app (adapter-node) run as a child process, the way it runs in production, so that
 * a test can kill it with SIGKILL and start it again on the same database.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the build is made from; `src/lib/paraglide` is generated from `src/lib/i18n` on every check, so its dates say nothing. */
const SOURCES = ['src', 'content', 'static', 'drizzle', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const GENERATED = [path.join(ROOT, 'src', 'lib', 'paraglide')];

function newest(p: string): number {
	if (!existsSync(p) || GENERATED.includes(p)) return 0;
	const stat = statSync(p);
	if (!stat.isDirectory()) return p.endsWith('.spec.ts') ? 0 : stat.mtimeMs;
	let max = stat.mtimeMs;
	for (const name of readdirSync(p)) max = Math.max(max, newest(path.join(p, name)));
	return max;
}

/** The environment of a child: this one without vitest's variables, in production mode. */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'TEST') env[k] = v;
	env.NODE_ENV = 'production';
	for (const [k, v] of Object.entries(extra)) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	return env;
}

/**
 * The server entry of the build in BUILD_DIR (default `build`, as for `npm run test:e2e`), built
 * first when it is missing or older than its sources — a test of an old build would prove nothing.
 */
export function ensureBuild(): string {
	const dir = path.resolve(ROOT, process.env.BUILD_DIR || 'build');
	const entry = path.join(dir, 'index.js');
	const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
	const sourcesAt = Math.max(...SOURCES.map((s) => newest(path.join(ROOT, s))));
	if (builtAt && builtAt >= sourcesAt) return entry;
	const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`The build failed:\n${result.stdout}\n${result.stderr}`);
	return entry;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface AppProcess {
	base: string;
	port: number;
	pid: number;
	/** Milliseconds from spawn until /health answered 200 (database opened, recovered and migrated). */
	readyMs: number;
	/** Everything the process wrote so far. */
	output(): string;
	alive(): boolean;
	/** SIGKILL: no shutdown hook runs, nothing is flushed. */
	kill9(): Promise<void>;
	/** SIGTERM and wait for a clean exit; resolves with the exit code (SIGKILL after `graceMs`). */
	stop(graceMs?: number): Promise<number | null>;
}

const children = new Set<ChildProcess>();
// A test run that ends early must not leave a server behind.
process.once('exit', () => killAllApps());

/** Kills every app this file started and has not stopped yet: for afterAll, whatever happened. */
export function killAllApps() {
	for (const child of children) child.kill('SIGKILL');
	children.clear();
}

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export interface StartOptions {
	entry: string;
	port: number;
	/** DATABASE_URL for PostgreSQL, else DATA_DIR for the embedded database. */
	databaseUrl?: string;
	dataDir?: string;
	timeoutMs?: number;
}

export async function startApp(options: StartOptions): Promise<AppProcess> {
	const base = `http://127.0.0.1:${options.port}`;
	const started = performance.now();
	const child = spawn(process.execPath, [options.entry], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: childEnv({
			PORT: String(options.port),
			HOST: '127.0.0.1',
			ORIGIN: base,
			BODY_SIZE_LIMIT: '2M',
			DEMO_DATA: '0',
			DATABASE_URL: options.databaseUrl,
			DATA_DIR: options.databaseUrl ? undefined : options.dataDir
		})
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	let log = '';
	child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
	child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
	const app: AppProcess = {
		base,
		port: options.port,
		pid: child.pid!,
		readyMs: 0,
		output: () => log,
		alive: () => child.exitCode === null && child.signalCode === null,
		async kill9() {
			child.kill('SIGKILL');
			await exited(child);
		},
		async stop(graceMs = 10_000) {
			if (!app.alive()) return child.exitCode;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			const code = await exited(child);
			clearTimeout(timer);
			return code;
		}
	};
	const deadline = started + (options.timeoutMs ?? 45_000);
	while (performance.now() < deadline) {
		if (!app.alive()) throw new Error(`The app exited while starting (code ${child.exitCode}, signal ${child.signalCode}):\n${log}`);
		const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) }).then(
			(r) => r.status === 200,
			() => false
		);
		if (ok) {
			app.readyMs = Math.round(performance.now() - started);
			return app;
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	await app.kill9();
	throw new Error(`The app did not answer /health within ${options.timeoutMs ?? 45_000} ms:\n${log}`);
}

import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort } from './faults-app';

/**
 * A throwaway PostgreSQL server of our own (initdb into a temporary folder, a free port), so that
 * a test can stop and start it — something it must never do to the machine's shared server.
 */
export interface PgCluster {
	port: number;
	/** Connection string of a database in this cluster. */
	url(database?: string): string;
	createDatabase(name: string): Promise<string>;
	dropDatabase(name: string): Promise<void>;
	/** `fast` is what a restart does (sessions terminated with 57P01); `immediate` is a crash. */
	stop(mode?: 'fast' | 'immediate'): Promise<void>;
	start(): Promise<void>;
	running(): boolean;
	/** The server's log so far. */
	log(): string;
	destroy(): void;
}

/** The folder holding initdb and pg_ctl: PG_BINDIR, else pg_config's, else the newest under /usr/lib/postgresql. */
function findBinDir(): string | null {
	const candidates: string[] = [];
	if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
	const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
	if (config.status === 0) candidates.push(config.stdout.trim());
	if (existsSync('/usr/lib/postgresql')) {
		const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
		candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
	}
	return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) ?? null;
}

/** PostgreSQL refuses to run as root: as root the server runs as the `postgres` user. */
function runAs(): { uid: number; gid: number } | null {
	if (process.getuid?.() !== 0) return null;
	const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
	if (uid.status !== 0 || gid.status !== 0) throw new Error('Running as root without a "postgres" user to run PostgreSQL as');
	return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** Why no private cluster can be made here, or null when one can. */
export function pgClusterUnavailable(): string | null {
	if (!findBinDir()) return 'no PostgreSQL server binaries (initdb, pg_ctl) found; set PG_BINDIR';
	try {
		runAs();
	} catch (e) {
		return (e as Error).message;
	}
	return null;
}

export async function createPgCluster(): Promise<PgCluster> {
	const bin = findBinDir();
	if (!bin) throw new Error('No PostgreSQL server binaries');
	const owner = runAs();
	const dir = mkdtempSync(path.join(tmpdir(), 'serviceready-faults-pg-'));
	if (owner) chownSync(dir, owner.uid, owner.gid);
	const data = path.join(dir, 'data');
	const port = await freePort();

	function command(tool: string, args: string[]): [string, string[]] {
		return owner ? ['runuser', ['-u', 'postgres', '--', path.join(bin!, tool), ...args]] : [path.join(bin!, tool), args];
	}
	/** Asynchronous, so that a test's requests keep flowing while the server stops or starts. */
	function run(tool: string, args: string[]): Promise<void> {
		const [file, argv] = command(tool, args);
		return new Promise((resolve, reject) =>
			execFile(file, argv, { timeout: 60_000 }, (e, stdout, stderr) => (e ? reject(new Error(`${tool} ${args.join(' ')} failed:\n${stdout}\n${stderr}`)) : resolve()))
		);
	}
	/** For process exit, when nothing asynchronous runs any more. */
	function runNow(tool: string, args: string[]) {
		const [file, argv] = command(tool, args);
		spawnSync(file, argv, { timeout: 30_000 });
	}

	await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
	// fsync off: the server is stopped and started, never the machine; its own crash recovery
	// (an immediate stop) still replays the WAL, which the operating system keeps.
	const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
	let up = false;
	const cluster: PgCluster = {
		port,
		url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
		async createDatabase(name) {
			const admin = postgres(cluster.url(), { max: 1, onnotice: () => {} });
			await admin.unsafe(`create database "${name}"`);
			await admin.end();
			return cluster.url(name);
		},
		async dropDatabase(name) {
			if (!up) return;
			const admin = postgres(cluster.url(), { max: 1, onnotice: () => {} });
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
			await admin.end();
		},
		async stop(mode = 'fast') {
			await run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
			up = false;
		},
		async start() {
			await run('pg_ctl', ['-D', data, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']);
			up = true;
		},
		running: () => up,
		log: () => (existsSync(path.join(dir, 'server.log')) ? readFileSync(path.join(dir, 'server.log'), 'utf8') : ''),
		destroy() {
			// Whatever state it is in (stopped already, or gone), the server stops and the folder goes.
			if (existsSync(path.join(data, 'postmaster.pid'))) runNow('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			up = false;
			rmSync(dir, { recursive: true, force: true });
		}
	};
	await cluster.start();
	// A test run that ends early must not leave a server behind.
	process.once('exit', () => cluster.destroy());
	return cluster;
}

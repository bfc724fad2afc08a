// The multi-process server (src/cli/processes.js) on a stand-in app: one port served by every
// process, a process that dies is replaced, and SIGTERM stops them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}

async function get(port: number, p = '/'): Promise<string | null> {
	try {
		const res = await fetch(`http://127.0.0.1:${port}${p}`);
		return await res.text();
	} catch {
		return null;
	}
}

async function until<T>(f: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await f();
		if (v) return v;
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 50));
	}
}

let server: ChildProcess | null = null;
afterEach(() => {
	if (server && server.exitCode === null) server.kill('SIGKILL');
	server = null;
});

function start(env: Record<string, string>) {
	const out: string[] = [];
	const child = spawn(process.execPath, [path.join(root, 'src/cli/processes.js'), path.join(root, 'tests/helpers/processes-entry.js')], {
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (c: Buffer) => out.push(c.toString()));
	child.stderr!.on('data', (c: Buffer) => out.push(c.toString()));
	return { child, out };
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));

describe('serving from several processes', () => {
	it('shares one port between the processes, replaces one that dies, and stops all on SIGTERM', async () => {
		const port = await freePort();
		const s = start({ PORT: String(port), WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://unused@127.0.0.1:1/none' });
		server = s.child;
		const pids = new Set<string>();
		await until(async () => {
			const pid = await get(port);
			if (pid) pids.add(pid);
			return pids.size === 2;
		});
		expect(s.out.join('')).toContain('serving from 2 processes');

		// One process exits: another takes its place, and the port keeps answering from two.
		await get(port, '/exit');
		await until(async () => s.out.join('').includes('stopped (exit code 3); starting another'));
		const after = new Set<string>();
		await until(async () => {
			const pid = await get(port);
			if (pid) after.add(pid);
			return after.size === 2 && [...after].some((p) => !pids.has(p));
		});

		s.child.kill('SIGTERM');
		expect(await exited(s.child)).toBe(0);
		expect(await get(port)).toBeNull();
	}, 60_000);

	it('refuses a bad WEB_CONCURRENCY, and several processes on the embedded database, before starting any', async () => {
		const port = await freePort();
		for (const env of [{ WEB_CONCURRENCY: 'many', DATABASE_URL: 'postgres://unused@127.0.0.1:1/none' }, { WEB_CONCURRENCY: '2' }] as Record<string, string>[]) {
			const s = start({ PORT: String(port), ...env });
			server = s.child;
			expect(await exited(s.child)).toBe(2);
			expect(s.out.join('')).toMatch(/WEB_CONCURRENCY/);
			expect(await get(port)).toBeNull();
		}
	}, 30_000);
});

// `npm start`: builds the app when the build is missing or older than its sources, then serves it.
// Defaults: port 3000, the embedded database under ./data (created, migrated and given demo data
// on first start). Set DATABASE_URL to use a PostgreSQL server instead, and WEB_CONCURRENCY to
// serve from that many processes (./processes.js).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processCount, serveInProcesses, serverDefaults } from './processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const SOURCES = ['src', 'content', 'static', 'drizzle', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const entry = path.join(root, 'build', 'index.js');

/**
 * Newest modification time under `p` (a file or a folder), skipping test specs.
 * @param {string} p
 * @returns {number}
 */
function newest(p) {
	if (!existsSync(p)) return 0;
	const stat = statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let max = stat.mtimeMs;
	for (const name of readdirSync(p)) {
		if (name.endsWith('.spec.ts')) continue;
		max = Math.max(max, newest(path.join(p, name)));
	}
	return max;
}

const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.map((s) => newest(path.join(root, s))));
if (!builtAt || sourcesAt > builtAt || process.argv.includes('--build')) {
	console.log(builtAt ? 'Sources changed since the last build: building…' : 'No build yet: building…');
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('The build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
}

Object.assign(process.env, serverDefaults(process.env));
const processes = processCount(process.env);
if ('error' in processes) {
	console.error(processes.error);
	process.exit(1);
}
if (processes.count > 1) serveInProcesses(entry, processes.count);
else await import(pathToFileURL(entry).href);

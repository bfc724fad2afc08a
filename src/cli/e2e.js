// `npm run test:e2e`: finds a Chromium, builds the app, then runs the Playwright suite against it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const { findChromium, NO_BROWSER_HELP } = await import('../../tests/e2e/browser.js');

const browser = findChromium();
if (!browser) {
	console.error(NO_BROWSER_HELP);
	process.exit(1);
}
console.log(`Browser tests use ${browser.source}.`);

/** @param {string[]} args */
function run(args) {
	const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

run([path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
run([path.join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)]);

import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './tests/e2e/browser.js';

/** A free port, picked once: workers inherit it through the environment. */
function freePort(): string {
	return execFileSync(process.execPath, [
		'-e',
		"const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
	]).toString();
}

process.env.E2E_PORT ??= freePort();
const port = process.env.E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;
const browser = findChromium();

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	outputDir: process.env.E2E_OUTPUT_DIR || 'test-results',
	fullyParallel: false,
	workers: 1,
	forbidOnly: Boolean(process.env.CI),
	retries: 0,
	// Whole journeys (sign in, a quiz of eight questions, the result) on a shared 2-core machine.
	timeout: 60_000,
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL,
		trace: 'retain-on-failure',
		launchOptions: { executablePath: browser?.path, args: CHROMIUM_ARGS }
	},
	projects: [
		{ name: 'setup', testMatch: 'auth.setup.ts' },
		{ name: 'chromium', dependencies: ['setup'], use: { browserName: 'chromium' } }
	],
	webServer: {
		command: `node ${process.env.BUILD_DIR || 'build'}/index.js`,
		url: `${baseURL}/health`,
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			PORT: port,
			HOST: '127.0.0.1',
			ORIGIN: baseURL,
			DATA_DIR: 'memory://',
			BODY_SIZE_LIMIT: '2M',
			// Every browser test signs in from 127.0.0.1: the refusals the tests provoke on purpose
			// must not add up to the per-address lock meant for one machine trying many accounts.
			LOGIN_FAILURES_PER_ADDRESS: '100000',
			// The webhook tests' receivers listen on 127.0.0.1: allowed as an operator would allow an internal range.
			WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
			// Request contexts keep connections open between steps that may be seconds apart: with
			// Node's 5-second default, a request sent as the server closes an idle socket is reset.
			KEEP_ALIVE_TIMEOUT: '30'
		}
	}
});

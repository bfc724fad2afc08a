import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

/**
 * Chromium, looked for in this order: CHROMIUM_PATH, Playwright's own installed browser, Debian's
 * /usr/bin/chromium. `path: undefined` means Playwright's own. Null when there is none.
 * @returns {{ path: string | undefined; source: string } | null}
 */
export function findChromium() {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) return existsSync(fromEnv) ? { path: fromEnv, source: `CHROMIUM_PATH (${fromEnv})` } : null;
	try {
		if (existsSync(chromium.executablePath())) return { path: undefined, source: "Playwright's own Chromium" };
	} catch {
		// No Playwright browser installed.
	}
	if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', source: '/usr/bin/chromium' };
	return null;
}

export const NO_BROWSER_HELP = `No Chromium found for the browser tests${
	process.env.CHROMIUM_PATH ? ` (CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist)` : ''
}. Any one of these works:
  - Debian/Ubuntu:  sudo apt-get install -y chromium        (then /usr/bin/chromium is used)
  - Playwright:     npx playwright install chromium         (needs access to Playwright's download host)
  - Elsewhere:      CHROMIUM_PATH=/path/to/chromium npm test`;

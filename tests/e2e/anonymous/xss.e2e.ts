import type { Browser, BrowserContext, Page, Response } from '@playwright/test';
import { expect, originHeaders, signedOutContext, storageFor, test, type Role } from '../fixtures';

/**
 * Script in every text people type that the product shows to others: names (set by an admin, and
 * by a technician herself), job types, job sites, override reasons, grant evidence, revocation
 * reasons, API token names and webhook addresses. Every page that shows them, in every role that
 * sees them, must show the text as text: nothing runs, no dialog opens, no element is injected.
 */

test.describe.configure({ mode: 'serial' });

const P = {
	script: '<script>window.__xss=1</script>',
	img: '<img src=x onerror="window.__xss=1">',
	svg: '"><svg onload=window.__xss=1>',
	template: '{{7*7}}',
	html: '{@html "<img src=x onerror=window.__xss=1>"}'
};
const ALL = Object.values(P).join(' ');
const run = Date.now().toString(36).slice(-5);

/** Named by the admin in the invitation. */
const T1_NAME = `Ivy ${run} ${P.script}${P.svg}`;
/** Chosen by the technician herself on her profile. */
const T2_NAME = `Jo ${run} ${P.img} ${P.template}`;
const TYPE_NAME = `${P.img} Filter ${run} ${P.template}`;
const SITE = `${P.svg} Site ${run} ${P.script} ${P.template}`;
const OVERRIDE = `Override ${run} ${ALL}`;
const EVIDENCE = `Evidence ${run} ${ALL}`;
const REASON = `Reason ${run} ${ALL}`;
const TOKEN_NAME = `${P.script}${P.template} ${run}`;
/** Accepted (an http address); the server keeps it as the URL parser normalises it. */
const HOOK_RAW = `http://127.0.0.1:9/hook-${run}?a="><svg onload=window.__xss=1>&b=<script>window.__xss=1</script>`;
const HOOK_SHOWN = new URL(HOOK_RAW).href;

/** The calendar day `days` from now in the organisation's zone (the demo's: Asia/Shanghai), where due dates are days. */
const inDays = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));

interface Facts {
	t1Email: string;
	t2Email: string;
	t1Id: string;
	t2Id: string;
	inviteLink: string;
	jobPath: string;
	typePath: string;
	verifyActive: string;
	verifyRevoked: string;
	hookPath: string;
	t1: BrowserContext;
	t2: BrowserContext;
}
const facts = {} as Facts;
const dialogs: string[] = [];
const contexts: BrowserContext[] = [];

/** Every context is watched: a dialog is recorded (and fails the test at the next check). */
function watch(context: BrowserContext, who: string): BrowserContext {
	context.on('dialog', (dialog) => {
		dialogs.push(`${who} on ${dialog.page()?.url()}: ${dialog.type()} "${dialog.message()}"`);
		void dialog.dismiss();
	});
	contexts.push(context);
	return context;
}

async function as(browser: Browser, role: Role): Promise<Page> {
	return (watch(await browser.newContext({ storageState: storageFor(role) }), role)).newPage();
}

test.afterAll(async () => {
	for (const c of contexts) await c.close();
});

/** Invites a South technician by the admin page, accepts, and returns her signed-in context. */
async function inviteTechnician(admin: Page, browser: Browser, email: string, name: string): Promise<{ context: BrowserContext; link: string; id: string }> {
	await admin.goto('/admin/users', { waitUntil: 'networkidle' });
	await admin.getByText('Invite a user').click();
	const invite = admin.locator('form[action="?/invite"]');
	await invite.getByLabel('Email').fill(email);
	await invite.getByLabel('Name').fill(name);
	await invite.getByLabel('Team').selectOption({ label: 'South service team' });
	await invite.getByRole('button', { name: 'Send invitation' }).click();
	const link = (await admin.getByTestId('invite-link').textContent())!.trim();
	await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
	const id = (await admin.locator('a[href^="/admin/users/"]').first().getAttribute('href'))!.split('/').pop()!;
	const context = watch(await signedOutContext(browser), email);
	const page = await context.newPage();
	await page.goto(link);
	await page.getByLabel('New password').fill('xss-test-pass-2026');
	await page.getByLabel('Repeat the password').fill('xss-test-pass-2026');
	await page.getByRole('button', { name: 'Set password and sign in' }).click();
	await expect(page).toHaveURL(/\/learn$/);
	await page.close();
	return { context, link, id };
}

test('people type script payloads into every text field the product shows', async ({ browser, baseURL }) => {
	test.setTimeout(120_000);
	const admin = await as(browser, 'admin');
	facts.t1Email = `xss.ivy.${run}@example.com`;
	facts.t2Email = `xss.jo.${run}@example.com`;

	// Names: one given by the admin, one chosen by the technician on her profile.
	const t1 = await inviteTechnician(admin, browser, facts.t1Email, T1_NAME);
	facts.t1 = t1.context;
	facts.t1Id = t1.id;
	facts.inviteLink = new URL(t1.link).pathname;
	const t2 = await inviteTechnician(admin, browser, facts.t2Email, `Jo ${run}`);
	facts.t2 = t2.context;
	facts.t2Id = t2.id;
	const self = await facts.t2.newPage();
	await self.goto('/profile');
	await self.getByLabel('Name').fill(T2_NAME);
	await self.getByRole('button', { name: 'Save profile' }).click();
	await expect(self.getByRole('banner')).toContainText(T2_NAME);
	await self.close();

	// A job type, and a job for it whose assignment needs an override (Ivy holds nothing it needs).
	const manager = await as(browser, 'manager');
	await manager.goto('/manager/job-types');
	const typeForm = manager.locator('form[action="?/create"]');
	await typeForm.locator('input[name="name"]').fill(TYPE_NAME);
	await typeForm.locator('select[name="productLine"]').selectOption('water-purifier');
	await typeForm.locator('select[name="level.ro-purifier-service"]').selectOption('1');
	await typeForm.getByRole('button', { name: 'Create job type' }).click();
	await expect(manager.getByRole('status')).toContainText('Job type created.');
	facts.typePath = new URL(manager.url()).pathname;
	expect(facts.typePath).toMatch(/^\/manager\/job-types\/[0-9a-f-]{36}$/);

	await manager.goto('/manager/jobs');
	const jobForm = manager.locator('form[action="?/create"]');
	await jobForm.locator('select[name="jobTypeId"]').selectOption({ label: TYPE_NAME });
	await jobForm.locator('select[name="teamId"]').selectOption({ label: 'South service team' });
	await jobForm.locator('input[name="siteLabel"]').fill(SITE);
	await jobForm.locator('input[name="scheduledAt"]').fill(`${inDays(2)}T10:00`);
	await jobForm.locator('input[name="durationMinutes"]').fill('45');
	await jobForm.getByRole('button', { name: 'Create job' }).click();
	await expect(manager).toHaveURL(/\/manager\/jobs\/[0-9a-f-]{36}$/);
	facts.jobPath = new URL(manager.url()).pathname;
	const ivy = manager.locator('table tbody tr').filter({ hasText: T1_NAME });
	await ivy.getByRole('button').click();
	const refused = manager.getByRole('region', { name: /is not eligible for this job/ });
	await refused.locator('textarea[name="overrideReason"]').fill(OVERRIDE);
	await refused.getByRole('button', { name: 'Assign anyway' }).click();
	await expect(manager.getByRole('status')).toContainText('Assigned with an override');

	// A trainer grants two certifications with evidence, and revokes one with a reason.
	const trainer = await as(browser, 'trainer');
	await trainer.goto(`/trainer/certifications/${facts.t1Id}`);
	for (const [certification, evidence] of [
		['complaint-handling', EVIDENCE],
		['customer-care', `${EVIDENCE} (care)`]
	] as const) {
		const grant = trainer.locator('form[action="?/grant"]');
		await grant.getByLabel('Certification').selectOption(certification);
		await grant.getByLabel('Level').selectOption('1');
		await grant.getByLabel(/^Evidence/).fill(evidence);
		await grant.getByRole('button', { name: 'Grant' }).click();
		await expect(trainer.locator('.alert.ok')).toContainText('granted to');
	}
	const care = trainer.locator('section[data-certification="customer-care"] li.cycle');
	facts.verifyRevoked = (await care.getByRole('link', { name: 'Public page' }).getAttribute('href'))!;
	facts.verifyActive = (await trainer.locator('section[data-certification="complaint-handling"] li.cycle').getByRole('link', { name: 'Public page' }).getAttribute('href'))!;
	await care.locator('form[action="?/revoke"]').getByLabel('Reason for revoking').fill(REASON);
	await care.locator('form[action="?/revoke"]').getByRole('checkbox').check();
	await care.locator('form[action="?/revoke"]').getByRole('button', { name: 'Revoke' }).click();
	await expect(care).toHaveAttribute('data-status', 'revoked');

	// A course due in two days: the reminder e-mail (in the outbox) greets Ivy by name.
	const assigned = await trainer.request.post('/trainer/assignments?/assign', {
		form: { course: 'complaints', due: inDays(2), teamId: '', userIds: facts.t1Id },
		headers: originHeaders(baseURL)
	});
	expect(assigned.status()).toBe(200);

	// An API token's name.
	await admin.goto('/admin/tokens');
	const tokenForm = admin.locator('form[action="?/create"]');
	await tokenForm.getByLabel('Name').fill(TOKEN_NAME);
	await tokenForm.getByRole('button', { name: 'Create token' }).click();
	await expect(admin.getByTestId('new-token')).toHaveText(/^sr_/);

	// Webhook addresses: a javascript: URL is refused beside the field; an http address carrying
	// markup in its query is kept, normalised, and only ever shown as text.
	await admin.goto('/admin/webhooks');
	const rows = await admin.getByRole('row').count();
	const hookForm = admin.locator('form[action="?/create"]');
	await hookForm.getByLabel('Receiver address (URL)').fill('javascript:window.__xss=1');
	await hookForm.getByRole('button', { name: 'Add webhook' }).click();
	await expect(admin.locator('#url-error')).toHaveText('Enter an http:// or https:// address with a host name.');
	const refusedHook = await admin.request.post('/admin/webhooks?/create', { form: { url: 'javascript:window.__xss=1', events: 'certification.revoked' }, headers: originHeaders(baseURL) });
	expect(refusedHook.status()).toBe(400);
	await admin.goto('/admin/webhooks');
	expect(await admin.getByRole('row').count()).toBe(rows);
	// Only one event, and none happens while it exists: nothing is sent to the address.
	for (const box of await hookForm.getByRole('checkbox').all()) await box.setChecked((await box.getAttribute('value')) === 'certification.revoked');
	await hookForm.getByLabel('Receiver address (URL)').fill(HOOK_RAW);
	await hookForm.getByRole('button', { name: 'Add webhook' }).click();
	await expect(admin.getByTestId('webhook-secret')).toBeVisible();
	await admin.goto('/admin/webhooks');
	facts.hookPath = (await admin.getByRole('link', { name: HOOK_SHOWN }).getAttribute('href'))!;

	// The reminder scan, run now rather than in five minutes.
	await admin.goto('/admin/outbox');
	await admin.getByRole('button', { name: 'Check for due reminders now' }).click();
	await expect(admin.getByRole('status')).toContainText('Checking for due reminders');
	await expect
		.poll(async () => (await (await admin.request.get('/admin/outbox?kind=course_due')).text()).includes(facts.t1Email), { timeout: 15_000 })
		.toBe(true);
	expect(dialogs).toEqual([]);
});

interface Visit {
	path: () => string;
	/** Texts that must be on the page as text (visible once any <details> is opened). */
	shows: string[];
	/** Form fields that must hold a text as their value. */
	values?: Array<[selector: string, value: string]>;
}

async function checkInert(page: Page, where: string, response: Response | null) {
	await page.waitForLoadState('networkidle');
	expect(response?.status(), where).toBe(200);
	expect(response?.headers()['x-content-type-options'], where).toBe('nosniff');
	expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `${where}: a payload ran`).toBeUndefined();
	const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length);
	expect(injected, `${where}: an element came from a payload`).toBe(0);
	expect(dialogs, where).toEqual([]);
}

async function visit(page: Page, who: string, v: Visit) {
	const path = v.path();
	const where = `${who} ${path}`;
	const response = await page.goto(path);
	await checkInert(page, where, response);
	await page.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
	for (const text of v.shows) await expect(page.getByText(text, { exact: false }).filter({ visible: true }).first(), `${where} shows ${text}`).toBeVisible();
	for (const [selector, value] of v.values ?? []) await expect(page.locator(selector).first(), where).toHaveValue(value);
	// `{{7*7}}` stays a template's text, never its result.
	if (v.shows.some((t) => t.includes(P.template))) expect(await page.locator('body').innerText(), where).toContain(P.template);
}

test('every page that shows those texts shows them as text, and nothing runs', async ({ browser }) => {
	test.setTimeout(120_000);
	const visits: Array<[who: string, page: () => Promise<Page>, Visit[]]> = [
		[
			'manager',
			() => as(browser, 'manager'),
			[
				{ path: () => '/manager/jobs', shows: [SITE, TYPE_NAME, T1_NAME] },
				{ path: () => facts.jobPath, shows: [SITE, TYPE_NAME, T1_NAME, OVERRIDE] },
				{ path: () => '/manager/job-types', shows: [TYPE_NAME] },
				{ path: () => facts.typePath, shows: [TYPE_NAME], values: [['input[name="name"]', TYPE_NAME]] },
				{ path: () => '/manager/matrix', shows: [T1_NAME, T2_NAME] },
				{ path: () => '/manager', shows: [T1_NAME, T2_NAME] }
			]
		],
		[
			'admin',
			() => as(browser, 'admin'),
			[
				{ path: () => '/admin/users', shows: [T1_NAME, T2_NAME] },
				{ path: () => `/admin/users/${facts.t1Id}`, shows: [T1_NAME] },
				{ path: () => `/admin/users/${facts.t2Id}`, shows: [T2_NAME] },
				{ path: () => '/admin/audit', shows: [T1_NAME, OVERRIDE, REASON] },
				{ path: () => '/admin/tokens', shows: [TOKEN_NAME] },
				{ path: () => '/admin/webhooks', shows: [HOOK_SHOWN] },
				{ path: () => facts.hookPath, shows: [HOOK_SHOWN] },
				{ path: () => '/admin/outbox?kind=course_due', shows: [`Hello ${T1_NAME}`] }
			]
		],
		[
			'trainer',
			() => as(browser, 'trainer'),
			[
				{ path: () => `/trainer/certifications?q=${encodeURIComponent(facts.t1Email)}`, shows: [T1_NAME] },
				{ path: () => `/trainer/certifications/${facts.t1Id}`, shows: [T1_NAME, EVIDENCE, `${EVIDENCE} (care)`, REASON] },
				{ path: () => '/trainer/assignments/complaints', shows: [T1_NAME] }
			]
		],
		[
			'technician Ivy',
			() => facts.t1.newPage(),
			[
				{ path: () => '/learn/certifications', shows: [T1_NAME] },
				{ path: () => '/learn', shows: [T1_NAME] },
				{ path: () => '/profile', shows: [T1_NAME], values: [['input[name="displayName"]', T1_NAME]] }
			]
		],
		[
			'technician Jo',
			() => facts.t2.newPage(),
			[
				{ path: () => '/profile', shows: [T2_NAME], values: [['input[name="displayName"]', T2_NAME]] },
				{ path: () => '/learn', shows: [T2_NAME, T1_NAME] }
			]
		],
		[
			'anonymous',
			async () => (watch(await signedOutContext(browser), 'anonymous')).newPage(),
			[
				{ path: () => facts.verifyActive, shows: [T1_NAME] },
				{ path: () => facts.verifyRevoked, shows: [T1_NAME] }
			]
		]
	];
	for (const [who, open, pages] of visits) {
		const page = await open();
		for (const v of pages) await visit(page, who, v);
		await page.close();
	}
	// The revocation reason is the trainer's note: the public page does not show it.
	const pub = await (watch(await signedOutContext(browser), 'anonymous')).newPage();
	await pub.goto(facts.verifyRevoked);
	await expect(pub.locator('main')).not.toContainText(`Reason ${run}`);
	await pub.close();
});

test('client-side navigation renders the texts as text too', async ({ browser }) => {
	const page = await as(browser, 'manager');
	await checkInert(page, 'manager /manager/jobs', await page.goto('/manager/jobs'));
	await page.locator('tbody tr').filter({ hasText: SITE }).getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`${facts.jobPath}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${TYPE_NAME} · ${SITE}`);
	await expect(page.getByText(OVERRIDE).first()).toBeVisible();
	const nav = page.getByRole('navigation', { name: 'Main' });
	await nav.getByRole('link', { name: 'Job types' }).click();
	await expect(page.getByText(TYPE_NAME).first()).toBeVisible();
	await nav.getByRole('link', { name: 'Matrix' }).click();
	await expect(page.getByRole('rowheader', { name: T1_NAME })).toBeVisible();
	await page.waitForLoadState('networkidle');
	expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
	expect(await page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length)).toBe(0);
	expect(dialogs).toEqual([]);
});

test('the invitation page and the CSV export carry the names as plain text', async ({ browser, request }) => {
	// The one-time link was used: the page now says so, without the name.
	const anonymous = await (watch(await signedOutContext(browser), 'anonymous')).newPage();
	await checkInert(anonymous, `anonymous ${facts.inviteLink}`, await anonymous.goto(facts.inviteLink));
	await anonymous.close();

	const manager = await as(browser, 'manager');
	const csv = await manager.request.get('/manager/matrix/export.csv');
	expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect(csv.headers()['content-disposition']).toMatch(/^attachment;/);
	expect(csv.headers()['x-content-type-options']).toBe('nosniff');
	const text = (await csv.text()).replace(/^\uFEFF/, '');
	// Both names hold a quote: the field is quoted and the quote doubled (RFC 4180).
	const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
	expect(text).toContain(`${quoted(T1_NAME)},${facts.t1Email},South service team,`);
	expect(text).toContain(`${quoted(T2_NAME)},${facts.t2Email},South service team,`);
	const page = await request.get('/login');
	expect(page.headers()['x-content-type-options']).toBe('nosniff');
	// Escaping is the first defence, and the pages above show it holds. The second: the
	// Content-Security-Policy (kit.csp in svelte.config.js) runs only this site's scripts and the
	// inline ones SvelteKit wrote, by hash; tests/e2e/every-page.e2e.ts opens every page under it.
	const scriptSrc = /(?:^|;\s*)script-src ([^;]*)/.exec(page.headers()['content-security-policy'] ?? '')?.[1]?.trim().split(/\s+/);
	expect(scriptSrc?.[0], 'a script-src in the Content-Security-Policy').toBe("'self'");
	for (const source of scriptSrc!.slice(1)) expect(source, 'script-src: only hashes besides the site itself').toMatch(/^'sha256-[A-Za-z0-9+/]+={0,2}'$/);
});

test.afterAll(async ({ browser }) => {
	// The receiver address of the test webhook is not a real one: remove it.
	if (!facts.hookPath) return;
	const context = await browser.newContext({ storageState: storageFor('admin') });
	const admin = await context.newPage();
	await admin.goto(facts.hookPath);
	await admin.getByText('Delete…').click();
	await admin.getByRole('button', { name: 'Delete this webhook and its delivery log' }).click();
	await expect(admin).toHaveURL(/\/admin\/webhooks\?deleted=1$/);
	await context.close();
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect, storageFor, test } from '../fixtures';
import { verifySignature } from '../../../src/lib/server/notify/signature';

test.use({ as: 'admin' });

/** The dispatch system's side: a real HTTP receiver on this machine. */
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let receiver: Server;
let receiverUrl: string;

test.beforeAll(async () => {
	receiver = createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (body += chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
		});
	});
	receiver.listen(0, '127.0.0.1');
	await once(receiver, 'listening');
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/serviceready/events`;
});
test.afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

test('an admin adds a webhook, sees its secret once, and a test event arrives signed and is logged delivered', async ({ page }) => {
	await page.goto('/admin');
	await page.getByRole('link', { name: /^Webhooks/ }).click();
	await expect(page).toHaveURL(/\/admin\/webhooks$/);

	const form = page.locator('form[action="?/create"]');
	await form.getByLabel('Receiver address (URL)').fill(receiverUrl);
	await form.getByRole('checkbox', { name: /Certification revoked/ }).uncheck();
	await form.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.getByRole('status')).toContainText('Copy its signing secret now: it is shown only this once.');
	const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
	expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
	const row = page.getByRole('row').filter({ hasText: receiverUrl });
	await expect(row).toContainText('active');
	await expect(row).toContainText('Certification granted or renewed');
	await expect(row).not.toContainText('Certification revoked');

	// Shown once: the list and the webhook's own page never show it again.
	await page.goto('/admin/webhooks');
	await expect(page.getByText(secret)).toHaveCount(0);
	await page.getByRole('link', { name: receiverUrl }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(receiverUrl);
	await expect(page.getByText(secret)).toHaveCount(0);

	await page.getByRole('button', { name: 'Send a test event' }).click();
	await expect(page.getByRole('status')).toContainText('Test event queued');
	await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
	const [request] = received;
	expect(request!.headers['content-type']).toBe('application/json');
	expect(request!.headers['x-serviceready-event']).toBe('webhook.test');
	const signature = request!.headers['x-serviceready-signature'] as string;
	expect(verifySignature(secret, signature, request!.body)).toMatchObject({ ok: true });
	expect(verifySignature('whsec_not-the-secret', signature, request!.body)).toEqual({ ok: false, reason: 'mismatch' });
	expect(JSON.parse(request!.body)).toMatchObject({ type: 'webhook.test' });

	const log = page.getByTestId('delivery-log');
	await expect
		.poll(
			async () => {
				await page.reload();
				return log.getByRole('row').filter({ hasText: 'Test event' }).textContent();
			},
			{ timeout: 10_000 }
		)
		.toContain('delivered');
	const delivered = log.getByRole('row').filter({ hasText: 'Test event' });
	await expect(delivered).toContainText(request!.headers['x-serviceready-delivery'] as string);
	await expect(delivered).toContainText('HTTP 200');

	// Deactivated: no test events; then the audit log has the whole story, without the secret.
	await page.getByRole('button', { name: 'Deactivate' }).click();
	await expect(page.getByRole('status')).toContainText('Webhook deactivated');
	await expect(page.getByRole('button', { name: 'Send a test event' })).toHaveCount(0);
	await page.getByText('Delete…').click();
	await page.getByRole('button', { name: 'Delete this webhook and its delivery log' }).click();
	await expect(page).toHaveURL(/\/admin\/webhooks\?deleted=1$/);
	await expect(page.getByRole('status')).toHaveText('Webhook deleted.');
	await expect(page.getByRole('row').filter({ hasText: receiverUrl })).toHaveCount(0);
	await page.goto('/admin/audit');
	for (const action of ['webhook.created', 'webhook.changed', 'webhook.deleted']) await expect(page.getByRole('row').filter({ hasText: action }).first()).toBeVisible();
	await expect(page.getByText(secret.slice(6))).toHaveCount(0);
});

test('a bad address is refused beside the field and nothing is added', async ({ page, browser }) => {
	await page.goto('/admin/webhooks');
	const rows = await page.getByRole('row').count();
	const form = page.locator('form[action="?/create"]');
	await form.getByLabel('Receiver address (URL)').fill('ftp://dispatch.example.com/in');
	await form.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.locator('#url-error')).toHaveText('Enter an http:// or https:// address with a host name.');
	await expect(form.getByLabel('Receiver address (URL)')).toHaveValue('ftp://dispatch.example.com/in');
	await expect(page.getByTestId('webhook-secret')).toHaveCount(0);

	await form.getByLabel('Receiver address (URL)').fill('https://dispatch.example.com/in');
	for (const box of await form.getByRole('checkbox').all()) await box.uncheck();
	await form.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.locator('#events-error')).toHaveText('Choose at least one event.');

	// Without JavaScript the refusal is a 400 page with the same message, the address kept.
	const context = await browser.newContext({ javaScriptEnabled: false, storageState: storageFor('admin') });
	const plain = await context.newPage();
	await plain.goto('/admin/webhooks');
	const plainForm = plain.locator('form[action="?/create"]');
	await plainForm.getByLabel('Receiver address (URL)').fill('https://user:secret@dispatch.example.com/in');
	const [response] = await Promise.all([plain.waitForResponse((r) => r.request().method() === 'POST'), plainForm.getByRole('button', { name: 'Add webhook' }).click()]);
	expect(response.status()).toBe(400);
	await expect(plain.locator('#url-error')).toHaveText('Leave the user name and password out of the address.');
	await context.close();

	await page.goto('/admin/webhooks');
	expect(await page.getByRole('row').count()).toBe(rows);
});

test('an internal receiver address is refused with the address policy named; the page explains the policy and the signature tolerance', async ({ page }) => {
	await page.goto('/admin/webhooks');
	await expect(page.getByTestId('webhook-signature-help')).toContainText('more than 300 seconds away');
	await expect(page.getByTestId('webhook-policy-help')).toContainText('WEBHOOK_ALLOWED_NETWORKS');
	const rows = await page.getByRole('row').count();
	const form = page.locator('form[action="?/create"]');
	// This server allows 127.0.0.1/32 for the test receivers (playwright.config.ts); 2130706434 is
	// 127.0.0.2, the decimal spelling of another loopback address. Nothing is ever sent to these.
	const cases: Array<[string, string]> = [
		['http://2130706434:22/', 'loopback 127.0.0.0/8'],
		['http://[::1]/', 'loopback ::1/128'],
		// localhost is 127.0.0.1 and ::1: allowing the first is not enough.
		['http://localhost:22/', 'loopback ::1/128']
	];
	for (const [address, range] of cases) {
		await form.getByLabel('Receiver address (URL)').fill(address);
		await form.getByRole('button', { name: 'Add webhook' }).click();
		const message = `This address is in an internal network (${range}); webhooks may not deliver to internal networks. An operator can allow a range with WEBHOOK_ALLOWED_NETWORKS.`;
		await expect(page.locator('#url-error')).toHaveText(message);
		await expect(form.getByLabel('Receiver address (URL)')).toHaveValue(address);
		await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
	}
	await page.goto('/admin/webhooks');
	expect(await page.getByRole('row').count()).toBe(rows);
});

test('the outbox lists the reminders written for technicians whose renewal window is open', async ({ page }) => {
	await page.goto('/admin');
	await page.getByRole('link', { name: /^Outbox/ }).click();
	await expect(page).toHaveURL(/\/admin\/outbox$/);
	// The scan runs at start; asking for another run is harmless (each notice goes out once).
	await page.getByRole('button', { name: 'Check for due reminders now' }).click();
	await expect(page.getByRole('status')).toContainText('Checking for due reminders');
	const outbox = page.getByTestId('outbox');
	await expect
		.poll(
			async () => {
				await page.goto('/admin/outbox?kind=renewal_open');
				return outbox.getByRole('row').filter({ hasText: 'Renewal window opened' }).count();
			},
			{ timeout: 15_000 }
		)
		.toBeGreaterThan(0);
	const reminder = outbox.getByRole('row').filter({ hasText: 'Renewal window opened' }).filter({ hasNotText: 'manager@example.com' }).first();
	await expect(reminder).toContainText(/Renewal window open:|续证窗口已开启：/);
	await expect(reminder).toContainText('not sent (no SMTP)');
	await reminder.getByText('Show message').click();
	await expect(reminder.locator('pre')).toContainText('/learn/certifications');
	// Only that kind is listed; a kind that does not exist is refused.
	await expect(outbox.getByRole('row').filter({ hasText: 'Course due' })).toHaveCount(0);
	const bad = await page.goto('/admin/outbox?kind=nonsense');
	expect(bad!.status()).toBe(400);
});

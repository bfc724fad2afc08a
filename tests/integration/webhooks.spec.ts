import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import { Socket, type AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { auditEvent, quizAttempt, user, userRole, webhook, webhookDelivery } from '../../src/lib/server/db/schema';
import { evaluateCertifications } from '../../src/lib/server/certification/queries';
import type { CertificationDefinition } from '../../src/lib/server/certification/types';
import { createWebhook, deleteWebhook, deliveriesOf, listWebhooks, sendTestEvent, setWebhookActive } from '../../src/lib/server/notify/webhooks';
import { deliverDue, type Resolver } from '../../src/lib/server/notify/deliver';
import { notifyConfig } from '../../src/lib/server/notify/jobs';
import { NO_ALLOWANCE, parseAllowedNetworks } from '../../src/lib/server/notify/address-policy';
import { verifySignature } from '../../src/lib/server/notify/signature';
import { WEBHOOK_BACKOFF } from '../../src/lib/server/notify/backoff';
import { refusal } from '../helpers/errors';

interface Received {
	method: string;
	headers: IncomingHttpHeaders;
	body: string;
}

/** A real HTTP receiver on 127.0.0.1: answers each request with the status `answer` gives (or never). */
async function startReceiver(answer: (n: number) => number | 'never' = () => 200) {
	const requests: Received[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			requests.push({ method: req.method!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			const status = answer(requests.length);
			if (status === 'never') return;
			res.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {});
			res.end('thanks');
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/hooks/serviceready`,
		requests,
		close: () => {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/** A port nothing listens on. */
async function deadUrl() {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const port = (server.address() as AddressInfo).port;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}/gone`;
}

const noJitter = () => 0;
let t: TestDb;
let tech: string;
let admin: string;
const receivers: Array<{ close(): Promise<void> }> = [];

/*
 * The receivers below listen on 127.0.0.1: this file runs as an operator who allows that one
 * address with WEBHOOK_ALLOWED_NETWORKS. Tests send traffic to 127.0.0.1 only; other addresses
 * appear as text, or come from a test resolver and are refused before any connection.
 */
beforeAll(async () => {
	vi.stubEnv('WEBHOOK_ALLOWED_NETWORKS', '127.0.0.1/32');
	t = await freshDb();
	const [a, b] = await t.db
		.insert(user)
		.values([
			{ email: 'hook.tech@example.com', displayName: 'Hook Tech' },
			{ email: 'hook.admin@example.com', displayName: 'Hook Admin' }
		])
		.returning({ id: user.id });
	tech = a!.id;
	admin = b!.id;
	await t.db.insert(userRole).values([
		{ userId: tech, role: 'technician' },
		{ userId: admin, role: 'admin' }
	]);
});
afterAll(async () => {
	vi.unstubAllEnvs();
	for (const r of receivers) await r.close();
	await t.dispose();
});

describe('webhooks administration', () => {
	it('refuses a bad address or no events, naming the field, and adds nothing', async () => {
		// The store's first publish is audited too: nothing is added to what was there.
		const audited = await t.db.$count(auditEvent);
		expect((await refusal(createWebhook(t.db, { url: 'ftp://example.com/x', events: ['certification.granted'] }, admin))).field).toBe('url');
		expect((await refusal(createWebhook(t.db, { url: 'not a url', events: ['certification.granted'] }, admin))).field).toBe('url');
		expect((await refusal(createWebhook(t.db, { url: 'https://u:p@example.com/', events: ['certification.granted'] }, admin))).field).toBe('url');
		expect((await refusal(createWebhook(t.db, { url: 'https://example.com/', events: [] }, admin))).field).toBe('events');
		expect((await refusal(createWebhook(t.db, { url: 'https://example.com/', events: ['certification.exploded'] }, admin))).field).toBe('events');
		expect(await t.db.$count(webhook)).toBe(0);
		expect(await t.db.$count(auditEvent)).toBe(audited);
	});

	it('adds one with a fresh secret shown once, audited without the secret', async () => {
		const one = await createWebhook(t.db, { url: ' https://dispatch.example.com/in#x ', events: ['certification.expired', 'certification.granted', 'certification.granted'] }, admin);
		const two = await createWebhook(t.db, { url: 'https://dispatch.example.com/in', events: ['certification.revoked'] }, admin);
		expect(one.url).toBe('https://dispatch.example.com/in');
		expect(one.events).toEqual(['certification.granted', 'certification.expired']);
		expect(one.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
		expect(two.secret).not.toBe(one.secret);
		const audit = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, one.id));
		expect(audit).toMatchObject([{ action: 'webhook.created', actorId: admin, subjectType: 'webhook', detail: { url: one.url, events: one.events } }]);
		expect(JSON.stringify(await t.db.select().from(auditEvent))).not.toContain(one.secret.slice(6));
		const listed = await listWebhooks(t.db);
		expect(listed.map((w) => w.id)).toEqual([one.id, two.id]);
		expect(listed[0]).toMatchObject({ active: true, pending: 0, delivered: 0, failed: 0 });
		expect(JSON.stringify(listed)).not.toContain(one.secret);
	});

	it('deactivates, reactivates and deletes, auditing each change', async () => {
		const hook = await createWebhook(t.db, { url: 'https://example.com/toggle', events: ['certification.granted'] }, admin);
		await setWebhookActive(t.db, hook.id, false, admin);
		await setWebhookActive(t.db, hook.id, false, admin);
		expect((await refusal(sendTestEvent(t.db, hook.id))).status).toBe(409);
		await setWebhookActive(t.db, hook.id, true, admin);
		await sendTestEvent(t.db, hook.id);
		await deleteWebhook(t.db, hook.id, admin);
		expect((await refusal(deleteWebhook(t.db, hook.id, admin))).status).toBe(404);
		expect((await refusal(setWebhookActive(t.db, hook.id, true, admin))).status).toBe(404);
		expect(await t.db.$count(webhookDelivery, eq(webhookDelivery.webhookId, hook.id))).toBe(0);
		const audit = await t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, hook.id)).orderBy(asc(auditEvent.id));
		expect(audit.map((a) => [a.action, a.detail.active])).toEqual([
			['webhook.created', undefined],
			['webhook.changed', false],
			['webhook.changed', true],
			['webhook.deleted', undefined]
		]);
		// Leave only the delivering webhooks below.
		for (const w of await listWebhooks(t.db)) await deleteWebhook(t.db, w.id, admin);
	});
});

describe('delivery', () => {
	it('a certification granted is delivered, signed so that the receiver verifies it with the secret', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const hook = await createWebhook(t.db, { url: receiver.url, events: ['certification.granted'] }, admin);
		const ignored = await createWebhook(t.db, { url: receiver.url, events: ['certification.revoked'] }, admin);

		// The technician passed the exam a definition asks for: the automatic grant publishes the event.
		const now = new Date('2026-04-01T10:00:00Z');
		await t.db.insert(quizAttempt).values({
			userId: tech,
			courseSlug: 'complaints',
			quizId: 'final-exam',
			number: 1,
			locale: 'en',
			kind: 'exam',
			passMark: 80,
			review: 'score',
			shuffleOptions: false,
			seed: 's',
			title: { en: 'Final exam' },
			questions: [],
			submittedAt: new Date('2026-03-31T10:00:00Z'),
			percent: 95,
			passed: true
		});
		const def: CertificationDefinition = {
			id: 'hook-cert',
			title: { en: 'Hook certification' },
			levels: 1,
			validityDays: 365,
			renewalWindowDays: 30,
			requirements: [[{ kind: 'quiz', course: 'complaints', quiz: 'final-exam', minScore: 80 }]],
			renewal: [{ kind: 'quiz', course: 'complaints', quiz: 'final-exam', minScore: 80 }]
		};
		expect(await evaluateCertifications(t.db, tech, [def], now)).toEqual([{ certificationId: 'hook-cert', action: 'grant', level: 1 }]);
		const [pending] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.webhookId, hook.id));
		expect(pending).toMatchObject({ status: 'pending', attempts: 0, event: 'certification.granted' });
		expect(await t.db.$count(webhookDelivery, eq(webhookDelivery.webhookId, ignored.id))).toBe(0);

		const report = await deliverDue(t.db, { now });
		expect(report).toEqual({ delivered: 1, retrying: 0, failed: 0, next: null });
		expect(receiver.requests).toHaveLength(1);
		const [request] = receiver.requests;
		expect(request!.method).toBe('POST');
		expect(request!.headers['content-type']).toBe('application/json');
		expect(request!.headers['x-serviceready-event']).toBe('certification.granted');
		expect(request!.headers['x-serviceready-delivery']).toBe(pending!.id);
		const timestamp = Number(request!.headers['x-serviceready-timestamp']);
		expect(timestamp).toBe(now.getTime() / 1000);
		expect(request!.headers['x-serviceready-signature']).toMatch(new RegExp(`^t=${timestamp},v1=[0-9a-f]{64}$`));
		// The receiver's check: the raw body, the secret shown at creation, its own clock.
		expect(verifySignature(hook.secret, request!.headers['x-serviceready-signature'] as string, request!.body, { now: timestamp + 5 })).toEqual({ ok: true, timestamp });
		expect(verifySignature(ignored.secret, request!.headers['x-serviceready-signature'] as string, request!.body, { now: timestamp }).ok).toBe(false);
		const envelope = JSON.parse(request!.body);
		expect(envelope).toMatchObject({ type: 'certification.granted', occurredAt: now.toISOString(), data: { technicianId: tech, certificationId: 'hook-cert', level: 1, action: 'grant' } });

		const [done] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, pending!.id));
		expect(done).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null, deliveredAt: now });
		expect(await deliverDue(t.db, { now })).toEqual({ delivered: 0, retrying: 0, failed: 0, next: null });
		expect(receiver.requests).toHaveLength(1);
		await deleteWebhook(t.db, hook.id, admin);
		await deleteWebhook(t.db, ignored.id, admin);
	});

	it('a receiver answering 500 first is retried after the backoff and then delivered, attempts recorded', async () => {
		const receiver = await startReceiver((n) => (n === 1 ? 500 : 204));
		receivers.push(receiver);
		const hook = await createWebhook(t.db, { url: receiver.url, events: ['certification.granted'] }, admin);
		const now = new Date('2026-04-02T10:00:00Z');
		const { deliveryId } = await sendTestEvent(t.db, hook.id, now);

		const first = await deliverDue(t.db, { now, random: noJitter });
		const retryAt = new Date(now.getTime() + WEBHOOK_BACKOFF.baseMs);
		expect(first).toEqual({ delivered: 0, retrying: 1, failed: 0, next: retryAt });
		let [row] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, deliveryId));
		expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500 Internal Server Error', nextAttemptAt: retryAt });

		// Not yet due: nothing is posted.
		expect(await deliverDue(t.db, { now: new Date(now.getTime() + 10_000) })).toMatchObject({ delivered: 0, retrying: 0 });
		expect(receiver.requests).toHaveLength(1);

		expect(await deliverDue(t.db, { now: retryAt })).toEqual({ delivered: 1, retrying: 0, failed: 0, next: null });
		[row] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, deliveryId));
		expect(row).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 204, lastError: null, deliveredAt: retryAt });
		expect(receiver.requests.map((r) => r.headers['x-serviceready-delivery'])).toEqual([deliveryId, deliveryId]);
		expect(JSON.parse(receiver.requests[1]!.body)).toMatchObject({ type: 'webhook.test', data: { webhookId: hook.id } });
		expect(verifySignature(hook.secret, receiver.requests[1]!.headers['x-serviceready-signature'] as string, receiver.requests[1]!.body, { now: retryAt.getTime() / 1000 }).ok).toBe(true);
		await deleteWebhook(t.db, hook.id, admin);
	});

	it('a dead address fails for good after 8 attempts; a redirect or a silent receiver counts as a failure', async () => {
		const silent = await startReceiver(() => 'never');
		const moved = await startReceiver(() => 302);
		receivers.push(silent, moved);
		const dead = await createWebhook(t.db, { url: await deadUrl(), events: ['certification.granted'] }, admin);
		const hush = await createWebhook(t.db, { url: silent.url, events: ['certification.granted'] }, admin);
		const redirect = await createWebhook(t.db, { url: moved.url, events: ['certification.granted'] }, admin);
		let clock = new Date('2026-04-03T10:00:00Z');
		const ids = {
			dead: (await sendTestEvent(t.db, dead.id, clock)).deliveryId,
			hush: (await sendTestEvent(t.db, hush.id, clock)).deliveryId,
			redirect: (await sendTestEvent(t.db, redirect.id, clock)).deliveryId
		};
		const row = async (id: string) => (await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, id)))[0]!;

		const first = await deliverDue(t.db, { now: clock, timeoutMs: 300, random: noJitter });
		expect(first).toMatchObject({ delivered: 0, retrying: 3, failed: 0 });
		expect(await row(ids.hush)).toMatchObject({ lastStatusCode: null, lastError: 'No answer within 0.3 s' });
		expect(await row(ids.redirect)).toMatchObject({ lastStatusCode: 302, lastError: 'HTTP 302 Found' });
		expect(moved.requests).toHaveLength(1);
		await deleteWebhook(t.db, hush.id, admin);
		await deleteWebhook(t.db, redirect.id, admin);

		const waits: number[] = [];
		for (let attempt = 2; attempt <= WEBHOOK_BACKOFF.maxAttempts; attempt++) {
			const before = await row(ids.dead);
			waits.push((before.nextAttemptAt!.getTime() - clock.getTime()) / 1000);
			clock = before.nextAttemptAt!;
			const report = await deliverDue(t.db, { now: clock, random: noJitter });
			expect(report.delivered + report.retrying + report.failed, `attempt ${attempt}`).toBe(1);
		}
		expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920]);
		const failed = await row(ids.dead);
		expect(failed).toMatchObject({ status: 'failed', attempts: 8, lastStatusCode: null, nextAttemptAt: null, deliveredAt: null });
		expect(failed.lastError).toMatch(/ECONNREFUSED/);
		expect(await deliverDue(t.db, { now: new Date(clock.getTime() + 86_400_000) })).toEqual({ delivered: 0, retrying: 0, failed: 0, next: null });
		expect((await listWebhooks(t.db)).find((w) => w.id === dead.id)).toMatchObject({ failed: 1, pending: 0 });
		await deleteWebhook(t.db, dead.id, admin);
	});

	it('an inactive webhook keeps its deliveries waiting until it is activated again', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const hook = await createWebhook(t.db, { url: receiver.url, events: ['certification.granted'] }, admin);
		const now = new Date('2026-04-04T10:00:00Z');
		await sendTestEvent(t.db, hook.id, now);
		await setWebhookActive(t.db, hook.id, false, admin);
		expect(await deliverDue(t.db, { now })).toEqual({ delivered: 0, retrying: 0, failed: 0, next: null });
		expect(receiver.requests).toHaveLength(0);
		await setWebhookActive(t.db, hook.id, true, admin);
		expect(await deliverDue(t.db, { now })).toMatchObject({ delivered: 1 });
		await deleteWebhook(t.db, hook.id, admin);
	});

	it('two workers at once post each delivery once; the log pages newest first', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const hook = await createWebhook(t.db, { url: receiver.url, events: ['certification.granted'] }, admin);
		const base = new Date('2026-04-05T10:00:00Z');
		for (let i = 0; i < 12; i++) await sendTestEvent(t.db, hook.id, new Date(base.getTime() + i * 1000));
		const now = new Date(base.getTime() + 60_000);
		const [a, b] = await Promise.all([deliverDue(t.db, { now, limit: 5 }), deliverDue(t.db, { now, limit: 5 })]);
		const c = await deliverDue(t.db, { now, limit: 5 });
		expect(a.delivered + b.delivered + c.delivered).toBe(12);
		expect(new Set(receiver.requests.map((r) => r.headers['x-serviceready-delivery'])).size).toBe(12);
		expect(receiver.requests).toHaveLength(12);

		const seen: string[] = [];
		let before: string | undefined;
		for (;;) {
			const page = await deliveriesOf(t.db, hook.id, { before, limit: 5 });
			seen.push(...page.rows.map((r) => r.id));
			if (!page.older) break;
			before = page.older;
		}
		const all = await t.db.select({ id: webhookDelivery.id, createdAt: webhookDelivery.createdAt }).from(webhookDelivery).where(eq(webhookDelivery.webhookId, hook.id));
		expect(seen).toEqual(all.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime()).map((r) => r.id));
		expect(seen).toHaveLength(12);
	});
});

/**
 * Watches every socket connection this process starts until `stop()`: each is recorded, and one to
 * a host outside `permitted` is refused (an exception, before any packet is sent). Connections to
 * the test database server (DATABASE_URL) are not recorded.
 */
function watchConnections(permitted: string[] = ['127.0.0.1']) {
	const proto = Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
	const original = proto.connect;
	const dbPort = t.url ? new URL(t.url).port || '5432' : null;
	const attempts: string[] = [];
	proto.connect = function (this: Socket, ...args: unknown[]) {
		// net.connect() passes its normalised arguments as one array: [options, callback].
		const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
		const target = typeof first === 'object' && first !== null ? (first as { host?: string; port?: number | string; path?: string }) : { port: first as number, host: typeof args[1] === 'string' ? args[1] : undefined };
		// A connection with a port is TCP (HTTP's options carry the request path too); one without is a local pipe.
		if (target.port !== undefined && String(target.port) !== dbPort) {
			const host = target.host ?? 'localhost';
			attempts.push(`${host}:${target.port}`);
			if (!permitted.includes(host)) throw new Error(`This test refused a connection to ${host}:${target.port}`);
		}
		return original.apply(this, args);
	};
	return {
		attempts,
		stop: () => {
			proto.connect = original;
		}
	};
}

/** A resolver for made-up names under .test; it counts its calls and never asks a DNS server. */
function testResolver(names: Record<string, string[] | (() => string[])>) {
	const calls: string[] = [];
	const resolve: Resolver = async (hostname) => {
		calls.push(hostname);
		const entry = names[hostname];
		if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
		return (typeof entry === 'function' ? entry() : entry).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
	};
	return { resolve, calls };
}

const POLICY_MESSAGE = (range: string) =>
	`This address is in an internal network (${range}); webhooks may not deliver to internal networks. An operator can allow a range with WEBHOOK_ALLOWED_NETWORKS.`;

describe('the webhook address policy', () => {
	it('registration refuses internal addresses in every spelling, naming the range and the setting, and adds nothing', async () => {
		const before = await t.db.$count(webhook);
		const audited = await t.db.$count(auditEvent);
		const cases: Array<[string, string]> = [
			['http://127.0.0.1:8080/in', 'loopback 127.0.0.0/8'],
			['http://0.0.0.0:22/', 'unspecified 0.0.0.0/8'],
			['http://2130706433:22/', 'loopback 127.0.0.0/8'],
			['http://0177.0.0.1/', 'loopback 127.0.0.0/8'],
			['http://0x7f.1/', 'loopback 127.0.0.0/8'],
			['http://127.1:6379/', 'loopback 127.0.0.0/8'],
			['http://[::1]/', 'loopback ::1/128'],
			['http://[::ffff:127.0.0.1]/', 'loopback 127.0.0.0/8, inside ::ffff:0:0/96'],
			['http://[::ffff:7f00:1]/', 'loopback 127.0.0.0/8, inside ::ffff:0:0/96'],
			['http://[::127.0.0.1]/', 'loopback 127.0.0.0/8, inside ::/96'],
			['http://localhost:22/', 'loopback 127.0.0.0/8'],
			['http://169.254.169.254/latest/meta-data/', 'link-local 169.254.0.0/16'],
			['http://2852039166/latest/meta-data/', 'link-local 169.254.0.0/16'],
			['http://10.0.0.1/', 'private 10.0.0.0/8'],
			['http://172.16.5.4/', 'private 172.16.0.0/12'],
			['https://192.168.1.1/', 'private 192.168.0.0/16'],
			['http://[fd00::1]/', 'private fc00::/7'],
			['http://[fe80::1]/', 'link-local fe80::/10'],
			['http://100.64.0.1/', 'shared address space 100.64.0.0/10'],
			['http://224.0.0.1/', 'multicast 224.0.0.0/4'],
			['http://255.255.255.255/', 'broadcast 255.255.255.255/32'],
			['http://192.0.2.10/', 'documentation 192.0.2.0/24'],
			['http://[2001:db8::1]/', 'documentation 2001:db8::/32'],
			['http://[64:ff9b::a9fe:a9fe]/', 'link-local 169.254.0.0/16, inside 64:ff9b::/96']
		];
		for (const [url, range] of cases) {
			const refused = await refusal(createWebhook(t.db, { url, events: ['certification.granted'] }, admin, { policy: NO_ALLOWANCE }));
			expect(refused.field, url).toBe('url');
			expect(refused.message, url).toBe(POLICY_MESSAGE(range));
		}
		// With this file's allowance (127.0.0.1/32) only that address gets through, in any spelling.
		expect((await refusal(createWebhook(t.db, { url: 'http://127.0.0.2/', events: ['certification.granted'] }, admin))).message).toBe(POLICY_MESSAGE('loopback 127.0.0.0/8'));
		expect((await refusal(createWebhook(t.db, { url: 'http://[::1]/', events: ['certification.granted'] }, admin))).message).toBe(POLICY_MESSAGE('loopback ::1/128'));
		expect(await t.db.$count(webhook)).toBe(before);
		expect(await t.db.$count(auditEvent)).toBe(audited);
		const allowed = await createWebhook(t.db, { url: 'http://2130706433:9/in', events: ['certification.granted'] }, admin);
		expect(allowed.url).toBe('http://127.0.0.1:9/in');
		await deleteWebhook(t.db, allowed.id, admin);
	});

	it('a bad WEBHOOK_ALLOWED_NETWORKS stops the start with the setting named', () => {
		expect(() => notifyConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.1.2.0' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
		expect(() => notifyConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.1.2.0/24,localhost' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
		expect(notifyConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.1.2.0/24, 127.0.0.1/32' }).webhookPolicy.allowed.map((n) => n.text)).toEqual(['10.1.2.0/24', '127.0.0.1/32']);
		expect(notifyConfig({}).webhookPolicy).toBe(NO_ALLOWANCE);
	});

	it('a host name resolving to an internal address is refused before any connection: failed at once, the log naming the policy', async () => {
		const resolver = testResolver({
			'hooks.internal.test': ['10.0.0.1'],
			'metadata.internal.test': ['169.254.169.254'],
			// Any one refused address refuses the name, whichever comes first.
			'mixed.internal.test': ['127.0.0.1', '169.254.169.254']
		});
		const hooks = {
			privateNet: await createWebhook(t.db, { url: 'http://hooks.internal.test/in', events: ['certification.granted'] }, admin),
			metadata: await createWebhook(t.db, { url: 'http://metadata.internal.test/latest/meta-data/', events: ['certification.granted'] }, admin),
			mixed: await createWebhook(t.db, { url: 'https://mixed.internal.test:8443/in', events: ['certification.granted'] }, admin)
		};
		const now = new Date('2026-04-06T10:00:00Z');
		const ids = {
			privateNet: (await sendTestEvent(t.db, hooks.privateNet.id, now)).deliveryId,
			metadata: (await sendTestEvent(t.db, hooks.metadata.id, now)).deliveryId,
			mixed: (await sendTestEvent(t.db, hooks.mixed.id, now)).deliveryId
		};
		const watch = watchConnections([]);
		let report;
		try {
			report = await deliverDue(t.db, { now, random: noJitter, resolve: resolver.resolve });
		} finally {
			watch.stop();
		}
		expect(watch.attempts).toEqual([]);
		expect(report).toEqual({ delivered: 0, retrying: 0, failed: 3, next: null });
		expect(resolver.calls.sort()).toEqual(['hooks.internal.test', 'metadata.internal.test', 'mixed.internal.test']);
		const row = async (id: string) => (await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, id)))[0]!;
		expect(await row(ids.privateNet)).toMatchObject({
			status: 'failed',
			attempts: 1,
			lastStatusCode: null,
			nextAttemptAt: null,
			deliveredAt: null,
			lastError: 'refused by the webhook address policy: private 10.0.0.0/8 (hooks.internal.test resolved to 10.0.0.1)'
		});
		expect((await row(ids.metadata)).lastError).toBe('refused by the webhook address policy: link-local 169.254.0.0/16 (metadata.internal.test resolved to 169.254.169.254)');
		expect((await row(ids.mixed)).lastError).toBe('refused by the webhook address policy: link-local 169.254.0.0/16 (mixed.internal.test resolved to 169.254.169.254)');
		// The admin's log shows the same reason, and the webhook counts the delivery as failed.
		const log = await deliveriesOf(t.db, hooks.privateNet.id);
		expect(log.rows[0]).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^refused by the webhook address policy: private 10\.0\.0\.0\/8/) });
		expect((await listWebhooks(t.db)).find((w) => w.id === hooks.metadata.id)).toMatchObject({ failed: 1, pending: 0 });
		// Nothing is left to retry.
		expect(await deliverDue(t.db, { now: new Date(now.getTime() + 86_400_000), resolve: resolver.resolve })).toEqual({ delivered: 0, retrying: 0, failed: 0, next: null });
		for (const hook of Object.values(hooks)) await deleteWebhook(t.db, hook.id, admin);
	});

	it('an internal address stored before the policy (in any spelling) is refused at delivery without a connection', async () => {
		const stored = ['http://[::ffff:7f00:1]:9/in', 'http://0x7f.1:9/in', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:9/in'];
		const rows = await t.db
			.insert(webhook)
			.values(stored.map((url) => ({ url, events: ['certification.granted'], secret: 'whsec_stored', createdBy: admin })))
			.returning({ id: webhook.id, url: webhook.url });
		const now = new Date('2026-04-07T10:00:00Z');
		const deliveries = new Map<string, string>();
		for (const hook of rows) deliveries.set(hook.url, (await sendTestEvent(t.db, hook.id, now)).deliveryId);
		const resolver = testResolver({});
		const watch = watchConnections([]);
		let report;
		try {
			// No allowance at all here: even 127.0.0.1 is refused.
			report = await deliverDue(t.db, { now, policy: NO_ALLOWANCE, resolve: resolver.resolve });
		} finally {
			watch.stop();
		}
		expect(watch.attempts).toEqual([]);
		expect(resolver.calls).toEqual([]);
		expect(report).toMatchObject({ delivered: 0, retrying: 0, failed: 4 });
		const errors = await Promise.all(
			stored.map(async (url) => (await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, deliveries.get(url)!)))[0]!.lastError)
		);
		expect(errors).toEqual([
			'refused by the webhook address policy: loopback 127.0.0.0/8 (via ::ffff:0:0/96)',
			'refused by the webhook address policy: loopback 127.0.0.0/8',
			'refused by the webhook address policy: link-local 169.254.0.0/16',
			'refused by the webhook address policy: loopback ::1/128'
		]);
		for (const hook of rows) await deleteWebhook(t.db, hook.id, admin);
	});

	it('a name that does not resolve, or not in time, is a network fault and is retried', async () => {
		const resolver = testResolver({});
		const slow: Resolver = (hostname) => (hostname === 'slow.test' ? new Promise(() => {}) : resolver.resolve(hostname));
		const missing = await createWebhook(t.db, { url: 'http://missing.test/in', events: ['certification.granted'] }, admin);
		const stuck = await createWebhook(t.db, { url: 'http://slow.test/in', events: ['certification.granted'] }, admin);
		const now = new Date('2026-04-09T10:00:00Z');
		const ids = { missing: (await sendTestEvent(t.db, missing.id, now)).deliveryId, stuck: (await sendTestEvent(t.db, stuck.id, now)).deliveryId };
		const watch = watchConnections([]);
		try {
			expect(await deliverDue(t.db, { now, timeoutMs: 300, random: noJitter, resolve: slow })).toMatchObject({ delivered: 0, retrying: 2, failed: 0 });
		} finally {
			watch.stop();
		}
		expect(watch.attempts).toEqual([]);
		const row = async (id: string) => (await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, id)))[0]!;
		expect(await row(ids.missing)).toMatchObject({ status: 'pending', lastError: 'getaddrinfo ENOTFOUND missing.test' });
		expect(await row(ids.stuck)).toMatchObject({ status: 'pending', lastError: 'No answer within 0.3 s' });
		await deleteWebhook(t.db, missing.id, admin);
		await deleteWebhook(t.db, stuck.id, admin);
	});

	it('a host name is resolved once per delivery and the request goes to the address checked, with the Host header kept', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const port = new URL(receiver.url).port;
		// The second answer would rebind the name to the metadata address: only one lookup is made,
		// and the connection uses the address that lookup gave and the policy allowed.
		let answers = 0;
		const resolver = testResolver({ 'receiver.test': () => (++answers === 1 ? ['127.0.0.1'] : ['169.254.169.254']) });
		const hook = await createWebhook(t.db, { url: `http://receiver.test:${port}/hooks/serviceready`, events: ['certification.granted'] }, admin);
		const now = new Date('2026-04-08T10:00:00Z');
		const first = await sendTestEvent(t.db, hook.id, now);
		// Node's own connection code gets the host name; the lookup it makes answers with 127.0.0.1.
		const watch = watchConnections(['receiver.test']);
		try {
			expect(await deliverDue(t.db, { now, resolve: resolver.resolve })).toMatchObject({ delivered: 1, failed: 0 });
			expect(resolver.calls).toEqual(['receiver.test']);
			expect(watch.attempts).toEqual([`receiver.test:${port}`]);
			expect(receiver.requests).toHaveLength(1);
			expect(receiver.requests[0]!.headers.host).toBe(`receiver.test:${port}`);
			expect(receiver.requests[0]!.headers['x-serviceready-delivery']).toBe(first.deliveryId);
			expect(verifySignature(hook.secret, receiver.requests[0]!.headers['x-serviceready-signature'] as string, receiver.requests[0]!.body, { now: now.getTime() / 1000 }).ok).toBe(true);

			// The next delivery resolves the name again, now to the metadata address: refused, no connection.
			const second = await sendTestEvent(t.db, hook.id, now);
			const before = watch.attempts.length;
			expect(await deliverDue(t.db, { now, resolve: resolver.resolve })).toMatchObject({ delivered: 0, failed: 1 });
			expect(watch.attempts.length).toBe(before);
			expect(receiver.requests).toHaveLength(1);
			const [refused] = await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, second.deliveryId));
			expect(refused).toMatchObject({ status: 'failed', lastError: 'refused by the webhook address policy: link-local 169.254.0.0/16 (receiver.test resolved to 169.254.169.254)' });
		} finally {
			watch.stop();
		}
		await deleteWebhook(t.db, hook.id, admin);
	});
});

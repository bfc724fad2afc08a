import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PgBoss from 'pg-boss';
import { freshDb, rowsOf, type TestDb } from '../helpers/db';
import { pgliteClient } from '../../src/lib/server/db';
import { createBoss, startSweeps, type QueueTarget, type Work } from '../../src/lib/server/queue';
import { pgliteExecutor } from '../../src/lib/server/queue/pglite';
import { eq, sql } from 'drizzle-orm';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { certificationHolding, outboxMessage, user, userRole, webhookDelivery } from '../../src/lib/server/db/schema';
import { SWEEPS, notifyConfig, startNotifyWork, wakeSweep } from '../../src/lib/server/notify/jobs';
import { createWebhook, sendTestEvent } from '../../src/lib/server/notify/webhooks';
import { parseAllowedNetworks } from '../../src/lib/server/notify/address-policy';
import { verifySignature } from '../../src/lib/server/notify/signature';

let t: TestDb;
let target: QueueTarget;
let boss: PgBoss;
const started: Array<{ stop(): Promise<void> }> = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000) {
	const end = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > end) throw new Error('Timed out waiting');
		await sleep(50);
	}
}

beforeAll(async () => {
	t = await freshDb();
	target = t.engine === 'pglite' ? { engine: 'pglite', client: pgliteClient(t.db) } : { engine: 'postgres', url: t.url! };
	boss = createBoss(target, { supervise: false, schedule: false });
	await boss.start();
	started.push({ stop: () => boss.stop({ graceful: false, wait: true }) });
});
afterAll(async () => {
	for (const s of started.reverse()) await s.stop();
	await t.dispose();
});

describe(`pg-boss on this engine`, () => {
	it('installs its schema beside the app tables and runs a job sent to a queue', async () => {
		const [row] = rowsOf<{ version: number }>(await t.db.execute(sql`select version::int as version from pgboss.version`));
		expect(row!.version).toBeGreaterThan(0);
		await boss.createQueue('probe');
		const seen: unknown[] = [];
		await boss.work<{ n: number }>('probe', { pollingIntervalSeconds: 0.5 }, async ([job]) => {
			seen.push(job!.data);
		});
		const id = await boss.send('probe', { n: 1, text: '中文' });
		await until(() => seen.length === 1);
		expect(seen).toEqual([{ n: 1, text: '中文' }]);
		await until(async () => (await boss.getJobById('probe', id!))?.state === 'completed');
	});

	it('holds a delayed job until its time', async () => {
		await boss.createQueue('later');
		const ran: number[] = [];
		await boss.work('later', { pollingIntervalSeconds: 0.5 }, async () => {
			ran.push(Date.now());
		});
		const sentAt = Date.now();
		await boss.sendAfter('later', {}, {}, new Date(sentAt + 1500));
		await sleep(700);
		expect(ran).toEqual([]);
		await until(() => ran.length === 1);
		expect(ran[0]! - sentAt).toBeGreaterThanOrEqual(1400);
	});

	it('retries a job that failed, then completes it', async () => {
		await boss.createQueue('flaky', { name: 'flaky', retryLimit: 2, retryDelay: 1 });
		let calls = 0;
		await boss.work('flaky', { pollingIntervalSeconds: 0.5 }, async () => {
			calls++;
			if (calls === 1) throw new Error('first try fails');
		});
		const id = await boss.send('flaky', {});
		await until(async () => (await boss.getJobById('flaky', id!))?.state === 'completed');
		const job = await boss.getJobById('flaky', id!);
		expect(calls).toBe(2);
		expect(job!.retryCount).toBe(1);
	});
});

describe.runIf(process.env.DATABASE_URL === undefined)('the embedded adapter', () => {
	it('sends parameterised SQL as one statement and scripts as several, rows of the last', async () => {
		const db = pgliteExecutor(pgliteClient(t.db));
		expect((await db.executeSql('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
		expect((await db.executeSql('select 1 as a; select 2 as b')).rows).toEqual([{ b: 2 }]);
	});

	it('rolls a failing script back and leaves the shared connection usable', async () => {
		const client = pgliteClient(t.db);
		const db = pgliteExecutor(client);
		await client.exec('create table queue_probe (n int)');
		await expect(db.executeSql('BEGIN; insert into queue_probe values (1); select * from no_such_table; COMMIT;')).rejects.toThrow(/no_such_table/);
		expect((await client.query('select count(*)::int as n from queue_probe')).rows).toEqual([{ n: 0 }]);
		expect(client.isInTransaction()).toBe(false);
		await expect(db.executeSql('select $1::int as n', ['x'])).rejects.toThrow();
		expect((await db.executeSql('select 7 as n', [])).rows).toEqual([{ n: 7 }]);
	});
});

describe('sweeps', () => {
	it('run once at start, when woken, and again when a run asks for it', async () => {
		const runs: number[] = [];
		let askAgain = true;
		const work = await startSweeps(
			createBoss(target, { supervise: false }),
			[
				{
					name: 'probe-sweep',
					cron: '0 0 1 1 *',
					pollSeconds: 0.5,
					async run() {
						runs.push(Date.now());
						if (askAgain) {
							askAgain = false;
							return new Date(Date.now() + 500);
						}
					}
				}
			],
			{ runAtStart: true }
		);
		started.push(work);
		// At start, then the rerun it asked for.
		await until(() => runs.length === 2);
		await work.wake('probe-sweep');
		await until(() => runs.length === 3);
		await sleep(800);
		expect(runs).toHaveLength(3);
		await expect(work.wake('no-such-sweep')).rejects.toThrow(/No sweep/);
	});

	it('with two processes on one database, a waiting run happens in exactly one of them', async () => {
		// Wake-ups from several processes before anyone fetched collapse into one waiting job…
		await boss.createQueue('shared-sweep', { name: 'shared-sweep', policy: 'short' });
		expect(await boss.send('shared-sweep', {}, {})).toEqual(expect.any(String));
		expect(await boss.send('shared-sweep', {}, {})).toBeNull();
		// …and that job runs in one process, though both poll for it.
		const counts = [0, 0];
		const sweep = (i: number) => ({
			name: 'shared-sweep',
			cron: '0 0 1 1 *',
			pollSeconds: 0.5,
			async run() {
				counts[i]!++;
				await sleep(200);
			}
		});
		const first: Work = await startSweeps(createBoss(target, { supervise: false, schedule: false }), [sweep(0)]);
		const second: Work = await startSweeps(createBoss(target, { supervise: false, schedule: false }), [sweep(1)]);
		started.push(first, second);
		await until(() => counts[0]! + counts[1]! >= 1);
		await sleep(1000);
		expect(counts[0]! + counts[1]!).toBe(1);
	});
});

describe('processes starting together', () => {
	it('each create the same queues at the same moment and both start', async () => {
		const sweeps = Array.from({ length: 4 }, (_, i) => ({ name: `together-${i}`, cron: '0 0 1 1 *', async run() {} }));
		const works = await Promise.all(Array.from({ length: 4 }, () => startSweeps(createBoss(target, { supervise: false, schedule: false }), sweeps)));
		started.push(...works);
		expect(works).toHaveLength(4);
	});
});

describe('the scheduled work of the app', () => {
	it('at start scans for reminders and delivers their webhook events; a wake-up delivers a test event at once', async () => {
		const bodies: Array<{ signature: string; body: string }> = [];
		const receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				bodies.push({ signature: String(req.headers['x-serviceready-signature']), body });
				res.writeHead(200).end();
			});
		});
		receiver.listen(0, '127.0.0.1');
		await once(receiver, 'listening');
		started.push({ stop: () => new Promise<void>((resolve) => receiver.close(() => resolve())) });
		const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
		// The receiver is on loopback: allowed as an operator would with WEBHOOK_ALLOWED_NETWORKS.
		const hook = await createWebhook(t.db, { url, events: ['certification.renewal_due'] }, null, { policy: parseAllowedNetworks('127.0.0.1/32') });

		// A technician whose renewal window is open right now.
		const [tech] = await t.db.insert(user).values({ email: 'queue.tech@example.com', displayName: 'Queue Tech' }).returning({ id: user.id });
		await t.db.insert(userRole).values({ userId: tech!.id, role: 'technician' });
		const now = Date.now();
		await t.db.insert(certificationHolding).values({
			userId: tech!.id,
			certificationId: 'home-visit-service',
			level: 1,
			grantedAt: new Date(now - 340 * 86_400_000),
			expiresAt: new Date(now + 25 * 86_400_000),
			verifyCode: 'queuetest0000001'
		});

		expect(await wakeSweep(SWEEPS.webhooks)).toBe(false);
		const work = await startNotifyWork(t.db, target, notifyConfig({ ORIGIN: 'https://sr.example.com', WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' }));
		started.push(work);
		await until(async () => (await t.db.$count(outboxMessage, eq(outboxMessage.toUserId, tech!.id))) === 1);
		await until(() => bodies.length === 1);
		expect(JSON.parse(bodies[0]!.body)).toMatchObject({ type: 'certification.renewal_due', data: { technicianId: tech!.id } });
		expect(verifySignature(hook.secret, bodies[0]!.signature, bodies[0]!.body).ok).toBe(true);

		const { deliveryId } = await sendTestEvent(t.db, hook.id);
		const woken = Date.now();
		expect(await wakeSweep(SWEEPS.webhooks)).toBe(true);
		await until(() => bodies.length === 2);
		expect(Date.now() - woken).toBeLessThan(1500);
		await until(async () => (await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.id, deliveryId)))[0]!.status === 'delivered');
		await work.stop();
		expect(await wakeSweep(SWEEPS.webhooks)).toBe(false);
	});
});

import type { PGlite } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import { pgliteExecutor } from './pglite';

/*
 * Scheduled work on a PostgreSQL-backed queue (pg-boss), shared safely by any number of app
 * processes on one database. Each piece of work is a *sweep*: a pass over rows that are due (notices
 * to send, deliveries to retry) which is safe to run in several processes at once, because the rows
 * themselves are claimed with row locks or guarded by primary keys. pg-boss decides when a sweep
 * runs — on a cron schedule, once at start, when woken after new work was written, and at the next
 * retry time a sweep asks for — and makes sure each of those runs happens in one process only.
 */

export type QueueTarget = { engine: 'pglite'; client: PGlite } | { engine: 'postgres'; url: string };

export interface Sweep {
	/** The queue's name: lower-case letters, digits and dashes. */
	name: string;
	/** pg-boss cron (UTC): how often it runs at the latest. */
	cron: string;
	/** How often an idle worker of this process asks for a job, in seconds (pg-boss's minimum is 0.5). */
	pollSeconds?: number;
	/**
	 * One pass. May return when it wants to run again (the next retry, or now when a batch was full),
	 * and may wake other sweeps for work it wrote.
	 */
	run(context: { wake(name: string): Promise<void> }): Promise<Date | null | void>;
}

export interface Work {
	readonly boss: PgBoss;
	/** Asks for a run of the sweep soon, in whichever process fetches it first. */
	wake(name: string): Promise<void>;
	stop(): Promise<void>;
}

/** A requested rerun further away than this is left to the cron schedule. */
const RERUN_HORIZON_MS = 5 * 60_000;
/** Reruns asked for within the same second share one job. */
const RERUN_SLOT_MS = 1_000;

/** pg-boss over the embedded client (a small adapter) or over its own pool to the server. */
export function createBoss(target: QueueTarget, options: PgBoss.ConstructorOptions = {}): PgBoss {
	const common: PgBoss.ConstructorOptions = {
		schema: 'pgboss',
		application_name: 'serviceready-queue',
		// Finished sweep runs are history nobody reads: archive after an hour, delete after two days.
		archiveCompletedAfterSeconds: 3600,
		deleteAfterDays: 2,
		...options
	};
	const boss =
		target.engine === 'pglite'
			? new PgBoss({ ...common, db: pgliteExecutor(target.client) })
			: new PgBoss({ ...common, connectionString: target.url, max: options.max ?? 3 });
	// An EventEmitter without an 'error' listener would throw; a lost connection must not end the process.
	// One line per error: during a database outage the driver's errors carry whole connection objects.
	boss.on('error', (e) => console.error(`Queue error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
	return boss;
}

/** SQLSTATE of a deadlock or a unique violation: two processes creating the same queue at once. */
const CONFLICT_CODES = new Set(['40P01', '23505', '40001']);

function conflictCode(e: unknown): string | null {
	for (let err: unknown = e; err && typeof err === 'object'; err = (err as { cause?: unknown }).cause) {
		const code = (err as { code?: unknown }).code;
		if (typeof code === 'string' && CONFLICT_CODES.has(code)) return code;
		if ((err as { cause?: unknown }).cause === err) break;
	}
	return null;
}

/**
 * Runs `step` again (up to five times, after a short random wait) when it fails because another
 * app process did the same thing at the same moment: pg-boss creates a queue in a transaction that
 * deadlocks with a twin started alongside it.
 */
export async function retryOnConflict<T>(step: () => Promise<T>, attempts = 5): Promise<T> {
	for (let i = 1; ; i++) {
		try {
			return await step();
		} catch (e) {
			if (i >= attempts || !conflictCode(e)) throw e;
			await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * i));
		}
	}
}

/**
 * Starts pg-boss, creates each sweep's queue (policy `short`: at most one waiting job per key, so
 * wake-ups from many processes collapse into one run), schedules it, starts a worker, and with
 * `runAtStart` asks for one run now.
 */
export async function startSweeps(boss: PgBoss, sweeps: Sweep[], options: { runAtStart?: boolean } = {}): Promise<Work> {
	await boss.start();
	const workers = new Map<string, string>();
	const names = new Set(sweeps.map((s) => s.name));
	const wake = async (name: string) => {
		if (!names.has(name)) throw new Error(`No sweep named ${name}`);
		await boss.send(name, {}, {});
		// This process's own worker need not wait for its next poll.
		const worker = workers.get(name);
		if (worker) boss.notifyWorker(worker);
	};
	// Every queue exists, and the first runs wait, before any worker starts: a run may wake another sweep.
	for (const sweep of sweeps) {
		await retryOnConflict(() => boss.createQueue(sweep.name, { name: sweep.name, policy: 'short', retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 }));
		await retryOnConflict(() => boss.schedule(sweep.name, sweep.cron, {}, { tz: 'UTC' }));
		if (options.runAtStart) await boss.send(sweep.name, {}, {});
	}
	for (const sweep of sweeps) {
		const id = await boss.work(sweep.name, { pollingIntervalSeconds: sweep.pollSeconds ?? 2 }, async () => {
			const again = await sweep.run({ wake });
			if (again && again.getTime() - Date.now() < RERUN_HORIZON_MS) {
				const slot = Math.ceil(again.getTime() / RERUN_SLOT_MS);
				await boss.sendAfter(sweep.name, {}, { singletonKey: `at-${slot}` }, new Date(slot * RERUN_SLOT_MS));
			}
		});
		workers.set(sweep.name, id);
	}
	return {
		boss,
		wake,
		async stop() {
			await boss.stop({ graceful: true, timeout: 5000, wait: true });
		}
	};
}

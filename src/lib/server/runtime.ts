import { createDb, DEFAULT_DATA_DIR, pgliteClient, type Db, type DbHandle } from './db';
import { formatDemoLogins, hasDemoData, seedDemo } from './demo';
import { submitExpired } from './assessment/attempts';
import { certifyIfDue } from './certification';
import { notifyConfig, startNotifyWork } from './notify/jobs';
import type { Work } from './queue';
import { importShippedContent, refreshContent } from './content/store';

/**
 * Kept on globalThis so that the dev server's module reloads reuse the open database instead of
 * opening the same embedded data folder a second time.
 */
const shared = globalThis as typeof globalThis & { __serviceReadyDb?: Promise<DbHandle> };

export interface RuntimeEnv {
	DATABASE_URL?: string;
	DATA_DIR?: string;
	ORIGIN?: string;
	PORT?: string;
	DEMO_DATA?: string;
	SMTP_URL?: string;
	SMTP_FROM?: string;
	REMINDER_DAYS_BEFORE_EXPIRY?: string;
}

/**
 * Opens the database once per process, applies the migrations and, on a newly created embedded
 * database, loads the demo organisation. A server database gets demo data only from
 * `npm run db:seed -- --demo`, or when DEMO_DATA=1 says so explicitly.
 */
export function startRuntime(env: RuntimeEnv = process.env): Promise<DbHandle> {
	shared.__serviceReadyDb ??= (async () => {
		const started = performance.now();
		const db = await createDb({ url: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR || DEFAULT_DATA_DIR });
		await db.migrate();
		// The first start publishes the shipped content/ as version 1 of each course and certification.
		if (await importShippedContent(db.db)) console.log('Published the courses and certifications of content/ as version 1.');
		await refreshContent(db.db);
		const wantDemo = env.DEMO_DATA === '1' || (db.engine === 'pglite' && db.created && env.DEMO_DATA !== '0');
		if (wantDemo) await seedDemo(db.db);
		const where = db.engine === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite (${env.DATA_DIR || DEFAULT_DATA_DIR})`;
		console.log(`ServiceReady database ready on ${where} in ${Math.round(performance.now() - started)} ms`);
		if (await hasDemoData(db.db)) {
			const base = env.ORIGIN ?? `http://localhost:${env.PORT ?? 3000}`;
			console.log(formatDemoLogins(base));
		}
		// Attempts whose deadline passed are submitted even if nobody opens them again. Every app
		// process may run this: each attempt is graded once (see submitAttempt).
		const sweep = setInterval(() => {
			submitExpired(db.db)
				.then(async (users) => {
					for (const userId of users) await certifyIfDue(db.db, userId);
				})
				.catch((e) => console.error('Submitting expired attempts failed:', e));
		}, 30_000);
		sweep.unref();
		// Requests look for new content themselves; this keeps background work (reminders) current too.
		const contentWatch = setInterval(() => refreshContent(db.db).catch((e) => console.error('Reading published content failed:', e)), 1_000);
		contentWatch.unref();
		// Reminders, webhook deliveries and e-mail run on the PostgreSQL-backed queue. A bad setting
		// stops the start with its name; a queue that cannot start is reported, and the app serves.
		const config = notifyConfig(env);
		let work: Work | null = null;
		try {
			const target = db.engine === 'pglite' ? { engine: 'pglite' as const, client: pgliteClient(db.db) } : { engine: 'postgres' as const, url: env.DATABASE_URL! };
			work = await startNotifyWork(db.db, target, config);
		} catch (e) {
			console.error('The job queue did not start; reminders and webhooks wait until it does:', e);
		}
		process.once('sveltekit:shutdown', () => {
			clearInterval(sweep);
			clearInterval(contentWatch);
			// The queue first: on the embedded database it shares the connection being closed.
			void (async () => {
				await work?.stop().catch((e) => console.error('Stopping the job queue failed:', e));
				await db.close();
			})();
		});
		return db;
	})();
	return shared.__serviceReadyDb;
}

export async function getDb(): Promise<Db> {
	return (await startRuntime()).db;
}

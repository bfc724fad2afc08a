import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { ensureBuild, freePort, killAllApps, startApp, type AppProcess } from '../helpers/faults-app';
import { cookieFrom, httpClient, type HttpClient } from '../helpers/faults-http';
import { createUser } from '../../src/lib/server/users';
import { publish, publishedPackages, refreshContent } from '../../src/lib/server/content/store';

/**
 * A publish reaches every running app process without a restart: two app processes on one
 * PostgreSQL database, a publish made by a third (this test), and both serve the new text within
 * 2 seconds. (On the embedded database there is one process, which reloads on its own commit:
 * see content-store.spec.ts.)
 */

let t: TestDb;
const PASSWORD = 'publish-test-password';

beforeAll(async () => {
	t = await freshDb();
});
afterAll(async () => {
	killAllApps();
	await t.dispose();
});

describe.skipIf(!process.env.DATABASE_URL)('publishing across app processes on one PostgreSQL', () => {
	let apps: AppProcess[] = [];
	let clients: HttpClient[] = [];
	const cookies: string[] = [];

	beforeAll(async () => {
		const entry = ensureBuild();
		apps = await Promise.all([0, 1].map(async () => startApp({ entry, port: await freePort(), databaseUrl: t.url! })));
		clients = apps.map((a) => httpClient(a.base));
		await createUser(t.db, { email: 'reader@example.com', displayName: 'Reader', roles: ['technician'], password: PASSWORD }, null);
		for (const client of clients) {
			const reply = await client.send('POST', '/login', { form: [['email', 'reader@example.com'], ['password', PASSWORD]] });
			cookies.push(cookieFrom(reply, 'sr_session')!);
		}
	}, 180_000);

	afterAll(async () => {
		for (const c of clients) c.close();
		await Promise.all(apps.map((a) => a.stop()));
	});

	it('serves a new version in both processes within 2 seconds, without a restart', async () => {
		const path = '/learn/courses/complaints/five-steps';
		for (let i = 0; i < 2; i++) {
			const before = await clients[i]!.send('GET', path, { cookie: cookies[i] });
			expect(before.status).toBe(200);
			expect(before.body).not.toContain('Published from another process');
		}
		await refreshContent(t.db);
		const current = (await publishedPackages(t.db)).find((p) => p.kind === 'course' && p.key === 'complaints')!;
		const file = Object.keys(current.files).find((f) => f.endsWith('five-steps.en.svx'))!;
		const files = { ...current.files, [file]: current.files[file]!.trimEnd() + '\n\nPublished from another process.\n' };
		expect(await publish(t.db, { changes: [{ kind: 'course', key: 'complaints', files }], authorId: null, note: 'Across processes' })).toMatchObject({ ok: true });
		// Counted from the commit: the publish has returned.
		const published = performance.now();
		const seenAfter = await Promise.all(
			[0, 1].map(async (i) => {
				for (;;) {
					const reply = await clients[i]!.send('GET', path, { cookie: cookies[i] });
					if (reply.body.includes('Published from another process')) return performance.now() - published;
					if (performance.now() - published > 5_000) return Infinity;
					await new Promise((r) => setTimeout(r, 25));
				}
			})
		);
		for (const ms of seenAfter) expect(ms, `seen after ${Math.round(ms)} ms`).toBeLessThan(2_000);
	}, 60_000);
});

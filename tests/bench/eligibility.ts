// Benchmark (not a test): eligible technicians for a job type among 100,000 technicians holding
// 1,000,000 certification cycles, on a PostgreSQL server. Measures, in one run, the dispatch API
// over HTTP (the built app, real bearer token, audited like every call) and the same SQL
// statement run directly, page by page, and prints p50/p95 and their ratio.
//   npx tsx tests/bench/eligibility.ts      (part of `npm run bench`; builds the app if needed)
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): a database
// sr_bench_elig_<random> is created for the run and dropped at the end.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { createDb } from '../../src/lib/server/db';
import { eligibleTechniciansQuery } from '../../src/lib/server/dispatch/queries';
import type { JobTypeView } from '../../src/lib/server/dispatch/types';
import { createApiToken } from '../../src/lib/server/api/tokens';
import { encodeCursor } from '../../src/lib/server/api/parse';

const TECHNICIANS = Number(process.env.BENCH_TECHNICIANS ?? 100_000);
const CYCLES_EACH = 10;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const PAGE = 50;
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = path.resolve(import.meta.dirname, '../..');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

async function main() {
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	const name = `sr_bench_elig_${randomBytes(4).toString('hex')}`;
	await admin.unsafe(`create database "${name}"`);
	const url = new URL(SERVER_URL);
	url.pathname = `/${name}`;
	let app: ReturnType<typeof spawn> | null = null;
	const handle = await createDb({ url: url.toString(), max: 4 });
	try {
		await handle.migrate();
		const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
		const started = performance.now();
		await sql`insert into team (name, region) values ('Bench east', 'E'), ('Bench west', 'W')`;
		await sql`insert into "user" (email, display_name, team_id)
			select 'tech' || i || '@bench.example', 'Technician ' || lpad(i::text, 6, '0'),
				(select id from team where name = case when i % 2 = 0 then 'Bench east' else 'Bench west' end)
			from generate_series(1, ${TECHNICIANS}) i`;
		await sql`insert into user_role (user_id, role) select id, 'technician' from "user" where email like '%@bench.example'`;
		// Ten cycles each over the four certifications: the latest cycle granted 0–400 days ago (so
		// about one in ten has expired), older cycles a year or two before; level 1 or 2; 2% revoked.
		await sql`insert into certification_holding (user_id, certification_id, level, granted_at, expires_at, revoked_at, revoke_reason, verify_code)
			select u.id,
				(array['home-visit-service','complaint-handling','customer-care','ro-purifier-service'])[1 + k % 4],
				1 + (abs(hashtext(u.id::text || 'l' || k)) % 2),
				g.granted, g.granted + interval '365 days',
				case when abs(hashtext(u.id::text || 'r' || k)) % 50 = 0 then g.granted + interval '30 days' end,
				case when abs(hashtext(u.id::text || 'r' || k)) % 50 = 0 then 'Bench revocation' end,
				substr(md5(u.id::text || k), 1, 16)
			from (select id from "user" where email like '%@bench.example') u
			cross join generate_series(0, ${CYCLES_EACH - 1}) k
			cross join lateral (select now() - ((k / 4) * 365 + abs(hashtext(u.id::text || 'g' || k)) % 400) * interval '1 day' as granted) g`;
		const [type] = await sql<{ id: string }[]>`insert into job_type (name, product_line) values ('RO purifier repair visit', 'water-purifier') returning id`;
		await sql`insert into job_type_requirement (job_type_id, certification_id, min_level) values (${type!.id}, 'ro-purifier-service', 1), (${type!.id}, 'home-visit-service', 2)`;
		// As autovacuum would have it on a database in use: statistics and the visibility map.
		await sql`vacuum analyze`;
		const [{ users, cycles }] = (await sql`select (select count(*) from "user")::int as users, (select count(*) from certification_holding)::int as cycles`) as unknown as [{ users: number; cycles: number }];
		console.log(`Data: ${users.toLocaleString('en')} users, ${cycles.toLocaleString('en')} certification cycles, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

		const jobType: JobTypeView = {
			id: type!.id,
			name: 'RO purifier repair visit',
			productLine: 'water-purifier',
			archivedAt: null,
			requirements: [
				{ certificationId: 'home-visit-service', minLevel: 2 },
				{ certificationId: 'ro-purifier-service', minLevel: 1 }
			]
		};
		const at = new Date(Date.now() + 7 * 86_400_000);
		// Page boundaries spread over the whole id range: random uuids, the same list for both.
		const afters = Array.from({ length: SAMPLES }, (_, i) => (i === 0 ? undefined : randomUUID()));

		// Direct: the very statement the API runs, on one connection.
		const direct: number[] = [];
		let eligibleOnFirstPage = 0;
		for (const after of afters) {
			const q = eligibleTechniciansQuery(handle.db, { type: jobType, at, limit: PAGE, after }).toSQL();
			const t0 = performance.now();
			const rows = await sql.unsafe(q.sql, q.params as never[]);
			direct.push(performance.now() - t0);
			if (after === undefined) eligibleOnFirstPage = rows.length;
		}
		const [{ eligible }] = (await sql`select count(*)::int as eligible from "user" u where exists (select 1 from certification_holding h where h.user_id = u.id and h.certification_id = 'home-visit-service' and h.level >= 2 and h.granted_at <= ${at} and h.expires_at > ${at} and (h.revoked_at is null or h.revoked_at > ${at})) and exists (select 1 from certification_holding h where h.user_id = u.id and h.certification_id = 'ro-purifier-service' and h.granted_at <= ${at} and h.expires_at > ${at} and (h.revoked_at is null or h.revoked_at > ${at}))`) as unknown as [{ eligible: number }];
		console.log(`Eligible for the job type a week from now: ${eligible.toLocaleString('en')} of ${TECHNICIANS.toLocaleString('en')} (first page ${eligibleOnFirstPage - 1 >= PAGE ? PAGE : eligibleOnFirstPage})`);

		// API: the built app on this database, a real token.
		if (!existsSync(path.join(root, 'build', 'index.js'))) {
			console.log('Building the app…');
			const built = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
			if (built.status !== 0) throw new Error('build failed');
		}
		const { secret } = await createApiToken(handle.db, { name: 'bench', scopes: ['eligibility:read'] }, null);
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		app = spawn(process.execPath, ['build/index.js'], { cwd: root, env: { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1', ORIGIN: base }, stdio: process.env.BENCH_APP_LOG ? 'inherit' : 'ignore' });
		for (let i = 0; ; i++) {
			try {
				if ((await fetch(`${base}/health`)).ok) break;
			} catch {
				/* not up yet */
			}
			if (i > 200) throw new Error('the app did not start');
			await new Promise((r) => setTimeout(r, 100));
		}
		const headers = { authorization: `Bearer ${secret}` };
		const path0 = `/api/v1/job-types/${type!.id}/eligible-technicians?at=${encodeURIComponent(at.toISOString())}&limit=${PAGE}`;
		for (let i = 0; i < 30; i++) await (await fetch(base + path0, { headers })).arrayBuffer(); // warm up
		const api: number[] = [];
		let errors = 0;
		for (const after of afters) {
			const cursor = after ? `&cursor=${encodeCursor({ after, jobTypeId: type!.id, at, durationMinutes: null })}` : '';
			const t0 = performance.now();
			const res = await fetch(base + path0 + cursor, { headers });
			if (res.status === 200) await res.arrayBuffer();
			api.push(performance.now() - t0);
			if (res.status !== 200 && errors++ === 0) console.log(`First error: ${res.status} ${(await res.text()).slice(0, 300)}`);
		}
		direct.sort((a, b) => a - b);
		api.sort((a, b) => a - b);
		console.log(`Direct SQL (postgres.js, same statement, ${SAMPLES} pages of ${PAGE}): p50 ${fmt(pct(direct, 50))}, p95 ${fmt(pct(direct, 95))}`);
		console.log(`API over HTTP (auth + audit row + JSON, ${SAMPLES} pages): p50 ${fmt(pct(api, 50))}, p95 ${fmt(pct(api, 95))}, errors ${errors}`);
		console.log(`Ratio API / direct SQL: p50 ${(pct(api, 50) / pct(direct, 50)).toFixed(2)}, p95 ${(pct(api, 95) / pct(direct, 95)).toFixed(2)}`);
		await sql.end();
	} finally {
		app?.kill('SIGTERM');
		await handle.close();
		if (process.env.BENCH_KEEP) console.log(`Kept database ${name}`);
		else await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
	}
}

await main();

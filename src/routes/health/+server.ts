import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import type { RequestHandler } from './$types';

/** For load balancers: 200 when this process can reach its database. */
export const GET: RequestHandler = async ({ locals }) => {
	await locals.db.execute(sql`select 1`);
	return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
};

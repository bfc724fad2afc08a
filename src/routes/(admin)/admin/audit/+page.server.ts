import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { listAudit } from '$lib/server/audit';
import { m } from '$lib/paraglide/messages.js';

const PAGE = 50;

export const load: PageServerLoad = async ({ locals, url }) => {
	const beforeParam = url.searchParams.get('before');
	const before = beforeParam === null ? undefined : Number(beforeParam);
	if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) error(400, m.audit_bad_before());
	const rows = await listAudit(locals.db, { limit: PAGE + 1, before, locale: locals.locale });
	return { rows: rows.slice(0, PAGE), older: rows.length > PAGE ? rows[PAGE - 1]!.id : null };
};

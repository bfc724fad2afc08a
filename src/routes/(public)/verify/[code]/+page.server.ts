import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { findCertification } from '$lib/server/certification/catalog';
import { statusAt } from '$lib/server/certification/lifecycle';
import { findByVerifyCode } from '$lib/server/certification/queries';

/** Public: only the holder's name, the certification, its level, status and dates. */
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	const row = await findByVerifyCode(locals.db, params.code);
	const def = row ? findCertification(row.certificationId) : undefined;
	if (!row || !def) error(404, m.verify_not_found());
	setHeaders({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex' });
	return {
		name: row.name,
		certification: def.title[locals.locale] ?? def.title.en ?? def.id,
		level: row.level,
		status: statusAt(row, def, new Date()),
		grantedAt: row.grantedAt.toISOString().slice(0, 10),
		expiresAt: row.expiresAt.toISOString().slice(0, 10)
	};
};

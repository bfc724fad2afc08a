import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { findCertification } from '$lib/server/certification/catalog';
import { statusAt } from '$lib/server/certification/lifecycle';
import { findByVerifyCode } from '$lib/server/certification/queries';
import { organisationTimeZone } from '$lib/server/organisation';
import { formatDay } from '$lib/format';

/** Public: only the holder's name, the certification, its level, status and dates. */
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	const [row, zone] = await Promise.all([findByVerifyCode(locals.db, params.code), organisationTimeZone(locals.db)]);
	const def = row ? findCertification(row.certificationId) : undefined;
	if (!row || !def) error(404, m.verify_not_found());
	setHeaders({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex' });
	return {
		name: row.name,
		certification: def.title[locals.locale] ?? def.title.en ?? def.id,
		level: row.level,
		status: statusAt(row, def, new Date()),
		// Calendar days in the organisation's zone, as on the certificate.
		grantedAt: formatDay(row.grantedAt, zone),
		expiresAt: formatDay(row.expiresAt, zone)
	};
};

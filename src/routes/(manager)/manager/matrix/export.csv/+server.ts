import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { managerMatrix } from '$lib/server/dispatch/matrix-view';
import { toCsv, withBom } from '$lib/server/learning/csv';
import { m } from '$lib/paraglide/messages.js';
import { formatDay } from '$lib/format';

/** The matrix as filtered on the page, one line per technician and certification. */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const { definitions, rows } = await managerMatrix(locals.db, locals.user.id, url.searchParams);
	// Expiry dates are calendar days in the organisation's zone, as on the page.
	const day = (d: Date | null) => (d ? formatDay(d, locals.user!.organisationTimeZone) : null);
	const csv = toCsv([
		['technician', 'email', 'team', 'certification', 'status', 'level', 'expires', 'expiring_soon'],
		...rows.flatMap((r) =>
			r.cells.map((c) => [
				r.technician.name,
				r.technician.email,
				r.technician.teamName,
				definitions.find((d) => d.id === c.certificationId)?.title.en ?? c.certificationId,
				c.status,
				c.level,
				day(c.expiresAt),
				c.expiringSoon ? 'yes' : 'no'
			])
		)
	]);
	return new Response(withBom(csv), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="certification-matrix.csv"' }
	});
};

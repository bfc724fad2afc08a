import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { certificatePdf, findCertificate } from '$lib/server/certification/certificate';

/** The technician's own certificate of a currently valid cycle, as a PDF in their language; 404 for anything else. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const found = await findCertificate(locals.db, locals.user.id, params.id);
	if (!found) error(404, m.certificate_not_found());
	const { bytes, filename } = await certificatePdf(found, locals.locale, url.origin, locals.user.organisationTimeZone);
	return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${filename}"`,
			'content-length': String(bytes.byteLength),
			'cache-control': 'private, no-store'
		}
	});
};

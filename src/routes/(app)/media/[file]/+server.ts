import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { RequestHandler } from './$types';
import { contentPicture } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages.js';

/** Uploaded pictures, by the SHA-256 of their bytes: the address never shows other bytes, so they are cached for good. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const match = /^([0-9a-f]{64})\.(png|jpg|webp)$/.exec(params.file);
	if (!match) error(404, m.error_no_picture());
	const [row] = await locals.db.select({ type: contentPicture.type, bytes: contentPicture.bytes }).from(contentPicture).where(eq(contentPicture.sha256, match[1]!));
	if (!row) error(404, m.error_no_picture());
	return new Response(row.bytes.slice().buffer as ArrayBuffer, {
		headers: {
			'content-type': row.type,
			'cache-control': 'private, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox"
		}
	});
};

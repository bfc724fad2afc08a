import type { RequestHandler } from './$types';
import { exportContent } from '$lib/server/content/store';
import { writeZip } from '$lib/server/content/zip';

/** Everything published, as a zip in the content/ format (the same as `npm run content:export`). */
export const GET: RequestHandler = async ({ locals }) => {
	const { files, pictures } = await exportContent(locals.db);
	const entries = new Map<string, Uint8Array>();
	const encoder = new TextEncoder();
	for (const [path, text] of files) entries.set(path, encoder.encode(text));
	for (const [path, bytes] of pictures) entries.set(path, bytes);
	const body = writeZip(entries);
	return new Response(body.slice().buffer as ArrayBuffer, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': 'attachment; filename="serviceready-content.zip"',
			'cache-control': 'no-store'
		}
	});
};

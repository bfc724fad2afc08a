import { contentPicture } from '../db/schema.ts';
import type { Executor } from '../db/types.ts';
import { inspectPicture } from './picture.ts';

/** Stores an uploaded picture (type decided from its bytes) and gives the address lessons use. */
export async function storePicture(db: Executor, bytes: Uint8Array, name: string, userId: string | null): Promise<{ ok: true; src: string } | { ok: false; message: string }> {
	const inspected = inspectPicture(bytes, name);
	if (!inspected.ok) return inspected;
	const { sha256, type, ext, width, height } = inspected.facts;
	await db
		.insert(contentPicture)
		.values({ sha256, type, bytes, width, height, name: name.slice(0, 200), uploadedBy: userId })
		.onConflictDoNothing();
	return { ok: true, src: `/media/${sha256}.${ext}` };
}

import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { contentDraft, user } from '../db/schema.ts';
import type { Db } from '../db/index.ts';
import type { Executor } from '../db/types.ts';
import { checkFiles } from '../../content/check.ts';
import { pictureLookup, publish, publishedPackages, refKey, versionFiles, type PackageRef, type PublishResult } from './store.ts';

/**
 * The studio's drafts: a working copy of every file of a package, saved file by file. Each save
 * names the revision it was made from; a save from an older revision is a conflict and changes
 * nothing, so two trainers never overwrite each other silently.
 */

export interface DraftFile {
	path: string;
	text: string;
	revision: number;
	baseVersion: number | null;
	updatedBy: string | null;
	updatedByName: string | null;
	updatedAt: Date;
}

export async function draftOf(db: Executor, ref: PackageRef): Promise<DraftFile[]> {
	return db
		.select({
			path: contentDraft.path,
			text: contentDraft.text,
			revision: contentDraft.revision,
			baseVersion: contentDraft.baseVersion,
			updatedBy: contentDraft.updatedBy,
			updatedByName: user.displayName,
			updatedAt: contentDraft.updatedAt
		})
		.from(contentDraft)
		.leftJoin(user, eq(user.id, contentDraft.updatedBy))
		.where(and(eq(contentDraft.kind, ref.kind), eq(contentDraft.key, ref.key)))
		.orderBy(contentDraft.path);
}

/** Packages with a draft, and when it was last saved. */
export async function draftsSummary(db: Executor) {
	return db
		.select({ kind: contentDraft.kind, key: contentDraft.key, files: sql<number>`count(*)::int`, updatedAt: sql<Date>`max(${contentDraft.updatedAt})` })
		.from(contentDraft)
		.groupBy(contentDraft.kind, contentDraft.key);
}

/** Opens a draft from the published version, unless one is open already. */
export async function openDraft(db: Db, ref: PackageRef, userId: string | null): Promise<DraftFile[]> {
	const existing = await draftOf(db, ref);
	if (existing.length) return existing;
	const published = (await publishedPackages(db)).find((p) => refKey(p) === refKey(ref));
	if (!published) return [];
	await db
		.insert(contentDraft)
		.values(Object.entries(published.files).map(([path, text]) => ({ kind: ref.kind, key: ref.key, path, text, baseVersion: published.version, updatedBy: userId })))
		.onConflictDoNothing();
	return draftOf(db, ref);
}

/** A new course: a draft only, until it is published. */
export async function createCourseDraft(db: Db, files: Record<string, string>, key: string, userId: string): Promise<void> {
	await createDraft(db, files, { kind: 'course', key }, userId);
}

/** A new package (course or certification): a draft only, until it is published. */
export async function createDraft(db: Db, files: Record<string, string>, ref: PackageRef, userId: string): Promise<void> {
	await db.insert(contentDraft).values(Object.entries(files).map(([path, text]) => ({ kind: ref.kind, key: ref.key, path, text, updatedBy: userId })));
}

export type SaveResult =
	| { ok: true; revision: number }
	| { ok: false; conflict: { path: string; theirs: string; revision: number; by: string | null; at: Date } | null };

/**
 * Saves one file of a draft. `revision` is the one the editor started from (0 for a new file).
 * When someone saved in between, nothing changes and their text comes back as a conflict.
 */
export async function saveDraftFile(db: Db, ref: PackageRef, path: string, text: string, revision: number, userId: string | null): Promise<SaveResult> {
	if (revision === 0) {
		const [row] = await db
			.insert(contentDraft)
			.values({ kind: ref.kind, key: ref.key, path, text, revision: 1, updatedBy: userId })
			.onConflictDoNothing()
			.returning({ revision: contentDraft.revision });
		if (row) return { ok: true, revision: row.revision };
	} else {
		const [row] = await db
			.update(contentDraft)
			.set({ text, revision: sql`${contentDraft.revision} + 1`, updatedBy: userId, updatedAt: new Date() })
			.where(and(eq(contentDraft.kind, ref.kind), eq(contentDraft.key, ref.key), eq(contentDraft.path, path), eq(contentDraft.revision, revision)))
			.returning({ revision: contentDraft.revision });
		if (row) return { ok: true, revision: row.revision };
	}
	const theirs = (await draftOf(db, ref)).find((f) => f.path === path);
	return { ok: false, conflict: theirs ? { path, theirs: theirs.text, revision: theirs.revision, by: theirs.updatedByName, at: theirs.updatedAt } : null };
}

export async function deleteDraftFiles(db: Executor, ref: PackageRef, paths: string[]): Promise<void> {
	for (const path of paths) await db.delete(contentDraft).where(and(eq(contentDraft.kind, ref.kind), eq(contentDraft.key, ref.key), eq(contentDraft.path, path)));
}

/** Renames files of a draft (renumbering lessons keeps their slugs, so readers keep their progress). */
export async function renameDraftFiles(db: Db, ref: PackageRef, renames: Array<{ from: string; to: string }>, userId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const files = await draftOf(tx, ref);
		const byPath = new Map(files.map((f) => [f.path, f]));
		await deleteDraftFiles(tx, ref, renames.map((r) => r.from));
		for (const r of renames) {
			const file = byPath.get(r.from);
			if (!file) continue;
			await tx.insert(contentDraft).values({ kind: ref.kind, key: ref.key, path: r.to, text: file.text, revision: file.revision + 1, updatedBy: userId });
		}
	});
}

export async function discardDraft(db: Executor, ref: PackageRef): Promise<void> {
	await db.delete(contentDraft).where(and(eq(contentDraft.kind, ref.kind), eq(contentDraft.key, ref.key)));
}

/** Checks a draft as it would be published: with everything else published, every problem at its file and line. */
export async function checkDraft(db: Executor, ref: PackageRef, files: Record<string, string>, options: { render?: boolean; only?: string[] } = {}) {
	const current = await publishedPackages(db);
	const merged = new Map<string, string>();
	for (const p of current) if (refKey(p) !== refKey(ref)) for (const [f, t] of Object.entries(p.files)) merged.set(f, t);
	for (const [f, t] of Object.entries(files)) merged.set(f, t);
	const own = new Set(Object.keys(files));
	const bodies = new Set(options.only ?? own);
	const result = await checkFiles(merged, { label: '.', render: options.render, trusted: true, checkBodies: (f) => bodies.has(f), pictureExists: await pictureLookup(db) });
	return { result, problems: result.problems.filter((p) => own.has(p.file) || !merged.has(p.file)) };
}

/**
 * Publishes a draft as a new version and closes it. A draft opened from a version that is no
 * longer the newest is refused (publishing it would undo the newer one). A file saved while the
 * publish ran stays a draft, on top of the version just published.
 */
export async function publishDraft(db: Db, ref: PackageRef, input: { userId: string; note: string; renewBy: Date | null }): Promise<PublishResult> {
	const draft = await draftOf(db, ref);
	const files = Object.fromEntries(draft.map((f) => [f.path, f.text]));
	if (!draft.length) return { ok: false, problems: [{ file: ref.key, line: 1, message: 'there is no draft to publish' }] };
	const [base] = await db
		.select({ baseVersion: contentDraft.baseVersion })
		.from(contentDraft)
		.where(and(eq(contentDraft.kind, ref.kind), eq(contentDraft.key, ref.key), isNotNull(contentDraft.baseVersion)))
		.limit(1);
	const basedOn = new Map([[refKey(ref), base?.baseVersion ?? null]]);
	const result = await publish(db, { changes: [{ ...ref, files }], authorId: input.userId, note: input.note, renewBy: input.renewBy, basedOn }, '.');
	if (!result.ok) return result;
	const version = result.published[0]?.version ?? null;
	await db.transaction(async (tx) => {
		for (const f of draft) {
			await tx
				.delete(contentDraft)
				.where(and(eq(contentDraft.kind, ref.kind), eq(contentDraft.key, ref.key), eq(contentDraft.path, f.path), eq(contentDraft.revision, f.revision)));
		}
		const left = await draftOf(tx, ref);
		if (!left.length || version === null) return;
		// Someone saved during the publish: their files stay, the rest comes from the new version.
		await tx
			.insert(contentDraft)
			.values(Object.entries(files).map(([path, text]) => ({ kind: ref.kind, key: ref.key, path, text, updatedBy: input.userId })))
			.onConflictDoNothing();
		await tx.update(contentDraft).set({ baseVersion: version }).where(and(eq(contentDraft.kind, ref.kind), eq(contentDraft.key, ref.key)));
	});
	return result;
}

/** Publishes an older version again, as a new version. */
export async function restoreVersion(db: Db, ref: PackageRef, version: number, userId: string): Promise<PublishResult> {
	const old = await versionFiles(db, ref, version);
	if (!old) return { ok: false, problems: [{ file: ref.key, line: 1, message: `there is no version ${version}` }] };
	return publish(db, { changes: [{ ...ref, files: old.files }], authorId: userId, note: `Restored version ${version}`, restoredFrom: version }, '.');
}

import path from 'node:path';
import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { checkFiles, formatProblems, readContentDir, staticPictures, type ContentFiles, type Problem } from '../../content/check.ts';
import { certificationHolding, contentPicture, contentVersion } from '../db/schema.ts';
import type { CertificationDefinition } from '../certification/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Db } from '../db/index.ts';
import type { Executor } from '../db/types.ts';
import { recordAudit } from '../audit.ts';
import { inspectPicture } from './picture.ts';
import { buildSnapshot, currentContent, setContent, type PublishedPackage } from './registry.ts';

/**
 * The content store: every publish is a new immutable version of one package (a course or a
 * certification). Every app process serves the newest versions and notices a publish by the
 * growing id of content_version, read at most every REFRESH_MS (see ensureFreshContent).
 */

export type PackageKind = 'course' | 'certification';
export interface PackageRef {
	kind: PackageKind;
	key: string;
}

export const REFRESH_MS = 250;

const COURSE_PATH = /^courses\/\d{2,3}-([a-z0-9]+(?:-[a-z0-9]+)*)\//;
const CERT_PATH = /^certifications\/([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

/** The package a file belongs to, or null (README files, misplaced files: the checker names them). */
export function packageOf(file: string): PackageRef | null {
	const course = COURSE_PATH.exec(file);
	if (course) return { kind: 'course', key: course[1]! };
	const cert = CERT_PATH.exec(file);
	if (cert) return { kind: 'certification', key: cert[1]! };
	return null;
}

export const refKey = (ref: PackageRef) => `${ref.kind}:${ref.key}`;

/** A course's `version:` line is the store's version number: it is set on publish, and ignored when comparing. */
export function withVersionLine(text: string, version: number): string {
	return text.replace(/^version:[^\n]*$/m, `version: ${version}`);
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	return keys.every((k) => k in b && (k.endsWith('/course.md') ? withVersionLine(a[k]!, 0) === withVersionLine(b[k]!, 0) : a[k] === b[k]));
}

/** The newest version of every package, with files and rendered lessons. */
export async function publishedPackages(db: Executor): Promise<PublishedPackage[]> {
	const rows = await db
		.selectDistinctOn([contentVersion.kind, contentVersion.key], {
			id: contentVersion.id,
			kind: contentVersion.kind,
			key: contentVersion.key,
			version: contentVersion.version,
			files: contentVersion.files,
			rendered: contentVersion.rendered,
			createdAt: contentVersion.createdAt
		})
		.from(contentVersion)
		.orderBy(contentVersion.kind, contentVersion.key, desc(contentVersion.version));
	return rows;
}

/** The newest version of each course published as a material change. */
export async function materialVersions(db: Executor): Promise<Array<{ key: string; version: number }>> {
	return db
		.selectDistinctOn([contentVersion.key], { key: contentVersion.key, version: contentVersion.version })
		.from(contentVersion)
		.where(and(eq(contentVersion.kind, 'course'), isNotNull(contentVersion.renewBy)))
		.orderBy(contentVersion.key, desc(contentVersion.version));
}

/**
 * How many versions exist: versions are never deleted, so every commit of a publish makes it grow,
 * also one whose id is lower than a version already seen (ids are handed out before commit).
 */
export async function stampOf(db: Executor): Promise<number> {
	const [row] = await db.select({ stamp: sql<number>`count(*)::int` }).from(contentVersion);
	return Number(row?.stamp ?? 0);
}

const state = globalThis as typeof globalThis & { __contentRefresh?: { checkedAt: number; running: Promise<void> | null } };
const refresh = (state.__contentRefresh ??= { checkedAt: 0, running: null });

/** Loads the published content when it changed since this process last looked. */
export async function refreshContent(db: Executor, options: { after?: 'commit' } = {}): Promise<void> {
	// Right after a commit, a refresh already running may have read the stamp before it: run again.
	if (refresh.running && options.after === 'commit') await refresh.running.catch(() => {});
	if (refresh.running) return refresh.running;
	refresh.running = (async () => {
		try {
			refresh.checkedAt = Date.now();
			const stamp = await stampOf(db);
			if (stamp === currentContent().stamp) return;
			const [packages, material] = await Promise.all([publishedPackages(db), materialVersions(db)]);
			setContent(await buildSnapshot(packages, stamp, material));
		} finally {
			refresh.running = null;
		}
	})();
	return refresh.running;
}

/** Called on every request: looks at the store's stamp at most every REFRESH_MS. */
export async function ensureFreshContent(db: Executor): Promise<void> {
	if (Date.now() - refresh.checkedAt < REFRESH_MS && currentContent().stamp >= 0) return;
	await refreshContent(db);
}

/** Addresses of pictures a lesson may show: shipped ones in static/images, uploaded ones in the store. */
export async function pictureLookup(db: Executor, extra: Iterable<string> = []): Promise<(target: string) => boolean> {
	const shipped = staticPictures(path.resolve('static'));
	const rows = await db.select({ sha256: contentPicture.sha256, type: contentPicture.type }).from(contentPicture);
	const uploaded = new Set(rows.map((r) => `/media/${r.sha256}.${extOf(r.type)}`));
	for (const name of extra) uploaded.add('/' + name);
	return (target) => shipped(target) || uploaded.has(target);
}

export function extOf(type: string): string {
	return type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : 'jpg';
}

export interface PublishInput {
	/** The package's files after the change (every file of it); an empty set is refused. */
	changes: Array<PackageRef & { files: Record<string, string> }>;
	authorId: string | null;
	note: string;
	/** A material change: holders of certifications that depend on the course must renew by then. */
	renewBy?: Date | null;
	restoredFrom?: number | null;
	/** Extra picture names (media/<sha>.<ext>) stored in the same transaction. */
	pictures?: Map<string, Uint8Array>;
	/** The published version each change was made from (null: none yet); a newer one is a conflict. */
	basedOn?: Map<string, number | null>;
}

class PublishConflict extends Error {}

/** A unique-key violation (23505), as postgres.js and PGlite report it, also when wrapped by drizzle. */
function isUniqueViolation(e: unknown): boolean {
	for (let x: unknown = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) {
		if ((x as { code?: string }).code === '23505') return true;
	}
	return false;
}

export type PublishResult =
	| { ok: true; published: Array<PackageRef & { version: number; id: number }>; unchanged: PackageRef[] }
	| { ok: false; problems: Problem[] };

/**
 * Checks the packages together with everything else published and, when nothing has a problem,
 * stores each changed package as a new version, in one transaction. Nothing is written otherwise.
 */
export async function publish(db: Db, input: PublishInput, label = 'content'): Promise<PublishResult> {
	const current = await publishedPackages(db);
	const byRef = new Map(current.map((p) => [refKey(p), p]));
	const changed = input.changes.filter((c) => {
		const was = byRef.get(refKey(c));
		return !was || input.restoredFrom != null || !sameFiles(was.files, c.files);
	});
	const unchanged = input.changes.filter((c) => !changed.includes(c)).map(({ kind, key }) => ({ kind, key }));
	const problems: Problem[] = [];
	const rel = (file: string) => (label === '.' ? file : `${label}/${file}`);
	const pictureNames: string[] = [];
	for (const [name, bytes] of input.pictures ?? []) {
		const facts = inspectPicture(bytes, name);
		if (!facts.ok) problems.push({ file: rel(name), line: 1, message: facts.message });
		else if (name !== `media/${facts.facts.sha256}.${facts.facts.ext}`) {
			problems.push({ file: rel(name), line: 1, message: `pictures in media/ are named by their content: rename it media/${facts.facts.sha256}.${facts.facts.ext}, or upload it in the studio` });
		} else pictureNames.push(name);
	}
	for (const c of changed) {
		if (!Object.keys(c.files).length) problems.push({ file: rel(`${c.kind === 'course' ? 'courses' : 'certifications'}/${c.key}`), line: 1, message: 'has no files' });
		for (const file of Object.keys(c.files)) {
			const owner = packageOf(file);
			if (!owner || owner.kind !== c.kind || owner.key !== c.key) problems.push({ file: rel(file), line: 1, message: `does not belong to ${c.kind} "${c.key}"` });
		}
	}
	if (problems.length) return { ok: false, problems };
	if (!changed.length) return { ok: true, published: [], unchanged };

	// The whole set as it would be served: other packages as published, these as given.
	const merged: ContentFiles = new Map();
	const replaced = new Set(changed.map(refKey));
	for (const p of current) if (!replaced.has(refKey(p))) for (const [f, t] of Object.entries(p.files)) merged.set(f, t);
	for (const c of changed) for (const [f, t] of Object.entries(c.files)) merged.set(f, t);
	const exists = await pictureLookup(db, pictureNames);
	const result = await checkFiles(merged, { label, render: true, pictureExists: exists });
	if (result.problems.length) return { ok: false, problems: result.problems };
	// A course slug may live in one folder only.
	for (const c of changed.filter((x) => x.kind === 'course')) {
		const dirs = new Set([...merged.keys()].filter((f) => packageOf(f)?.key === c.key && f.startsWith('courses/')).map((f) => f.split('/')[1]));
		if (dirs.size > 1) return { ok: false, problems: [{ file: rel(`courses/${[...dirs][1]}`), line: 1, message: `duplicate course slug "${c.key}" (also courses/${[...dirs][0]})` }] };
	}

	let published: Array<PackageRef & { version: number; id: number }>;
	try {
		published = await writeVersions();
	} catch (e) {
		if (e instanceof PublishConflict) return { ok: false, problems: [{ file: rel(e.message), line: 1, message: e.cause as string }] };
		if (isUniqueViolation(e)) {
			return { ok: false, problems: changed.map((c) => ({ file: rel(c.key), line: 1, message: 'someone else published this at the same moment; nothing was published: open it again and publish once more' })) };
		}
		throw e;
	}
	await refreshContent(db, { after: 'commit' });
	return { ok: true, published, unchanged };

	function writeVersions() {
		return db.transaction(async (tx) => {
		for (const name of pictureNames) {
			const bytes = input.pictures!.get(name)!;
			const facts = inspectPicture(bytes, name);
			if (!facts.ok) continue;
			await tx
				.insert(contentPicture)
				.values({ sha256: facts.facts.sha256, type: facts.facts.type, bytes, width: facts.facts.width, height: facts.facts.height, name: path.basename(name), uploadedBy: input.authorId })
				.onConflictDoNothing();
		}
		const out: Array<PackageRef & { version: number; id: number }> = [];
		for (const c of changed) {
			const [last] = await tx
				.select({ version: contentVersion.version })
				.from(contentVersion)
				.where(and(eq(contentVersion.kind, c.kind), eq(contentVersion.key, c.key)))
				.orderBy(desc(contentVersion.version))
				.limit(1);
			const based = input.basedOn?.get(refKey(c));
			if (based !== undefined && (last?.version ?? null) !== based) {
				throw new PublishConflict(c.key, {
					cause: `version ${last?.version} was published after this draft was opened from ${based === null ? 'nothing' : `version ${based}`}; publishing it would undo that version: discard the draft (or copy your changes) and edit the newest version`
				});
			}
			const version = (last?.version ?? 0) + 1;
			const files: Record<string, string> = {};
			const rendered: Record<string, string> = {};
			for (const file of Object.keys(c.files).sort()) {
				files[file] = file.endsWith('/course.md') ? withVersionLine(c.files[file]!, version) : c.files[file]!;
				if (result.rendered[file] !== undefined) rendered[file] = result.rendered[file]!;
			}
			const [row] = await tx
				.insert(contentVersion)
				.values({
					kind: c.kind,
					key: c.key,
					version,
					files,
					rendered,
					note: input.note,
					authorId: input.authorId,
					renewBy: c.kind === 'course' ? (input.renewBy ?? null) : null,
					restoredFrom: input.restoredFrom ?? null
				})
				.returning({ id: contentVersion.id });
			await recordAudit(tx, {
				actorId: input.authorId,
				action: input.restoredFrom != null ? 'content.restored' : 'content.published',
				subjectType: c.kind === 'course' ? 'course' : 'certification_definition',
				subjectId: c.key,
				detail: { version, note: input.note, ...(input.restoredFrom != null ? { restoredFrom: input.restoredFrom } : {}), ...(input.renewBy ? { renewBy: input.renewBy.toISOString() } : {}) }
			});
			out.push({ kind: c.kind, key: c.key, version, id: row!.id });
			if (c.kind === 'course' && input.renewBy) {
				const certifications = result.graded.certifications.filter((d) => dependsOn(d, c.key)).map((d) => d.id);
				const holders = await markMaterialChange(tx, { course: c.key, certifications, renewBy: input.renewBy, now: new Date() });
				await recordAudit(tx, {
					actorId: input.authorId,
					action: 'content.material_change',
					subjectType: 'course',
					subjectId: c.key,
					detail: { version, renewBy: input.renewBy.toISOString(), certifications, holders }
				});
			}
		}
		return out;
		});
	}
}

/** Whether a certification requires the course, at any level or to renew. */
export function dependsOn(def: Pick<CertificationDefinition, 'requirements' | 'renewal'>, course: string): boolean {
	return [...def.requirements.flat(), ...def.renewal].some((r) => r.course === course);
}

/**
 * A material change: every valid cycle of these certifications granted before now becomes
 * renewal-due now, expires on `renewBy` at the latest (its earlier expiry is kept for the renewal
 * to extend from) and asks for the course again. Returns how many cycles changed.
 */
export async function markMaterialChange(tx: Executor, input: { course: string; certifications: string[]; renewBy: Date; now: Date }): Promise<number> {
	if (!input.certifications.length) return 0;
	const h = certificationHolding;
	const changed = await tx
		.update(h)
		.set({
			renewalDueFrom: sql`least(coalesce(${h.renewalDueFrom}, ${input.now.toISOString()}::timestamptz), ${input.now.toISOString()}::timestamptz)`,
			expiresBeforeChange: sql`coalesce(${h.expiresBeforeChange}, ${h.expiresAt})`,
			expiresAt: sql`least(${h.expiresAt}, ${input.renewBy.toISOString()}::timestamptz)`,
			relearn: sql`case when ${h.relearn} @> ${JSON.stringify([input.course])}::jsonb then ${h.relearn} else ${h.relearn} || ${JSON.stringify([input.course])}::jsonb end`
		})
		.where(and(inArray(h.certificationId, input.certifications), isNull(h.revokedAt), lte(h.grantedAt, input.now), gt(h.expiresAt, input.now)))
		.returning({ id: h.id });
	return changed.length;
}

/** Groups a content tree into packages (files that belong to none are left to the checker). */
export function groupPackages(files: ContentFiles): Array<PackageRef & { files: Record<string, string> }> {
	const groups = new Map<string, PackageRef & { files: Record<string, string> }>();
	for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
		const ref = packageOf(file);
		if (!ref) continue;
		const group = groups.get(refKey(ref)) ?? { ...ref, files: {} };
		group.files[file] = text;
		groups.set(refKey(ref), group);
	}
	return [...groups.values()];
}

/**
 * Imports a content tree: checks it whole (with everything published that it does not replace)
 * and publishes each package that changed as a new version. Files outside the format are problems.
 */
export async function importContent(
	db: Db,
	tree: { files: ContentFiles; pictures: Map<string, Uint8Array> },
	options: { authorId: string | null; note: string; label?: string }
): Promise<PublishResult> {
	const label = options.label ?? 'content';
	const strays: Problem[] = [];
	for (const file of tree.files.keys()) {
		if (packageOf(file) || file === 'README.md' || /^(courses|certifications)\/README\.md$/.test(file)) continue;
		strays.push({ file: `${label}/${file}`, line: 1, message: 'not part of the content format: files go in courses/<nn>-<course>/, certifications/ or media/' });
	}
	if (strays.length) return { ok: false, problems: strays };
	return publish(db, { changes: groupPackages(tree.files), authorId: options.authorId, note: options.note, pictures: tree.pictures }, label);
}

/** Everything published, in the content/ format, with the uploaded pictures lessons show. */
export async function exportContent(db: Executor): Promise<{ files: ContentFiles; pictures: Map<string, Uint8Array> }> {
	const packages = await publishedPackages(db);
	const files: ContentFiles = new Map();
	for (const p of packages) for (const [f, t] of Object.entries(p.files)) files.set(f, t);
	const wanted = new Set<string>();
	for (const text of files.values()) for (const m of text.matchAll(/\/media\/([0-9a-f]{64})\.(png|jpg|webp)/g)) wanted.add(m[1]!);
	const pictures = new Map<string, Uint8Array>();
	if (wanted.size) {
		const rows = await db.select().from(contentPicture).where(inArray(contentPicture.sha256, [...wanted]));
		for (const r of rows) pictures.set(`media/${r.sha256}.${extOf(r.type)}`, r.bytes);
	}
	return { files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), pictures };
}

/** On a store that has never been published to, the shipped content/ becomes version 1 of each package. */
export async function importShippedContent(db: Db, root = process.cwd()): Promise<boolean> {
	const [any] = await db.select({ id: contentVersion.id }).from(contentVersion).limit(1);
	if (any) return false;
	const tree = readContentDir(path.join(root, 'content'));
	const result = await importContent(db, tree, { authorId: null, note: 'Imported from content/' });
	if (!result.ok) {
		// Another process starting on the same empty store published it first.
		const [now] = await db.select({ id: contentVersion.id }).from(contentVersion).limit(1);
		if (now) return false;
		throw new Error(`content/ has problems and was not imported:\n${formatProblems(result.problems)}`);
	}
	return true;
}

/** Versions of one package, newest first, with who published them. */
export async function versionsOf(db: Executor, ref: PackageRef) {
	return db
		.select({ id: contentVersion.id, version: contentVersion.version, note: contentVersion.note, authorId: contentVersion.authorId, createdAt: contentVersion.createdAt, renewBy: contentVersion.renewBy, restoredFrom: contentVersion.restoredFrom })
		.from(contentVersion)
		.where(and(eq(contentVersion.kind, ref.kind), eq(contentVersion.key, ref.key)))
		.orderBy(desc(contentVersion.version));
}

export async function versionFiles(db: Executor, ref: PackageRef, version: number) {
	const [row] = await db
		.select({ files: contentVersion.files, rendered: contentVersion.rendered, id: contentVersion.id })
		.from(contentVersion)
		.where(and(eq(contentVersion.kind, ref.kind), eq(contentVersion.key, ref.key), eq(contentVersion.version, version)));
	return row ?? null;
}

const pastScenarios = new Map<string, Scenario | null>();

/** Which scenario of which course version: what a run was played on. */
export interface PlayedScenario {
	course: string;
	id: string;
	version: number;
}

export const playedKey = (p: PlayedScenario) => `${p.course}@${p.version}/${p.id}`;

/**
 * Scenarios as they were in published versions of their courses (versions never change, so what
 * is read once is kept), keyed by `playedKey`; null when that version has no such scenario. The
 * versions not read before are loaded in one query, whatever their number: a run is played,
 * debriefed and recorded on the version it started on.
 */
export async function scenariosAtVersions(db: Executor, wanted: readonly PlayedScenario[]): Promise<Map<string, Scenario | null>> {
	const result = new Map<string, Scenario | null>();
	const missing: PlayedScenario[] = [];
	for (const p of wanted) {
		const key = playedKey(p);
		if (pastScenarios.has(key)) result.set(key, pastScenarios.get(key)!);
		else missing.push(p);
	}
	if (!missing.length) return result;
	const versions = [...new Map(missing.map((p) => [`${p.course}@${p.version}`, p])).values()];
	const rows = await db
		.select({ key: contentVersion.key, version: contentVersion.version, files: contentVersion.files })
		.from(contentVersion)
		.where(and(eq(contentVersion.kind, 'course'), or(...versions.map((p) => and(eq(contentVersion.key, p.course), eq(contentVersion.version, p.version))))));
	const found = new Map<string, Scenario>();
	for (const row of rows) {
		const checked = await checkFiles(new Map(Object.entries(row.files)), { trusted: true, pictureExists: () => true });
		for (const s of checked.graded.scenarios) if (s.courseSlug === row.key) found.set(playedKey({ course: row.key, id: s.id, version: row.version }), s);
	}
	for (const p of missing) {
		const key = playedKey(p);
		const scenario = found.get(key) ?? null;
		result.set(key, scenario);
		if (pastScenarios.size > 200) pastScenarios.delete(pastScenarios.keys().next().value!);
		pastScenarios.set(key, scenario);
	}
	return result;
}

/** A scenario as it was in one published version of its course: a run is played and debriefed on the version it started on. */
export async function scenarioAtVersion(db: Executor, course: string, id: string, version: number): Promise<Scenario | null> {
	const played = { course, id, version };
	return (await scenariosAtVersions(db, [played])).get(playedKey(played)) ?? null;
}

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { and, desc, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { createDb } from '../../src/lib/server/db';
import { auditEvent, contentVersion, lessonProgress, user } from '../../src/lib/server/db/schema';
import { formatProblems, readContentDir, type ContentFiles } from '../../src/lib/content/check';
import { checkLessonBody } from '../../src/lib/content/lesson-body';
import { renderLesson } from '../../src/lib/content/render';
import { ensureFreshContent, exportContent, importContent, refreshContent, REFRESH_MS, versionFiles, versionsOf, withVersionLine, type PackageRef } from '../../src/lib/server/content/store';
import { currentContent, setContent } from '../../src/lib/server/content/registry';
import { deleteDraftFiles, draftOf, openDraft, publishDraft, restoreVersion, saveDraftFile } from '../../src/lib/server/content/drafts';
import { contentZip, readContentFolder, readContentZip, writeContentFolder, type ContentTree } from '../../src/lib/server/content/tree';
import { findCourse, lessonHtml } from '../../src/lib/server/content';
import { progressOf, recordCompleted, recordOpened } from '../../src/lib/server/learning/queries';
import { courseProgress } from '../../src/lib/server/learning/progress';

let t: TestDb;
let tech: string;
let trainerA: string;
let trainerB: string;
let scratch: string;
/** What this file started serving: the template's content, as another process would still hold it. */
const initial = currentContent();

const CALM = 'courses/02-complaints/02-calm-first.en.svx';
const encoder = new TextEncoder();

beforeAll(async () => {
	t = await freshDb();
	const people = await t.db
		.insert(user)
		.values([
			{ email: 'tech@example.com', displayName: 'Tess Tech' },
			{ email: 'trainer-a@example.com', displayName: 'Trainer A' },
			{ email: 'trainer-b@example.com', displayName: 'Trainer B' }
		])
		.returning({ id: user.id });
	[tech, trainerA, trainerB] = people.map((p) => p.id) as [string, string, string];
	scratch = mkdtempSync(path.join(tmpdir(), 'content-store-'));
});
afterAll(async () => {
	await t.dispose();
	rmSync(scratch, { recursive: true, force: true });
});

async function counts() {
	const [versions] = await t.db.select({ n: sql<number>`count(*)::int` }).from(contentVersion);
	const [audits] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent).where(like(auditEvent.action, 'content.%'));
	return { versions: versions!.n, audits: audits!.n };
}

const copyTree = (tree: ContentTree): ContentTree => ({ files: new Map(tree.files), pictures: new Map(tree.pictures) });
const asRecord = (files: ContentFiles) => Object.fromEntries(files);
const lesson = (title: string, body: string) => `---\ntitle: ${JSON.stringify(title)}\nsummary: A lesson.\nminutes: 3\n---\n\n${body}\n`;

/** The shipped content/ without its authoring guides: what the store holds as version 1. */
function shippedTree(): ContentTree {
	const { files, pictures } = readContentDir(path.resolve('content'));
	for (const file of files.keys()) if (file.endsWith('README.md')) files.delete(file);
	return { files, pictures };
}

/** A greyscale 2 × 2 PNG. */
function png(): Uint8Array {
	const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
	const chunk = (type: string, data: number[]) => {
		const body = [...encoder.encode(type), ...data];
		return [...u32(data.length), ...body, ...u32(crc32(Uint8Array.from(body)))];
	};
	return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', [...u32(2), ...u32(2), 8, 0, 0, 0, 0]), ...chunk('IDAT', [...deflateSync(new Uint8Array(6))]), ...chunk('IEND', [])]);
}

/**
 * Every tag of rendered HTML with its attributes. The renderer escapes `<`, `>` and quotes in
 * text and attribute values, so a tag is exactly what lies between a `<` and the next `>`.
 */
function tagsOf(html: string) {
	const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
	return [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map(([, name, rest]) => ({
		name: name!.toLowerCase(),
		attributes: [...rest!.matchAll(/\s([^\s=/>]+)(?:=("[^"]*"|'[^']*'|[^\s>]+))?/g)].map(([, attr, value]) => ({
			name: attr!.toLowerCase(),
			value: decode((value ?? '').replace(/^["']|["']$/g, ''))
		}))
	}));
}

/** Tags and attributes that could run script, as `<tag attribute>`. */
function scriptable(html: string): string[] {
	const found: string[] = [];
	for (const tag of tagsOf(html)) {
		if (['script', 'iframe', 'object', 'embed', 'style', 'base', 'form', 'meta', 'link', 'svg', 'math'].includes(tag.name)) found.push(`<${tag.name}>`);
		for (const a of tag.attributes) {
			const address = a.value.replace(/[\u0000-\u0020]/g, '');
			if (/^on/.test(a.name) || a.name === 'style' || a.name === 'srcdoc' || /^(javascript|vbscript|data):/i.test(address)) found.push(`<${tag.name} ${a.name}>`);
		}
	}
	return found;
}

function expectInert(html: string) {
	expect(html).not.toMatch(/<script/i);
	expect(html).not.toMatch(/javascript:/i);
	expect(scriptable(html), html).toEqual([]);
}

describe('export and import', () => {
	it('exports exactly the shipped content/ files, and export → import → export changes nothing', async () => {
		const before = await counts();
		const first = await exportContent(t.db);
		expect(asRecord(first.files)).toEqual(asRecord(shippedTree().files));

		const result = await importContent(t.db, copyTree(first), { authorId: null, note: 'round trip' });
		expect(result).toEqual({ ok: true, published: [], unchanged: expect.any(Array) });
		expect(result.ok && result.unchanged).toHaveLength(8);
		const second = await exportContent(t.db);
		expect([...second.files.keys()]).toEqual([...first.files.keys()]);
		expect(asRecord(second.files)).toEqual(asRecord(first.files));
		expect(await counts()).toEqual(before);
	});

	it('round-trips through a zip byte for byte, and through a folder', async () => {
		const before = await counts();
		const zip = contentZip(await exportContent(t.db));
		const read = readContentZip(zip, 'content.zip');
		if (!read.ok) throw new Error(formatProblems(read.problems));
		expect(await importContent(t.db, read.tree, { authorId: null, note: 'zip round trip', label: 'content.zip' })).toMatchObject({ ok: true, published: [] });
		expect(Buffer.from(contentZip(await exportContent(t.db))).equals(Buffer.from(zip))).toBe(true);

		const dir = path.join(scratch, 'round-trip');
		writeContentFolder(dir, await exportContent(t.db));
		const folder = readContentFolder(dir, 'round-trip');
		if (!folder.ok) throw new Error(formatProblems(folder.problems));
		expect(await importContent(t.db, folder.tree, { authorId: null, note: 'folder round trip' })).toMatchObject({ ok: true, published: [] });
		expect(Buffer.from(contentZip(folder.tree)).equals(Buffer.from(zip))).toBe(true);
		expect(await counts()).toEqual(before);
	});

	it('publishes only the course whose lesson changed, as version 2, and readers keep their progress', async () => {
		const complaints = findCourse('complaints')!;
		expect(complaints.version).toBe(1);
		await recordCompleted(t.db, { userId: tech, course: complaints, lessonSlug: 'calm-first', locale: 'en' }, new Date('2026-05-01T08:00:00Z'));

		const tree = copyTree(await exportContent(t.db));
		tree.files.set(CALM, tree.files.get(CALM)!.trimEnd() + '\n\nBreathe out slowly before you answer.\n');
		const result = await importContent(t.db, tree, { authorId: null, note: 'A closing line' });
		expect(result).toMatchObject({ ok: true, published: [{ kind: 'course', key: 'complaints', version: 2 }] });
		expect(result.ok && result.unchanged).toHaveLength(7);

		await refreshContent(t.db);
		const served = findCourse('complaints')!;
		expect(served.version).toBe(2);
		expect(served.lessons.map((l) => l.slug)).toEqual(complaints.lessons.map((l) => l.slug));
		expect(lessonHtml(CALM)).toContain('Breathe out slowly before you answer.');
		expect(findCourse('home-visit')!.version).toBe(1);
		const exported = await exportContent(t.db);
		expect(exported.files.get('courses/02-complaints/course.md')).toMatch(/^version: 2$/m);

		// Progress is keyed by course and lesson slug, which a new version keeps.
		expect(courseProgress(served, await progressOf(t.db, tech))).toMatchObject({ done: 1, total: served.lessons.length });
		await recordOpened(t.db, { userId: tech, course: served, lessonSlug: 'five-steps', locale: 'zh-CN' });
		await recordCompleted(t.db, { userId: tech, course: served, lessonSlug: 'five-steps', locale: 'zh-CN' });
		const rows = await t.db.select().from(lessonProgress).where(eq(lessonProgress.userId, tech)).orderBy(lessonProgress.lessonSlug);
		expect(rows.map((r) => [r.lessonSlug, r.contentVersion])).toEqual([
			['calm-first', 1],
			['five-steps', 2]
		]);
		expect(courseProgress(served, await progressOf(t.db, tech))).toMatchObject({ done: 2 });
	});

	it('stores pictures under media/ by their content and exports them with the lesson that shows them', async () => {
		const picture = png();
		const sha = createHash('sha256').update(picture).digest('hex');
		const tree = copyTree(await exportContent(t.db));
		const file = 'courses/04-ro-purifier/01-how-ro-works.en.svx';
		tree.files.set(file, tree.files.get(file)!.trimEnd() + `\n\n<Figure src="/media/${sha}.png" alt="A membrane" />\n`);
		tree.pictures.set(`media/${sha}.png`, picture);
		const zip = contentZip(tree);
		const read = readContentZip(zip, 'with-picture.zip');
		if (!read.ok) throw new Error(formatProblems(read.problems));
		expect(await importContent(t.db, read.tree, { authorId: null, note: 'A picture' })).toMatchObject({ ok: true, published: [{ key: 'ro-purifier', version: 2 }] });
		const exported = await exportContent(t.db);
		expect([...exported.pictures.keys()]).toEqual([`media/${sha}.png`]);
		expect(Buffer.from(exported.pictures.get(`media/${sha}.png`)!).equals(Buffer.from(picture))).toBe(true);

		const misnamed = copyTree(exported);
		misnamed.pictures = new Map([['media/membrane.png', picture]]);
		expect(await importContent(t.db, misnamed, { authorId: null, note: 'x' })).toMatchObject({ ok: false, problems: [{ file: 'content/media/membrane.png', line: 1, message: expect.stringContaining(`media/${sha}.png`) }] });
	});
});

describe('publishing is refused while the checker finds a problem', () => {
	const complaintsFiles = async () => [...(await exportContent(t.db)).files].filter(([f]) => f.startsWith('courses/02-complaints/'));
	const cases: Array<[string, (tree: ContentTree) => Promise<void> | void, RegExp]> = [
		['an event handler', (tree) => void tree.files.set(CALM, tree.files.get(CALM)! + '\n<img src=x onerror=alert(1)>\n'), /^content\/courses\/02-complaints\/02-calm-first\.en\.svx:\d+: .*onerror/m],
		['{@html}', (tree) => void tree.files.set(CALM, tree.files.get(CALM)! + '\n{@html x}\n'), /^content\/courses\/02-complaints\/02-calm-first\.en\.svx:\d+: \{@html …\} is not allowed/m],
		['a javascript: link', (tree) => void tree.files.set(CALM, tree.files.get(CALM)! + '\n[a](javascript:alert(1))\n'), /^content\/courses\/02-complaints\/02-calm-first\.en\.svx:\d+: the link javascript:alert\(1\) uses "javascript:"/m],
		['a missing zh-CN twin', (tree) => void tree.files.delete('courses/02-complaints/02-calm-first.zh-CN.svx'), /^content\/courses\/02-complaints\/02-calm-first\.en\.svx:1: missing zh-CN version/m],
		['broken frontmatter', (tree) => void tree.files.set(CALM, tree.files.get(CALM)!.replace(/^title: .*$/m, 'title: [never closed')), /^content\/courses\/02-complaints\/02-calm-first\.en\.svx:[23]: frontmatter: /m],
		[
			'one course slug in two folders',
			async (tree) => {
				for (const [file, text] of await complaintsFiles()) tree.files.set(file.replace('02-complaints', '09-complaints'), text);
			},
			/^content\/courses\/\d\d-complaints\/course\.md:1: duplicate course slug "complaints"/m
		],
		['a file outside the format', (tree) => void tree.files.set('courses/notes.txt', 'hello'), /^content\/courses\/notes\.txt:1: not part of the content format/m]
	];

	it.each(cases)('%s: a file:line problem, and nothing changes', async (_, change, expected) => {
		const before = await counts();
		const served = currentContent().stamp;
		const tree = copyTree(await exportContent(t.db));
		await change(tree);
		const result = await importContent(t.db, tree, { authorId: null, note: 'should not land' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(formatProblems(result.problems)).toMatch(expected);
		for (const p of result.problems) expect(p.line).toBeGreaterThanOrEqual(1);
		expect(await counts()).toEqual(before);
		expect(currentContent().stamp).toBe(served);
	});
});

describe('hostile lessons that pass the checker never carry script', () => {
	const HOSTILE = [
		'Text that shows &lt;script&gt;alert(1)&lt;/script&gt; as characters, and `<script>alert(1)</script>` as code.',
		'',
		'Quotes " and \' in text; a [link](https://example.com/?a="onmouseover=alert(1)) and [another](/learn/courses/home-visit "t\' onclick=\'x").',
		'',
		'<https://example.com/"onmouseover="alert(1)>',
		'',
		`An <Term definition="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">attempt</Term>, <Term definition='"><svg onload=alert(1)>'>another</Term> and <Term definition="' onmouseover='alert(1)">a third</Term>.`,
		'',
		`<Term definition={'"><img src=x onerror=alert(1)>'}>a fourth</Term>`,
		'',
		`<KnowledgeCheck question={'</div><img src=x onerror=alert(1)>'} options={["\\"><img src=x onerror=alert(1)>", "b' onmouseover='alert(1)"]} answer={0} explanation="&lt;/div&gt;" />`,
		'',
		`<DoDont do={["</li><img src=x onerror=alert(1)>"]} dont={["\\" onclick=\\"alert(1)"]} />`,
		'',
		'```html',
		'<script>alert(1)</script>',
		'```'
	].join('\n');

	it('stores HTML without script, event handlers or javascript: addresses', async () => {
		const tree = copyTree(await exportContent(t.db));
		tree.files.set('courses/01-home-visit/90-hostile.en.svx', lesson('Hostile', HOSTILE));
		tree.files.set('courses/01-home-visit/90-hostile.zh-CN.svx', lesson('恶意', HOSTILE));
		const result = await importContent(t.db, tree, { authorId: null, note: 'hostile' });
		if (!result.ok) throw new Error(formatProblems(result.problems));
		const [row] = await t.db
			.select({ rendered: contentVersion.rendered })
			.from(contentVersion)
			.where(and(eq(contentVersion.kind, 'course'), eq(contentVersion.key, 'home-visit')))
			.orderBy(desc(contentVersion.version))
			.limit(1);
		const html = row!.rendered['courses/01-home-visit/90-hostile.en.svx']!;
		expect(html).toContain('&lt;script&gt;');
		expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
		expectInert(html);
		for (const other of Object.values(row!.rendered)) expectInert(other);
	});

	it('holds for generated text in prose, terms and knowledge checks (property)', async () => {
		const hostile = fc.string({ unit: fc.constantFrom('<', '>', '"', "'", '&', '/', '=', ' ', 'a', 'on', 'script', 'javascript:', 'img', '`', '\\', '{', '}', '\n', '#', ';'), maxLength: 40 });
		const prose = fc.string({ unit: fc.constantFrom('&lt;', '&gt;', '&quot;', '&#39;', '&amp;', '&lt;script&gt;', '"', "'", ' ', 'a', 'on', 'click=', 'javascript:', '`', '\\', '#', ';', '*', '_', '[', ']', '(', ')'), maxLength: 40 });
		/** How a trainer writes any text into a quoted attribute. */
		const attribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{/g, '&#123;').replace(/\}/g, '&#125;');
		let rendered = 0;
		await fc.assert(
			fc.asyncProperty(prose, hostile, hostile, async (text, definition, question) => {
				const body = [text || 'Text.', '', `A <Term definition="${attribute(definition)}">word</Term>.`, '', `<KnowledgeCheck question={${JSON.stringify(question)}} options={${JSON.stringify([question, 'b'])}} answer={0} />`].join('\n');
				const facts = await checkLessonBody(body, 6);
				if (facts.problems.length || !facts.tree) return;
				rendered++;
				const html = renderLesson(facts.tree, { locale: 'en', idPrefix: 'p' });
				expect(html).not.toMatch(/<script/i);
				expect(scriptable(html), html).toEqual([]);
			}),
			{ numRuns: 150 }
		);
		// Most generated lessons pass the checker, so the property says something.
		expect(rendered).toBeGreaterThan(100);
	});
});

describe('zips and folders that cannot be imported', () => {
	const good = async () => {
		const tree = copyTree(await exportContent(t.db));
		tree.files.set(CALM, tree.files.get(CALM)!.trimEnd() + '\n\nA line that must not land.\n');
		const files: Record<string, Uint8Array> = {};
		for (const [f, text] of tree.files) files[f] = encoder.encode(text);
		return files;
	};
	const MiB = 1024 * 1024;
	const cases: Array<[string, Record<string, Uint8Array>, RegExp]> = [
		['path traversal', { '../x.md': encoder.encode('hi') }, /^upload\.zip\/\.\.\/x\.md:1: has a "\.\." segment/m],
		['an absolute path', { '/etc/x.md': encoder.encode('hi') }, /^upload\.zip\/\/etc\/x\.md:1: is an absolute path/m],
		['a zip bomb', { 'courses/02-complaints/big.en.svx': new Uint8Array(12 * MiB) }, /^upload\.zip\/courses\/02-complaints\/big\.en\.svx:1: .*(zip bomb|limit for one file)/m],
		['invalid UTF-8', { 'courses/02-complaints/03-five-steps.en.svx': Uint8Array.from([...encoder.encode('---\ntitle: x\n'), 0xff, 0x0a]) }, /^upload\.zip\/courses\/02-complaints\/03-five-steps\.en\.svx:3: is not valid UTF-8/m],
		['a picture outside media/', { 'courses/02-complaints/photo.png': png() }, /^upload\.zip\/courses\/02-complaints\/photo\.png:1: pictures go in media\//m],
		['text in media/', { 'media/notes.md': encoder.encode('hi') }, /^upload\.zip\/media\/notes\.md:1: only pictures/m]
	];

	it.each(cases)('%s: a problem, and nothing of the zip is published', async (_, bad, expected) => {
		const before = await counts();
		const zip = zipSync({ ...(await good()), ...bad }, { level: 6 });
		const read = readContentZip(zip, 'upload.zip');
		expect(read.ok).toBe(false);
		if (read.ok) await importContent(t.db, read.tree, { authorId: null, note: 'must not land' });
		else expect(formatProblems(read.problems)).toMatch(expected);
		expect(await counts()).toEqual(before);
	});

	it('a folder with a file that is not UTF-8, or a symbolic link, is refused file by file', async () => {
		const dir = path.join(scratch, 'bad-folder');
		writeContentFolder(dir, await exportContent(t.db));
		writeFileSync(path.join(dir, 'courses/02-complaints/03-five-steps.en.svx'), Buffer.concat([Buffer.from('---\ntitle: x\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
		symlinkSync('/etc/passwd', path.join(dir, 'certifications/passwd.md'));
		const read = readContentFolder(dir, 'bad-folder');
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(formatProblems(read.problems)).toMatch(/^bad-folder\/courses\/02-complaints\/03-five-steps\.en\.svx:3: is not valid UTF-8/m);
		expect(formatProblems(read.problems)).toMatch(/^bad-folder\/certifications\/passwd\.md:1: is a symbolic link/m);
	});

	it('an export into a folder removes nothing, and names what it left', async () => {
		const dir = path.join(scratch, 'stale');
		mkdirSync(path.join(dir, 'courses/02-complaints'), { recursive: true });
		writeFileSync(path.join(dir, 'courses/02-complaints/99-gone.en.svx'), 'old');
		writeFileSync(path.join(dir, 'README.md'), 'mine');
		const { written, stale } = writeContentFolder(dir, await exportContent(t.db));
		expect(written).toContain(CALM);
		expect(stale).toEqual(['courses/02-complaints/99-gone.en.svx']);
		expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('mine');
		expect(() => writeContentFolder(path.join(dir, 'README.md'), { files: new Map(), pictures: new Map() })).toThrow(/is a file/);
	});
});

describe('drafts', () => {
	const ref: PackageRef = { kind: 'course', key: 'customer-care' };
	const FILE = 'courses/03-customer-care/02-abc-follow-up-cadence.en.svx';

	it('two trainers save the same file from one revision: the first wins, the second gets a conflict with its text', async () => {
		const draft = await openDraft(t.db, ref, trainerA);
		const file = draft.find((f) => f.path === FILE)!;
		expect(file.revision).toBe(1);
		expect(await openDraft(t.db, ref, trainerB)).toHaveLength(draft.length);

		const mine = file.text.trimEnd() + '\n\nCall A customers every month.\n';
		expect(await saveDraftFile(t.db, ref, FILE, mine, file.revision, trainerA)).toEqual({ ok: true, revision: 2 });
		const late = await saveDraftFile(t.db, ref, FILE, file.text + '\nSomething else.\n', file.revision, trainerB);
		expect(late).toEqual({ ok: false, conflict: { path: FILE, theirs: mine, revision: 2, by: 'Trainer A', at: expect.any(Date) } });
		expect((await draftOf(t.db, ref)).find((f) => f.path === FILE)!.text).toBe(mine);
		// A new file saved twice "from nothing" is a conflict too.
		const NEW = 'courses/03-customer-care/practice-extra.quiz.md';
		expect(await saveDraftFile(t.db, ref, NEW, 'a', 0, trainerA)).toEqual({ ok: true, revision: 1 });
		expect(await saveDraftFile(t.db, ref, NEW, 'b', 0, trainerB)).toMatchObject({ ok: false, conflict: { theirs: 'a' } });
		expect(await saveDraftFile(t.db, ref, NEW, 'b', 1, trainerB)).toEqual({ ok: true, revision: 2 });
	});

	it('a draft with a problem is not published', async () => {
		const before = await counts();
		const result = await publishDraft(t.db, ref, { userId: trainerA, note: 'with a broken quiz', renewBy: null });
		expect(result).toMatchObject({ ok: false, problems: [expect.objectContaining({ file: 'courses/03-customer-care/practice-extra.quiz.md' })] });
		expect(await counts()).toEqual(before);
		const draft = await draftOf(t.db, ref);
		expect(draft.length).toBeGreaterThan(0);
		await deleteDraftFiles(t.db, ref, ['courses/03-customer-care/practice-extra.quiz.md']);
	});

	it('publishDraft publishes version N+1 with author and note, audited; restoreVersion publishes N again as N+2', async () => {
		const n = (await versionsOf(t.db, ref))[0]!.version;
		const published = await publishDraft(t.db, ref, { userId: trainerA, note: 'Monthly calls for A customers', renewBy: null });
		expect(published).toMatchObject({ ok: true, published: [{ kind: 'course', key: 'customer-care', version: n + 1 }] });
		expect(await draftOf(t.db, ref)).toEqual([]);
		const [newest] = await versionsOf(t.db, ref);
		expect(newest).toMatchObject({ version: n + 1, authorId: trainerA, note: 'Monthly calls for A customers', restoredFrom: null });
		expect(findCourse('customer-care')!.version).toBe(n + 1);
		expect(lessonHtml(FILE)).toContain('Call A customers every month.');

		const audit = async (action: string) =>
			t.db
				.select()
				.from(auditEvent)
				.where(and(eq(auditEvent.action, action), eq(auditEvent.subjectId, 'customer-care')))
				.orderBy(desc(auditEvent.id));
		expect((await audit('content.published'))[0]).toMatchObject({ actorId: trainerA, subjectType: 'course', detail: { version: n + 1, note: 'Monthly calls for A customers' } });

		const restored = await restoreVersion(t.db, ref, n, trainerB);
		expect(restored).toMatchObject({ ok: true, published: [{ version: n + 2 }] });
		expect((await versionsOf(t.db, ref))[0]).toMatchObject({ version: n + 2, authorId: trainerB, restoredFrom: n });
		expect((await audit('content.restored'))[0]).toMatchObject({ actorId: trainerB, detail: { version: n + 2, restoredFrom: n } });
		const old = (await versionFiles(t.db, ref, n))!;
		const now = (await versionFiles(t.db, ref, n + 2))!;
		const expected = Object.fromEntries(Object.entries(old.files).map(([f, text]) => [f, f.endsWith('/course.md') ? withVersionLine(text, n + 2) : text]));
		expect(now.files).toEqual(expected);
		expect(now.rendered).toEqual(old.rendered);
		expect(findCourse('customer-care')!.version).toBe(n + 2);
		expect(lessonHtml(FILE)).not.toContain('Call A customers every month.');
	});

	it('a draft opened before a newer publish is refused, so it cannot undo that version', async () => {
		await openDraft(t.db, ref, trainerA);
		const current = (await versionsOf(t.db, ref))[0]!.version;
		// Meanwhile another publish (an upload, a restore) makes a newer version.
		expect(await restoreVersion(t.db, ref, current - 1, trainerB)).toMatchObject({ ok: true });
		const before = await counts();
		const stale = await publishDraft(t.db, ref, { userId: trainerA, note: 'old draft', renewBy: null });
		expect(stale).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('would undo that version') }] });
		expect(await counts()).toEqual(before);
		expect((await draftOf(t.db, ref)).length).toBeGreaterThan(0);
	});
});

describe('another process sees a publish', () => {
	it('refreshContent loads a newer store over an old snapshot', async () => {
		// The stamp counts versions: one that commits after a newer id was seen still moves it.
		const [{ stamp }] = (await t.db.select({ stamp: sql<number>`count(*)::int` }).from(contentVersion)) as [{ stamp: number }];
		expect(stamp).toBeGreaterThan(initial.stamp);
		setContent(initial);
		expect(findCourse('complaints')!.version).toBe(1);
		await refreshContent(t.db);
		expect(currentContent().stamp).toBe(stamp);
		expect(findCourse('complaints')!.version).toBe(2);
	});

	it('ensureFreshContent asks the store at most every REFRESH_MS', async () => {
		let queries = 0;
		const counted = new Proxy(t.db, {
			get(target, prop, receiver) {
				if (typeof prop === 'string' && prop.startsWith('select')) queries++;
				return Reflect.get(target, prop, receiver);
			}
		});
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
			setContent(initial);
			await refreshContent(counted);
			expect(queries).toBeGreaterThan(0);
			const fresh = currentContent();
			expect(fresh.stamp).toBeGreaterThan(initial.stamp);

			setContent(initial);
			const asked = queries;
			vi.setSystemTime(new Date(Date.now() + REFRESH_MS - 1));
			await ensureFreshContent(counted);
			expect(queries).toBe(asked);
			expect(currentContent()).toBe(initial);

			vi.setSystemTime(new Date(Date.now() + 1));
			await ensureFreshContent(counted);
			expect(queries).toBeGreaterThan(asked);
			expect(currentContent().stamp).toBe(fresh.stamp);
		} finally {
			vi.useRealTimers();
			await refreshContent(t.db);
		}
	});
});

describe('npm run content:import / content:export', () => {
	const NOWHERE = 'postgres://nobody@127.0.0.1:1/none';
	let dataDir: string;

	/** Runs the CLI as npm does, on its own embedded database (or nowhere, to show it is never opened). */
	function cli(args: string[], env: Record<string, string> = {}) {
		return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
			execFile(process.execPath, ['--import', 'tsx', 'src/cli/content.ts', ...args], { env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, ...env } }, (error, stdout, stderr) =>
				resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
			);
		});
	}

	/** Starts from this run's template (migrated, content/ published) when there is one: a new embedded database takes seconds to create. */
	beforeAll(async () => {
		dataDir = path.join(scratch, 'cli-data');
		const template = inject('pgliteTemplate');
		if (template) await (await createDb({ dataDir, loadDataDir: new Blob([readFileSync(template)]) })).close();
	});

	it('exports a fresh store as the shipped content/, and refuses bad arguments (2) and a bad zip (1) before opening a database', async () => {
		const evil = path.join(scratch, 'evil.zip');
		writeFileSync(evil, zipSync({ '../escape.md': encoder.encode('hi'), 'courses/02-complaints/x.en.svx': Uint8Array.from([0xff]) }));
		const zip = path.join(scratch, 'all.zip');
		const folderNamedZip = path.join(scratch, 'folder.zip');
		mkdirSync(folderNamedZip);
		const empty = path.join(scratch, 'empty');
		mkdirSync(empty);
		const [exported, ...refused] = await Promise.all([
			cli(['export', zip]),
			cli(['import', evil], { DATABASE_URL: NOWHERE }),
			cli(['import', empty], { DATABASE_URL: NOWHERE }),
			cli([], { DATABASE_URL: NOWHERE }),
			cli(['frobnicate', zip], { DATABASE_URL: NOWHERE }),
			cli(['import'], { DATABASE_URL: NOWHERE }),
			cli(['import', path.join(scratch, 'missing')], { DATABASE_URL: NOWHERE }),
			cli(['import', zip, '--bogus'], { DATABASE_URL: NOWHERE }),
			cli(['export', zip, '--note', 'x'], { DATABASE_URL: NOWHERE }),
			cli(['export', folderNamedZip], { DATABASE_URL: NOWHERE }),
			cli(['export', path.join(scratch, 'a'), path.join(scratch, 'b')], { DATABASE_URL: NOWHERE })
		]);
		expect(exported, exported.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Wrote .*all\.zip: \d+ files \(4 courses, 4 certifications, 0 pictures\)\.$/m) });
		expect(Buffer.from(readFileSync(zip)).equals(Buffer.from(contentZip(shippedTree())))).toBe(true);

		const [badZip, nothing, ...usage] = refused;
		expect(badZip!.code).toBe(1);
		expect(badZip!.stderr).toMatch(/evil\.zip\/\.\.\/escape\.md:1: has a "\.\." segment/);
		expect(badZip!.stderr).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
		expect(nothing).toMatchObject({ code: 1, stderr: expect.stringMatching(/empty:1: holds no content/) });
		for (const r of usage) {
			expect(r.code, r.stderr).toBe(2);
			expect(r.stderr).toMatch(/^Error: .+\n\nUsage:/);
			expect(r.stderr).not.toMatch(/ECONNREFUSED/);
		}
		expect(usage.map((r) => r.stderr.split('\n')[0])).toEqual([
			'Error: name a command: import or export',
			'Error: unknown command "frobnicate"',
			'Error: name the folder or .zip to import',
			expect.stringMatching(/^Error: .*missing does not exist$/),
			expect.stringMatching(/^Error: Unknown option '--bogus'/),
			'Error: --note belongs to import',
			expect.stringMatching(/is a folder; name a \.zip file to write$/),
			'Error: name one path only (got 2)'
		]);
	}, 60_000);

	it('imports: a lesson with a problem prints file:line and exits 1; a good change publishes version 2 and exits 0', async () => {
		const read = readContentZip(readFileSync(path.join(scratch, 'all.zip')), 'all.zip');
		if (!read.ok) throw new Error(formatProblems(read.problems));
		const broken = copyTree(read.tree);
		broken.files.set(CALM, broken.files.get(CALM)! + '\n<img src=x onerror=alert(1)>\n');
		writeFileSync(path.join(scratch, 'broken.zip'), contentZip(broken));
		const refused = await cli(['import', path.join(scratch, 'broken.zip')]);
		expect(refused.code, refused.stdout).toBe(1);
		expect(refused.stderr).toMatch(/^\S*broken\.zip\/courses\/02-complaints\/02-calm-first\.en\.svx:\d+: <img onerror=…>: event handlers/m);
		expect(refused.stderr).toMatch(/1 problem; nothing was published\./);

		const changed = copyTree(read.tree);
		changed.files.set(CALM, changed.files.get(CALM)!.trimEnd() + '\n\nBreathe out slowly before you answer.\n');
		writeFileSync(path.join(scratch, 'changed.zip'), contentZip(changed));
		const ok = await cli(['import', path.join(scratch, 'changed.zip'), '--note', 'A closing line']);
		expect(ok, ok.stderr).toMatchObject({ code: 0 });
		expect(ok.stdout).toBe('Published course complaints as version 2.\n1 package published, 7 unchanged.\n');

		const folder = path.join(scratch, 'cli-export');
		const written = await cli(['export', folder]);
		expect(written, written.stderr).toMatchObject({ code: 0 });
		expect(readFileSync(path.join(folder, CALM), 'utf8')).toContain('Breathe out slowly before you answer.');
		expect(readFileSync(path.join(folder, 'courses/02-complaints/course.md'), 'utf8')).toMatch(/^version: 2$/m);
	}, 60_000);
});

import fc from 'fast-check';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZip, splitTextAndBinary, writeZip, ZIP_LIMITS, type ZipEntries, type ZipLimits, type ZipProblem } from './zip.ts';

const MiB = 1024 * 1024;
const LABEL = 'upload.zip';
const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);
const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A problem with `file` at `line` whose message contains `part`. */
const problem = (file: string, part: string, line = 0) => ({ file, line, message: expect.stringContaining(part) });

const COURSE: Record<string, string> = {
	'courses/01-home-visit/course.md': '---\ntitle: Home visit\n---\n',
	'courses/01-home-visit/01-intro.en.svx': '# Hello\n\nWelcome.\n',
	'certifications/home-visit-service.md': '---\nid: home-visit-service\n---\n'
};

/** A zip made by fflate, as a trainer's tool would make one. */
function zipOf(files: Record<string, string | Uint8Array>, level: 0 | 9 = 9): Uint8Array {
	const zippable: Zippable = {};
	for (const [name, contents] of Object.entries(files)) zippable[name] = typeof contents === 'string' ? utf8(contents) : contents;
	return zipSync(zippable, { level });
}

/** Offset of the central-directory record named `name`. */
function centralAt(zip: Uint8Array, name: string): number {
	const v = view(zip);
	const wanted = utf8(name);
	for (let pos = 0; pos + 46 <= zip.length; pos++) {
		if (v.getUint32(pos, true) !== 0x02014b50) continue;
		const found = zip.subarray(pos + 46, pos + 46 + v.getUint16(pos + 28, true));
		if (found.length === wanted.length && found.every((byte, i) => byte === wanted[i])) return pos;
	}
	throw new Error(`no central record for ${name}`);
}

const localAt = (zip: Uint8Array, name: string): number => view(zip).getUint32(centralAt(zip, name) + 42, true);

/** A copy of `zip` changed by `change`, which gets the central and local record offsets of `name`. */
function patched(zip: Uint8Array, name: string, change: (v: DataView, central: number, local: number) => void): Uint8Array {
	const copy = zip.slice();
	change(view(copy), centralAt(copy, name), localAt(copy, name));
	return copy;
}

/** Renames an entry in both headers; the new name must be as long as the old one in bytes. */
function renamed(zip: Uint8Array, from: string, to: Uint8Array): Uint8Array {
	expect(to.length).toBe(utf8(from).length);
	return patched(zip, from, (v, central, local) => {
		const bytes = new Uint8Array(v.buffer);
		bytes.set(to, central + 46);
		bytes.set(to, local + 30);
	});
}

/** Sets the uncompressed size of an entry in both headers. */
const withDeclaredSize = (zip: Uint8Array, name: string, size: number): Uint8Array =>
	patched(zip, name, (v, central, local) => {
		v.setUint32(central + 24, size, true);
		v.setUint32(local + 22, size, true);
	});

const entriesOf = (files: Record<string, string | Uint8Array>): ZipEntries =>
	new Map(Object.entries(files).map(([name, contents]) => [name, typeof contents === 'string' ? utf8(contents) : contents]));

const decoded = (entries: ZipEntries | null): Record<string, string> =>
	Object.fromEntries([...(entries ?? new Map<string, Uint8Array>())].map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]));

describe('readZip', () => {
	it('reads the files of a zip, keeping their names as they are and skipping folder entries', () => {
		const zip = zipSync({ content: { courses: { '01-home-visit': { 'course.md': utf8('# Course\n') } } }, 'README.md': utf8('hi\n') });
		const { entries, problems } = readZip(zip, LABEL);
		expect(problems).toEqual([]);
		expect(decoded(entries)).toEqual({ 'content/courses/01-home-visit/course.md': '# Course\n', 'README.md': 'hi\n' });
	});

	it('reads stored (uncompressed) entries and an empty zip', () => {
		expect(decoded(readZip(zipOf(COURSE, 0), LABEL).entries)).toEqual(COURSE);
		expect(readZip(zipSync({}), LABEL)).toEqual({ entries: new Map(), problems: [] });
	});

	it('refuses what is not a zip, and a truncated one', () => {
		expect(readZip(new Uint8Array(0), LABEL).problems).toEqual([problem(LABEL, 'is not a zip file')]);
		expect(readZip(utf8('# just a markdown file\n'), LABEL).problems).toEqual([problem(LABEL, 'is not a zip file')]);
		const zip = zipOf(COURSE);
		expect(readZip(zip.subarray(0, zip.length - 30), LABEL)).toEqual({ entries: null, problems: [problem(LABEL, 'is truncated or corrupt')] });
	});

	it('refuses corrupt data and a wrong checksum, naming the entry', () => {
		const name = 'courses/01-home-visit/course.md';
		const zip = zipOf(COURSE);
		const garbled = patched(zip, name, (v, _central, local) => {
			const data = local + 30 + v.getUint16(local + 26, true);
			for (let i = 0; i < 4; i++) v.setUint8(data + i, 0xff);
		});
		expect(readZip(garbled, LABEL)).toEqual({ entries: null, problems: [problem(name, 'is corrupt')] });
		const badCrc = patched(zip, name, (v, central) => v.setUint32(central + 16, v.getUint32(central + 16, true) ^ 1, true));
		expect(readZip(badCrc, LABEL).problems).toEqual([problem(name, 'do not match their checksum')]);
	});

	it('refuses more entries than the limit, folders included, before reading them', () => {
		const limits: ZipLimits = { ...ZIP_LIMITS, maxEntries: 2 };
		expect(readZip(zipOf(COURSE), LABEL, limits).problems).toEqual([problem(LABEL, 'has 3 entries; at most 2 are allowed')]);
		expect(readZip(zipOf({ 'a.md': 'a' }), LABEL, limits).problems).toEqual([]);
		expect(readZip(zipSync({ d: { 'a.md': utf8('a'), 'b.md': utf8('b') } }), LABEL, limits).problems).toEqual([problem(LABEL, 'has 3 entries')]);
	});

	it.each([
		['/etc/passwd', 'is an absolute path'],
		['C:\\course.md', 'is an absolute path'],
		['c:course.md', 'is an absolute path'],
		['\\\\server\\share\\course.md', 'is an absolute path'],
		['../course.md', 'has a ".." segment'],
		['courses/../../etc/x.md', 'has a ".." segment'],
		['courses/..', 'has a ".." segment'],
		['courses\\01-home-visit\\course.md', 'has a backslash'],
		['courses//course.md', 'has an empty segment'],
		['./course.md', 'has a "." segment'],
		['cour\u0000se.md', 'NUL or control character'],
		['course\n.md', 'NUL or control character'],
		['course\u007f.md', 'NUL or control character']
	])('refuses the unsafe path %j', (name, part) => {
		const { entries, problems } = readZip(zipOf({ [name]: 'x', 'fine.md': 'y' }), LABEL);
		expect(entries).toBeNull();
		expect(problems).toEqual([problem(name, part)]);
	});

	it('refuses an unsafe folder entry too', () => {
		expect(readZip(zipSync({ '../up/': new Uint8Array(0) }), LABEL).problems).toEqual([problem('../up/', 'has a ".." segment')]);
		expect(readZip(zipSync({ '/': new Uint8Array(0) }), LABEL).problems).toEqual([problem('/', 'is an absolute path')]);
	});

	it('refuses a name that is not UTF-8', () => {
		const zip = renamed(zipOf({ 'caf?.md': 'x' }), 'caf?.md', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6d, 0x64]));
		expect(readZip(zip, LABEL).problems).toEqual([problem('caf\ufffd.md', 'not UTF-8')]);
	});

	it('refuses duplicate names, also when they differ only in letter case or Unicode normalisation', () => {
		const twice = renamed(zipOf({ 'a.md': '1', 'b.md': '2' }), 'b.md', utf8('a.md'));
		expect(readZip(twice, LABEL).problems).toEqual([problem('a.md', 'appears more than once')]);
		expect(readZip(zipOf({ 'Course.md': '1', 'course.md': '2' }), LABEL).problems).toEqual([problem('course.md', 'differs from "Course.md" only in letter case')]);
		const nfc = 'caf\u00e9.md';
		const nfd = 'cafe\u0301.md';
		expect(readZip(zipOf({ [nfc]: '1', [nfd]: '2' }), LABEL).problems).toEqual([problem(nfd, `differs from "${nfc}" only in letter case`)]);
	});

	it('refuses a name used both as a file and as a folder', () => {
		expect(readZip(zipOf({ 'courses/a': '1', 'courses/A/b.md': '2' }), LABEL).problems).toEqual([problem('courses/A/b.md', 'is inside "courses/a", which is also a file')]);
	});

	it('refuses symbolic links and other non-regular files, read from the central directory', () => {
		const zip = zipOf({ 'link.md': '/etc/passwd', 'pipe.md': '', 'ok.md': 'x' });
		const unix = (name: string, mode: number) => (z: Uint8Array) =>
			patched(z, name, (v, central) => {
				v.setUint16(central + 4, (3 << 8) | 20, true);
				v.setUint32(central + 38, (mode << 16) >>> 0, true);
			});
		const bad = unix('pipe.md', 0o010644)(unix('link.md', 0o120777)(zip));
		expect(readZip(bad, LABEL).problems).toEqual([problem('link.md', 'is a symbolic link'), problem('pipe.md', 'is not a regular file (Unix file type 0o010000)')]);
		// The same mode from a non-Unix host means nothing; a regular Unix file is fine.
		const regular = unix('ok.md', 0o100644)(patched(zip, 'link.md', (v, central) => v.setUint32(central + 38, (0o120777 << 16) >>> 0, true)));
		expect(readZip(regular, LABEL).problems).toEqual([]);
		// fflate's own attributes, as a zip tool would set them.
		const viaFflate = zipSync({ 'l.md': [utf8('x'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
		expect(readZip(viaFflate, LABEL).problems).toEqual([problem('l.md', 'is a symbolic link')]);
	});

	it('refuses encrypted entries and unknown compression methods', () => {
		const zip = zipOf({ 'a.md': 'a', 'b.md': 'b' });
		const encrypted = patched(zip, 'a.md', (v, central, local) => {
			v.setUint16(central + 8, v.getUint16(central + 8, true) | 1, true);
			v.setUint16(local + 6, v.getUint16(local + 6, true) | 1, true);
		});
		expect(readZip(encrypted, LABEL).problems).toEqual([problem('a.md', 'is encrypted')]);
		const bzip2 = patched(zip, 'b.md', (v, central) => v.setUint16(central + 10, 12, true));
		expect(readZip(bzip2, LABEL).problems).toEqual([problem('b.md', 'compression method 12')]);
	});

	describe('zip bombs', () => {
		const zeros = new Uint8Array(20 * MiB);
		const bomb = zipOf({ 'bomb.md': zeros, 'ok.md': 'x' });
		const roomy: ZipLimits = { ...ZIP_LIMITS, maxEntryBytes: 64 * MiB, maxTotalBytes: 64 * MiB };

		it('is a 20 MiB run of zeros in a few KiB', () => {
			expect(bomb.length).toBeLessThan(64 * 1024);
		});

		it('refuses an entry over the size limit and a ratio over the limit from the declared sizes', () => {
			expect(readZip(bomb, LABEL).problems).toEqual([problem('bomb.md', 'is 20.0 MiB uncompressed; the limit for one file is 10.0 MiB'), problem('bomb.md', 'zip bomb')]);
			const { entries, problems } = readZip(bomb, LABEL, roomy);
			expect(entries).toBeNull();
			expect(problems).toEqual([problem('bomb.md', 'more than 100 to 1 is refused')]);
			expect(readZip(bomb, LABEL, { ...roomy, maxRatio: 2000 }).problems).toEqual([]);
		});

		it('leaves small files that compress well alone', () => {
			expect(readZip(zipOf({ 'blank.md': new Uint8Array(MiB) }), LABEL).problems).toEqual([]);
		});

		it('refuses a zip whose files together are over the total limit', () => {
			const big = new Uint8Array(600 * 1024).map((_, i) => (i * 7919) % 251);
			const zip = zipOf({ 'a.png': big, 'b.png': big, 'c.png': big });
			expect(readZip(zip, LABEL, { ...ZIP_LIMITS, maxTotalBytes: MiB }).problems).toEqual([problem(LABEL, 'unpacks to 1.8 MiB; the limit for a whole zip is 1.0 MiB')]);
			expect(readZip(zip, LABEL).problems).toEqual([]);
		});

		it('stops inflating an entry that yields more than it declares', () => {
			const lying = withDeclaredSize(bomb, 'bomb.md', 1000);
			const { entries, problems } = readZip(lying, LABEL);
			expect(entries).toBeNull();
			expect(problems).toEqual([problem('bomb.md', 'holds more than the 1000 bytes its header declares')]);
		});

		it('refuses an entry that yields less than it declares', () => {
			const zip = zipOf(COURSE);
			const name = 'courses/01-home-visit/course.md';
			const short = withDeclaredSize(zip, name, utf8(COURSE[name] ?? '').length + 10);
			expect(readZip(short, LABEL).problems).toEqual([problem(name, 'is corrupt: it holds')]);
		});

		it('refuses entries whose data overlap', () => {
			const zip = zipOf({ 'a.md': 'aaaa', 'b.md': 'bbbb' });
			const overlapping = patched(zip, 'a.md', (v, central) => v.setUint32(central + 20, v.getUint32(central + 20, true) + 20, true));
			expect(readZip(overlapping, LABEL).problems).toEqual([problem('b.md', 'overlaps "a.md"')]);
		});
	});

	it('refuses an entry whose local header does not match the central directory', () => {
		const zip = zipOf({ 'a.md': 'aaaa', 'b.md': 'bbbb' });
		const pointedElsewhere = patched(zip, 'b.md', (v, central) => v.setUint32(central + 42, 0, true));
		expect(readZip(pointedElsewhere, LABEL).problems).toEqual([problem('b.md', 'its name differs between the local header and the central directory')]);
		const nowhere = patched(zip, 'b.md', (v, central) => v.setUint32(central + 42, 5, true));
		expect(readZip(nowhere, LABEL).problems).toEqual([problem('b.md', 'its data is not where the central directory says')]);
	});

	it('refuses ZIP64 and split archives with a message saying so', () => {
		const zip = zipOf(COURSE);
		const end = zip.length - 22;
		const zip64 = zip.slice();
		view(zip64).setUint16(end + 10, 0xffff, true);
		expect(readZip(zip64, LABEL).problems).toEqual([problem(LABEL, 'ZIP64')]);
		const split = zip.slice();
		view(split).setUint16(end + 4, 1, true);
		expect(readZip(split, LABEL).problems).toEqual([problem(LABEL, 'is split over several parts')]);
	});

	it('reports every problem at once', () => {
		const zip = zipOf({ '../a.md': 'x', 'B.md': 'y', 'b.md': 'z', 'ok.md': 'fine' });
		expect(readZip(zip, LABEL).problems).toEqual([problem('../a.md', '".."'), problem('b.md', 'only in letter case')]);
	});
});

describe('writeZip', () => {
	const files = entriesOf({
		...COURSE,
		'courses/01-home-visit/02-tools.zh-CN.svx': '# 工具\n',
		'media/01-home-visit/café.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0xfe]),
		'empty.md': ''
	});

	it('gives back the same entries through readZip, and through fflate', () => {
		const zip = writeZip(files);
		const { entries, problems } = readZip(zip, LABEL);
		expect(problems).toEqual([]);
		expect(entries).toEqual(files);
		expect(new Map(Object.entries(unzipSync(zip)))).toEqual(files);
	});

	it('gives the same bytes for the same files, whatever the order they were added in', () => {
		const reversed: ZipEntries = new Map([...files].reverse());
		const first = writeZip(files);
		expect(writeZip(files)).toEqual(first);
		expect(writeZip(reversed)).toEqual(first);
		expect(writeZip(new Map())).toEqual(zipSync({}));
	});

	it('writes entries sorted by path, dated 1980-01-01 00:00, deflated, with UTF-8 names and no extra fields', () => {
		const zip = writeZip(files);
		const v = view(zip);
		const names: string[] = [];
		let pos = v.getUint32(zip.length - 22 + 16, true);
		while (v.getUint32(pos, true) === 0x02014b50) {
			const nameLength = v.getUint16(pos + 28, true);
			names.push(new TextDecoder().decode(zip.subarray(pos + 46, pos + 46 + nameLength)));
			expect({
				flags: v.getUint16(pos + 8, true),
				method: v.getUint16(pos + 10, true),
				time: v.getUint16(pos + 12, true),
				date: v.getUint16(pos + 14, true),
				extra: v.getUint16(pos + 30, true),
				comment: v.getUint16(pos + 32, true),
				localExtra: v.getUint16(v.getUint32(pos + 42, true) + 28, true)
			}).toEqual({ flags: 0x0800, method: 8, time: 0, date: (1 << 5) | 1, extra: 0, comment: 0, localExtra: 0 });
			pos += 46 + nameLength;
		}
		expect(names).toEqual([...files.keys()].sort());
	});

	it('refuses names readZip would refuse', () => {
		expect(() => writeZip(entriesOf({ '../x.md': 'x' }))).toThrow('has a ".." segment');
		expect(() => writeZip(entriesOf({ 'courses/': '' }))).toThrow('names a folder');
		expect(() => writeZip(entriesOf({ 'A.md': '1', 'a.md': '2' }))).toThrow('differ only in letter case');
	});
});

describe('splitTextAndBinary', () => {
	it('decodes text files and keeps pictures as bytes', () => {
		const picture = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00]);
		const entries = entriesOf({ ...COURSE, 'media/a.png': picture, 'media/b.JPG': picture, 'media/c.jpeg': picture, 'media/d.webp': picture });
		const { text, binary, problems } = splitTextAndBinary(entries, LABEL);
		expect(problems).toEqual([]);
		expect(Object.fromEntries(text)).toEqual(COURSE);
		expect([...binary.keys()]).toEqual(['media/a.png', 'media/b.JPG', 'media/c.jpeg', 'media/d.webp']);
		expect(binary.get('media/a.png')).toBe(picture);
	});

	it('refuses a byte order mark and UTF-16', () => {
		const entries: ZipEntries = new Map([
			['bom.md', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('# Title\n')])],
			['utf16.md', new Uint8Array([0xff, 0xfe, 0x23, 0x00])],
			['fine.md', utf8('a \ufeff further on is kept\n')]
		]);
		const { text, problems } = splitTextAndBinary(entries, LABEL);
		expect(problems).toEqual([problem('bom.md', 'byte order mark (BOM)', 1), problem('utf16.md', 'UTF-16', 1)]);
		expect([...text.keys()]).toEqual(['fine.md']);
	});

	it.each([
		['a lone continuation byte', [0x80]],
		['an overlong encoding', [0xc0, 0xaf]],
		['a surrogate', [0xed, 0xa0, 0x80]],
		['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
		['a Latin-1 é', [0xe9, 0x20]],
		['a sequence cut short', [0xe4, 0xb8]]
	])('gives the line and byte offset of %s', (_what, bad) => {
		const before = utf8('---\ntitle: 工具\n---\nsee ');
		const bytes = new Uint8Array([...before, ...bad, ...utf8('\nmore\n')]);
		const { text, problems } = splitTextAndBinary(new Map([['lesson.svx', bytes]]), LABEL);
		expect(text.size).toBe(0);
		expect(problems).toEqual([problem('lesson.svx', `bad byte at offset ${before.length}`, 4)]);
	});

	it('points at a prefix that is valid UTF-8, on the line where the bad byte is', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (noise, lead) => {
				const bytes = new Uint8Array([...utf8(`x${lead}\n`), ...noise]);
				const { text, problems } = splitTextAndBinary(new Map([['f.md', bytes]]), LABEL);
				const found: ZipProblem | undefined = problems[0];
				if (!found) {
					expect(text.get('f.md')).toBe(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
					return;
				}
				const offset = Number(/offset (\d+)/.exec(found.message)?.[1]);
				const prefix = bytes.subarray(0, offset);
				expect(() => new TextDecoder('utf-8', { fatal: true }).decode(prefix)).not.toThrow();
				expect(offset).toBeLessThan(bytes.length);
				expect(found.line).toBe(1 + prefix.filter((byte) => byte === 0x0a).length);
			})
		);
	});
});

import { deflateSync, Inflate } from 'fflate';

/**
 * Zips of content files (`courses/…/course.md`, lessons, certifications, pictures) going in and out of the app.
 * Uploaded zips are untrusted: the central directory is read and checked here before anything is inflated,
 * and inflating stops as soon as an entry yields more than its header declared.
 */

export interface ZipLimits {
	/** Records in the central directory, folders included. */
	maxEntries: number;
	/** Uncompressed bytes of all files together. */
	maxTotalBytes: number;
	/** Uncompressed bytes of one file. */
	maxEntryBytes: number;
	/** Uncompressed / compressed size, checked for files over 1 MiB. */
	maxRatio: number;
}

const MiB = 1024 * 1024;

export const ZIP_LIMITS: ZipLimits = Object.freeze({ maxEntries: 2000, maxTotalBytes: 50 * MiB, maxEntryBytes: 10 * MiB, maxRatio: 100 });

/** `line` is 0 for problems with the archive itself or with a binary entry; `file` is the entry name or the zip's label. */
export interface ZipProblem {
	file: string;
	line: number;
	message: string;
}

/** Path inside the zip (forward slashes, no folder entries) → contents. */
export type ZipEntries = Map<string, Uint8Array>;

/** Small files may compress very well (a blank page of text); the ratio is only held against larger ones. */
const RATIO_FLOOR = MiB;
/**
 * Compressed bytes handed to the inflater at a time. DEFLATE expands at most about 1032 to 1, so one step can overshoot
 * a limit by some 16 MiB at worst before inflating stops; smaller steps slow down ordinary files.
 */
const INFLATE_STEP = 16 * 1024;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const LOCAL_SIZE = 30;
const CENTRAL_SIZE = 46;
const END_SIZE = 22;

const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_MASKED_DIRECTORY = 0x2000;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const METHOD_AES = 99;

/** "Version made by" hosts whose external attributes carry a Unix mode in their high 16 bits. */
const UNIX_HOSTS = new Set([3, 19]);
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

/** 1980-01-01 00:00 in MS-DOS date and time. */
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;

const PICTURE = /\.(png|jpe?g|webp)$/i;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

const ZIP64 = 'uses the ZIP64 format, which is not accepted; make the zip again with a standard zip tool';

/** The archive as a whole cannot be read (or is refused before its entries are looked at). */
class ArchiveError extends Error {}

interface CentralEntry {
	/** As written in the zip, or a lossy reading when `nameIsUtf8` is false. */
	name: string;
	nameBytes: Uint8Array;
	nameIsUtf8: boolean;
	isFolder: boolean;
	madeBy: number;
	flags: number;
	method: number;
	crc: number;
	compressedSize: number;
	size: number;
	externalAttributes: number;
	localOffset: number;
}

interface Directory {
	entries: CentralEntry[];
	/** Where the central directory starts: every entry's data must end before it. */
	start: number;
}

/** Reads an uploaded zip. Returns every problem found, entries only when there are none. */
export function readZip(bytes: Uint8Array, label: string, limits: ZipLimits = ZIP_LIMITS): { entries: ZipEntries | null; problems: ZipProblem[] } {
	let directory: Directory;
	try {
		directory = readDirectory(bytes, limits);
	} catch (error) {
		if (error instanceof ArchiveError) return { entries: null, problems: [{ file: label, line: 0, message: error.message }] };
		throw error;
	}

	const problems: ZipProblem[] = [];
	const report = (file: string, message: string): void => {
		problems.push({ file, line: 0, message });
	};
	const files = directory.entries.filter((entry) => !entry.isFolder);

	for (const entry of directory.entries) {
		for (const message of entryProblems(entry, limits)) report(entry.name, message);
	}
	const total = files.reduce((sum, entry) => sum + entry.size, 0);
	if (total > limits.maxTotalBytes) {
		report(label, `unpacks to ${formatBytes(total)}; the limit for a whole zip is ${formatBytes(limits.maxTotalBytes)}`);
	}
	for (const [file, message] of nameClashes(files)) report(file, message);

	const dataStarts = new Map<CentralEntry, number>();
	for (const [entry, found] of locateData(bytes, directory)) {
		if (typeof found === 'string') report(entry.name, found);
		else dataStarts.set(entry, found);
	}
	if (problems.length > 0) return { entries: null, problems };

	const entries: ZipEntries = new Map();
	for (const entry of files) {
		const start = dataStarts.get(entry) ?? 0;
		const contents = extract(entry, bytes.subarray(start, start + entry.compressedSize));
		if (typeof contents === 'string') report(entry.name, contents);
		else entries.set(entry.name, contents);
	}
	return problems.length > 0 ? { entries: null, problems } : { entries, problems };
}

/** Deterministic zip: entries sorted by path, fixed timestamp (1980-01-01 00:00), deflate level 9, no extra fields, so the same files give the same bytes. */
export function writeZip(entries: ZipEntries): Uint8Array {
	const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const seen = new Map<string, string>();
	for (const [name] of sorted) {
		const problem = name.endsWith('/') ? 'names a folder; folders are implied by the paths of their files' : pathProblem(name);
		if (problem) throw new Error(`writeZip: cannot store "${name}": ${problem}`);
		const key = clashKey(name);
		const other = seen.get(key);
		if (other !== undefined) throw new Error(`writeZip: "${other}" and "${name}" differ only in letter case`);
		seen.set(key, name);
	}
	if (sorted.length > 0xffff) throw new Error(`writeZip: ${sorted.length} entries is more than a zip without ZIP64 can hold`);

	const locals: Uint8Array[] = [];
	const centrals: Uint8Array[] = [];
	let offset = 0;
	for (const [name, data] of sorted) {
		const nameBytes = utf8Encoder.encode(name);
		const compressed = deflateSync(data, { level: 9 });
		const crc = crc32(data);

		const local = new Uint8Array(LOCAL_SIZE + nameBytes.length + compressed.length);
		const l = new DataView(local.buffer);
		l.setUint32(0, SIG_LOCAL, true);
		l.setUint16(4, 20, true); // version needed: 2.0 (deflate)
		l.setUint16(6, FLAG_UTF8, true);
		l.setUint16(8, METHOD_DEFLATE, true);
		l.setUint16(10, DOS_TIME, true);
		l.setUint16(12, DOS_DATE, true);
		l.setUint32(14, crc, true);
		l.setUint32(18, compressed.length, true);
		l.setUint32(22, data.length, true);
		l.setUint16(26, nameBytes.length, true);
		l.setUint16(28, 0, true); // no extra fields
		local.set(nameBytes, LOCAL_SIZE);
		local.set(compressed, LOCAL_SIZE + nameBytes.length);

		const central = new Uint8Array(CENTRAL_SIZE + nameBytes.length);
		const c = new DataView(central.buffer);
		c.setUint32(0, SIG_CENTRAL, true);
		c.setUint16(4, (3 << 8) | 20, true); // made by Unix, zip 2.0: the mode below is read as a regular file
		c.setUint16(6, 20, true);
		c.setUint16(8, FLAG_UTF8, true);
		c.setUint16(10, METHOD_DEFLATE, true);
		c.setUint16(12, DOS_TIME, true);
		c.setUint16(14, DOS_DATE, true);
		c.setUint32(16, crc, true);
		c.setUint32(20, compressed.length, true);
		c.setUint32(24, data.length, true);
		c.setUint16(28, nameBytes.length, true);
		// extra length, comment length, disk number, internal attributes: all 0
		c.setUint32(38, ((S_IFREG | 0o644) << 16) >>> 0, true);
		c.setUint32(42, offset, true);
		central.set(nameBytes, CENTRAL_SIZE);

		locals.push(local);
		centrals.push(central);
		offset += local.length;
		if (offset > 0xffffffff) throw new Error('writeZip: the files are too large for a zip without ZIP64');
	}

	const directorySize = centrals.reduce((sum, part) => sum + part.length, 0);
	const end = new Uint8Array(END_SIZE);
	const e = new DataView(end.buffer);
	e.setUint32(0, SIG_END, true);
	e.setUint16(8, sorted.length, true);
	e.setUint16(10, sorted.length, true);
	e.setUint32(12, directorySize, true);
	e.setUint32(16, offset, true);
	return concat([...locals, ...centrals, end]);
}

/**
 * Text files decoded as strict UTF-8 (a BOM is refused), picture files (.png .jpg .jpeg .webp, any letter case) kept as bytes.
 * Every other file counts as text. Each problem concerns one entry, so its `file` is the entry name; `label` names the zip
 * for callers that keep one signature for both steps and is not otherwise needed.
 */
export function splitTextAndBinary(entries: ZipEntries, label: string): { text: Map<string, string>; binary: Map<string, Uint8Array>; problems: ZipProblem[] } {
	const text = new Map<string, string>();
	const binary = new Map<string, Uint8Array>();
	const problems: ZipProblem[] = [];
	for (const [name, bytes] of entries) {
		if (PICTURE.test(name)) {
			binary.set(name, bytes);
			continue;
		}
		const decoded = decodeText(bytes);
		if (typeof decoded === 'string') text.set(name, decoded);
		else problems.push({ file: name, line: decoded.line, message: decoded.message });
	}
	return { text, binary, problems };
}

// ── Reading the central directory ────────────────────────────────────────────

function readDirectory(bytes: Uint8Array, limits: ZipLimits): Directory {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const end = findEnd(bytes, view);
	const disk = view.getUint16(end + 4, true);
	const directoryDisk = view.getUint16(end + 6, true);
	const onDisk = view.getUint16(end + 8, true);
	const count = view.getUint16(end + 10, true);
	const size = view.getUint32(end + 12, true);
	const start = view.getUint32(end + 16, true);

	if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) throw new ArchiveError(ZIP64);
	if (disk !== 0 || directoryDisk !== 0 || onDisk !== count) {
		throw new ArchiveError('is split over several parts; upload it as one single zip file');
	}
	if (count > limits.maxEntries) {
		throw new ArchiveError(`has ${count} entries; at most ${limits.maxEntries} are allowed`);
	}
	if (start + size > end) throw new ArchiveError('is truncated or corrupt: its central directory lies outside the file');

	const entries: CentralEntry[] = [];
	let pos = start;
	for (let i = 0; i < count; i++) {
		if (pos + CENTRAL_SIZE > start + size || view.getUint32(pos, true) !== SIG_CENTRAL) {
			throw new ArchiveError('is corrupt: its central directory lists fewer entries than it claims');
		}
		const nameLength = view.getUint16(pos + 28, true);
		const next = pos + CENTRAL_SIZE + nameLength + view.getUint16(pos + 30, true) + view.getUint16(pos + 32, true);
		if (next > start + size) throw new ArchiveError('is corrupt: an entry of its central directory runs past its end');
		const nameBytes = bytes.subarray(pos + CENTRAL_SIZE, pos + CENTRAL_SIZE + nameLength);
		const strictName = decodeName(nameBytes);
		const name = strictName ?? lossyUtf8.decode(nameBytes);
		const compressedSize = view.getUint32(pos + 20, true);
		const fileSize = view.getUint32(pos + 24, true);
		const localOffset = view.getUint32(pos + 42, true);
		if (compressedSize === 0xffffffff || fileSize === 0xffffffff || localOffset === 0xffffffff) throw new ArchiveError(ZIP64);
		entries.push({
			name,
			nameBytes,
			nameIsUtf8: strictName !== null,
			isFolder: name.endsWith('/'),
			madeBy: view.getUint16(pos + 4, true),
			flags: view.getUint16(pos + 8, true),
			method: view.getUint16(pos + 10, true),
			crc: view.getUint32(pos + 16, true),
			compressedSize,
			size: fileSize,
			externalAttributes: view.getUint32(pos + 38, true),
			localOffset
		});
		pos = next;
	}
	if (pos !== start + size) throw new ArchiveError('is corrupt: its central directory holds more than the entries it lists');
	return { entries, start };
}

/** The end-of-central-directory record: the last one whose comment reaches exactly to the end of the file. */
function findEnd(bytes: Uint8Array, view: DataView): number {
	const lowest = Math.max(0, bytes.length - END_SIZE - 0xffff);
	for (let pos = bytes.length - END_SIZE; pos >= lowest; pos--) {
		if (view.getUint32(pos, true) === SIG_END && pos + END_SIZE + view.getUint16(pos + 20, true) === bytes.length) return pos;
	}
	const looksLikeZip = bytes.length >= 4 && view.getUint32(0, true) === SIG_LOCAL;
	throw new ArchiveError(looksLikeZip ? 'is truncated or corrupt: the end of the zip (its central directory) is missing' : 'is not a zip file');
}

function decodeName(bytes: Uint8Array): string | null {
	try {
		return strictUtf8.decode(bytes);
	} catch {
		return null;
	}
}

/** What is wrong with one central-directory record, before any data is read. */
function entryProblems(entry: CentralEntry, limits: ZipLimits): string[] {
	const problems: string[] = [];
	if (!entry.nameIsUtf8) problems.push('the file name is not UTF-8; make the zip again with a tool that stores names as UTF-8');
	const path = pathProblem(entry.name);
	if (path) problems.push(path);

	const type = fileTypeProblem(entry);
	if (type) problems.push(type);
	if ((entry.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_DIRECTORY)) !== 0 || entry.method === METHOD_AES) {
		problems.push('is encrypted; upload a zip without a password');
	}
	if (entry.isFolder) return problems;

	if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATE && entry.method !== METHOD_AES) {
		problems.push(`uses compression method ${entry.method}; only "stored" and "deflate" are accepted`);
	}
	if (entry.method === METHOD_STORED && entry.compressedSize !== entry.size) {
		problems.push('is corrupt: it is stored uncompressed, yet its two sizes differ');
	}
	if (entry.size > limits.maxEntryBytes) {
		problems.push(`is ${formatBytes(entry.size)} uncompressed; the limit for one file is ${formatBytes(limits.maxEntryBytes)}`);
	}
	if (entry.size > RATIO_FLOOR && entry.size > entry.compressedSize * limits.maxRatio) {
		const ratio = entry.compressedSize === 0 ? 'without limit' : `${Math.round(entry.size / entry.compressedSize)} to 1`;
		problems.push(`expands ${ratio} (${formatBytes(entry.compressedSize)} to ${formatBytes(entry.size)}); more than ${limits.maxRatio} to 1 is refused as a possible zip bomb`);
	}
	return problems;
}

/** Names that would escape the target folder or not survive on Windows and macOS. Folder names may end with "/". */
function pathProblem(name: string): string | null {
	if (name === '') return 'has an empty name';
	if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) {
		return 'is an absolute path; paths must be relative to the top of the zip';
	}
	if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return `has a NUL or control character in its name (${JSON.stringify(name)})`;
	if (name.includes('\\')) return 'has a backslash in its name; folders must be separated by "/"';
	const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
	if (segments.includes('..')) return 'has a ".." segment, which would point outside the content';
	if (segments.includes('.')) return 'has a "." segment; paths must be plain relative paths';
	if (segments.includes('')) return 'has an empty segment ("//" or a trailing "/")';
	return null;
}

function fileTypeProblem(entry: CentralEntry): string | null {
	const host = entry.madeBy >> 8;
	const mode = UNIX_HOSTS.has(host) ? (entry.externalAttributes >>> 16) & S_IFMT : 0;
	if (mode === S_IFLNK) return 'is a symbolic link; only regular files are accepted';
	if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) {
		return `is not a regular file (Unix file type 0o${mode.toString(8).padStart(6, '0')}); only regular files are accepted`;
	}
	const markedFolder = mode === S_IFDIR || (entry.externalAttributes & DOS_DIRECTORY) !== 0;
	if (markedFolder && !entry.isFolder) return 'is marked as a folder, but its name does not end with "/"';
	if (mode === S_IFREG && entry.isFolder) return 'is marked as a regular file, but its name ends with "/"';
	return null;
}

/** Lower case and NFC, so that names Windows or macOS would put in one file compare equal. */
function clashKey(name: string): string {
	return name.normalize('NFC').toLowerCase();
}

/** Duplicate names (also differing only in case or Unicode normalisation) and files that are also used as folders. */
function nameClashes(files: CentralEntry[]): Array<[string, string]> {
	const clashes: Array<[string, string]> = [];
	const byKey = new Map<string, string>();
	for (const entry of files) {
		const key = clashKey(entry.name);
		const other = byKey.get(key);
		if (other === undefined) byKey.set(key, entry.name);
		else if (other === entry.name) clashes.push([entry.name, 'appears more than once in the zip']);
		else clashes.push([entry.name, `differs from "${other}" only in letter case; the two would be one file on Windows and macOS`]);
	}
	for (const entry of files) {
		const segments = entry.name.split('/');
		for (let i = 1; i < segments.length; i++) {
			const folder = byKey.get(clashKey(segments.slice(0, i).join('/')));
			if (folder !== undefined) {
				clashes.push([entry.name, `is inside "${folder}", which is also a file in the zip`]);
				break;
			}
		}
	}
	return clashes;
}

/** Where each entry's data starts, or what is wrong with its local header; entries must not overlap (a zip-bomb trick). */
function locateData(bytes: Uint8Array, directory: Directory): Map<CentralEntry, number | string> {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const found = new Map<CentralEntry, number | string>();
	const spans: Array<{ entry: CentralEntry; start: number; end: number }> = [];
	for (const entry of directory.entries) {
		const pos = entry.localOffset;
		if (pos + LOCAL_SIZE > directory.start || view.getUint32(pos, true) !== SIG_LOCAL) {
			found.set(entry, 'is corrupt: its data is not where the central directory says');
			continue;
		}
		const nameLength = view.getUint16(pos + 26, true);
		const dataStart = pos + LOCAL_SIZE + nameLength + view.getUint16(pos + 28, true);
		const dataEnd = dataStart + entry.compressedSize;
		if (dataEnd > directory.start) {
			found.set(entry, 'is truncated or corrupt: its data runs into the central directory');
			continue;
		}
		if (!sameBytes(bytes.subarray(pos + LOCAL_SIZE, pos + LOCAL_SIZE + nameLength), entry.nameBytes)) {
			found.set(entry, 'is corrupt: its name differs between the local header and the central directory');
			continue;
		}
		if ((view.getUint16(pos + 6, true) & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 && (entry.flags & FLAG_ENCRYPTED) === 0) {
			found.set(entry, 'is encrypted; upload a zip without a password');
			continue;
		}
		found.set(entry, dataStart);
		spans.push({ entry, start: pos, end: dataEnd });
	}
	spans.sort((a, b) => a.start - b.start);
	let reach: { entry: CentralEntry; end: number } | null = null;
	for (const span of spans) {
		if (reach && span.start < reach.end) found.set(span.entry, `overlaps "${reach.entry.name}" in the zip (corrupt, or a zip bomb)`);
		if (!reach || span.end > reach.end) reach = span;
	}
	return found;
}

// ── Reading data ─────────────────────────────────────────────────────────────

/** The entry's contents, checked against its declared size and CRC-32, or what is wrong with them. */
function extract(entry: CentralEntry, data: Uint8Array): Uint8Array | string {
	const contents = entry.method === METHOD_STORED ? data.slice() : inflateExactly(data, entry.size);
	if (typeof contents === 'string') return contents;
	if (crc32(contents) !== entry.crc) return 'is corrupt: its contents do not match their checksum';
	return contents;
}

/** Inflates raw DEFLATE data into exactly `size` bytes, stopping as soon as the output would pass `size`. */
function inflateExactly(data: Uint8Array, size: number): Uint8Array | string {
	const out = new Uint8Array(size);
	let written = 0;
	let overflow = false;
	const inflater = new Inflate((chunk: Uint8Array) => {
		if (overflow) return;
		if (written + chunk.length > size) {
			overflow = true;
			return;
		}
		out.set(chunk, written);
		written += chunk.length;
	});
	try {
		for (let pos = 0; pos < data.length && !overflow; pos += INFLATE_STEP) {
			const stop = Math.min(pos + INFLATE_STEP, data.length);
			inflater.push(data.subarray(pos, stop), stop === data.length);
		}
	} catch {
		return 'is corrupt: its compressed data cannot be read';
	}
	if (overflow) return `holds more than the ${formatBytes(size)} its header declares (corrupt, or a zip bomb)`;
	if (written !== size) return `is corrupt: it holds ${formatBytes(written)}, but its header declares ${formatBytes(size)}`;
	return out;
}

// ── Text ─────────────────────────────────────────────────────────────────────

function decodeText(bytes: Uint8Array): string | { line: number; message: string } {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
		return { line: 1, message: 'starts with a byte order mark (BOM); save the file as UTF-8 without BOM' };
	}
	if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
		return { line: 1, message: 'is UTF-16 text; save the file as UTF-8 without BOM' };
	}
	try {
		return strictUtf8.decode(bytes);
	} catch {
		const offset = firstInvalidUtf8(bytes);
		let line = 1;
		for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
		return { line, message: `is not valid UTF-8 (bad byte at offset ${offset}, counting from 0); save the file as UTF-8` };
	}
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (WHATWG rules: no overlongs, surrogates or code points past U+10FFFF). */
function firstInvalidUtf8(bytes: Uint8Array): number {
	const at = (i: number): number => bytes[i] ?? -1;
	const inRange = (i: number, low: number, high: number): boolean => at(i) >= low && at(i) <= high;
	let i = 0;
	while (i < bytes.length) {
		const lead = at(i);
		let length: number;
		let secondLow = 0x80;
		let secondHigh = 0xbf;
		if (lead < 0x80) length = 1;
		else if (lead >= 0xc2 && lead <= 0xdf) length = 2;
		else if (lead >= 0xe0 && lead <= 0xef) {
			length = 3;
			if (lead === 0xe0) secondLow = 0xa0;
			if (lead === 0xed) secondHigh = 0x9f;
		} else if (lead >= 0xf0 && lead <= 0xf4) {
			length = 4;
			if (lead === 0xf0) secondLow = 0x90;
			if (lead === 0xf4) secondHigh = 0x8f;
		} else return i;
		if (length > 1 && !inRange(i + 1, secondLow, secondHigh)) return i;
		for (let k = 2; k < length; k++) if (!inRange(i + k, 0x80, 0xbf)) return i;
		i += length;
	}
	return bytes.length;
}

// ── Helpers ──────────────────────────────────────────────────────────────────

const CRC_TABLE: Uint32Array = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

function formatBytes(n: number): string {
	if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
	if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${n} bytes`;
}

/** Leaves out what desktop zip tools add on their own: __MACOSX/, .DS_Store, Thumbs.db. */
export function withoutJunk(entries: ZipEntries): ZipEntries {
	return new Map([...entries].filter(([name]) => !/(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i.test(name)));
}

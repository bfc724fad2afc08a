import { createHash } from 'node:crypto';

export const MAX_PICTURE_BYTES = 5 * 1024 * 1024;

/** Larger sides are far beyond any lesson layout and cost a lot of memory to decode. */
const MAX_SIDE = 10_000;

export type PictureType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface PictureFacts {
	type: PictureType;
	ext: 'png' | 'jpg' | 'webp';
	width: number;
	height: number;
	bytes: number;
	sha256: string;
}

type Inspection = { ok: true; facts: PictureFacts } | { ok: false; message: string };
type Parsed = { ok: true; width: number; height: number } | { ok: false; problem: string };

const ACCEPTED = 'Please upload a PNG, JPEG or WebP picture.';
const INCOMPLETE = 'looks incomplete or damaged (it may have been cut off during upload)';
const TRY_AGAIN = 'Please save or export the picture again and upload it.';

/** Decides the type from the bytes (magic numbers and a structural check), never from the name or the browser's claim. */
export function inspectPicture(bytes: Uint8Array, name: string): Inspection {
	const file = `“${name.trim() || 'unnamed file'}”`;
	if (bytes.length === 0) return refuse(`${file} is empty. ${ACCEPTED}`);
	if (bytes.length > MAX_PICTURE_BYTES) {
		return refuse(
			`${file} is ${megabytes(bytes.length)} MB; pictures can be at most ${megabytes(MAX_PICTURE_BYTES)} MB. ` +
				'Please make it smaller (for example by scaling it down or saving it as JPEG or WebP) and upload it again.'
		);
	}

	const format = detectFormat(bytes);
	if (!format) {
		if (looksLikeMarkup(bytes)) {
			return refuse(
				`${file} is SVG or another XML/HTML document. SVG is not accepted because it can carry scripts. ${ACCEPTED}`
			);
		}
		const other = nameOtherFormat(bytes);
		return refuse(
			other
				? `${file} is ${other}, which is not accepted. ${ACCEPTED}`
				: `${file} is not a PNG, JPEG or WebP picture. ${ACCEPTED}`
		);
	}

	const parsed = format.parse(bytes);
	if (!parsed.ok) return refuse(`${file} ${parsed.problem}. ${TRY_AGAIN}`);
	const { width, height } = parsed;
	if (width === 0 || height === 0) {
		return refuse(`${file} has no pixels (it is ${width} × ${height}). ${TRY_AGAIN}`);
	}
	if (width > MAX_SIDE || height > MAX_SIDE) {
		return refuse(
			`${file} is ${width} × ${height} pixels; pictures can be at most ${MAX_SIDE} pixels on each side. Please scale it down and upload it again.`
		);
	}

	return {
		ok: true,
		facts: {
			type: format.type,
			ext: format.ext,
			width,
			height,
			bytes: bytes.length,
			sha256: createHash('sha256').update(bytes).digest('hex')
		}
	};
}

function refuse(message: string): Inspection {
	return { ok: false, message };
}

function megabytes(n: number): string {
	const mb = Math.ceil((n / (1024 * 1024)) * 10) / 10;
	return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

interface Format {
	type: PictureType;
	ext: PictureFacts['ext'];
	parse(bytes: Uint8Array): Parsed;
}

function detectFormat(bytes: Uint8Array): Format | null {
	if (startsWith(bytes, PNG_SIGNATURE)) return { type: 'image/png', ext: 'png', parse: parsePng };
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { type: 'image/jpeg', ext: 'jpg', parse: parseJpeg };
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
		return { type: 'image/webp', ext: 'webp', parse: parseWebp };
	}
	return null;
}

// PNG: https://www.w3.org/TR/png-3/ (5.2 signature, 5.3 chunk layout, 11.2.1 IHDR)
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Allowed bit depths per colour type (PNG table 11.1). */
const PNG_BIT_DEPTHS: Record<number, number[]> = {
	0: [1, 2, 4, 8, 16],
	2: [8, 16],
	3: [1, 2, 4, 8],
	4: [8, 16],
	6: [8, 16]
};

function parsePng(bytes: Uint8Array): Parsed {
	const view = dataView(bytes);
	// Signature (8) + IHDR length (4) + type (4) + data (13) + CRC (4).
	if (bytes.length < 33) return { ok: false, problem: INCOMPLETE };
	if (ascii(bytes, 12, 4) !== 'IHDR' || view.getUint32(8) !== 13) {
		return { ok: false, problem: 'is not a valid PNG (its header chunk is missing)' };
	}
	const width = view.getUint32(16);
	const height = view.getUint32(20);
	const bitDepth = bytes[24] ?? 0;
	const colourType = bytes[25] ?? 0;
	if (!PNG_BIT_DEPTHS[colourType]?.includes(bitDepth)) {
		return { ok: false, problem: 'is not a valid PNG (its header is damaged)' };
	}

	// Walk the chunks to IEND so a file cut off in transit is caught here, not in the browser.
	let pos = 8;
	let sawImageData = false;
	for (;;) {
		if (pos + 12 > bytes.length) return { ok: false, problem: INCOMPLETE };
		const length = view.getUint32(pos);
		const type = ascii(bytes, pos + 4, 4);
		if (!/^[A-Za-z]{4}$/.test(type) || length > 0x7fffffff) {
			return { ok: false, problem: 'is not a valid PNG (it contains a damaged chunk)' };
		}
		if (pos + 12 + length > bytes.length) return { ok: false, problem: INCOMPLETE };
		if (type === 'IDAT') sawImageData = true;
		if (type === 'IEND') break;
		pos += 12 + length;
	}
	if (!sawImageData) return { ok: false, problem: 'is not a valid PNG (it has no image data)' };
	return { ok: true, width, height };
}

// JPEG: ITU-T T.81 (B.1.1.3 marker assignments, B.2.2 frame header)
function parseJpeg(bytes: Uint8Array): Parsed {
	const view = dataView(bytes);
	let pos = 2;
	let size: { width: number; height: number } | null = null;
	for (;;) {
		if (pos >= bytes.length) return { ok: false, problem: INCOMPLETE };
		if (bytes[pos] !== 0xff) return { ok: false, problem: 'is not a valid JPEG (a segment is damaged)' };
		while (bytes[pos] === 0xff) pos++; // fill bytes may pad a marker
		if (pos >= bytes.length) return { ok: false, problem: INCOMPLETE };
		const marker = bytes[pos] ?? 0;
		pos++;
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // TEM, RSTn: no length
		if (marker === 0xd9 || marker === 0xd8 || marker === 0x00) {
			return { ok: false, problem: 'is not a valid JPEG (it ends before the picture starts)' };
		}
		if (pos + 2 > bytes.length) return { ok: false, problem: INCOMPLETE };
		const length = view.getUint16(pos);
		if (length < 2) return { ok: false, problem: 'is not a valid JPEG (a segment is damaged)' };
		if (pos + length > bytes.length) return { ok: false, problem: INCOMPLETE };

		if (isStartOfFrame(marker) && !size) {
			if (length < 8) return { ok: false, problem: 'is not a valid JPEG (its frame header is damaged)' };
			size = { height: view.getUint16(pos + 3), width: view.getUint16(pos + 5) };
		}
		if (marker === 0xda) {
			if (!size) return { ok: false, problem: 'is not a valid JPEG (it has no frame header)' };
			// Entropy-coded data stuffs every 0xFF as FF 00, so FF D9 after the scan is the end of image.
			if (!hasEndOfImage(bytes, pos + length)) return { ok: false, problem: INCOMPLETE };
			return { ok: true, ...size };
		}
		pos += length;
	}
}

/** SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isStartOfFrame(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function hasEndOfImage(bytes: Uint8Array, from: number): boolean {
	for (let i = from; i + 1 < bytes.length; i++) {
		if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
	}
	return false;
}

// WebP: RFC 9649 (2.5 RIFF header, 2.6 simple lossy, 2.6 lossless, 2.7 extended)
function parseWebp(bytes: Uint8Array): Parsed {
	const view = dataView(bytes);
	if (bytes.length < 20) return { ok: false, problem: INCOMPLETE };
	const riffSize = view.getUint32(4, true);
	if (riffSize + 8 > bytes.length) return { ok: false, problem: INCOMPLETE };
	const chunk = ascii(bytes, 12, 4);
	const chunkSize = view.getUint32(16, true);
	const data = 20;
	if (data + chunkSize > bytes.length) return { ok: false, problem: INCOMPLETE };
	const damaged: Parsed = { ok: false, problem: 'is not a valid WebP (its image header is damaged)' };

	if (chunk === 'VP8 ') {
		// Frame tag (3 bytes, key frame when bit 0 is 0), start code 9D 01 2A, then 14-bit sizes.
		if (chunkSize < 10) return damaged;
		const keyFrame = ((bytes[data] ?? 1) & 1) === 0;
		if (!keyFrame || !startsWith(bytes.subarray(data + 3), [0x9d, 0x01, 0x2a])) return damaged;
		return {
			ok: true,
			width: view.getUint16(data + 6, true) & 0x3fff,
			height: view.getUint16(data + 8, true) & 0x3fff
		};
	}
	if (chunk === 'VP8L') {
		// Signature 0x2F, then width − 1 and height − 1 in 14 bits each, and a 3-bit version of 0.
		if (chunkSize < 5 || bytes[data] !== 0x2f) return damaged;
		const bits = view.getUint32(data + 1, true);
		if (bits >>> 29 !== 0) return damaged;
		return { ok: true, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') {
		// Flags (1), reserved (3), then canvas width − 1 and height − 1 in 24 bits each.
		if (chunkSize < 10) return damaged;
		return { ok: true, width: uint24(bytes, data + 4) + 1, height: uint24(bytes, data + 7) + 1 };
	}
	return { ok: false, problem: 'is not a valid WebP (its image header is missing)' };
}

const MARKUP_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** SVG, XML and HTML all start with `<` once a byte order mark and whitespace are skipped. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
	// UTF-16 text: look at every other byte after the BOM.
	if (startsWith(bytes, [0xff, 0xfe])) return firstCharIsLt(bytes, 2, 2, 0);
	if (startsWith(bytes, [0xfe, 0xff])) return firstCharIsLt(bytes, 2, 2, 1);
	return firstCharIsLt(bytes, startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0, 1, 0);
}

function firstCharIsLt(bytes: Uint8Array, from: number, step: number, offset: number): boolean {
	for (let i = from + offset; i < bytes.length; i += step) {
		const byte = bytes[i] ?? 0;
		if (byte === 0x3c) return true;
		if (!MARKUP_WHITESPACE.has(byte)) return false;
	}
	return false;
}

/** Common formats people try to upload, named so the message tells them what they sent. */
function nameOtherFormat(bytes: Uint8Array): string | null {
	const head = ascii(bytes, 0, 8);
	if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'a GIF image';
	if (head.startsWith('BM')) return 'a BMP image';
	if (head.startsWith('%PDF-')) return 'a PDF document';
	if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'a TIFF image';
	if (ascii(bytes, 4, 4) === 'ftyp') {
		const brand = ascii(bytes, 8, 4);
		if (brand === 'avif' || brand === 'avis') return 'an AVIF image';
		if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'a HEIC image';
		return 'a video or other media file';
	}
	if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return 'an icon file';
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive or Office document';
	return null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, from: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(from, from + length));
}

function uint24(bytes: Uint8Array, at: number): number {
	return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);
}

function dataView(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectPicture, MAX_PICTURE_BYTES } from './picture.ts';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u16be = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff];

function pngChunk(type: string, data: number[]): number[] {
	const body = [...ascii(type), ...data];
	return [...u32be(data.length), ...body, ...u32be(crc32(Uint8Array.from(body)))];
}

/** A greyscale PNG: signature, IHDR, tEXt, IDAT, IEND (decodable up to 4 × 4; larger sizes only claim it). */
function png(width = 1, height = 1, first: 'IHDR' | 'tEXt' = 'IHDR'): Uint8Array {
	const ihdr = pngChunk('IHDR', [...u32be(width), ...u32be(height), 8, 0, 0, 0, 0]);
	const rows = new Uint8Array(Math.min(height, 4) * (Math.min(width, 4) + 1));
	const idat = pngChunk('IDAT', [...deflateSync(rows)]);
	const text = pngChunk('tEXt', ascii('Comment\0made by hand'));
	const chunks = first === 'IHDR' ? [...ihdr, ...text] : [...text, ...ihdr];
	return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunks, ...idat, ...pngChunk('IEND', [])]);
}

function jpegSegment(marker: number, data: number[]): number[] {
	return [0xff, marker, ...u16be(data.length + 2), ...data];
}

/** SOI, JFIF APP0, a DHT (C4, which must not be read as a frame), SOFn, SOS, scan data, EOI. */
function jpeg(width: number, height: number, sof = 0xc0): Uint8Array {
	return Uint8Array.from([
		0xff,
		0xd8,
		...jpegSegment(0xe0, [...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
		...jpegSegment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0x00]),
		...jpegSegment(sof, [8, ...u16be(height), ...u16be(width), 1, 1, 0x11, 0]),
		...jpegSegment(0xda, [1, 1, 0x00, 0, 63, 0]),
		0x12,
		0xff,
		0x00,
		0x34,
		0xff,
		0xd9
	]);
}

function riff(chunks: Array<[string, number[]]>): Uint8Array {
	const body = chunks.flatMap(([type, data]) => [
		...ascii(type),
		...u32le(data.length),
		...data,
		...(data.length % 2 ? [0] : [])
	]);
	return Uint8Array.from([...ascii('RIFF'), ...u32le(4 + body.length), ...ascii('WEBP'), ...body]);
}

function vp8l(width: number, height: number): number[] {
	const bits = (width - 1) | ((height - 1) << 14) | (1 << 28); // alpha hint set, version 0
	return [0x2f, ...u32le(bits), 0, 0, 0];
}

const webpLossless = (width: number, height: number) => riff([['VP8L', vp8l(width, height)]]);
const webpExtended = (width: number, height: number) =>
	riff([
		['VP8X', [0x10, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]],
		['VP8L', vp8l(width, height)]
	]);
const webpLossy = (width: number, height: number) =>
	riff([['VP8 ', [0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...u16be(width).reverse(), ...u16be(height).reverse(), 0, 0]]]);

function accepted(bytes: Uint8Array, name: string) {
	const result = inspectPicture(bytes, name);
	if (!result.ok) throw new Error(`expected ${name} to be accepted: ${result.message}`);
	return result.facts;
}

function refused(bytes: Uint8Array, name: string): string {
	const result = inspectPicture(bytes, name);
	if (result.ok) throw new Error(`expected ${name} to be refused`);
	return result.message;
}

const text = (s: string) => new TextEncoder().encode(s);

describe('inspectPicture', () => {
	it('accepts a 1×1 PNG and reports its facts', () => {
		const bytes = png();
		expect(accepted(bytes, 'dot.png')).toEqual({
			type: 'image/png',
			ext: 'png',
			width: 1,
			height: 1,
			bytes: bytes.length,
			sha256: createHash('sha256').update(bytes).digest('hex')
		});
		expect(accepted(bytes, 'dot.png').sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('decides the type from the bytes, not the name', () => {
		const facts = accepted(png(640, 480), 'photo.jpg');
		expect(facts).toMatchObject({ type: 'image/png', ext: 'png', width: 640, height: 480 });
		expect(accepted(jpeg(2, 3), 'scan.png')).toMatchObject({ type: 'image/jpeg', ext: 'jpg' });
		expect(accepted(png(), 'no extension')).toEqual(accepted(png(), 'other.webp'));
	});

	it('reads a PNG view that starts partway into its buffer', () => {
		const inner = png(7, 5);
		const outer = new Uint8Array(inner.length + 3);
		outer.set(inner, 3);
		expect(accepted(outer.subarray(3), 'a.png')).toMatchObject({ width: 7, height: 5 });
	});

	it('refuses a PNG whose first chunk is not IHDR', () => {
		expect(refused(png(1, 1, 'tEXt'), 'odd.png')).toMatch(/not a valid PNG/);
	});

	it('refuses a truncated PNG', () => {
		const bytes = png(4, 4);
		expect(refused(bytes.subarray(0, 20), 'cut.png')).toMatch(/incomplete/);
		expect(refused(bytes.subarray(0, bytes.length - 12), 'no-end.png')).toMatch(/incomplete/);
		expect(refused(bytes.subarray(0, 8), 'signature.png')).toMatch(/“signature\.png” looks incomplete/);
	});

	it('accepts a minimal JPEG with SOF0, skipping the DHT segment', () => {
		expect(accepted(jpeg(640, 480), 'photo.jpeg')).toMatchObject({
			type: 'image/jpeg',
			ext: 'jpg',
			width: 640,
			height: 480
		});
	});

	it('accepts a progressive JPEG (SOF2) and refuses a JPEG with no frame', () => {
		expect(accepted(jpeg(100, 50, 0xc2), 'p.jpg')).toMatchObject({ width: 100, height: 50 });
		const noFrame = Uint8Array.from([0xff, 0xd8, ...jpegSegment(0xda, [1, 1, 0, 0, 63, 0]), 0x12, 0xff, 0xd9]);
		expect(refused(noFrame, 'no-frame.jpg')).toMatch(/no frame header/);
	});

	it('refuses a truncated JPEG', () => {
		const bytes = jpeg(640, 480);
		expect(refused(bytes.subarray(0, 3), 'a.jpg')).toMatch(/incomplete/);
		expect(refused(bytes.subarray(0, 30), 'b.jpg')).toMatch(/incomplete/); // inside the DHT
		expect(refused(bytes.subarray(0, bytes.length - 2), 'c.jpg')).toMatch(/incomplete/); // no end of image
	});

	it('accepts WebP with VP8X, VP8L and VP8 headers', () => {
		expect(accepted(webpExtended(1920, 1080), 'banner.webp')).toMatchObject({
			type: 'image/webp',
			ext: 'webp',
			width: 1920,
			height: 1080
		});
		expect(accepted(webpLossless(3, 2), 'tiny.webp')).toMatchObject({ width: 3, height: 2 });
		expect(accepted(webpLossy(320, 240), 'lossy.webp')).toMatchObject({ width: 320, height: 240 });
	});

	it('refuses a truncated or headless WebP', () => {
		const bytes = webpExtended(10, 10);
		expect(refused(bytes.subarray(0, bytes.length - 4), 'cut.webp')).toMatch(/incomplete/);
		expect(refused(riff([['ALPH', [0, 0]]]), 'alpha.webp')).toMatch(/not a valid WebP/);
	});

	it('refuses SVG, even when named .png, because it can carry scripts', () => {
		const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
		const message = refused(text(svg), 'logo.png');
		expect(message).toMatch(/“logo\.png”/);
		expect(message).toMatch(/SVG is not accepted because it can carry scripts/);
		expect(message).toMatch(/PNG, JPEG or WebP/);

		for (const markup of ['\uFEFF  \n<?xml version="1.0"?><svg/>', '\t<!DOCTYPE html><html></html>']) {
			expect(refused(text(markup), 'x.webp')).toMatch(/SVG is not accepted/);
		}
		const utf16 = Uint8Array.from([0xff, 0xfe, ...[...'  <svg/>'].flatMap((c) => [c.charCodeAt(0), 0])]);
		expect(refused(utf16, 'wide.svg')).toMatch(/SVG is not accepted/);
	});

	it('refuses other formats, naming them and the accepted types', () => {
		const cases: Array<[Uint8Array, string, RegExp]> = [
			[Uint8Array.from([...ascii('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0x3b]), 'anim.gif', /a GIF image/],
			[Uint8Array.from([...ascii('BM'), 0, 0, 0, 0, 0, 0, 0, 0]), 'old.bmp', /a BMP image/],
			[text('%PDF-1.7\n%…'), 'manual.png', /a PDF document/],
			[Uint8Array.from([0, 0, 0, 0x18, ...ascii('ftypheic'), 0, 0, 0, 0]), 'IMG_0001.HEIC', /a HEIC image/],
			[text('just some notes'), 'notes.jpg', /not a PNG, JPEG or WebP picture/]
		];
		for (const [bytes, name, kind] of cases) {
			const message = refused(bytes, name);
			expect(message).toMatch(kind);
			expect(message).toMatch(/Please upload a PNG, JPEG or WebP picture\./);
		}
	});

	it('refuses an empty file', () => {
		expect(refused(new Uint8Array(0), 'blank.png')).toMatch(/“blank\.png” is empty/);
		expect(refused(new Uint8Array(0), '  ')).toMatch(/unnamed file/);
	});

	it('refuses a file over the size limit, stating the limit in MB', () => {
		const big = new Uint8Array(MAX_PICTURE_BYTES + 1);
		big.set(png());
		const message = refused(big, 'huge.png');
		expect(message).toMatch(/at most 5 MB/);
		expect(message).toMatch(/5\.1 MB/);

		const atLimit = new Uint8Array(MAX_PICTURE_BYTES);
		atLimit.set(png()); // trailing bytes after IEND are tolerated
		expect(accepted(atLimit, 'padded.png').bytes).toBe(MAX_PICTURE_BYTES);
	});

	it('refuses a width or height of 0 or over 10000', () => {
		expect(refused(png(0, 10), 'flat.png')).toMatch(/no pixels/);
		expect(refused(jpeg(10, 0), 'flat.jpg')).toMatch(/no pixels/);
		expect(refused(png(10_001, 10), 'wide.png')).toMatch(/10001 × 10 pixels.*at most 10000/);
		expect(refused(webpExtended(200, 10_001), 'tall.webp')).toMatch(/at most 10000/);
		expect(accepted(png(10_000, 10_000), 'max.png')).toMatchObject({ width: 10_000, height: 10_000 });
	});
});

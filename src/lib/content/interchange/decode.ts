import { BankError, MAX_BANK_BYTES } from './types.ts';

/**
 * The text of an uploaded question-bank file. Only UTF-8 is accepted (with or without a BOM):
 * guessing a legacy encoding (GBK, Windows-1252…) would silently garble texts, so the author is
 * asked to save the file again as UTF-8 instead. Line ends come back as LF.
 */
export function decodeBank(bytes: Uint8Array): string {
	if (bytes.length === 0) throw new BankError('the file is empty');
	if (bytes.length > MAX_BANK_BYTES) {
		throw new BankError(`the file is ${megabytes(bytes.length)} MB; the largest accepted is ${megabytes(MAX_BANK_BYTES)} MB`);
	}
	const wide = sniffWideEncoding(bytes);
	if (wide) throw new BankError(`the file is ${wide}; save it as UTF-8`);
	const kind = sniffBinary(bytes);
	if (kind) throw new BankError(`the file is ${kind}, not a text file; export the questions as GIFT, Moodle XML or Aiken text`);
	const text = decodeUtf8(bytes).replace(/\r\n?/g, '\n');
	if (text.trim() === '') throw new BankError('the file is empty (it holds only spaces and blank lines)');
	return text;
}

const megabytes = (n: number) => String(Math.round((n / (1024 * 1024)) * 10) / 10);

/** UTF-16 and UTF-32, told by their byte order mark or, without one, by the NUL bytes of ASCII text. */
function sniffWideEncoding(bytes: Uint8Array): 'UTF-16' | 'UTF-32' | null {
	const [a, b, c, d] = bytes;
	if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) return 'UTF-32';
	if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16';
	const sample = bytes.subarray(0, Math.min(bytes.length, 512) & ~3);
	if (sample.length < 4) return null;
	const zeros = [0, 0, 0, 0];
	sample.forEach((byte, i) => {
		if (byte === 0) zeros[i % 4]!++;
	});
	const quads = sample.length / 4;
	const mostly = (n: number) => n >= quads * 0.75;
	const zeroAt = zeros.map(mostly);
	if (zeroAt.filter(Boolean).length === 3) return 'UTF-32';
	if ((zeroAt[0] && zeroAt[2] && !zeroAt[1] && !zeroAt[3]) || (zeroAt[1] && zeroAt[3] && !zeroAt[0] && !zeroAt[2])) return 'UTF-16';
	return null;
}

/** Files people upload by mistake, named so the message helps; any other NUL byte means binary. */
const SIGNATURES: Array<[number[], string]> = [
	[[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (a Word document or a course backup?)'],
	[[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
	[[0xd0, 0xcf, 0x11, 0xe0], 'an old Word or Excel document']
];

function sniffBinary(bytes: Uint8Array): string | null {
	for (const [signature, name] of SIGNATURES) {
		if (signature.every((byte, i) => bytes[i] === byte)) return name;
	}
	return bytes.includes(0) ? 'binary data (it contains NUL bytes)' : null;
}

function decodeUtf8(bytes: Uint8Array): string {
	try {
		// The decoder drops a leading UTF-8 BOM.
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		const at = firstInvalidUtf8(bytes);
		throw new BankError(
			'the file is not valid UTF-8 (it may be GBK, GB18030 or Windows-1252); open it in a text editor and save it as UTF-8',
			at === null ? null : lineOf(bytes, at)
		);
	}
}

/** Index of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629, table 3-7 of Unicode). */
export function firstInvalidUtf8(bytes: Uint8Array): number | null {
	let i = 0;
	while (i < bytes.length) {
		const length = sequenceLength(bytes, i);
		if (length === 0) return i;
		i += length;
	}
	return null;
}

function sequenceLength(bytes: Uint8Array, i: number): number {
	const lead = bytes[i]!;
	if (lead < 0x80) return 1;
	const tail = (n: number, lo = 0x80, hi = 0xbf) => {
		const byte = bytes[i + n];
		return byte !== undefined && byte >= lo && byte <= hi;
	};
	if (lead >= 0xc2 && lead <= 0xdf) return tail(1) ? 2 : 0;
	if (lead >= 0xe0 && lead <= 0xef) {
		const [lo, hi] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
		return tail(1, lo, hi) && tail(2) ? 3 : 0;
	}
	if (lead >= 0xf0 && lead <= 0xf4) {
		const [lo, hi] = lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
		return tail(1, lo, hi) && tail(2) && tail(3) ? 4 : 0;
	}
	return 0;
}

/** 1-based line of a byte offset, counting LF, CRLF and lone CR as line ends. */
function lineOf(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset; i++) {
		if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
	}
	return line;
}

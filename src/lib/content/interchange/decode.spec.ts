import { describe, expect, it } from 'vitest';
import { decodeBank, firstInvalidUtf8 } from './decode.ts';
import { BankError, MAX_BANK_BYTES } from './types.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: Array<number[] | string>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));
const utf16le = (text: string) => [...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);
const utf16be = (text: string) => [...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]);

function refusal(input: Uint8Array): BankError {
	try {
		decodeBank(input);
	} catch (error) {
		if (error instanceof BankError) return error;
		throw error;
	}
	throw new Error('expected a BankError');
}

describe('decodeBank', () => {
	it('returns UTF-8 text without its BOM, with LF line ends', () => {
		expect(decodeBank(bytes([0xef, 0xbb, 0xbf], 'a\r\nb\rc\n净水器'))).toBe('a\nb\nc\n净水器');
	});

	it('refuses an empty file, and one of only blank lines', () => {
		expect(refusal(new Uint8Array()).message).toBe('the file is empty');
		expect(refusal(bytes(' \r\n\t\n')).message).toContain('the file is empty');
		expect(refusal(bytes([0xef, 0xbb, 0xbf])).message).toContain('the file is empty');
	});

	it('refuses a file larger than the limit before reading it', () => {
		const error = refusal(new Uint8Array(MAX_BANK_BYTES + 1).fill(0x41));
		expect(error.message).toBe('the file is 5 MB; the largest accepted is 5 MB');
		expect(decodeBank(new Uint8Array(MAX_BANK_BYTES).fill(0x41))).toHaveLength(MAX_BANK_BYTES);
	});

	it('refuses UTF-16, little and big endian, with or without a BOM', () => {
		for (const input of [bytes([0xff, 0xfe], utf16le('::q:: A? {T}')), bytes([0xfe, 0xff], utf16be('::q:: A? {T}')), bytes(utf16le('<?xml version="1.0"?><quiz/>')), bytes(utf16be('Which one?\nA. x'))]) {
			const error = refusal(input);
			expect(error.message).toBe('the file is UTF-16; save it as UTF-8');
			expect(error.line).toBeNull();
		}
	});

	it('refuses UTF-32', () => {
		expect(refusal(bytes([0xff, 0xfe, 0, 0], [0x41, 0, 0, 0])).message).toBe('the file is UTF-32; save it as UTF-8');
		expect(refusal(bytes([0, 0, 0, 0x41, 0, 0, 0, 0x42])).message).toBe('the file is UTF-32; save it as UTF-8');
	});

	it('refuses GBK text, naming the line of the first bad byte', () => {
		// "你好" in GBK, on the third line.
		const error = refusal(bytes('::a:: ok {T}\r\n\r\n::b:: ', [0xc4, 0xe3, 0xba, 0xc3], ' {T}'));
		expect(error.line).toBe(3);
		expect(error.message).toMatch(/^line 3: the file is not valid UTF-8 .*GBK.*save it as UTF-8$/);
	});

	it('refuses binary files', () => {
		expect(refusal(bytes('abc', [0], 'def')).message).toContain('binary data');
		expect(refusal(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])).message).toContain('a ZIP archive');
		expect(refusal(bytes('%PDF-1.7\n')).message).toContain('a PDF document');
	});
});

describe('firstInvalidUtf8', () => {
	it('accepts well-formed UTF-8 of every length', () => {
		expect(firstInvalidUtf8(utf8('a é 净 😀'))).toBeNull();
	});

	it('finds overlong forms, surrogates, stray continuation bytes and cut sequences', () => {
		expect(firstInvalidUtf8(bytes('ab', [0xc0, 0x80]))).toBe(2);
		expect(firstInvalidUtf8(bytes('a', [0xed, 0xa0, 0x80]))).toBe(1);
		expect(firstInvalidUtf8(bytes([0x80]))).toBe(0);
		expect(firstInvalidUtf8(bytes('xyz', [0xe5, 0x87]))).toBe(3);
		expect(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
	});
});

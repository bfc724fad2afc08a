import { describe, expect, it } from 'vitest';
import { toCsv, withBom } from './csv';

describe('toCsv', () => {
	it('joins plain fields with commas and ends every line with CRLF', () => {
		expect(toCsv([['name', 'done'], ['Anna Lee', 3]])).toBe('name,done\r\nAnna Lee,3\r\n');
	});

	it('writes null as an empty field', () => {
		expect(toCsv([['a', null, 'c'], [null]])).toBe('a,,c\r\n\r\n');
	});

	it('quotes fields with commas', () => {
		expect(toCsv([['Lee, Anna', 'x']])).toBe('"Lee, Anna",x\r\n');
	});

	it('quotes fields with quotes and doubles the quotes', () => {
		expect(toCsv([['say "hi"']])).toBe('"say ""hi"""\r\n');
	});

	it('quotes fields with line breaks', () => {
		expect(toCsv([['two\nlines', 'cr\rhere', 'both\r\nends']])).toBe('"two\nlines","cr\rhere","both\r\nends"\r\n');
	});

	it('prefixes fields that would run as a formula', () => {
		expect(toCsv([['=1+1', '+1', '-1', '@SUM(A1)']])).toBe("'=1+1,'+1,'-1,'@SUM(A1)\r\n");
		expect(toCsv([['\tx']])).toBe("'\tx\r\n");
	});

	it('prefixes and quotes a formula that also needs quoting', () => {
		expect(toCsv([['=HYPERLINK("http://x","y")']])).toBe('"\'=HYPERLINK(""http://x"",""y"")"\r\n');
	});

	it('leaves formula characters alone when they are not first', () => {
		expect(toCsv([['a=b', 'x-y', 'me@example.com', '1+1']])).toBe('a=b,x-y,me@example.com,1+1\r\n');
	});

	it('writes numbers as they are', () => {
		expect(toCsv([[0, 42, 3.5]])).toBe('0,42,3.5\r\n');
	});
});

describe('withBom', () => {
	it('starts a download with the UTF-8 byte order mark Excel needs for Chinese names', () => {
		const bytes = new TextEncoder().encode(withBom(toCsv([['陈杰']])));
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3))).toBe('陈杰\r\n');
	});
});

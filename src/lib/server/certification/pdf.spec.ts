import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fontkit from '@pdf-lib/fontkit';
import QRCode from 'qrcode';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import { PAGE, QR_BOX, darkRuns, fitText, formatDay, qrMatrix, renderCertificate, type CertificateInput } from './pdf';

const base: CertificateInput = {
	locale: 'en',
	holderName: 'Tom Chen',
	certificationTitle: 'Complaint handling',
	level: 2,
	levels: 2,
	grantedAt: new Date('2026-03-04T10:00:00Z'),
	expiresAt: new Date('2027-03-04T10:00:00Z'),
	verifyCode: 'AbCdEfGh12345678',
	verifyUrl: 'https://serviceready.example.com/verify/AbCdEfGh12345678'
};

/** Reads a PDF back: its page, the text drawn (through each font's ToUnicode map), its fonts and the QR squares. */
async function readBack(bytes: Uint8Array) {
	const doc = await PDFDocument.load(bytes);
	const page = doc.getPage(0);
	const deref = (o: PDFObject | undefined) => (o instanceof PDFRef ? doc.context.lookup(o) : o);
	const decode = (o: PDFObject | undefined) => {
		const stream = deref(o);
		if (!(stream instanceof PDFRawStream)) throw new Error('expected a stream');
		return decodePDFRawStream(stream).decode();
	};
	const latin1 = (data: Uint8Array) => Buffer.from(data).toString('latin1');

	const fontDict = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
	// pdf-lib names the font anew for each text drawn: keep one entry per font object.
	const fonts = new Map<string, { baseFont: string; toUnicode: Map<string, string>; program: Uint8Array }>();
	const fontOf = new Map<string, string>();
	for (const [name, ref] of fontDict.entries()) {
		fontOf.set(name.asString(), ref.toString());
		if (fonts.has(ref.toString())) continue;
		const type0 = deref(ref) as PDFDict;
		const cmap = latin1(decode(type0.get(PDFName.of('ToUnicode'))));
		const toUnicode = new Map<string, string>();
		for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
			for (const [, gid, hex] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
				toUnicode.set(gid!.toLowerCase(), String.fromCodePoint(...(Buffer.from(hex!, 'hex').swap16().toString('utf16le').split('').map((c) => c.charCodeAt(0)))));
			}
		}
		for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
			for (const [, from, to, start] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
				for (let g = parseInt(from!, 16); g <= parseInt(to!, 16); g++) {
					toUnicode.set(g.toString(16).padStart(4, '0'), String.fromCodePoint(parseInt(start!, 16) + g - parseInt(from!, 16)));
				}
			}
		}
		const cid = (deref(type0.get(PDFName.of('DescendantFonts'))) as PDFArray).lookup(0, PDFDict);
		const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
		fonts.set(ref.toString(), {
			baseFont: (type0.get(PDFName.of('BaseFont')) as PDFName).asString(),
			toUnicode,
			program: decode(descriptor.get(PDFName.of('FontFile2')))
		});
	}

	const contents = deref(page.node.get(PDFName.of('Contents')));
	const parts = contents instanceof PDFArray ? contents.asArray() : [contents];
	const ops = parts.map((part) => latin1(decode(part))).join('\n');

	const texts: string[] = [];
	let current = '';
	for (const [, fontName, hex] of ops.matchAll(/(\/[^\s/]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj/g)) {
		if (fontName) current = fontName;
		else {
			const map = fonts.get(fontOf.get(current)!)!.toUnicode;
			texts.push((hex!.match(/.{4}/g) ?? []).map((gid) => map.get(gid.toLowerCase()) ?? '\uFFFD').join(''));
		}
	}

	const qrOps = new RegExp(`/${QR_BOX.tag} BMC([\\s\\S]*?)EMC`).exec(ops)?.[1] ?? '';
	const rects = [...qrOps.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)].map((r) => r.slice(1, 5).map(Number) as [number, number, number, number]);
	return { doc, page, fonts, texts, rects };
}

/** The QR matrix rebuilt from the drawn squares: module size from their height, origin from the square's box. */
function matrixFrom(rects: Array<[number, number, number, number]>, size: number): number[] {
	const module = QR_BOX.size / size;
	const cells = new Array<number>(size * size).fill(0);
	for (const [x, y, w, h] of rects) {
		expect(h).toBeCloseTo(module, 3);
		const row = Math.round((QR_BOX.y + QR_BOX.size - y - h) / module);
		const col = Math.round((x - QR_BOX.x) / module);
		for (let i = 0; i < Math.round(w / module); i++) cells[row * size + col + i] = 1;
	}
	return cells;
}

describe('darkRuns', () => {
	it('merges each row’s dark modules into runs', () => {
		const grid = ['1101', '0000', '1110', '0001'];
		expect(darkRuns(4, (r, c) => grid[r]![c] === '1')).toEqual([
			{ row: 0, col: 0, length: 2 },
			{ row: 0, col: 3, length: 1 },
			{ row: 2, col: 0, length: 3 },
			{ row: 3, col: 3, length: 1 }
		]);
	});

	it('covers exactly the dark modules of any matrix, with runs that never touch', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }))), ([n, cells]) => {
				const runs = darkRuns(n, (r, c) => cells[r * n + c]!);
				const drawn = new Array<boolean>(n * n).fill(false);
				for (const run of runs) {
					expect(run.length).toBeGreaterThan(0);
					for (let i = 0; i < run.length; i++) {
						expect(drawn[run.row * n + run.col + i]).toBe(false);
						drawn[run.row * n + run.col + i] = true;
					}
					if (run.col + run.length < n) expect(cells[run.row * n + run.col + run.length]).toBe(false);
				}
				expect(drawn).toEqual(cells);
			})
		);
	});
});

describe('fitText', () => {
	// A fixed-pitch stand-in: every character is half the size wide, CJK characters the full size.
	const widthAt = (text: string, size: number) => Array.from(text).reduce((w, c) => w + (/[\u4e00-\u9fff]/.test(c) ? size : size / 2), 0);

	it('keeps the preferred size when the text fits', () => {
		expect(fitText('Tom Chen', widthAt, 200, 30, 16)).toEqual({ size: 30, lines: ['Tom Chen'] });
	});

	it('shrinks to fit one line when it can', () => {
		const fit = fitText('A rather long name', widthAt, 200, 30, 16);
		expect(fit.lines).toEqual(['A rather long name']);
		expect(fit.size).toBeLessThan(30);
		expect(fit.size).toBeGreaterThanOrEqual(16);
		expect(widthAt('A rather long name', fit.size)).toBeLessThanOrEqual(200);
	});

	it('breaks between words, and between Chinese characters, at the smallest size', () => {
		expect(fitText('aaaa bbbb cccc', widthAt, 20, 10, 4)).toEqual({ size: 4, lines: ['aaaa bbbb', 'cccc'] });
		expect(fitText('售后客户关怀认证', widthAt, 40, 20, 10)).toEqual({ size: 10, lines: ['售后客户', '关怀认证'] });
	});

	it('never loses a character nor exceeds the width (unless one character alone is wider)', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '李', '娜', 'W') , minLength: 1, maxLength: 80 }), fc.integer({ min: 10, max: 300 }), (text, maxWidth) => {
				const fit = fitText(text, widthAt, maxWidth, 30, 10);
				expect(fit.lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
				for (const line of fit.lines) if (Array.from(line).length > 1) expect(widthAt(line, fit.size)).toBeLessThanOrEqual(maxWidth);
			})
		);
	});
});

describe('formatDay', () => {
	it('writes the day in the organisation zone as each language writes dates', () => {
		const late = new Date('2026-03-04T23:30:00Z');
		expect(formatDay(late, 'en')).toBe('4 March 2026');
		expect(formatDay(late, 'zh-CN')).toBe('2026年3月4日');
		expect(formatDay(late, 'en', 'Asia/Shanghai')).toBe('5 March 2026');
		expect(formatDay(late, 'zh-CN', 'Asia/Shanghai')).toBe('2026年3月5日');
	});
});

describe('renderCertificate', () => {
	it('makes a one-page A4 landscape PDF with every fact printed and the font embedded', async () => {
		const bytes = await renderCertificate(base);
		expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
		const { doc, page, fonts, texts } = await readBack(bytes);
		expect(doc.getPageCount()).toBe(1);
		expect(page.getSize()).toEqual({ width: PAGE.width, height: PAGE.height });
		expect(doc.getTitle()).toBe('Complaint handling: certificate of Tom Chen');
		expect(texts).toEqual(
			expect.arrayContaining([
				'Certificate',
				'This certifies that',
				'Tom Chen',
				'has earned the certification',
				'Complaint handling',
				'Level 2 of 2',
				'4 March 2026',
				'4 March 2027',
				'AbCdEfGh12345678',
				'https://serviceready.example.com/verify/AbCdEfGh12345678'
			])
		);
		expect(fonts.size).toBe(2);
		for (const font of fonts.values()) {
			expect(font.baseFont).toMatch(/NotoSansSC/);
			expect(font.program.length).toBeGreaterThan(1000);
		}
	});

	it('prints a Chinese name and certificate, with a real outline for every character used', async () => {
		const bytes = await renderCertificate({ ...base, locale: 'zh-CN', holderName: '李娜', certificationTitle: '投诉处理认证' });
		const { texts, fonts } = await readBack(bytes);
		expect(texts).toEqual(expect.arrayContaining(['资格证书', '兹证明', '李娜', '已获得以下认证', '投诉处理认证', '第 2 级（共 2 级）', '2026年3月4日', '2027年3月4日']));
		const printed = new Set(texts.join('').replace(/\s/g, ''));
		for (const font of fonts.values()) {
			const program = fontkit.create(font.program);
			// Subset to what is printed: a few dozen glyphs, not the tens of thousands of the whole font.
			expect(program.numGlyphs).toBeLessThan(120);
		}
		// Every printed character has a glyph with an outline in one of the embedded fonts (pdf-lib's own subsetting lost some).
		const programs = [...fonts.values()].map((f) => fontkit.create(f.program));
		for (const char of printed) {
			const ok = programs.some((p) => {
				const glyph = p.glyphForCodePoint(char.codePointAt(0)!);
				return glyph.id !== 0 && glyph.path.toSVG().length > 0;
			});
			expect(ok, char).toBe(true);
		}
		expect(bytes.length).toBeLessThan(60_000);
	});

	it('draws the QR code of the verification address, module for module', async () => {
		const { rects } = await readBack(await renderCertificate(base));
		const expected = QRCode.create(base.verifyUrl, { errorCorrectionLevel: 'M' }).modules;
		expect(Array.from(qrMatrix(base.verifyUrl).data)).toEqual(Array.from(expected.data));
		expect(rects.length).toBeGreaterThan(0);
		expect(matrixFrom(rects, expected.size)).toEqual(Array.from(expected.data));
		// A different address gives a different matrix, so the comparison above can fail.
		expect(Array.from(qrMatrix(base.verifyUrl.replace('Ab', 'Zz')).data)).not.toEqual(Array.from(expected.data));
	});

	it('leaves the level out for a certification with one level, and fits a very long name on the page', async () => {
		const name = 'Maximiliane Alexandra Konstantinopoulou-Vanderbilt de la Cruz y Montenegro 王';
		const { texts } = await readBack(await renderCertificate({ ...base, level: 1, levels: 1, holderName: name }));
		expect(texts.some((t) => /Level/.test(t))).toBe(false);
		expect(texts.join(' ')).toContain('Maximiliane');
		expect(texts.join('').replace(/\s/g, '')).toContain(name.replace(/\s/g, ''));
	});

	it('refuses input that would print a wrong certificate', async () => {
		await expect(renderCertificate({ ...base, level: 3 })).rejects.toThrow(RangeError);
		await expect(renderCertificate({ ...base, holderName: '  ' })).rejects.toThrow(/name/);
		await expect(renderCertificate({ ...base, verifyUrl: '/verify/x' })).rejects.toThrow(/absolute/);
		await expect(renderCertificate({ ...base, expiresAt: base.grantedAt })).rejects.toThrow(/after/);
	});
});

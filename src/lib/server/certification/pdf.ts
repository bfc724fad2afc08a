import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import {
	PDFDocument,
	beginMarkedContent,
	endMarkedContent,
	fill,
	popGraphicsState,
	pushGraphicsState,
	rectangle,
	rgb,
	setFillingRgbColor,
	type PDFFont,
	type PDFPage,
	type RGB
} from 'pdf-lib';
import QRCode from 'qrcode';
import subsetFont from 'subset-font';
import { m } from '../../paraglide/messages.js';
import { formatLongDate } from '../../format';

export type CertificateLocale = 'en' | 'zh-CN';

/** Everything printed on a certificate, already read and localized by the caller. */
export interface CertificateInput {
	locale: CertificateLocale;
	holderName: string;
	/** The certification's title in `locale`. */
	certificationTitle: string;
	level: number;
	/** How many levels the certification has; the level is printed only when there is more than one. */
	levels: number;
	grantedAt: Date;
	expiresAt: Date;
	verifyCode: string;
	/** Absolute address of the public verification page, `<origin>/verify/<code>`. */
	verifyUrl: string;
	/** The organisation's zone: the dates printed are calendar days in it (UTC when not given). */
	timeZone?: string;
	/** When the file is made (the PDF's creation date); now by default. */
	now?: Date;
}

/** A4 landscape in PDF points (ISO 216: 297 × 210 mm, 72 points to the inch). */
export const PAGE = { width: 841.89, height: 595.28 } as const;
/** The QR code's square (lower-left corner and side, in points) and the marked-content tag around it. */
export const QR_BOX = { x: PAGE.width - 80 - 124, y: 118, size: 124, tag: 'QRCode' } as const;

/** Noto Sans SC covers Latin and Chinese; it comes from npm so that `npm ci` brings it. */
const FONT_FILES = {
	regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
	bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'
} as const;
type Weight = keyof typeof FONT_FILES;

const INK = rgb(0.1, 0.11, 0.13);
const MUTED = rgb(0.38, 0.41, 0.46);
const ACCENT = rgb(0.11, 0.33, 0.47);
const MARGIN = 80;

// Resolved from this module's own address, so the same line finds the package in the dev server,
// the tests and the built app (adapter-node leaves dependencies in node_modules).
const require = createRequire(import.meta.url);
const fontCache = new Map<Weight, Promise<{ bytes: Buffer; font: Font }>>();

/** A whole font file (about 10 MB) and its parsed form, read once per process; a failed read is tried again. */
function loadFont(weight: Weight): Promise<{ bytes: Buffer; font: Font }> {
	let cached = fontCache.get(weight);
	if (!cached) {
		cached = readFile(require.resolve(FONT_FILES[weight])).then((bytes) => ({ bytes, font: fontkit.create(bytes) }));
		cached.catch(() => fontCache.delete(weight));
		fontCache.set(weight, cached);
	}
	return cached;
}

/**
 * Rule "QR modules as runs": each row's dark modules, merged into horizontal runs (row, first column,
 * length), top row first. Drawing one rectangle per run keeps the page small and draws exactly the matrix.
 */
export function darkRuns(size: number, isDark: (row: number, col: number) => boolean): Array<{ row: number; col: number; length: number }> {
	const runs: Array<{ row: number; col: number; length: number }> = [];
	for (let row = 0; row < size; row++) {
		let start = -1;
		for (let col = 0; col <= size; col++) {
			const dark = col < size && isDark(row, col);
			if (dark && start < 0) start = col;
			if (!dark && start >= 0) {
				runs.push({ row, col: start, length: col - start });
				start = -1;
			}
		}
	}
	return runs;
}

/** The QR code of `url` (error correction M: 15 % of the symbol may be damaged). */
export function qrMatrix(url: string) {
	return QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
}

/**
 * Rule "text fits its line": the largest size from `preferred` down to `min` at which `text` fits
 * `maxWidth` on one line; if even `min` is too wide, the text is broken into lines at `min` (between
 * words, or between any two characters of CJK text or of a word longer than the line).
 */
export function fitText(text: string, widthAt: (text: string, size: number) => number, maxWidth: number, preferred: number, min: number): { size: number; lines: string[] } {
	const width = widthAt(text, preferred);
	if (width <= maxWidth) return { size: preferred, lines: [text] };
	const scaled = Math.floor(((preferred * maxWidth) / width) * 10) / 10;
	if (scaled >= min && widthAt(text, scaled) <= maxWidth) return { size: scaled, lines: [text] };
	const tokens = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+/g) ?? [];
	const lines: string[] = [];
	let line = '';
	const push = () => {
		if (line.trim()) lines.push(line.trim());
		line = '';
	};
	for (const token of tokens) {
		if (widthAt(line + token, min) <= maxWidth) {
			line += token;
			continue;
		}
		push();
		if (/^\s+$/.test(token)) continue;
		for (const char of widthAt(token, min) <= maxWidth ? [token] : Array.from(token)) {
			if (line && widthAt(line + char, min) > maxWidth) push();
			line += char;
		}
	}
	push();
	return { size: min, lines };
}

/**
 * A calendar day in `timeZone` (the organisation's), written as people of `locale` write dates
 * ("23 November 2026", "2026年11月23日").
 */
export function formatDay(date: Date, locale: CertificateLocale, timeZone = 'UTC'): string {
	return formatLongDate(date, locale, timeZone);
}

interface Line {
	text: string;
	weight: Weight;
	size: number;
	x: number | 'center';
	y: number;
	color: RGB;
}

/** Collapses white space, so that a stored name or title never breaks the layout with a newline. */
const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

function check(input: CertificateInput) {
	if (!clean(input.holderName)) throw new RangeError('A certificate needs the holder’s name');
	if (!clean(input.certificationTitle)) throw new RangeError('A certificate needs the certification’s title');
	if (!Number.isInteger(input.levels) || input.levels < 1) throw new RangeError(`levels must be a positive integer, got ${input.levels}`);
	if (!Number.isInteger(input.level) || input.level < 1 || input.level > input.levels) throw new RangeError(`level must be 1–${input.levels}, got ${input.level}`);
	if (!/^https?:\/\/\S+$/.test(input.verifyUrl)) throw new RangeError(`verifyUrl must be an absolute http(s) address, got ${input.verifyUrl}`);
	if (!(input.expiresAt.getTime() > input.grantedAt.getTime())) throw new RangeError('expiresAt must be after grantedAt');
}

/**
 * The certificate as an A4 landscape PDF in the technician's language: name, certification, level
 * (when the certification has several), granted and expiry dates, the verification code, and a QR code
 * of the verification address with the address printed under it.
 *
 * Chinese text needs an embedded CJK font. pdf-lib's own subsetting drops glyphs of Noto Sans SC, so
 * each weight is first cut down with subset-font to exactly the characters printed in it, and that
 * small font is embedded whole (`subset: false`).
 */
export async function renderCertificate(input: CertificateInput): Promise<Uint8Array> {
	check(input);
	const locale = input.locale;
	const opts = { locale };

	// Widths are measured with the whole font: the layout decides which characters print, then the subset is cut.
	const full = { regular: await loadFont('regular'), bold: await loadFont('bold') };
	const widthAt = (weight: Weight) => (text: string, size: number) => (full[weight].font.layout(text).advanceWidth * size) / full[weight].font.unitsPerEm;

	const lines: Line[] = [];
	const center = PAGE.width / 2;
	const textWidth = PAGE.width - 2 * MARGIN - 40;

	lines.push({ text: 'ServiceReady', weight: 'bold', size: 13, x: 'center', y: 536, color: ACCENT });
	lines.push({ text: m.certificate_heading({}, opts), weight: 'bold', size: 36, x: 'center', y: 484, color: INK });
	lines.push({ text: m.certificate_certifies({}, opts), weight: 'regular', size: 14, x: 'center', y: 446, color: MUTED });

	let y = 404;
	const name = fitText(clean(input.holderName), widthAt('bold'), textWidth, 30, 16);
	for (const [index, text] of name.lines.entries()) lines.push({ text, weight: 'bold', size: name.size, x: 'center', y: y - index * name.size * 1.25, color: INK });
	y -= (name.lines.length - 1) * name.size * 1.25;
	const ruleY = y - 14;

	lines.push({ text: m.certificate_has_earned({}, opts), weight: 'regular', size: 14, x: 'center', y: ruleY - 26, color: MUTED });
	y = ruleY - 64;
	const title = fitText(clean(input.certificationTitle), widthAt('bold'), textWidth, 24, 14);
	for (const [index, text] of title.lines.entries()) lines.push({ text, weight: 'bold', size: title.size, x: 'center', y: y - index * title.size * 1.25, color: ACCENT });
	y -= (title.lines.length - 1) * title.size * 1.25;
	if (input.levels > 1) lines.push({ text: m.certificate_level({ level: input.level, levels: input.levels }, opts), weight: 'regular', size: 15, x: 'center', y: y - 28, color: INK });

	const granted = formatDay(input.grantedAt, locale, input.timeZone);
	const expires = formatDay(input.expiresAt, locale, input.timeZone);
	lines.push({ text: m.certificate_granted({}, opts), weight: 'regular', size: 11, x: MARGIN, y: 204, color: MUTED });
	lines.push({ text: granted, weight: 'regular', size: 15, x: MARGIN, y: 184, color: INK });
	lines.push({ text: m.certificate_valid_until({}, opts), weight: 'regular', size: 11, x: MARGIN + 190, y: 204, color: MUTED });
	lines.push({ text: expires, weight: 'regular', size: 15, x: MARGIN + 190, y: 184, color: INK });
	lines.push({ text: m.certificate_code({}, opts), weight: 'regular', size: 11, x: MARGIN, y: 146, color: MUTED });
	lines.push({ text: input.verifyCode, weight: 'bold', size: 15, x: MARGIN, y: 126, color: INK });
	const issuer = fitText(m.certificate_issuer({}, opts), widthAt('regular'), QR_BOX.x - MARGIN - 40, 9, 6);
	lines.push({ text: issuer.lines.join(' '), weight: 'regular', size: issuer.size, x: MARGIN, y: 58, color: MUTED });

	// The address under the QR code: centred under it, shrunk (or broken) to fit, inside the right margin.
	const qrCenter = QR_BOX.x + QR_BOX.size / 2;
	const underQr = (text: string, size: number) => {
		const width = widthAt('regular')(text, size);
		return Math.min(qrCenter - width / 2, PAGE.width - 48 - width);
	};
	const url = fitText(input.verifyUrl, widthAt('regular'), PAGE.width - 2 * MARGIN - 360, 8, 5);
	y = QR_BOX.y - 16;
	for (const text of url.lines) {
		lines.push({ text, weight: 'regular', size: url.size, x: underQr(text, url.size), y, color: INK });
		y -= url.size * 1.3;
	}
	const scan = m.certificate_scan({}, opts);
	lines.push({ text: scan, weight: 'regular', size: 8, x: underQr(scan, 8), y: y - 4, color: MUTED });

	const doc = await PDFDocument.create();
	doc.registerFontkit(fontkit);
	const fonts = {} as Record<Weight, PDFFont>;
	for (const weight of ['regular', 'bold'] as const) {
		const used = [...new Set(lines.filter((l) => l.weight === weight).flatMap((l) => Array.from(l.text)))].join('');
		const subset = await subsetFont(full[weight].bytes, used, { targetFormat: 'truetype', noLayoutClosure: true });
		fonts[weight] = await doc.embedFont(subset, { subset: false });
	}

	const holder = clean(input.holderName);
	const certification = clean(input.certificationTitle);
	doc.setTitle(m.certificate_document_title({ certification, name: holder }, opts), { showInWindowTitleBar: true });
	doc.setAuthor('ServiceReady');
	doc.setSubject(`${certification} · ${input.verifyUrl}`);
	doc.setCreator('ServiceReady');
	doc.setProducer('ServiceReady');
	doc.setLanguage(locale);
	const now = input.now ?? new Date();
	doc.setCreationDate(now);
	doc.setModificationDate(now);

	const page = doc.addPage([PAGE.width, PAGE.height]);
	page.drawRectangle({ x: 24, y: 24, width: PAGE.width - 48, height: PAGE.height - 48, borderColor: ACCENT, borderWidth: 2.5 });
	page.drawRectangle({ x: 32, y: 32, width: PAGE.width - 64, height: PAGE.height - 64, borderColor: ACCENT, borderWidth: 0.75 });
	page.drawLine({ start: { x: center - 190, y: ruleY }, end: { x: center + 190, y: ruleY }, thickness: 0.75, color: MUTED });

	for (const line of lines) {
		const font = fonts[line.weight];
		const x = line.x === 'center' ? center - font.widthOfTextAtSize(line.text, line.size) / 2 : line.x;
		page.drawText(line.text, { x, y: line.y, size: line.size, font, color: line.color });
	}
	drawQr(page, qrMatrix(input.verifyUrl));
	return doc.save();
}

/** The QR code as filled squares, inside a marked-content section so that it can be found again. */
function drawQr(page: PDFPage, matrix: ReturnType<typeof qrMatrix>) {
	const module = QR_BOX.size / matrix.size;
	const top = QR_BOX.y + QR_BOX.size;
	const runs = darkRuns(matrix.size, (row, col) => matrix.get(row, col) === 1);
	page.pushOperators(
		beginMarkedContent(QR_BOX.tag),
		pushGraphicsState(),
		setFillingRgbColor(0, 0, 0),
		...runs.map((run) => rectangle(QR_BOX.x + run.col * module, top - (run.row + 1) * module, run.length * module, module)),
		fill(),
		popGraphicsState(),
		endMarkedContent()
	);
}

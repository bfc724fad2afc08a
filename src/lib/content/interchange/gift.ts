import { z } from 'zod';
import { questionSchema } from '../graded-schema.ts';
import type { ContentLocale } from '../schema.ts';
import { BankError, MAX_BANK_BYTES, type ParsedBank, type ParseOptions, type SkippedQuestion } from './types.ts';

/**
 * Moodle GIFT, in and out.
 *
 * Reading follows Moodle's own reader (question/format/gift/format.php): blank lines separate
 * questions, the first `{…}` is the answer block, and its first characters decide the type
 * (`#` numeric, a `~` choice, `=` with `->` matching, T/F true/false, else short answer).
 * gift-pegjs 1.0.2 was tried first and left out: besides its known gaps (a blank line needed
 * between questions, `{#3:2~#…}` refused, `=%0%*` read as a right answer, HTML returned raw) it
 * refuses any unescaped `:` in a text (URLs, "Note:", "2:1"), feedback on a lone numeric answer
 * (`{#1..5 #…}`), blank lines inside an answer block and exponents, leaves escapes undecoded on
 * the right of `->`, reads true/false case-sensitively and gives no line per question. Patching
 * that meant tokenising the text ourselves anyway, so this module does it once, the way Moodle
 * does; the specs still use gift-pegjs to check that what `writeGift` writes is valid GIFT.
 */

type Localized = Partial<Record<ContentLocale, string>>;

/** A question as a quiz holds it once checked, with the distractors a matching question may carry. */
export type GiftQuestion = z.output<typeof questionSchema> & { distractors?: Localized[] };

type Scoring = 'all-or-nothing' | 'partial';
type TextFormat = 'moodle' | 'html' | 'plain' | 'markdown';

/** Marks the comment line that carries what GIFT cannot say (ordering, points, tags, …). */
const MARKER = 'serviceready:';

const markerSchema = z.looseObject({
	type: z.string().optional(),
	points: z.number().optional(),
	tags: z.array(z.string()).optional(),
	scoring: z.enum(['all-or-nothing', 'partial']).optional(),
	pattern: z.string().optional(),
	unit: z.string().optional(),
	/** Option, item or pair ids, in order, when they are not a, b, c… / i1, i2… / p1, p2…. */
	ids: z.array(z.string()).optional()
});
type Marker = z.infer<typeof markerSchema>;

// ---------------------------------------------------------------------------------------------
// Escapes: `\:` `\#` `\=` `\{` `\}` `\~` `\\` `\n` become Unicode noncharacters while the text is
// cut up (Moodle uses `&&058;` placeholders for the same purpose), and are decoded at the end.

const ESCAPABLE = '\\:#={}~n';
const PLACEHOLDER = 0xfdd0;
const PLACEHOLDERS = /[\ufdd0-\ufdd7]/g;

function encodeEscapes(line: string): string {
	return line.replace(/\\([\\:#={}~n])/g, (_, c: string) => String.fromCharCode(PLACEHOLDER + ESCAPABLE.indexOf(c)));
}

function decodeEscapes(text: string): string {
	return text.replace(PLACEHOLDERS, (c) => {
		const char = ESCAPABLE.charAt(c.charCodeAt(0) - PLACEHOLDER);
		return char === 'n' ? '\n' : char;
	});
}

function escapeGift(text: string): string {
	return text
		.replace(/\\/g, '\\\\')
		.replace(/[:#={}~]/g, (c) => `\\${c}`)
		.replace(/\r\n|\r|\n/g, '\\n');
}

// ---------------------------------------------------------------------------------------------
// Texts: `[format]` prefixes, HTML reduced to plain text.

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ndash: '–',
	mdash: '—',
	hellip: '…',
	lsquo: '‘',
	rsquo: '’',
	ldquo: '“',
	rdquo: '”',
	laquo: '«',
	raquo: '»',
	middot: '·',
	bull: '•',
	deg: '°',
	plusmn: '±',
	times: '×',
	divide: '÷',
	micro: 'µ',
	sup2: '²',
	sup3: '³',
	frac12: '½',
	euro: '€',
	pound: '£',
	yen: '¥',
	copy: '©',
	reg: '®',
	trade: '™',
	shy: ''
};

const HTML_TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

function decodeEntities(text: string): string {
	return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi, (entity, name: string) => {
		if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
		const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
		return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
	});
}

/** Plain text of an HTML fragment: no tags, entities decoded, `<br>` and blocks as line breaks. */
export function htmlToText(html: string): string {
	const flat = html
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
		.replace(/\s+/g, ' ')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/?(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|pre)\b[^>]*>/gi, '\n')
		.replace(/<[^>]*>/g, '');
	return decodeEntities(flat)
		.replace(/[ \t]*\n[ \t]*/g, '\n')
		.replace(/\n{2,}/g, '\n')
		.trim();
}

function splitFormat(encoded: string, fallback: TextFormat): { format: TextFormat; body: string } {
	const match = /^\s*\[(moodle|html|plain|markdown)\]/i.exec(encoded);
	if (!match) return { format: fallback, body: encoded };
	return { format: (match[1] ?? 'moodle').toLowerCase() as TextFormat, body: encoded.slice(match[0].length) };
}

/** A text of the file (still escaped) as plain text. Line breaks in the file are wrapping; `\n` is a break. */
function toPlain(encoded: string, format: TextFormat): string {
	if (format === 'html') return htmlToText(decodeEscapes(encoded));
	const text = decodeEscapes(encoded.replace(/\s*\n\s*/g, ' '));
	if (format === 'moodle' && HTML_TAG.test(text)) return htmlToText(text.replace(/\n/g, '<br>'));
	return text.trim();
}

/** Text with an optional `[format]` prefix of its own, else the question's format. */
function readText(encoded: string, fallback: TextFormat): string {
	const { format, body } = splitFormat(encoded, fallback);
	return toPlain(body, format);
}

// ---------------------------------------------------------------------------------------------
// The file cut into categories and questions, with their lines.

interface SourceLine {
	line: number;
	text: string;
}
type Chunk =
	| { kind: 'category'; line: number; path: string }
	| { kind: 'question'; lines: SourceLine[]; comments: SourceLine[] };

function checkSource(text: string): string {
	if (new TextEncoder().encode(text).length > MAX_BANK_BYTES) throw new BankError('the file is larger than 5 MB');
	const source = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
	const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufdd0-\ufdef]/.exec(source);
	if (bad) throw new BankError('the file has control characters: it is not a GIFT text file', lineOf(source, bad.index));
	return source;
}

function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
}

/**
 * Blank lines end a question, as in Moodle, except inside `{…}`. A question also ends without a
 * blank line when, after its answer block, a line starts a new one (`::name::`, a comment, a `{`).
 * `//` lines are comments wherever they are; a `$CATEGORY:` line stands alone.
 */
function splitChunks(source: string): Chunk[] {
	const chunks: Chunk[] = [];
	let lines: SourceLine[] = [];
	let comments: SourceLine[] = [];
	let depth = 0;
	let openLine = 0;
	let answered = false;
	const flush = () => {
		if (lines.length > 0) chunks.push({ kind: 'question', lines, comments });
		lines = [];
		comments = [];
		answered = false;
	};
	source.split('\n').forEach((raw, index) => {
		const line = index + 1;
		const trimmed = raw.trim();
		if (trimmed.startsWith('//')) {
			if (depth > 0) return;
			if (answered) flush();
			comments.push({ line, text: trimmed.slice(2) });
			return;
		}
		if (trimmed === '') {
			if (depth === 0) flush();
			return;
		}
		if (depth === 0 && trimmed.startsWith('$CATEGORY:')) {
			flush();
			chunks.push({ kind: 'category', line, path: trimmed.slice('$CATEGORY:'.length).trim() });
			return;
		}
		const text = encodeEscapes(raw);
		if (depth === 0 && answered && (trimmed.startsWith('::') || text.includes('{'))) flush();
		for (const char of text) {
			if (char === '{') {
				if (depth > 0) {
					throw new BankError('this { is not closed before the next {; write \\{ for a brace in a text', openLine);
				}
				depth = 1;
				openLine = line;
			} else if (char === '}') {
				if (depth === 0) throw new BankError('this } closes no {; write \\} for a brace in a text', line);
				depth = 0;
				answered = true;
			}
		}
		lines.push({ line, text });
	});
	if (depth > 0) throw new BankError('this { is never closed with }', openLine);
	flush();
	return chunks;
}

interface Source {
	text: string;
	lineAt: (offset: number) => number;
}

function chunkSource(lines: SourceLine[]): Source {
	const starts: number[] = [];
	let offset = 0;
	for (const l of lines) {
		starts.push(offset);
		offset += l.text.length + 1;
	}
	const lineAt = (at: number) => {
		let i = 0;
		while (i + 1 < starts.length && (starts[i + 1] ?? Infinity) <= at) i++;
		return lines[i]?.line ?? 1;
	};
	return { text: lines.map((l) => l.text).join('\n'), lineAt };
}

// ---------------------------------------------------------------------------------------------
// One question: name, text, answer block.

interface Parts {
	title: string | null;
	/** The question text, still escaped, with `_____` where a missing-word answer block was. */
	prompt: string;
	gap: boolean;
	/** Null for a description (no answer block). */
	block: { text: string; offset: number } | null;
	cloze: boolean;
}

function splitQuestion(src: Source): Parts {
	const { text } = src;
	let start = Math.max(0, text.search(/\S/));
	let title: string | null = null;
	if (text.startsWith('::', start)) {
		const end = text.indexOf('::', start + 2);
		if (end === -1) throw new BankError('the question name is not closed with ::', src.lineAt(start));
		title = decodeEscapes(text.slice(start + 2, end).replace(/\s+/g, ' ')).trim();
		start = end + 2;
	}
	const open = text.indexOf('{', start);
	if (open === -1) return { title, prompt: text.slice(start), gap: false, block: null, cloze: false };
	const close = text.indexOf('}', open);
	const before = text.slice(start, open);
	const after = text.slice(close + 1);
	const gap = hasGap(before, after);
	return {
		title,
		prompt: gap ? `${before}_____${after}` : before,
		gap,
		block: { text: text.slice(open + 1, close), offset: open + 1 },
		cloze: after.includes('{')
	};
}

/** Text after the answer block makes a missing word, unless it is only the punctuation ending a sentence. */
function hasGap(before: string, after: string): boolean {
	const tail = after.trim();
	if (tail === '') return false;
	if (/[\p{L}\p{N}]/u.test(tail)) return true;
	return !/[?.!:;。？！：；]\s*$/u.test(before);
}

interface Answer {
	symbol: '=' | '~' | '';
	/** The whole answer after its symbol, still escaped. */
	raw: string;
	weight: number | null;
	/** Still escaped. */
	text: string;
	feedback: string | null;
	line: number;
}

/** Cuts an answer block at each unescaped `symbols` character, as Moodle's `explode` does. */
function splitAnswers(text: string, offset: number, symbols: string, src: Source): Answer[] {
	const answers: Answer[] = [];
	let from = 0;
	let symbol: Answer['symbol'] = '';
	for (let i = 0; i <= text.length; i++) {
		if (i < text.length && !symbols.includes(text.charAt(i))) continue;
		const piece = text.slice(from, i);
		if (symbol !== '' || piece.trim() !== '') answers.push(readAnswer(symbol, piece, offset + from, src));
		symbol = text.charAt(i) as Answer['symbol'];
		from = i + 1;
	}
	return answers;
}

function readAnswer(symbol: Answer['symbol'], piece: string, offset: number, src: Source): Answer {
	const body = piece.trimStart();
	const line = src.lineAt(offset + piece.length - body.length);
	const weight = /^%(-?\d+(?:\.\d+)?)%/.exec(body);
	if (weight && Math.abs(Number(weight[1])) > 100) {
		throw new BankError(`the weight ${weight[0]} is not between -100 % and 100 %`, line);
	}
	const rest = weight ? body.slice(weight[0].length) : body;
	const hash = rest.indexOf('#');
	return {
		symbol,
		raw: body,
		weight: weight ? Number(weight[1]) : null,
		text: hash === -1 ? rest : rest.slice(0, hash),
		feedback: hash === -1 ? null : rest.slice(hash + 1),
		line
	};
}

// ---------------------------------------------------------------------------------------------
// Answer blocks → questions.

interface Base {
	id: string;
	tags: string[];
	points: number;
	prompt: Localized;
	explanation?: Localized;
}
type Draft = { question: GiftQuestion; notes: string[] } | { skip: string };

interface Reader {
	locale: ContentLocale;
	format: TextFormat;
	src: Source;
	base: Base;
	gap: boolean;
}

function localized(reader: Reader, text: string): Localized {
	return { [reader.locale]: text };
}

function optionalText(reader: Reader, encoded: string | null): Localized | undefined {
	const text = encoded === null ? '' : readText(encoded, reader.format);
	return text === '' ? undefined : localized(reader, text);
}

function letter(i: number): string {
	return i < 26 ? String.fromCharCode(97 + i) : `o${i + 1}`;
}

function formatPercent(weight: number): string {
	return `${Number(weight.toFixed(5))} %`;
}

function readBlock(reader: Reader, block: { text: string; offset: number }): Draft {
	const answer = block.text.trim();
	const offset = block.offset + block.text.indexOf(answer);
	if (answer === '') return { skip: 'essay questions have no equivalent here' };
	if (answer.startsWith('#')) return readNumeric(reader, answer.slice(1), offset + 1);
	if (answer.includes('~')) return readChoice(reader, splitAnswers(answer, offset, '=~', reader.src));
	if (answer.includes('=') && answer.includes('->')) return readMatching(reader, answer, offset);
	const head = (answer.split('#', 1)[0] ?? '').trim().toUpperCase();
	if (['T', 'TRUE', 'F', 'FALSE'].includes(head)) return readTrueFalse(reader, answer, head.startsWith('T'));
	return readShort(reader, splitAnswers(answer, offset, '=', reader.src));
}

/** In-text answers other than choices and short answers would need a cloze question. */
function refuseGap(reader: Reader, kind: string): Draft | null {
	return reader.gap ? { skip: `a ${kind} answer in the middle of the text (cloze) has no equivalent here` } : null;
}

function readChoice(reader: Reader, answers: Answer[]): Draft {
	const weighted = answers.map((a) => ({ ...a, weight: a.weight ?? (a.symbol === '=' ? 100 : 0) }));
	const options = weighted.map((a, i) => {
		const explanation = optionalText(reader, a.feedback);
		const option = { id: letter(i), text: localized(reader, readText(a.text, reader.format)), correct: a.weight > 0 };
		return explanation ? { ...option, explanation } : option;
	});
	const right = weighted.filter((a) => a.weight > 0);
	if (right.length === 0) return { skip: 'a choice question needs a right answer, and no answer has a positive weight' };
	const notes: string[] = [];
	if (right.length === 1 && right[0]?.weight === 100 && right[0].symbol === '=') {
		if (weighted.some((a) => a.weight < 0)) notes.push('negative weights are dropped: a wrong choice scores 0 here');
		return { question: { ...reader.base, type: 'single', options }, notes };
	}
	const partial = weighted.some((a) => (a.weight > 0 && a.weight < 100) || a.weight < 0);
	if (weighted.some((a) => a.symbol === '=')) {
		notes.push(`Moodle asks for one choice here; it becomes a multiple-answer question with ${right.length} right answers`);
	}
	const scoring: Scoring = partial ? 'partial' : 'all-or-nothing';
	return { question: { ...reader.base, type: 'multiple', scoring, options }, notes };
}

function readTrueFalse(reader: Reader, answer: string, value: boolean): Draft {
	const gap = refuseGap(reader, 'true/false');
	if (gap) return gap;
	const [, wrong = null, right = null] = splitOnce(answer, '#', 2);
	const feedbacks = [wrong, right].map((f) => optionalText(reader, f)).filter((f) => f !== undefined);
	const explanation = reader.base.explanation ?? feedbacks[0];
	const dropped = feedbacks.length - (reader.base.explanation ? 0 : Math.min(1, feedbacks.length));
	const notes = dropped > 0 ? ['feedback for a right or wrong answer is dropped: only one explanation is kept'] : [];
	const base = explanation ? { ...reader.base, explanation } : reader.base;
	return { question: { ...base, type: 'truefalse', answer: value }, notes };
}

/** Splits at the first `count` separators (PHP `explode` with a limit). */
function splitOnce(text: string, separator: string, count: number): string[] {
	const parts: string[] = [];
	let rest = text;
	for (let i = 0; i < count; i++) {
		const at = rest.indexOf(separator);
		if (at === -1) break;
		parts.push(rest.slice(0, at));
		rest = rest.slice(at + separator.length);
	}
	return [...parts, rest];
}

function readMatching(reader: Reader, answer: string, offset: number): Draft {
	const gap = refuseGap(reader, 'matching');
	if (gap) return gap;
	const pairs: Array<{ id: string; left: Localized; right: Localized }> = [];
	const distractors: Localized[] = [];
	for (const a of splitAnswers(answer, offset, '=', reader.src)) {
		const arrow = a.raw.indexOf('->');
		if (arrow === -1) throw new BankError('each answer of a matching question needs ->', a.line);
		const left = readText(a.raw.slice(0, arrow), reader.format);
		const right = decodeEscapes(a.raw.slice(arrow + 2).replace(/\s*\n\s*/g, ' ')).trim();
		if (left === '' && right === '') continue;
		if (left === '') distractors.push(localized(reader, right));
		else pairs.push({ id: `p${pairs.length + 1}`, left: localized(reader, left), right: localized(reader, right) });
	}
	const question: GiftQuestion = { ...reader.base, type: 'matching', pairs };
	return { question: distractors.length > 0 ? { ...question, distractors } : question, notes: [] };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

function toNumber(text: string, line: number): number {
	const trimmed = text.trim();
	if (!NUMBER.test(trimmed)) throw new BankError(`"${decodeEscapes(trimmed)}" is not a number`, line);
	return Number(trimmed);
}

/** Derived values (a range's middle) without binary noise: 3.1415, not 3.1415000000000002. */
function clean(x: number): number {
	return Number(x.toPrecision(12));
}

function readNumber(a: Answer): { answer: number; tolerance: number } | null {
	const value = decodeEscapes(a.text).trim();
	if (value === '*') return null;
	const range = value.indexOf('..');
	if (range > 0) {
		const low = toNumber(value.slice(0, range), a.line);
		const high = toNumber(value.slice(range + 2), a.line);
		const middle = clean((low + high) / 2);
		return { answer: middle, tolerance: clean(high - middle) };
	}
	const colon = value.indexOf(':');
	if (colon > 0) return { answer: toNumber(value.slice(0, colon), a.line), tolerance: toNumber(value.slice(colon + 1), a.line) };
	return { answer: toNumber(value, a.line), tolerance: 0 };
}

function readNumeric(reader: Reader, body: string, offset: number): Draft {
	const tilde = body.indexOf('~');
	const main = tilde === -1 ? body : body.slice(0, tilde);
	const answers = splitAnswers(main, offset, '=', reader.src);
	if (answers.length === 0) throw new BankError('a numeric answer block needs a number after #', reader.src.lineAt(offset));
	const read = answers.map((a) => ({ ...a, weight: a.weight ?? 100, value: readNumber(a) }));
	const gap = refuseGap(reader, 'number');
	if (gap) return gap;
	const kept = read.find((a) => a.weight === 100 && a.value !== null);
	if (!kept?.value) return { skip: 'no numeric answer earns full marks' };
	const notes: string[] = [];
	for (const a of read) {
		if (a === kept) continue;
		if (a.value === null) notes.push('the catch-all answer * and its feedback are dropped');
		else notes.push(`the answer ${a.value.answer} ± ${a.value.tolerance} (${formatPercent(a.weight)}) is dropped: one answer is kept`);
	}
	if (tilde !== -1) notes.push('the feedback for any other answer is dropped');
	if (kept.feedback !== null && kept.feedback.trim() !== '') notes.push('feedback on single answers is dropped');
	return { question: { ...reader.base, type: 'numeric', ...kept.value }, notes };
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function readShort(reader: Reader, answers: Answer[]): Draft {
	if (answers.length === 0) return { skip: 'a short-answer question needs an answer' };
	const read = answers.map((a) => ({ ...a, weight: a.weight ?? 100, value: readText(a.text, reader.format) }));
	const accept = read.filter((a) => a.weight === 100).map((a) => a.value);
	if (accept.length === 0) return { skip: 'no short answer earns full marks' };
	const notes: string[] = [];
	for (const a of read) {
		if (a.weight === 100) continue;
		if (a.value === '*') notes.push('the catch-all answer * and its feedback are dropped');
		else if (a.weight > 0) notes.push(`the partly right answer "${a.value}" (${formatPercent(a.weight)}) is not accepted here`);
		else notes.push(`the wrong answer "${a.value}" and its feedback are dropped`);
	}
	if (read.some((a) => a.weight === 100 && a.feedback !== null && a.feedback.trim() !== '')) {
		notes.push('feedback on single answers is dropped');
	}
	const wildcards = accept.filter((a) => a.includes('*'));
	const question: GiftQuestion = { ...reader.base, type: 'text', accept };
	if (wildcards.length === 0) return { question, notes };
	notes.push('answers with the wildcard * are also kept as a pattern');
	const pattern = wildcards.map((w) => `^${w.split('*').map(escapeRegExp).join('.*')}$`).join('|');
	return { question: { ...question, pattern }, notes };
}

// ---------------------------------------------------------------------------------------------
// Ids, tags, the marker comment, checks.

/** Kebab-case id of a name: latin letters and digits, at most 60 characters; '' when none. */
export function slugify(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
}

function uniqueId(base: string, taken: Set<string>): string {
	let id = base;
	for (let n = 2; taken.has(id); n++) {
		const suffix = `-${n}`;
		id = `${base.slice(0, 60 - suffix.length).replace(/-+$/, '')}${suffix}`;
	}
	taken.add(id);
	return id;
}

interface Context {
	locale: ContentLocale;
	taken: Set<string>;
	unnamed: number;
	categoryTag: string | null;
}

function assignId(name: string | null, ctx: Context): string {
	const base = slugify(name ?? '');
	if (base !== '') return uniqueId(base, ctx.taken);
	let id: string;
	do id = `q-${++ctx.unnamed}`;
	while (ctx.taken.has(id));
	ctx.taken.add(id);
	return id;
}

/** Moodle's context segments (`$course$`, `top`) name no topic. */
function categoryTag(path: string): string | null {
	const segments = path
		.split(/(?<!\/)\/(?!\/)/)
		.map((s) => s.replace(/\/\//g, '/').trim())
		.filter((s) => s !== '' && s.toLowerCase() !== 'top' && !/^\$\w+\$$/.test(s));
	const tag = slugify(segments.at(-1) ?? '');
	return tag === '' ? null : tag;
}

function commentTags(comments: SourceLine[]): string[] {
	return comments.flatMap((c) => [...c.text.matchAll(/\[tag:([^\]\u0000-\u001f]+)\]/g)].map((m) => slugify(m[1] ?? '')));
}

function readMarker(comments: SourceLine[]): Marker | null {
	const comment = comments.find((c) => c.text.trim().startsWith(MARKER));
	if (!comment) return null;
	const json = comment.text.trim().slice(MARKER.length);
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch {
		throw new BankError(`the ${MARKER} comment is not valid JSON`, comment.line);
	}
	const marker = markerSchema.safeParse(value);
	if (!marker.success) throw new BankError(`the ${MARKER} comment is not valid: ${marker.error.issues[0]?.message}`, comment.line);
	return marker.data;
}

function withIds<T extends { id: string }>(list: T[], ids: string[] | undefined): T[] {
	if (!ids || ids.length !== list.length) return list;
	return list.map((entry, i) => ({ ...entry, id: ids[i] }));
}

function applyMarker(question: GiftQuestion, marker: Marker | null, notes: string[]): GiftQuestion {
	if (!marker) return question;
	let q: GiftQuestion = { ...question };
	if (marker.points !== undefined) q.points = marker.points;
	if (marker.tags !== undefined) q.tags = marker.tags;
	if (marker.type === 'ordering' && q.type === 'matching' && !q.distractors) {
		const items = q.pairs.map((p, i) => ({ id: `i${i + 1}`, text: p.right }));
		const { pairs: _pairs, ...rest } = q;
		q = { ...rest, type: 'ordering', scoring: 'all-or-nothing', items };
	} else if (marker.type !== undefined && marker.type !== q.type) {
		notes.push(`the ${MARKER} comment says ${marker.type}, but the answers are ${q.type}: kept as ${q.type}`);
	}
	if (q.type === 'multiple' || q.type === 'ordering') q.scoring = marker.scoring ?? q.scoring;
	if (q.type === 'text' && marker.pattern !== undefined) q.pattern = marker.pattern;
	if (q.type === 'numeric' && marker.unit !== undefined) q.unit = marker.unit;
	if (q.type === 'single' || q.type === 'multiple') q.options = withIds(q.options, marker.ids);
	if (q.type === 'ordering') q.items = withIds(q.items, marker.ids);
	if (q.type === 'matching') q.pairs = withIds(q.pairs, marker.ids);
	return q;
}

const FIELDS: Record<string, string> = {
	prompt: 'the question text',
	explanation: 'the general feedback',
	options: 'answer',
	items: 'item',
	pairs: 'pair',
	accept: 'accepted answer',
	tags: 'the tags',
	points: 'the points',
	answer: 'the answer',
	tolerance: 'the tolerance',
	unit: 'the unit',
	pattern: 'the pattern',
	scoring: 'the scoring'
};

/** Our own limits, in the words of a report: "the question has more than 8 options". */
function checkQuestion(question: GiftQuestion): string | null {
	const { distractors, ...plain } = question;
	if (distractors?.some((d) => Object.values(d).some((t) => t.length > 2000))) return 'a distractor is too long';
	const result = questionSchema.safeParse(plain);
	if (result.success) return null;
	const issue = result.error.issues[0];
	if (!issue) return 'it does not fit our limits';
	const [head, index] = issue.path;
	if (/^(has|needs)\b/.test(issue.message)) return `the question ${issue.message}`;
	const field = FIELDS[String(head)] ?? String(head);
	const label = typeof index === 'number' ? `${field} ${index + 1}` : field;
	return `${label} ${issue.message}`;
}

function firstWords(text: string): string {
	const words = text.trim().split(/\s+/).slice(0, 8).join(' ');
	return words.length > 60 ? `${words.slice(0, 59)}…` : words;
}

type Outcome = { question: GiftQuestion; notes: string[] } | { skipped: string };

function readQuestion(chunk: Extract<Chunk, { kind: 'question' }>, ctx: Context): Outcome & { name: string; line: number } {
	const src = chunkSource(chunk.lines);
	const marker = readMarker(chunk.comments);
	const parts = splitQuestion(src);
	const { format, body } = splitFormat(parts.prompt, 'moodle');
	const prompt = toPlain(body, format);
	const line = chunk.lines[0]?.line ?? 1;
	const name = parts.title || firstWords(prompt) || `question at line ${line}`;
	if (!parts.block) return { skipped: 'descriptions (text without an answer block) are not questions here', name, line };
	if (parts.cloze) return { skipped: 'several answer blocks in one question (cloze) have no equivalent here', name, line };
	const gf = parts.block.text.lastIndexOf('####');
	const block = gf === -1 ? parts.block : { text: parts.block.text.slice(0, gf), offset: parts.block.offset };
	const explanation = gf === -1 ? '' : readText(parts.block.text.slice(gf + 4), format);
	const tags = [...new Set([ctx.categoryTag, ...commentTags(chunk.comments)].filter((t): t is string => !!t))];
	const base: Base = { id: 'q', tags: tags.slice(0, 10), points: 1, prompt: { [ctx.locale]: prompt } };
	if (explanation !== '') base.explanation = { [ctx.locale]: explanation };
	const draft = readBlock({ locale: ctx.locale, format, src, base, gap: parts.gap }, block);
	if ('skip' in draft) return { skipped: draft.skip, name, line };
	const notes = tags.length > 10 ? [...draft.notes, 'only the first 10 tags are kept'] : draft.notes;
	const question = applyMarker(draft.question, marker, notes);
	const problem = checkQuestion(question);
	if (problem) return { skipped: problem, name, line };
	return { question: { ...question, id: assignId(parts.title, ctx) }, notes, name, line };
}

/**
 * Reads a GIFT file. Questions with no equivalent here (essay, description, cloze) or outside our
 * limits are listed in `skipped`; what was adapted on the way is listed in `changed`. A file that
 * is not valid GIFT throws a `BankError` naming the line, and nothing is imported.
 */
export function parseGift(text: string, options: ParseOptions): ParsedBank {
	const ctx: Context = { locale: options.locale, taken: new Set(options.usedIds), unnamed: 0, categoryTag: null };
	const questions: GiftQuestion[] = [];
	const questionLines: number[] = [];
	const skipped: SkippedQuestion[] = [];
	const changed: SkippedQuestion[] = [];
	for (const chunk of splitChunks(checkSource(text))) {
		if (chunk.kind === 'category') {
			ctx.categoryTag = categoryTag(chunk.path);
			continue;
		}
		const outcome = readQuestion(chunk, ctx);
		if ('skipped' in outcome) {
			skipped.push({ name: outcome.name, line: outcome.line, reason: outcome.skipped });
			continue;
		}
		questions.push(outcome.question);
		questionLines.push(outcome.line);
		for (const reason of outcome.notes) changed.push({ name: outcome.name, line: outcome.line, reason });
	}
	return { format: 'gift', questions, skipped, pictures: [], questionLines, changed };
}

// ---------------------------------------------------------------------------------------------
// Writing.

/** A text the reader would take for a format prefix or for HTML is written as `[plain]`. */
function writeText(text: string): string {
	const plain = /^\s*\[/.test(text) || HTML_TAG.test(text) || /^\s*%/.test(text);
	return `${plain ? '[plain]' : ''}${escapeGift(text)}`;
}

function pick(text: Localized, locale: ContentLocale): string {
	return text[locale] ?? Object.values(text).find((t) => t !== undefined) ?? '';
}

function feedback(text: Localized | undefined, locale: ContentLocale): string {
	const value = text?.[locale];
	return value === undefined ? '' : `#${writeText(value)}`;
}

function general(q: GiftQuestion, locale: ContentLocale): string {
	const value = q.explanation?.[locale];
	return value === undefined ? '' : `####${writeText(value)}`;
}

function defaultChildId(type: GiftQuestion['type'], i: number): string {
	if (type === 'ordering') return `i${i + 1}`;
	if (type === 'matching') return `p${i + 1}`;
	return letter(i);
}

function childIds(q: GiftQuestion): string[] | null {
	if (q.type === 'single' || q.type === 'multiple') return q.options.map((o) => o.id);
	if (q.type === 'ordering') return q.items.map((item) => item.id);
	if (q.type === 'matching') return q.pairs.map((p) => p.id);
	return null;
}

function markerOf(q: GiftQuestion): Marker | null {
	const marker: Marker = {};
	if (q.type === 'ordering') marker.type = 'ordering';
	if (q.points !== 1) marker.points = q.points;
	if (q.tags.length > 0) marker.tags = q.tags;
	if (q.type === 'multiple' || q.type === 'ordering') marker.scoring = q.scoring;
	if (q.type === 'text' && q.pattern !== undefined) marker.pattern = q.pattern;
	if (q.type === 'numeric' && q.unit !== undefined) marker.unit = q.unit;
	const ids = childIds(q);
	if (ids?.some((id, i) => id !== defaultChildId(q.type, i))) marker.ids = ids;
	return Object.keys(marker).length > 0 ? marker : null;
}

/** Moodle writes weights with 5 decimals (33.33333); so do we. */
function weight(value: number): string {
	return `%${Number(value.toFixed(5))}%`;
}

/**
 * Weights that make Moodle's multiple-answer grading (sum of the chosen weights, kept within 0–100 %)
 * closest to ours. partial: +100/right and −100/wrong per choice, exactly our rule. all-or-nothing
 * cannot be said in GIFT: a wrong choice is −100 % (any wrong choice scores 0, as here), but Moodle
 * still gives a share for an incomplete set of right ones.
 */
function multipleLines(q: Extract<GiftQuestion, { type: 'multiple' }>, locale: ContentLocale): string[] {
	const right = q.options.filter((o) => o.correct).length;
	const wrong = q.options.length - right;
	const wrongWeight = q.scoring === 'partial' ? -100 / wrong : -100;
	return q.options.map((o) => {
		const share = weight(o.correct ? 100 / right : wrongWeight);
		return `~${share}${writeText(pick(o.text, locale))}${feedback(o.explanation, locale)}`;
	});
}

function answerLines(q: GiftQuestion, locale: ContentLocale): string[] {
	switch (q.type) {
		case 'single':
			return q.options.map((o) => `${o.correct ? '=' : '~'}${writeText(pick(o.text, locale))}${feedback(o.explanation, locale)}`);
		case 'multiple':
			return multipleLines(q, locale);
		case 'ordering':
			return q.items.map((item, i) => `=${i + 1} -> ${escapeGift(pick(item.text, locale))}`);
		case 'matching':
			return [
				...q.pairs.map((p) => `=${writeText(pick(p.left, locale))} -> ${escapeGift(pick(p.right, locale))}`),
				...(q.distractors ?? []).map((d) => `= -> ${escapeGift(pick(d, locale))}`)
			];
		case 'text':
			return q.accept.map((a) => `=${writeText(a)}`);
		default:
			return [];
	}
}

function writeBlock(q: GiftQuestion, locale: ContentLocale): string {
	if (q.type === 'truefalse') return `{${q.answer ? 'TRUE' : 'FALSE'}${general(q, locale)}}`;
	if (q.type === 'numeric') {
		const tolerance = q.tolerance > 0 ? `:${q.tolerance}` : '';
		return `{#${q.answer}${tolerance}${general(q, locale)}}`;
	}
	const lines = [...answerLines(q, locale), general(q, locale)].filter((l) => l !== '');
	return `{\n${lines.map((l) => `\t${l}\n`).join('')}}`;
}

function writeQuestion(q: GiftQuestion, locale: ContentLocale): string {
	const marker = markerOf(q);
	const comment = marker ? `// ${MARKER} ${JSON.stringify(marker)}\n` : '';
	return `${comment}::${escapeGift(q.id)}::${writeText(pick(q.prompt, locale))} ${writeBlock(q, locale)}\n`;
}

/**
 * Writes questions as Moodle GIFT in one language. What GIFT cannot say (ordering, points, tags,
 * scoring, pattern, unit, our option ids) goes on one `// serviceready: {…}` comment before the
 * question, which Moodle ignores and `parseGift` reads back; an ordering question is written as a
 * matching one (`=1 -> first item`) so that Moodle still imports something sensible.
 */
export function writeGift(questions: readonly GiftQuestion[], options: { locale: ContentLocale }): string {
	return questions.map((q) => writeQuestion(q, options.locale)).join('\n');
}

import { SaxesParser } from 'saxes';
import type { ContentLocale } from '../schema.ts';
import { BankError, type BankQuestion, type ParseOptions, type ParsedBank } from './types.ts';

/**
 * Moodle XML question banks (https://docs.moodle.org/en/Moodle_XML_format), read and written.
 *
 * Reading never expands entities: a DOCTYPE refuses the whole file, so "billion laughs" and
 * external entities cannot happen; only the five XML entities and numeric references are decoded.
 * Texts keep no markup. What Moodle cannot hold (option ids, a text answer's pattern) travels in
 * one `<!-- serviceready:{…} -->` comment per question, which Moodle ignores and this reader uses.
 */

type Localized = Partial<Record<ContentLocale, string>>;
type QuestionOf<T extends BankQuestion['type']> = Extract<BankQuestion, { type: T }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Head = Pick<QuestionOf<'single'>, 'id' | 'tags' | 'points' | 'prompt' | 'explanation'>;
/** The type-specific part of a question. */
type Body = DistributiveOmit<BankQuestion, keyof Head>;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_ID = 60;
const MAX_CHOICES = 8;
const MAX_TAGS = 10;
const MAX_DISTRACTORS = 6;
const META = 'serviceready:';

// ---------------------------------------------------------------------------------------------
// Ids (shared with the Aiken reader)

/** Kebab-case id from any text (accents dropped, other scripts removed), cut at a word end; '' when nothing latin is left. */
export function kebabId(text: string, max = MAX_ID): string {
	const slug = text
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	return cutId(slug, max);
}

function cutId(slug: string, max: number): string {
	if (slug.length <= max) return slug;
	const hard = slug.slice(0, max);
	const soft = slug[max] === '-' ? hard : hard.slice(0, Math.max(hard.lastIndexOf('-'), 0));
	return (soft || hard).replace(/-+$/, '');
}

/**
 * Hands out unique ids: a base is kept when free, else suffixed -2, -3…; an empty base gets the
 * next free fallback (q-1, q-2… for questions).
 */
export function createIdClaimer(used: Iterable<string> = [], fallback = (n: number) => `q-${n}`): (base: string) => string {
	const taken = new Set(used);
	let count = 0;
	return (base) => {
		let id = base;
		if (!id) {
			do id = fallback(++count);
			while (taken.has(id));
		}
		for (let n = 2; taken.has(id); n++) id = `${cutId(base, MAX_ID - String(n).length - 1)}-${n}`;
		taken.add(id);
		return id;
	};
}

const letter = (n: number) => (n <= 26 ? String.fromCharCode(96 + n) : `option-${n}`);

// ---------------------------------------------------------------------------------------------
// A small XML tree, built with saxes

interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: Array<XmlElement | string>;
	comments: string[];
	/** 1-based line of the start tag. */
	line: number;
}

function readXml(text: string): XmlElement {
	const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;
	let tagLine = 1;
	parser.on('doctype', () => {
		throw new BankError('the file declares a DOCTYPE, which is refused: it could define entities or read other files', lineAt(text, text.search(/<!DOCTYPE/i)));
	});
	parser.on('error', (error) => {
		throw new BankError(`the XML is malformed: ${error.message.replace(/^\d+:\d+: /, '')}`, parser.line);
	});
	parser.on('opentagstart', () => {
		tagLine = parser.line;
	});
	parser.on('opentag', (tag) => {
		const element: XmlElement = { name: tag.name, attributes: { ...tag.attributes }, children: [], comments: [], line: tagLine };
		const parent = stack.at(-1);
		if (parent) parent.children.push(element);
		else root = element;
		stack.push(element);
	});
	parser.on('closetag', () => stack.pop());
	parser.on('text', (t) => stack.at(-1)?.children.push(t));
	parser.on('cdata', (t) => stack.at(-1)?.children.push(t));
	parser.on('comment', (c) => stack.at(-1)?.comments.push(c));
	parser.write(text).close();
	if (!root) throw new BankError('the file holds no XML element');
	return root;
}

const lineAt = (text: string, index: number) => (index < 0 ? null : text.slice(0, index).split('\n').length);

const elements = (el: XmlElement | undefined, name: string): XmlElement[] =>
	(el?.children ?? []).filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
const child = (el: XmlElement | undefined, name: string) => elements(el, name)[0];
const deepText = (el: XmlElement | undefined): string => (el?.children ?? []).map((c) => (typeof c === 'string' ? c : deepText(c))).join('');
/** `<name>value</name>`, trimmed. */
const valueOf = (el: XmlElement | undefined, name: string) => deepText(child(el, name)).trim();
/** `<…><text>value</text></…>`, untouched. */
const rawTextOf = (el: XmlElement | undefined) => deepText(child(el, 'text'));

// ---------------------------------------------------------------------------------------------
// Texts: markup to plain text

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;
const NAMED_ENTITIES = new Map(
	Object.entries({
		amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '', ensp: ' ', emsp: ' ', thinsp: ' ',
		ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
		bull: '•', middot: '·', deg: '°', times: '×', divide: '÷', plusmn: '±', minus: '−', micro: 'µ', le: '≤', ge: '≥',
		ne: '≠', asymp: '≈', larr: '←', rarr: '→', uarr: '↑', darr: '↓', sup2: '²', sup3: '³', frac12: '½', frac14: '¼',
		frac34: '¾', copy: '©', reg: '®', trade: '™', euro: '€', yen: '¥', pound: '£', cent: '¢', sect: '§', para: '¶'
	})
);

function decodeEntities(text: string): string {
	return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, body: string) => {
		if (!body.startsWith('#')) return NAMED_ENTITIES.get(body) ?? whole;
		const code = /^#x/i.test(body) ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
		const valid = code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff));
		return valid ? String.fromCodePoint(code) : '\ufffd';
	});
}

const stripTags = (text: string) => text.replace(/<\/?[a-zA-Z][^>]*>|<![^>]*>|<\?[^>]*>/g, '');

/** Lines trimmed, at most one blank line in a row, no control characters; a no-break space is a space. */
function tidy(text: string): string {
	return text
		.replace(CONTROL, '')
		.split('\n')
		.map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ''))
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim()
		.replace(/\u00a0/g, ' ');
}

/**
 * Plain, markup-free text of a Moodle text in any of its formats: tags removed (script and style
 * with their content), `<br>` and block ends as line breaks, entities decoded. HTML collapses
 * white space like a browser; moodle_auto_format and markdown keep their line breaks; plain_text
 * is taken literally, minus anything that looks like a tag.
 */
export function toPlainText(raw: string, format = 'html'): string {
	const source = raw.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
	if (format === 'plain_text') return tidy(stripTags(source));
	const flowing = format === 'moodle_auto_format' || format === 'markdown' ? source.replace(/[ \t]+/g, ' ') : source.replace(/[ \t\r\n\f]+/g, ' ');
	const broken = flowing
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/?(?:p|h[1-6]|blockquote|pre|table|ul|ol)\b[^>]*>/gi, PARAGRAPH)
		.replace(/<\/?(?:div|li|tr|dl|dt|dd|section|article|header|footer)\b[^>]*>/gi, LINE);
	// A run of block edges is one line break, or a blank line when a paragraph-like block is among them.
	const lines = decodeEntities(stripTags(broken)).replace(/[ \t]*[\u2028\u2029][\u2028\u2029 \t]*/g, (run) => (run.includes(PARAGRAPH) ? '\n\n' : '\n'));
	return tidy(lines);
}

const LINE = '\u2028';
const PARAGRAPH = '\u2029';

/** A text element with a format attribute (question text, feedback, answer); feedback defaults to the question's format. */
const richText = (el: XmlElement | undefined, format: string) => (el ? toPlainText(rawTextOf(el), el.attributes.format ?? format) : '');
/** A short plain text (answer key, matching answer, tag): one line, no markup. */
const plainText = (raw: string) => tidy(stripTags(raw)).replace(/\s+/g, ' ');

// ---------------------------------------------------------------------------------------------
// Reading

/** Moodle types with no equivalent here, and why. */
const UNSUPPORTED = new Map(
	Object.entries({
		essay: 'essay questions are marked by hand, which this platform does not do',
		cloze: 'embedded-answer (Cloze) questions have no equivalent here',
		multianswer: 'embedded-answer (Cloze) questions have no equivalent here',
		calculated: 'calculated questions draw random values from datasets, which this platform does not do',
		calculatedsimple: 'calculated questions draw random values from datasets, which this platform does not do',
		calculatedmulti: 'calculated questions draw random values from datasets, which this platform does not do',
		ddwtos: 'drag-and-drop into text has no equivalent here',
		gapselect: 'select-missing-words questions have no equivalent here',
		ddimageortext: 'drag-and-drop onto an image has no equivalent here',
		ddmarker: 'drag-and-drop markers have no equivalent here',
		description: 'a description is information, not a question: it has no answer',
		random: 'random questions are drawn from a category when the quiz starts; use draw in the quiz settings instead',
		randomsamatch: 'random short-answer matching draws questions from a category when the quiz starts; there is no equivalent here'
	})
);

interface Meta {
	ids?: string[];
	pattern?: string;
	/** Multiple choice: our scoring, which Moodle's fractions cannot say exactly. */
	scoring?: 'all-or-nothing' | 'partial';
}

/** What one `<question>` gives: a question (id still to claim) with its pictures, or a reason to skip it. */
type Reading = { head: Omit<Head, 'id'>; body: Body; pictures: Array<{ name: string; bytes: Uint8Array }> } | { reason: string };
type Built = { body: Body; fallbackExplanation?: string } | { reason: string };

interface Answer {
	text: string;
	fraction: number;
	feedback: string;
	element: XmlElement;
}

/**
 * Questions of a Moodle XML file (`<quiz>`). Unsupported types and questions breaking the limits
 * here are skipped with a reason; malformed or unsafe XML refuses the whole file (BankError).
 */
export function parseMoodleXml(text: string, options: ParseOptions): ParsedBank {
	const root = readXml(text);
	if (root.name !== 'quiz') throw new BankError(`the root element is <${root.name}>; a Moodle XML question file starts with <quiz>`, root.line);
	const bank: ParsedBank = { format: 'moodle-xml', questions: [], skipped: [], pictures: [], questionLines: [] };
	const claim = createIdClaimer(options.usedIds);
	let categoryTag = '';
	for (const el of elements(root, 'question')) {
		const type = el.attributes.type ?? '';
		if (type === 'category') {
			categoryTag = readCategoryTag(el);
			continue;
		}
		const reading = readQuestion(el, type, options.locale, categoryTag);
		if ('reason' in reading) {
			bank.skipped.push({ name: questionName(el), line: el.line, reason: reading.reason });
			continue;
		}
		const idnumber = valueOf(el, 'idnumber');
		const id = claim(ID.test(idnumber) && idnumber.length <= MAX_ID ? idnumber : kebabId(valueOf(child(el, 'name'), 'text')));
		const question: BankQuestion = { id, ...reading.head, ...reading.body };
		bank.questions.push(question);
		bank.questionLines?.push(el.line);
		for (const picture of reading.pictures) bank.pictures.push({ question: id, ...picture });
	}
	return bank;
}

function questionName(el: XmlElement): string {
	const name = plainText(rawTextOf(child(el, 'name')));
	if (name) return name;
	const words = richText(child(el, 'questiontext'), 'html').split(/\s+/).slice(0, 8).join(' ');
	return words.length > 60 ? `${words.slice(0, 59)}…` : words || '(no name)';
}

/** The last segment of `$course$/top/Filters/RO membrane`, as a tag; Moodle's own top and default categories give none. */
function readCategoryTag(el: XmlElement): string {
	const path = rawTextOf(child(el, 'category')) || valueOf(el, 'category');
	const last = (path.split(/(?<!\/)\/(?!\/)/).at(-1) ?? '').replace(/\/\//g, '/').trim();
	if (last === 'top' || /^\$[a-z]+\$$/.test(last) || /^default for\b/i.test(last)) return '';
	return kebabId(plainText(last));
}

function readMeta(el: XmlElement): Meta {
	const comment = el.comments.map((c) => c.trim()).find((c) => c.startsWith(META));
	if (!comment) return {};
	try {
		const value: unknown = JSON.parse(comment.slice(META.length));
		if (typeof value !== 'object' || value === null) return {};
		const { ids, pattern, scoring } = value as Record<string, unknown>;
		return {
			...(scoring === 'all-or-nothing' || scoring === 'partial' ? { scoring } : {}),
			...(Array.isArray(ids) && ids.every((id) => typeof id === 'string' && ID.test(id) && id.length <= MAX_ID) ? { ids: ids as string[] } : {}),
			...(typeof pattern === 'string' ? { pattern } : {})
		};
	} catch {
		return {};
	}
}

function readQuestion(el: XmlElement, type: string, locale: ContentLocale, categoryTag: string): Reading {
	const unsupported = UNSUPPORTED.get(type);
	if (unsupported) return { reason: unsupported };
	const questionText = child(el, 'questiontext');
	const format = questionText?.attributes.format ?? 'html';
	const prompt = richText(questionText, format);
	if (!prompt) return { reason: 'it has no question text' };
	const built = buildBody(el, type, { format, meta: readMeta(el), text: (value) => ({ [locale]: value }) });
	if ('reason' in built) return built;
	const pictures = readPictures(questionText);
	if (typeof pictures === 'string') return { reason: pictures };
	const explanation = richText(child(el, 'generalfeedback'), format) || built.fallbackExplanation;
	const tags = [...new Set([categoryTag, ...elements(child(el, 'tags'), 'tag').map((t) => kebabId(plainText(rawTextOf(t))))].filter(Boolean))];
	const head: Omit<Head, 'id'> = {
		tags: tags.slice(0, MAX_TAGS),
		points: readPoints(valueOf(el, 'defaultgrade')),
		prompt: { [locale]: prompt },
		...(explanation ? { explanation: { [locale]: explanation } } : {})
	};
	return { head, body: built.body, pictures };
}

function readPoints(value: string): number {
	const points = Number(value);
	if (!value || !Number.isFinite(points) || points <= 0) return 1;
	return Math.min(points, 100);
}

function readPictures(questionText: XmlElement | undefined): Array<{ name: string; bytes: Uint8Array }> | string {
	const pictures: Array<{ name: string; bytes: Uint8Array }> = [];
	for (const file of elements(questionText, 'file')) {
		const name = (file.attributes.name ?? '').trim() || `picture-${pictures.length + 1}`;
		const bytes = (file.attributes.encoding ?? 'base64') === 'base64' ? decodeBase64(deepText(file)) : null;
		if (!bytes) return `its picture "${name}" is not valid base64`;
		pictures.push({ name, bytes });
	}
	return pictures;
}

function decodeBase64(value: string): Uint8Array | null {
	const clean = value.replace(/\s+/g, '');
	if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null;
	return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
}

/** What the builders need besides the element: the question's text format, our comment, and texts under the file's locale. */
interface BuildContext {
	format: string;
	meta: Meta;
	text: (value: string) => Localized;
}

function buildBody(el: XmlElement, type: string, cx: BuildContext): Built {
	switch (type) {
		case 'multichoice':
			return buildChoice(el, cx);
		case 'truefalse':
			return buildTrueFalse(el, cx);
		case 'shortanswer':
			return buildText(el, cx);
		case 'numerical':
			return buildNumeric(el, cx);
		case 'matching':
		case 'match':
			return buildMatching(el, cx);
		case 'ordering':
			return buildOrdering(el, cx);
		default:
			return { reason: `the question type "${type}" is not supported` };
	}
}

function readAnswers(el: XmlElement, format: string, read: (answer: XmlElement) => string): Answer[] {
	return elements(el, 'answer').map((answer) => ({
		text: read(answer),
		fraction: Number(answer.attributes.fraction ?? 0) || 0,
		feedback: richText(child(answer, 'feedback'), format),
		element: answer
	}));
}

const isFull = (fraction: number) => fraction >= 99.99;
const countProblem = (count: number, noun: string, min: number, max: number) =>
	count < min ? `it has ${count} ${noun}; at least ${min} are needed` : count > max ? `it has ${count} ${noun}; at most ${max} are allowed here` : null;

/** Ids of the options: the ones our writer stored when they still fit, else from the texts. */
function choiceIds(texts: string[], meta: Meta): string[] {
	if (meta.ids?.length === texts.length && new Set(meta.ids).size === texts.length) return meta.ids;
	const claim = createIdClaimer([], letter);
	return texts.map((t) => claim(kebabId(t, 30)));
}

function option(id: string, answer: Answer, correct: boolean, { text }: BuildContext) {
	return { id, text: text(answer.text), correct, ...(answer.feedback ? { explanation: text(answer.feedback) } : {}) };
}

function buildChoice(el: XmlElement, cx: BuildContext): Built {
	const { format, meta } = cx;
	const answers = readAnswers(el, format, (a) => richText(a, format)).filter((a) => a.text);
	const problem = countProblem(answers.length, 'answers', 2, MAX_CHOICES);
	if (problem) return { reason: problem };
	const ids = choiceIds(
		answers.map((a) => a.text),
		meta
	);
	const single = !['false', '0', ''].includes(valueOf(el, 'single').toLowerCase() || 'true');
	if (single) {
		const right = answers.filter((a) => isFull(a.fraction)).length;
		if (right === 0) return { reason: 'it has no answer graded 100%' };
		if (right > 1) return { reason: `it is a one-answer question with ${right} answers graded 100%; only one right answer is possible here` };
		return { body: { type: 'single', options: answers.map((a, i) => option(ids[i]!, a, isFull(a.fraction), cx)) } };
	}
	if (!answers.some((a) => a.fraction > 0)) return { reason: 'it has no right answer (no answer with a positive grade)' };
	const partial = meta.scoring ? meta.scoring === 'partial' : answers.some((a) => a.fraction < 0 || (a.fraction > 0 && a.fraction < 100));
	return {
		body: { type: 'multiple', scoring: partial ? 'partial' : 'all-or-nothing', options: answers.map((a, i) => option(ids[i]!, a, a.fraction > 0, cx)) }
	};
}

function buildTrueFalse(el: XmlElement, { format }: BuildContext): Built {
	const answers = readAnswers(el, format, (a) => plainText(rawTextOf(a)).toLowerCase());
	const right = answers.find((a) => isFull(a.fraction));
	if (!right) return { reason: 'it has no answer graded 100%' };
	// Old files name the answers in the site's language; then the first one is "true".
	const named = answers.every((a) => a.text === 'true' || a.text === 'false');
	return { body: { type: 'truefalse', answer: named ? right.text === 'true' : answers.indexOf(right) === 0 }, fallbackExplanation: right.feedback };
}

function buildText(el: XmlElement, { format, meta }: BuildContext): Built {
	const right = readAnswers(el, format, (a) => rawTextOf(a).replace(/\s+/g, ' ').trim()).filter((a) => a.text && isFull(a.fraction));
	if (right.length === 0) return { reason: 'it has no answer graded 100%' };
	if (right.some((a) => /(?<!\\)\*/.test(a.text))) return { reason: 'an accepted answer uses the * wildcard, which has no equivalent here' };
	const accept = [...new Set(right.map((a) => a.text.replace(/\\\*/g, '*')))];
	return { body: { type: 'text', accept, ...(meta.pattern ? { pattern: meta.pattern } : {}) }, fallbackExplanation: right[0]!.feedback };
}

function buildNumeric(el: XmlElement, { format }: BuildContext): Built {
	const right = readAnswers(el, format, (a) => rawTextOf(a).trim()).filter((a) => isFull(a.fraction));
	if (right.length === 0) return { reason: 'it has no answer graded 100%' };
	if (right.length > 1) return { reason: `it has ${right.length} answers graded 100%; only one right answer (with a tolerance) is possible here` };
	const key = right[0]!;
	const answer = key.text === '' ? NaN : Number(key.text);
	if (!Number.isFinite(answer)) return { reason: `its right answer "${key.text}" is not a number` };
	const tolerance = Math.abs(Number(valueOf(key.element, 'tolerance')) || 0);
	const unit = elements(child(el, 'units'), 'unit').find((u) => Number(valueOf(u, 'multiplier') || 1) === 1);
	const unitName = unit ? plainText(valueOf(unit, 'unit_name')) : '';
	return { body: { type: 'numeric', answer, tolerance, ...(unitName ? { unit: unitName } : {}) }, fallbackExplanation: key.feedback };
}

function buildMatching(el: XmlElement, { format, meta, text }: BuildContext): Built {
	const rows = elements(el, 'subquestion').map((s) => ({ left: richText(s, format), right: plainText(rawTextOf(child(s, 'answer'))) }));
	const pairs = rows.filter((r) => r.left);
	const distractors = rows.filter((r) => !r.left && r.right).map((r) => text(r.right));
	const problem = countProblem(pairs.length, 'pairs', 2, MAX_CHOICES) ?? countProblem(distractors.length, 'answers matching nothing', 0, MAX_DISTRACTORS);
	if (problem) return { reason: problem };
	const blank = pairs.find((p) => !p.right);
	if (blank) return { reason: `"${blank.left}" has no matching answer` };
	const ids = choiceIds(
		pairs.map((p) => p.left),
		meta
	);
	return {
		body: {
			type: 'matching',
			pairs: pairs.map((p, i) => ({ id: ids[i]!, left: text(p.left), right: text(p.right) })),
			...(distractors.length ? { distractors } : {})
		}
	};
}

function buildOrdering(el: XmlElement, { format, meta, text }: BuildContext): Built {
	const answers = readAnswers(el, format, (a) => richText(a, format)).filter((a) => a.text);
	const problem = countProblem(answers.length, 'items', 3, MAX_CHOICES);
	if (problem) return { reason: problem };
	// qtype_ordering stores each item's place in its fraction (1, 2, 3…); without that, file order is the order.
	const ranked = answers.every((a) => a.fraction > 0) && new Set(answers.map((a) => a.fraction)).size === answers.length;
	const items = ranked ? [...answers].sort((a, b) => a.fraction - b.fraction) : answers;
	const ids = choiceIds(
		items.map((a) => a.text),
		meta
	);
	const grading = valueOf(el, 'gradingtype').toUpperCase();
	return {
		body: {
			type: 'ordering',
			scoring: grading === 'ALL_OR_NOTHING' || grading === '-1' ? 'all-or-nothing' : 'partial',
			items: items.map((a, i) => ({ id: ids[i]!, text: text(a.text) }))
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface MoodleXmlWriteOptions {
	locale: ContentLocale;
	/** Category path under the course (`Filters/RO`); its last segment becomes a tag on reading. Default: Moodle's "Default for ServiceReady". */
	category?: string;
	/** Bytes of the questions' pictures by address (`/media/…`): each is embedded in its question text; a picture missing here is left out. */
	pictures?: ReadonlyMap<string, Uint8Array>;
}

/**
 * A Moodle XML file of the questions, in one language (a text missing in it falls back to another
 * language). Reading it back with parseMoodleXml gives the same questions.
 */
export function writeMoodleXml(questions: readonly BankQuestion[], options: MoodleXmlWriteOptions): string {
	const lines = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<quiz>',
		...indent(categoryXml(options.category)),
		...questions.flatMap((q) => indent(questionXml(q, options.locale, options.pictures))),
		'</quiz>',
		''
	];
	return lines.join('\n');
}

const indent = (lines: string[]) => lines.map((line) => `  ${line}`);
const VALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Character data and attribute values: markup characters escaped, characters XML cannot hold dropped. */
export function escapeXml(value: string): string {
	return value.replace(VALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text as the HTML Moodle shows (still to be escaped for XML): markup characters escaped, line breaks as <br>, runs of spaces kept. */
function toHtml(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/ {2,}/g, (run) => ` ${'&nbsp;'.repeat(run.length - 1)}`)
		.replace(/^ | $/gm, '&nbsp;')
		.replace(/\n/g, '<br>');
}

const attributes = (attrs: Record<string, string>) =>
	Object.entries(attrs)
		.map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
		.join('');
/** One element on one line; `content` must already be escaped. */
const leaf = (name: string, content: string, attrs: Record<string, string> = {}) => `<${name}${attributes(attrs)}>${content}</${name}>`;
const node = (name: string, children: string[], attrs: Record<string, string> = {}) => [
	`<${name}${attributes(attrs)}>`,
	...indent(children),
	`</${name}>`
];
const plainField = (name: string, value: string, attrs: Record<string, string> = {}) => node(name, [leaf('text', escapeXml(value))], attrs);
const htmlField = (name: string, value: string, extra: string[] = [], attrs: Record<string, string> = {}) =>
	node(name, [leaf('text', escapeXml(toHtml(value))), ...extra], { format: 'html', ...attrs });

function categoryXml(category: string | undefined): string[] {
	const path = category?.trim() ? (category.startsWith('$') ? category.trim() : `$course$/top/${category.trim()}`) : '$course$/top/Default for ServiceReady';
	return node('question', [...plainField('category', path), ...htmlField('info', '')], { type: 'category' });
}

/** The comment carrying what Moodle cannot hold; `--` may not appear in a comment, so it is written as a JSON escape. */
function metaComment(meta: Meta): string[] {
	if (!meta.ids && meta.pattern === undefined && !meta.scoring) return [];
	const json = JSON.stringify(meta).replace(VALID_XML, '').replace(/--/g, '-\\u002d');
	return [`<!-- ${META}${json} -->`];
}

function questionXml(q: BankQuestion, locale: ContentLocale, pictures: ReadonlyMap<string, Uint8Array> | undefined): string[] {
	const pick = (l: Localized | undefined) => (l ? (l[locale] ?? Object.values(l).find(Boolean) ?? '') : '');
	const typed = typeXml(q, pick);
	const tags = q.tags ?? [];
	return node(
		'question',
		[
			...metaComment(typed.meta),
			...plainField('name', q.id),
			...questionTextXml(pick(q.prompt), q.picture, pictures),
			...htmlField('generalfeedback', pick(q.explanation)),
			leaf('defaultgrade', String(q.points ?? 1)),
			leaf('penalty', '0'),
			leaf('hidden', '0'),
			leaf('idnumber', escapeXml(q.id)),
			...typed.lines,
			...(tags.length ? node('tags', tags.flatMap((t) => node('tag', [leaf('text', escapeXml(t))]))) : [])
		],
		{ type: typed.type }
	);
}

/** The prompt, with the question's picture as a Moodle file shown below it when its bytes are given. */
function questionTextXml(prompt: string, address: string | undefined, pictures: ReadonlyMap<string, Uint8Array> | undefined): string[] {
	const bytes = address ? pictures?.get(address) : undefined;
	if (!address || !bytes) return htmlField('questiontext', prompt);
	const name = address.slice(address.lastIndexOf('/') + 1);
	const html = `${toHtml(prompt)}<br><img src="@@PLUGINFILE@@/${name}" alt="">`;
	return node('questiontext', [leaf('text', escapeXml(html)), leaf('file', encodeBase64(bytes), { name, path: '/', encoding: 'base64' })], { format: 'html' });
}

function encodeBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

type PickText = (l: Localized | undefined) => string;
type Typed = { type: string; lines: string[]; meta: Meta };

function typeXml(q: BankQuestion, pick: PickText): Typed {
	switch (q.type) {
		case 'single':
		case 'multiple':
			return choiceXml(q, pick);
		case 'truefalse':
			return {
				type: 'truefalse',
				meta: {},
				lines: [true, false].flatMap((value) =>
					node('answer', [leaf('text', String(value))], { fraction: value === q.answer ? '100' : '0', format: 'moodle_auto_format' })
				)
			};
		case 'text':
			return {
				type: 'shortanswer',
				meta: q.pattern === undefined ? {} : { pattern: q.pattern },
				lines: [
					leaf('usecase', '0'),
					...q.accept.flatMap((a) => node('answer', [leaf('text', escapeXml(a.replace(/\*/g, '\\*')))], { fraction: '100', format: 'moodle_auto_format' }))
				]
			};
		case 'numeric':
			return { type: 'numerical', meta: {}, lines: numericXml(q) };
		case 'matching':
			return matchingXml(q, pick);
		case 'ordering':
			return {
				type: 'ordering',
				meta: { ids: q.items.map((i) => i.id) },
				lines: [
					leaf('layouttype', 'VERTICAL'),
					leaf('selecttype', 'ALL'),
					leaf('selectcount', '0'),
					leaf('gradingtype', q.scoring === 'partial' ? 'ABSOLUTE_POSITION' : 'ALL_OR_NOTHING'),
					leaf('showgrading', 'SHOW'),
					leaf('numberingstyle', 'none'),
					...q.items.flatMap((item, i) => node('answer', [leaf('text', escapeXml(toHtml(pick(item.text))))], { fraction: String(i + 1), format: 'html' }))
				]
			};
	}
}

/** Moodle grades in percent, rounded like Moodle's own grade list (33.33333). */
const percent = (value: number) => String(Number(value.toFixed(5)));

/**
 * Fractions as close to our grading as Moodle allows: a one-answer question gives 100 to the
 * right option; multiple choice shares 100 among the right options, and a wrong pick takes away
 * −100 split among the wrong ones (partial) or −100 (all-or-nothing: any wrong pick scores 0;
 * Moodle still gives a share for an incomplete right set, which it cannot be told not to). The
 * scoring itself travels in the serviceready comment, so our reader gets it back exactly.
 */
function choiceXml(q: QuestionOf<'single'> | QuestionOf<'multiple'>, pick: PickText): Typed {
	const right = q.options.filter((o) => o.correct).length;
	const wrong = q.options.length - right;
	const partial = q.type === 'multiple' && q.scoring === 'partial';
	const fraction = (correct: boolean) =>
		q.type === 'single' ? (correct ? '100' : '0') : correct ? percent(100 / Math.max(right, 1)) : partial ? percent(-100 / Math.max(wrong, 1)) : '-100';
	return {
		type: 'multichoice',
		meta: { ids: q.options.map((o) => o.id), ...(q.type === 'multiple' ? { scoring: q.scoring } : {}) },
		lines: [
			leaf('single', q.type === 'single' ? 'true' : 'false'),
			leaf('shuffleanswers', 'true'),
			leaf('answernumbering', 'abc'),
			leaf('showstandardinstruction', '0'),
			...q.options.flatMap((o) =>
				node(
					'answer',
					[leaf('text', escapeXml(toHtml(pick(o.text)))), ...(o.explanation ? htmlField('feedback', pick(o.explanation)) : [])],
					{ fraction: fraction(o.correct ?? false), format: 'html' }
				)
			)
		]
	};
}

function numericXml(q: QuestionOf<'numeric'>): string[] {
	return [
		...node('answer', [leaf('text', String(q.answer)), leaf('tolerance', String(q.tolerance ?? 0))], { fraction: '100', format: 'moodle_auto_format' }),
		...(q.unit ? node('units', node('unit', [leaf('multiplier', '1'), leaf('unit_name', escapeXml(q.unit))])) : []),
		leaf('unitgradingtype', '0'),
		leaf('unitpenalty', '0.1000000'),
		leaf('showunits', q.unit ? '0' : '3'),
		leaf('unitsleft', '0')
	];
}

function matchingXml(q: QuestionOf<'matching'>, pick: PickText): Typed {
	const row = (left: string, right: string) => htmlField('subquestion', left, node('answer', [leaf('text', escapeXml(right))]));
	return {
		type: 'matching',
		meta: { ids: q.pairs.map((p) => p.id) },
		lines: [
			leaf('shuffleanswers', 'true'),
			...q.pairs.flatMap((p) => row(pick(p.left), pick(p.right))),
			...(q.distractors ?? []).flatMap((d) => row('', pick(d)))
		]
	};
}

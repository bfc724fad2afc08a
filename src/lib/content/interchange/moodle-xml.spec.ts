import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { questionSchema } from '../graded-schema.ts';
import { CONTENT_LOCALES, type ContentLocale } from '../schema.ts';
import { createIdClaimer, kebabId, parseMoodleXml, toPlainText, writeMoodleXml } from './moodle-xml.ts';
import { BankError, type BankQuestion } from './types.ts';
import { refusal } from './fixtures/refusal.ts';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
/** 1-based line of the `<question` holding the first occurrence of `needle`. */
const questionLine = (text: string, needle: string) => text.slice(0, text.lastIndexOf('<question', text.indexOf(needle))).split('\n').length;
const en = { locale: 'en' } as const;


describe('parseMoodleXml: the sample export', () => {
	const xml = fixture('moodle-sample.xml');
	const bank = parseMoodleXml(xml, en);
	const byId = (id: string) => bank.questions.find((q) => q.id === id);

	it('reads every supported question type, in file order', () => {
		expect(bank.format).toBe('moodle-xml');
		expect(bank.questions.map((q) => [q.id, q.type])).toEqual([
			['cold-winter-flow', 'single'],
			['tds-pen-blind-spots', 'multiple'],
			['tools-to-bring', 'multiple'],
			['carbon-looks-clean', 'truefalse'],
			['tds-meaning', 'text'],
			['recovery-ratio', 'numeric'],
			['stage-and-job', 'matching'],
			['water-flow-order', 'ordering'],
			['q-1', 'truefalse']
		]);
		const names = ['Cold winter flow', 'TDS pen', 'Tools to bring', 'Carbon looks', 'TDS meaning', 'Recovery ratio', 'Stage and job', 'Water flow', '余氯'];
		expect(bank.questionLines).toEqual(names.map((name) => questionLine(xml, name)));
	});

	it('maps a one-answer multichoice: html reduced to plain text, per-answer feedback, points, tags from the category and <tags>', () => {
		expect(byId('cold-winter-flow')).toEqual({
			id: 'cold-winter-flow',
			type: 'single',
			tags: ['filter-stages', 'winter', 'ro-principles'],
			points: 2,
			prompt: { en: 'In January the purifier is slow.\n\nFeed water is 8 °C & the pressure is normal. Why?' },
			explanation: { en: 'Output falls by 2–3% per degree below 25°C.' },
			options: [
				{ id: 'cold-water-reduces-output', text: { en: 'Cold water reduces output' }, correct: true },
				{ id: 'the-membrane-has-failed', text: { en: 'The membrane has failed' }, correct: false, explanation: { en: 'Check the temperature first.' } },
				{ id: 'the-pump-is-worn', text: { en: 'The pump is worn' }, correct: false }
			]
		});
	});

	it('maps multi-answer fractions: partial credit or a negative grade → partial, else all-or-nothing', () => {
		expect(byId('tds-pen-blind-spots')).toEqual({
			id: 'tds-pen-blind-spots',
			type: 'multiple',
			scoring: 'partial',
			tags: ['filter-stages'],
			points: 1,
			prompt: { en: 'Which can a TDS pen NOT detect?\nSelect all that apply.' },
			options: [
				{ id: 'bacteria', text: { en: 'Bacteria' }, correct: true },
				{ id: 'lead', text: { en: 'Lead' }, correct: true },
				{ id: 'dissolved-salts', text: { en: 'Dissolved salts' }, correct: false, explanation: { en: 'These conduct.' } }
			]
		});
		expect(byId('tools-to-bring')).toMatchObject({
			scoring: 'all-or-nothing',
			prompt: { en: 'Which tools do you **always** bring?' },
			options: [
				{ id: 'shoe-covers', correct: true },
				{ id: 'a-hammer', correct: false }
			]
		});
	});

	it('maps true/false, taking the right answer\'s feedback when there is no general feedback; points above 100 are clamped', () => {
		expect(byId('carbon-looks-clean')).toEqual({
			id: 'carbon-looks-clean',
			type: 'truefalse',
			tags: ['filter-stages'],
			points: 100,
			prompt: { en: 'A clean-looking carbon cartridge can stay in beyond its interval.' },
			explanation: { en: 'Right: you cannot see when carbon stops working.' },
			answer: false
		});
	});

	it('maps short answer: the answers graded 100% are accepted, a zero grade gives the default points', () => {
		expect(byId('tds-meaning')).toEqual({
			id: 'tds-meaning',
			type: 'text',
			tags: ['filter-stages'],
			points: 1,
			prompt: { en: 'What do the letters TDS stand for?' },
			accept: ['total dissolved solids', 'total dissolved solid']
		});
	});

	it('maps numerical: the 100% answer, its tolerance, the unit with multiplier 1', () => {
		expect(byId('recovery-ratio')).toEqual({
			id: 'recovery-ratio',
			type: 'numeric',
			tags: ['filter-stages'],
			points: 1,
			prompt: { en: '1.2 L pure, 0.6 L waste. Recovery, in percent?' },
			explanation: { en: '1.2 / 1.8 = 66.7%' },
			answer: 66.7,
			tolerance: 1.5,
			unit: '%'
		});
	});

	it('maps matching: a subquestion without text is a right-hand distractor', () => {
		expect(byId('stage-and-job')).toEqual({
			id: 'stage-and-job',
			type: 'matching',
			tags: ['filter-stages'],
			points: 1,
			prompt: { en: 'Match each stage with its job.' },
			pairs: [
				{ id: 'pp-sediment', left: { en: 'PP sediment' }, right: { en: 'Catches sand and rust' } },
				{ id: 'pre-carbon', left: { en: 'Pre-carbon' }, right: { en: 'Removes chlorine' } },
				{ id: 'ro-membrane', left: { en: 'RO membrane' }, right: { en: 'Removes dissolved salts' } }
			],
			distractors: [{ en: 'Adds minerals' }]
		});
	});

	it('maps ordering (qtype_ordering): items by the place in their fraction, ALL_OR_NOTHING grading', () => {
		expect(byId('water-flow-order')).toEqual({
			id: 'water-flow-order',
			type: 'ordering',
			scoring: 'all-or-nothing',
			tags: ['filter-stages'],
			points: 1,
			prompt: { en: 'Put the parts in the order the water flows through them.' },
			items: [
				{ id: 'pp-sediment', text: { en: 'PP sediment' } },
				{ id: 'pre-carbon', text: { en: 'Pre-carbon' } },
				{ id: 'membrane', text: { en: 'Membrane' } },
				{ id: 'faucet', text: { en: 'Faucet' } }
			]
		});
	});

	it('gives a non-latin name the next q-n id, and a non-latin category no tag', () => {
		expect(byId('q-1')).toMatchObject({ type: 'truefalse', answer: true, tags: [] });
	});

	it('returns the base64 pictures of a question text with the question id', () => {
		expect(bank.pictures).toEqual([{ question: 'cold-winter-flow', name: 'flow.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) }]);
	});

	it('skips what has no equivalent, or breaks the limits, with name, line of <question and reason', () => {
		const at = (name: string) => questionLine(xml, `<text>${name}</text>`);
		expect(bank.skipped).toEqual([
			{ name: 'Describe a visit', line: at('Describe a visit'), reason: expect.stringContaining('essay questions are marked by hand') },
			{ name: 'Filter cloze', line: at('Filter cloze'), reason: expect.stringContaining('Cloze') },
			{ name: 'Flow calc', line: at('Flow calc'), reason: expect.stringContaining('calculated questions') },
			{ name: 'Drag words', line: at('Drag words'), reason: expect.stringContaining('drag-and-drop into text') },
			{ name: 'Read this first', line: at('Read this first'), reason: expect.stringContaining('a description is information') },
			{ name: 'Random (Filters)', line: at('Random (Filters)'), reason: expect.stringContaining('use draw in the quiz settings') },
			{ name: 'Too many answers', line: at('Too many answers'), reason: 'it has 9 answers; at most 8 are allowed here' },
			{ name: 'No right answer', line: at('No right answer'), reason: 'it has no answer graded 100%' }
		]);
		for (const s of bank.skipped) expect(xml.split('\n')[s.line - 1]).toMatch(/^\s*<question type="/);
	});

	it('gives only ids not used yet in the quiz, suffixing -2, -3', () => {
		const again = parseMoodleXml(xml, { locale: 'zh-CN', usedIds: new Set(['cold-winter-flow', 'q-1', 'tds-pen-blind-spots']) });
		expect(again.questions.map((q) => q.id)).toEqual([
			'cold-winter-flow-2',
			'tds-pen-blind-spots-2',
			'tools-to-bring',
			'carbon-looks-clean',
			'tds-meaning',
			'recovery-ratio',
			'stage-and-job',
			'water-flow-order',
			'q-2'
		]);
		expect(again.questions[0]!.prompt).toEqual({ 'zh-CN': expect.stringContaining('In January') });
		expect(again.pictures[0]!.question).toBe('cold-winter-flow-2');
	});

	it('produces questions that pass the quiz-file schema', () => {
		for (const q of bank.questions) expect(questionSchema.safeParse(q).success, q.id).toBe(true);
	});
});

describe('parseMoodleXml: unsafe or broken files are refused whole', () => {
	it('refuses a DOCTYPE, so "billion laughs" never expands', () => {
		const error = refusal(() => parseMoodleXml(fixture('billion-laughs.xml'), en));
		expect(error.message).toBe('line 2: the file declares a DOCTYPE, which is refused: it could define entities or read other files');
	});

	it('refuses an external entity', () => {
		const error = refusal(() => parseMoodleXml(fixture('external-entity.xml'), en));
		expect(error.line).toBe(2);
		expect(error.message).toContain('DOCTYPE');
	});

	it('refuses malformed XML with the line', () => {
		const error = refusal(() => parseMoodleXml(fixture('malformed.xml'), en));
		expect(error.line).toBe(5);
		expect(error.message).toMatch(/^line 5: the XML is malformed: /);
	});

	it('decodes only the five XML entities and numeric references; any other entity is an error', () => {
		const quiz = (body: string) => `<quiz><question type="truefalse"><name><text>t</text></name><questiontext><text>${body}</text></questiontext><answer fraction="100"><text>true</text></answer></question></quiz>`;
		expect(parseMoodleXml(quiz('&lt;b&gt; &amp;amp; &quot;&apos; &#65;&#x42;'), en).questions[0]!.prompt).toEqual({ en: '& "\' AB' });
		expect(refusal(() => parseMoodleXml(quiz('&nbsp;'), en)).message).toContain('undefined entity');
	});

	it('refuses a file whose root is not <quiz>, and one with no element', () => {
		expect(refusal(() => parseMoodleXml('<questions/>', en)).message).toContain('starts with <quiz>');
		expect(refusal(() => parseMoodleXml('<?xml version="1.0"?>', en)).message).toMatch(/malformed|no XML element/);
	});

	it('skips a question whose picture is not base64', () => {
		const bank = parseMoodleXml(
			'<quiz>\n<question type="truefalse"><name><text>Pic</text></name><questiontext format="html"><text>x</text><file name="a.png" encoding="base64">@@@</file></questiontext><answer fraction="100"><text>true</text></answer></question></quiz>',
			en
		);
		expect(bank.questions).toEqual([]);
		expect(bank.skipped).toEqual([{ name: 'Pic', line: 2, reason: 'its picture "a.png" is not valid base64' }]);
	});

	it('skips a short answer using the * wildcard, and keeps an escaped \\*', () => {
		const quiz = (answer: string) =>
			`<quiz><question type="shortanswer"><name><text>Star</text></name><questiontext><text>Which?</text></questiontext><answer fraction="100"><text>${answer}</text></answer></question></quiz>`;
		expect(parseMoodleXml(quiz('pump*'), en).skipped[0]!.reason).toContain('* wildcard');
		expect(parseMoodleXml(quiz('5 \\* 2'), en).questions[0]).toMatchObject({ accept: ['5 * 2'] });
	});
});

describe('text reduction', () => {
	it('never keeps markup', () => {
		expect(toPlainText('<p>One<br/>two</p>\n<script>alert(1)</script><ul><li>a</li><li>b</li></ul>')).toBe('One\ntwo\n\na\nb');
		expect(toPlainText('<div>a</div><div>b</div><p>c</p><p>d</p>')).toBe('a\nb\n\nc\n\nd');
		expect(toPlainText('a <!-- hidden --> b &lt;i&gt; &#8212; &unknown;')).toBe('a b <i> — &unknown;');
		expect(toPlainText('line one\nline <b>two</b>', 'moodle_auto_format')).toBe('line one\nline two');
		expect(toPlainText('1 < 2 and <b>bold</b> &amp;', 'plain_text')).toBe('1 < 2 and bold &amp;');
	});
});

describe('ids', () => {
	it('are kebab-case, at most 60 characters, cut at a word end', () => {
		expect(kebabId('Café — Ölfilter (2nd stage)')).toBe('cafe-olfilter-2nd-stage');
		expect(kebabId('净水器')).toBe('');
		const long = kebabId('word '.repeat(30));
		expect(long.length).toBeLessThanOrEqual(60);
		expect(long).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
	});

	it('are claimed once: -2, -3 on a clash, q-n for an empty base', () => {
		const claim = createIdClaimer(['a', 'q-1']);
		expect([claim('a'), claim('a'), claim(''), claim(''), claim('b')]).toEqual(['a-2', 'a-3', 'q-2', 'q-3', 'b']);
		expect(claim('x'.repeat(60)).length).toBe(60);
		expect(claim('x'.repeat(60))).toBe(`${'x'.repeat(58)}-2`);
	});
});

describe('writeMoodleXml', () => {
	const single = questionSchema.parse({
		id: 'tricky-text',
		type: 'single',
		tags: ['safety'],
		points: 2.5,
		prompt: { en: 'Is <script>alert(1)</script> & ]]> "quoted"  spaced\nand on two lines?', 'zh-CN': '中文题干' },
		explanation: { en: 'Because -- it is.' },
		options: [
			{ id: 'yes', text: { en: 'Yes & <no>' }, correct: true, explanation: { en: 'Fine.' } },
			{ id: 'no', text: { en: 'No' } }
		]
	});

	it('escapes every text: no raw markup, no CDATA, well-formed', () => {
		const xml = writeMoodleXml([single], en);
		expect(xml).not.toContain('<script>');
		expect(xml).not.toContain('CDATA');
		expect(xml).toContain('&amp;lt;script&amp;gt;');
		expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="category">')).toBe(true);
		expect(xml).toContain('<idnumber>tricky-text</idnumber>');
		expect(xml).toContain('<defaultgrade>2.5</defaultgrade>');
		expect(parseMoodleXml(xml, en).questions).toEqual([reduce(single, 'en')]);
	});

	it('writes a text in the chosen locale', () => {
		expect(parseMoodleXml(writeMoodleXml([single], { locale: 'zh-CN' }), { locale: 'zh-CN' }).questions[0]!.prompt).toEqual({ 'zh-CN': '中文题干' });
	});

	it('falls back to another language when a text is missing in the chosen one', () => {
		const q = questionSchema.parse({ id: 'only-en', type: 'truefalse', prompt: { en: 'English only' }, answer: true });
		expect(parseMoodleXml(writeMoodleXml([q], { locale: 'zh-CN' }), { locale: 'zh-CN' }).questions[0]!.prompt).toEqual({ 'zh-CN': 'English only' });
	});

	it('writes multi-answer fractions the reader turns back into the same scoring', () => {
		const options = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, text: { en: id.toUpperCase() }, correct: i < 3 }));
		const partial = questionSchema.parse({ id: 'p', type: 'multiple', scoring: 'partial', prompt: { en: 'P?' }, options });
		const strict = questionSchema.parse({ id: 's', type: 'multiple', scoring: 'all-or-nothing', prompt: { en: 'S?' }, options });
		const oneRight = questionSchema.parse({ id: 'o', type: 'multiple', scoring: 'partial', prompt: { en: 'O?' }, options: options.slice(2) });
		const fractions = (q: BankQuestion) => [...writeMoodleXml([q], en).matchAll(/<answer fraction="([^"]+)"/g)].map((m) => m[1]);
		expect(fractions(partial)).toEqual(['33.33333', '33.33333', '33.33333', '-50', '-50']);
		// Any wrong pick scores 0 in Moodle too; the exact scoring travels in the comment.
		expect(fractions(strict)).toEqual(['33.33333', '33.33333', '33.33333', '-100', '-100']);
		expect(fractions(oneRight)).toEqual(['100', '-50', '-50']);
		const back = parseMoodleXml(writeMoodleXml([partial, strict, oneRight], en), en).questions;
		expect(back.map((q) => q.type === 'multiple' && q.scoring)).toEqual(['partial', 'all-or-nothing', 'partial']);
		// Without the comment (a file from Moodle), the fractions decide.
		const bare = writeMoodleXml([strict], en).replace(/<!--[\s\S]*?-->/g, '');
		expect(parseMoodleXml(bare, en).questions[0]).toMatchObject({ scoring: 'partial' });
	});

	it('keeps a text answer\'s pattern in a comment Moodle ignores, even with "--" in it', () => {
		const q = questionSchema.parse({ id: 'pat', type: 'text', prompt: { en: 'Code?' }, accept: ['a*b'], pattern: '^a--?b$|-->' });
		const xml = writeMoodleXml([q], en);
		const comment = /<!--([\s\S]*?)-->/.exec(xml.slice(xml.indexOf('<question type="shortanswer"')))![1]!;
		expect(comment).not.toContain('--');
		expect(xml).toContain('<text>a\\*b</text>');
		expect(parseMoodleXml(xml, en).questions).toEqual([reduce(q, 'en')]);
	});

	it('writes the category, whose last segment comes back as a tag', () => {
		const q = questionSchema.parse({ id: 'c', type: 'truefalse', tags: ['x'], prompt: { en: 'C?' }, answer: false });
		const xml = writeMoodleXml([q], { locale: 'en', category: 'RO purifier/Filter stages' });
		expect(xml).toContain('<text>$course$/top/RO purifier/Filter stages</text>');
		expect(parseMoodleXml(xml, en).questions[0]!.tags).toEqual(['filter-stages', 'x']);
	});

	it('writes matching distractors as subquestions without text', () => {
		const q = questionSchema.parse({
			id: 'm',
			type: 'matching',
			prompt: { en: 'M?' },
			pairs: [
				{ id: 'a', left: { en: 'A' }, right: { en: '1' } },
				{ id: 'b', left: { en: 'B' }, right: { en: '2' } }
			],
			distractors: [{ en: '3' }]
		});
		expect(writeMoodleXml([q], en)).toMatch(/<subquestion format="html">\s*<text><\/text>\s*<answer>\s*<text>3<\/text>/);
		expect(parseMoodleXml(writeMoodleXml([q], en), en).questions).toEqual([q]);
	});

	it('embeds a question\'s picture when its bytes are given, which the reader returns as a picture', () => {
		const address = `/media/${'a'.repeat(64)}.png`;
		const q = questionSchema.parse({ id: 'pic', type: 'truefalse', prompt: { en: 'Is this a filter?' }, answer: true, picture: address });
		const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
		const bank = parseMoodleXml(writeMoodleXml([q], { locale: 'en', pictures: new Map([[address, bytes]]) }), en);
		const { picture: _, ...rest } = q;
		expect(bank.questions).toEqual([rest]);
		expect(bank.pictures).toEqual([{ question: 'pic', name: `${'a'.repeat(64)}.png`, bytes }]);
		expect(parseMoodleXml(writeMoodleXml([q], en), en).pictures).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------
// Every shipped quiz survives a trip through Moodle XML, in each language.

const COURSES = 'content/courses';
const quizFiles = fs
	.readdirSync(COURSES)
	.flatMap((course) => fs.readdirSync(`${COURSES}/${course}`).filter((f) => f.endsWith('.quiz.md')).map((f) => `${COURSES}/${course}/${f}`));

function readQuiz(file: string) {
	const body = /^---\n[\s\S]*?\n---\n([\s\S]*)$/.exec(fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n'))?.[1] ?? '';
	return (parseYaml(body) as unknown[]).map((q) => questionSchema.parse(q));
}

const isLocalized = (value: object) => Object.keys(value).length > 0 && Object.keys(value).every((k) => (CONTENT_LOCALES as readonly string[]).includes(k));

/** The value with every text reduced to one language; an optional text missing in it is dropped. */
function reduce<T>(value: T, locale: ContentLocale): T {
	if (Array.isArray(value)) return value.map((v) => reduce(v, locale)) as T;
	if (typeof value !== 'object' || value === null) return value;
	if (isLocalized(value)) {
		const text = (value as Record<string, string>)[locale];
		return (text === undefined ? undefined : { [locale]: text }) as T;
	}
	return Object.fromEntries(
		Object.entries(value)
			.map(([k, v]) => [k, reduce(v, locale)] as const)
			.filter(([, v]) => v !== undefined)
	) as T;
}

describe('Moodle XML round trip of every shipped quiz', () => {
	it('finds the quizzes', () => expect(quizFiles.length).toBeGreaterThan(5));

	for (const file of quizFiles) {
		for (const locale of CONTENT_LOCALES) {
			it(`${file.slice(COURSES.length + 1)} (${locale})`, () => {
				const questions = readQuiz(file);
				const bank = parseMoodleXml(writeMoodleXml(questions, { locale }), { locale });
				expect(bank.skipped).toEqual([]);
				// A picture travels as an embedded file, not as its address (tested above).
				expect(bank.questions).toStrictEqual(reduce(questions.map(({ picture: _, ...q }) => q), locale));
			});
		}
	}
});

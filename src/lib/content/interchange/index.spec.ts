import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { questionSchema } from '../graded-schema.ts';
import { detectFormat, parseBank, writeBank } from './index.ts';
import { BankError, MAX_BANK_BYTES, type ParsedBank } from './types.ts';
import { refusal } from './fixtures/refusal.ts';

// The GIFT reader is another module's concern: here only the routing to it, and the schema check after it, are tested.
vi.mock('./gift.ts', () => ({
	parseGift: (_text: string, options: { locale: string }): ParsedBank => ({
		format: 'gift',
		questions: [
			{ id: 'from-gift', type: 'truefalse', prompt: { [options.locale]: 'Gift?' }, answer: true },
			{ id: 'no-key', type: 'single', prompt: { [options.locale]: 'Which?' }, options: [{ id: 'a', text: { en: 'A' } }, { id: 'b', text: { en: 'B' } }] }
		],
		skipped: [],
		pictures: [],
		questionLines: [1, 3]
	}),
	writeGift: (questions: Array<{ id: string }>) => questions.map((q) => `::${q.id}:: ? {T}`).join('\n\n')
}));

const fixture = (name: string) => new Uint8Array(fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const en = { locale: 'en' } as const;


describe('detectFormat', () => {
	it('tells Moodle XML by its opening', () => {
		expect(detectFormat('<?xml version="1.0"?>\n<quiz></quiz>')).toBe('moodle-xml');
		expect(detectFormat('\n\n  <quiz>\n</quiz>')).toBe('moodle-xml');
		expect(detectFormat('<!DOCTYPE quiz [<!ENTITY a "b">]><quiz/>')).toBe('moodle-xml');
		expect(detectFormat('<!-- exported --><quiz/>')).toBe('moodle-xml');
	});

	it('tells Aiken when every block has lettered options and an ANSWER line', () => {
		expect(detectFormat('Q?\nA. yes\nB) no\nANSWER: A\n\nR?\nA. x\nB. y\nANSWER: B\n')).toBe('aiken');
		expect(detectFormat('Q?\nA. yes\nB. no\nANSWER: Z')).toBe('aiken');
	});

	it('takes anything else for GIFT', () => {
		expect(detectFormat('// GIFT\n::q1:: Is water wet? {T}')).toBe('gift');
		expect(detectFormat('Q?\nA. yes\nB. no\nANSWER: A\n\n::q2:: More? {F}')).toBe('gift');
		expect(detectFormat('Which? {=A. yes ~B. no}')).toBe('gift');
	});
});

describe('parseBank', () => {
	it('reads a Moodle XML file and keeps its lines, pictures and skipped questions', () => {
		const bank = parseBank(fixture('moodle-sample.xml'), en);
		expect(bank.format).toBe('moodle-xml');
		expect(bank.questions).toHaveLength(9);
		expect(bank.questionLines).toHaveLength(9);
		expect(bank.pictures.map((p) => p.question)).toEqual(['cold-winter-flow']);
		expect(bank.skipped.map((s) => s.name)).toContain('Describe a visit');
		expect(bank.skipped.map((s) => s.line)).toEqual([...bank.skipped.map((s) => s.line)].sort((a, b) => a - b));
		for (const q of bank.questions) expect(questionSchema.safeParse(q).success).toBe(true);
	});

	it('skips a question failing the quiz-file schema with the zod message, and drops its pictures', () => {
		const xml = [
			'<?xml version="1.0" encoding="UTF-8"?>',
			'<quiz>',
			'<question type="truefalse"><name><text>Long</text></name>',
			`<questiontext format="html"><text>${'x'.repeat(2001)}</text><file name="a.png" encoding="base64">AAAA</file></questiontext>`,
			'<answer fraction="100"><text>true</text></answer></question>',
			'<question type="truefalse"><name><text>Short</text></name><questiontext><text>Fine?</text></questiontext><answer fraction="100"><text>false</text></answer></question>',
			'</quiz>'
		].join('\n');
		const bank = parseBank(utf8(xml), en);
		expect(bank.questions.map((q) => q.id)).toEqual(['short']);
		expect(bank.questionLines).toEqual([6]);
		expect(bank.pictures).toEqual([]);
		expect(bank.skipped).toEqual([{ name: 'long', line: 3, reason: 'prompt.en: is too long' }]);
	});

	it('reads an Aiken file', () => {
		const bank = parseBank(fixture('sample.aiken.txt'), { locale: 'en', usedIds: new Set(['which-cartridge-removes-chlorine-before']) });
		expect(bank.format).toBe('aiken');
		expect(bank.questions.map((q) => q.id)).toEqual(['which-cartridge-removes-chlorine-before-2', 'what-should-you-put-on-before-entering-a']);
	});

	it('hands GIFT to the GIFT reader and checks what it returns against the schema too', () => {
		const bank = parseBank(utf8('::from-gift:: Gift? {T}'), en);
		expect(bank.format).toBe('gift');
		expect(bank.questions.map((q) => q.id)).toEqual(['from-gift']);
		expect(bank.skipped).toEqual([{ name: 'no-key', line: 3, reason: 'options: needs exactly one option with correct: true' }]);
	});

	it('refuses unsafe, broken, wrongly encoded, huge and empty files whole', () => {
		const cases: Array<[Uint8Array, RegExp]> = [
			[fixture('billion-laughs.xml'), /^line 2: the file declares a DOCTYPE/],
			[fixture('external-entity.xml'), /^line 2: the file declares a DOCTYPE/],
			[fixture('malformed.xml'), /^line 5: the XML is malformed/],
			[new Uint8Array([0xc4, 0xe3, 0xba, 0xc3, 0x0a]), /^line 1: the file is not valid UTF-8/],
			[new Uint8Array([0xff, 0xfe, 0x3c, 0x00, 0x71, 0x00]), /UTF-16; save it as UTF-8/],
			[new Uint8Array([0xfe, 0xff, 0x00, 0x3c, 0x00, 0x71]), /UTF-16; save it as UTF-8/],
			[new Uint8Array(MAX_BANK_BYTES + 1).fill(0x20), /largest accepted is 5 MB/],
			[new Uint8Array(), /the file is empty/],
			[fixture('garbage.bin'), /binary data/]
		];
		for (const [bytes, message] of cases) expect(refusal(() => parseBank(bytes, en)).message).toMatch(message);
	});
});

describe('writeBank', () => {
	const questions = [
		questionSchema.parse({ id: 'one', type: 'truefalse', tags: ['t'], points: 3, prompt: { en: 'One?', 'zh-CN': '一？' }, answer: true }),
		questionSchema.parse({ id: 'two', type: 'numeric', prompt: { en: 'Two?' }, answer: 2, tolerance: 0.5, unit: 'bar' })
	];

	it('writes Moodle XML that parseBank reads back', () => {
		const text = writeBank(questions, 'moodle-xml', { locale: 'zh-CN' });
		const bank = parseBank(utf8(text), { locale: 'zh-CN' });
		expect(bank.format).toBe('moodle-xml');
		expect(bank.questions).toEqual([
			{ ...questions[0], prompt: { 'zh-CN': '一？' } },
			{ ...questions[1], prompt: { 'zh-CN': 'Two?' } }
		]);
	});

	it('hands GIFT to the GIFT writer', () => {
		expect(writeBank(questions, 'gift', en)).toBe('::one:: ? {T}\n\n::two:: ? {T}');
	});
});

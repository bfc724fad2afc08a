import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { questionSchema } from '../graded-schema.ts';
import { looksLikeAiken, parseAiken } from './aiken.ts';
import { BankError } from './types.ts';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const en = { locale: 'en' } as const;

describe('parseAiken', () => {
	it('reads one-answer questions with "A." and "A)" options', () => {
		const bank = parseAiken(fixture('sample.aiken.txt'), en);
		expect(bank).toEqual({
			format: 'aiken',
			skipped: [],
			pictures: [],
			questionLines: [1, 7],
			questions: [
				{
					id: 'which-cartridge-removes-chlorine-before',
					type: 'single',
					tags: [],
					points: 1,
					prompt: { en: 'Which cartridge removes chlorine before it reaches the membrane?' },
					options: [
						{ id: 'a', text: { en: 'PP sediment' }, correct: false },
						{ id: 'b', text: { en: 'Pre-carbon' }, correct: true },
						{ id: 'c', text: { en: 'Post-carbon' }, correct: false }
					]
				},
				{
					id: 'what-should-you-put-on-before-entering-a',
					type: 'single',
					tags: [],
					points: 1,
					prompt: { en: "What should you put on before entering a customer's home?" },
					options: [
						{ id: 'a', text: { en: 'Shoe covers' }, correct: true },
						{ id: 'b', text: { en: 'A cap' }, correct: false }
					]
				}
			]
		});
		for (const q of bank.questions) expect(questionSchema.safeParse(q).success).toBe(true);
	});

	it('skips a question with a broken answer line or misplaced options, with its line and reason, and keeps the rest', () => {
		const bank = parseAiken(fixture('broken.aiken.txt'), { locale: 'zh-CN' });
		expect(bank.questions.map((q) => q.id)).toEqual(['what-do-you-check-first-when-the-flow-is']);
		expect(bank.questions[0]!.prompt).toEqual({ 'zh-CN': 'What do you check first when the flow is slow in winter?' });
		expect(bank.questionLines).toEqual([6]);
		expect(bank.skipped).toEqual([
			{ name: 'Which cartridge removes chlorine?', line: 1, reason: 'line 4: the answer E is not one of the options (A–B)' },
			{ name: 'Which tool measures dissolved solids?', line: 11, reason: 'line 14: write the answer line as "ANSWER: B" (one option letter)' },
			{ name: 'When do you confirm the appointment?', line: 16, reason: 'line 18: option C should be B; options are lettered A, B, C… in order' }
		]);
	});

	it('skips a question without its ANSWER line, whether a blank line or a new question follows', () => {
		const bank = parseAiken(['First?', 'A. x', 'B. y', '', 'Second?', 'A. x', 'B. y', 'Third?', 'A. x', 'B. y', 'ANSWER: b'].join('\n'), en);
		expect(bank.questions.map((q) => q.prompt.en)).toEqual(['Third?']);
		expect(bank.questions[0]!.type === 'single' && bank.questions[0]!.options.map((o) => o.correct)).toEqual([false, true]);
		expect(bank.skipped).toEqual([
			{ name: 'First?', line: 1, reason: 'it has no ANSWER line after its options (line 3)' },
			{ name: 'Second?', line: 5, reason: 'it has no ANSWER line after its options (line 7)' }
		]);
	});

	it('skips questions with too few or too many options, or options before any text', () => {
		const nine = 'ABCDEFGHI'.split('').map((l) => `${l}. ${l}`);
		const bank = parseAiken(['One?', 'A. x', 'ANSWER: A', '', 'Nine?', ...nine, 'ANSWER: A', '', 'A. orphan', 'B. option', 'ANSWER: A'].join('\n'), en);
		expect(bank.questions).toEqual([]);
		expect(bank.skipped.map((s) => [s.line, s.reason])).toEqual([
			[1, 'it has 1 option; at least 2 are needed'],
			[5, 'it has 9 options; at most 8 are allowed here'],
			[17, 'line 17: the option comes before any question text']
		]);
	});

	it('joins a question written on several lines, and gives non-latin questions q-n ids unused in the quiz', () => {
		const text = ['净水器多久换一次', 'PP 棉？', 'A. 三个月', 'B. 三年', 'ANSWER: A', '', '反渗透膜？', 'A. 是', 'B. 否', 'ANSWER: B'].join('\n');
		const bank = parseAiken(text, { locale: 'zh-CN', usedIds: new Set(['q-1']) });
		expect(bank.questions.map((q) => [q.id, q.prompt])).toEqual([
			['q-2', { 'zh-CN': '净水器多久换一次\nPP 棉？' }],
			['q-3', { 'zh-CN': '反渗透膜？' }]
		]);
	});

	it('refuses text with no Aiken line at all', () => {
		expect(() => parseAiken('::q:: Is water wet? {T}', en)).toThrow(BankError);
		expect(() => parseAiken('Just a paragraph.\nAnother line.', en)).toThrow(/not an Aiken file/);
	});
});

describe('looksLikeAiken', () => {
	it('needs lettered options and an ANSWER line in every block', () => {
		expect(looksLikeAiken(fixture('sample.aiken.txt'))).toBe(true);
		expect(looksLikeAiken(fixture('broken.aiken.txt'))).toBe(true);
		expect(looksLikeAiken('Q?\nA. x\nB. y\nANSWER: A\n\n::g:: GIFT {T}')).toBe(false);
		expect(looksLikeAiken('Q?\nA. x\nB. y')).toBe(false);
		expect(looksLikeAiken('::q:: Which? {=A. yes ~B. no}')).toBe(false);
		expect(looksLikeAiken('\n\n')).toBe(false);
	});
});

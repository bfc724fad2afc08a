import { describe, expect, it } from 'vitest';
import { nearCopyWarnings, quizWarnings, scenarioWarnings, similarity } from './item-writing.ts';
import type { Question, Quiz } from '../server/assessment/types.ts';
import type { Scenario } from '../server/scenario/types.ts';

const line = () => 7;
const single = (id: string, options: Array<[string, boolean]>): Question => ({
	id,
	type: 'single',
	tags: [],
	points: 1,
	prompt: { en: `What do you do in case ${id}?` },
	options: options.map(([text, correct], i) => ({ id: `o${i}`, text: { en: text }, correct }))
});
const quiz = (questions: Question[], kind: 'practice' | 'exam' = 'practice'): Quiz =>
	({ id: kind, courseSlug: 'c', file: `courses/01-c/${kind}.quiz.md`, title: { en: 'Q' }, kind, passMark: 70, timeLimitMinutes: 0, attempts: 0, cooldownMinutes: 0, review: 'explanations', shuffleQuestions: true, shuffleOptions: true, required: false, lessons: [], draw: [], questions }) as Quiz;

describe('quiz item-writing warnings', () => {
	it('flags a file where the key is the longest option too often, listing the items', () => {
		const longKey = (id: string) => single(id, [['Listen to the whole story before you answer', true], ['Argue', false], ['Leave', false]]);
		const fair = (id: string) => single(id, [['Explain the warranty terms in detail', false], ['Listen first', true], ['Offer a discount at once', false]]);
		const w = quizWarnings(quiz([longKey('a'), longKey('b'), fair('c')]), line);
		expect(w).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/in 2 of 3 choice questions \(67 %, more than 40 %\): a, b$/) })]);
		expect(quizWarnings(quiz([longKey('a'), fair('b'), fair('c')]), line)).toEqual([]);
	});

	it('flags a key always in one position, and "all / none of the above" options at their question', () => {
		const first = (id: string) => single(id, [['Yes', true], ['No way at all', false], ['Maybe later on', false]]);
		expect(quizWarnings(quiz([first('a'), first('b'), first('c')]), line).map((w) => w.message)).toContain('the keyed option is option 1 in every single-choice question');
		const above = single('x', [['Check the valve', false], ['Check the pump', false], ['All of the above', true]]);
		const zh = { ...single('y', [['查阀门', false], ['查水泵', false], ['以上都对', true]]), prompt: { 'zh-CN': '先做什么？' } };
		const messages = quizWarnings(quiz([above, zh]), line).filter((w) => w.line === 7).map((w) => w.message);
		expect(messages).toEqual([expect.stringContaining('question x'), expect.stringContaining('question y')]);
	});

	it('flags a practice question that is nearly an exam question', () => {
		const exam = quiz([{ ...single('e1', [['a', true], ['b', false]]), prompt: { en: 'A customer calls at 8 pm about a leaking filter housing. What do you do first?' } }], 'exam');
		const copy = { ...single('p1', [['a', true], ['b', false]]), prompt: { en: 'A customer calls at 9 pm about a leaking filter housing. What do you do first?' } };
		const other = { ...single('p2', [['a', true], ['b', false]]), prompt: { en: 'The TDS pen shows 12 after the membrane. Is the membrane fine?' } };
		expect(nearCopyWarnings(quiz([copy, other]), [exam], line)).toEqual([expect.objectContaining({ line: 7, message: expect.stringContaining('p1 is nearly the same as e1') })]);
		expect(similarity('same words here and there', 'same words here and there')).toBe(1);
		expect(similarity('完全不同的问题', '另一个题目内容')).toBeLessThan(0.3);
	});
});

describe('scenario item-writing warnings', () => {
	const reply = (id: string, text: string, score: number, next = 'end') => ({ id, text: { en: text }, feedback: { en: 'f' }, scores: { empathy: score }, next });
	const scenario = (choices: ReturnType<typeof reply>[]): Scenario => ({
		id: 's',
		courseSlug: 'c',
		file: 'courses/01-c/s.scenario.md',
		title: { en: 'S' },
		summary: { en: 'S' },
		passMark: 70,
		start: 'a',
		nodes: [
			{ id: 'a', mood: 'calm', line: { en: 'Hello' }, choices },
			{ id: 'end', mood: 'calm', line: { en: 'Bye' }, choices: [], outcome: 'resolved' }
		]
	});
	it('flags too few replies, replies of very different lengths, and the best reply as the longest', () => {
		const w = scenarioWarnings(scenario([reply('good', 'I am sorry; tell me what happened from the start.', 2), reply('bad', 'Not my fault.', -1)]), line).map((x) => x.message);
		expect(w).toEqual([
			'node a offers 2 replies: give 3 or 4 plausible ones',
			expect.stringContaining('differ in length by more than 2×'),
			expect.stringContaining('the best reply is the longest in 1 of 1 decision nodes')
		]);
	});
	it('says nothing of a well-written node', () => {
		const ok = scenario([reply('good', 'Tell me what happened first.', 2), reply('cold', 'The warranty covers parts only.', -1), reply('rush', 'Let me open the cabinet right now.', 0)]);
		expect(scenarioWarnings(ok, line)).toEqual([]);
	});
});

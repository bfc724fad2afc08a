import { describe, expect, it } from 'vitest';
import { drawQuestions, hashSeed, localize, matchingRightColumn, presentQuestion, seededRandom, shuffle } from './draw';
import type { MatchingQuestion, OrderingQuestion, Question, SingleQuestion } from './types';

function q(id: string, tags: string[]): Question {
	return { id, type: 'truefalse', tags, points: 1, prompt: { en: id }, answer: true };
}

const seeds = Array.from({ length: 40 }, (_, i) => `seed-${i}`);
const ids = (list: Question[]) => list.map((x) => x.id);

describe('seededRandom', () => {
	it('is deterministic for a seed and differs between seeds', () => {
		const a = seededRandom('attempt-1');
		const b = seededRandom('attempt-1');
		const c = seededRandom('attempt-2');
		const seqA = Array.from({ length: 5 }, a);
		expect(Array.from({ length: 5 }, b)).toEqual(seqA);
		expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
		expect(hashSeed('x')).toBe(hashSeed('x'));
		expect(hashSeed('x')).not.toBe(hashSeed('y'));
	});

	it('stays in [0, 1)', () => {
		const random = seededRandom('range');
		for (let i = 0; i < 1000; i++) {
			const x = random();
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
		}
	});

	it('shuffle returns a permutation and leaves the input alone', () => {
		const input = [1, 2, 3, 4, 5, 6];
		const out = shuffle(input, seededRandom('s'));
		expect(input).toEqual([1, 2, 3, 4, 5, 6]);
		expect([...out].sort()).toEqual(input);
	});
});

describe('drawQuestions', () => {
	const questions = [
		q('a1', ['a']),
		q('a2', ['a']),
		q('ab', ['a', 'b']),
		q('b1', ['b']),
		q('b2', ['b']),
		q('c1', ['c'])
	];

	it('without draw entries takes every question in order', () => {
		expect(ids(drawQuestions({ draw: [], shuffleQuestions: false, questions }, 's'))).toEqual([
			'a1',
			'a2',
			'ab',
			'b1',
			'b2',
			'c1'
		]);
	});

	it('without draw entries but with shuffleQuestions, shuffles all of them deterministically', () => {
		const quiz = { draw: [], shuffleQuestions: true, questions };
		const first = ids(drawQuestions(quiz, 's'));
		expect([...first].sort()).toEqual(['a1', 'a2', 'ab', 'b1', 'b2', 'c1']);
		expect(ids(drawQuestions(quiz, 's'))).toEqual(first);
		const orders = new Set(seeds.map((seed) => ids(drawQuestions(quiz, seed)).join()));
		expect(orders.size).toBeGreaterThan(1);
	});

	it('draws count distinct questions per tag, never twice, in the original order', () => {
		const quiz = { draw: [{ tag: 'a', count: 2 }, { tag: 'b', count: 2 }], shuffleQuestions: false, questions };
		for (const seed of seeds) {
			const drawn = ids(drawQuestions(quiz, seed));
			expect(drawn).toHaveLength(4);
			expect(new Set(drawn).size).toBe(4);
			expect(drawn.filter((id) => id.startsWith('a')).length).toBeGreaterThanOrEqual(2);
			expect(drawn).not.toContain('c1');
			// Original order: positions in the quiz increase.
			const positions = drawn.map((id) => ids(questions).indexOf(id));
			expect(positions).toEqual([...positions].sort((x, y) => x - y));
		}
	});

	it('varies the draw between seeds and repeats it for a seed', () => {
		const quiz = { draw: [{ tag: 'a', count: 1 }], shuffleQuestions: false, questions };
		const picks = new Set(seeds.map((seed) => ids(drawQuestions(quiz, seed)).join()));
		expect(picks).toEqual(new Set(['a1', 'a2', 'ab']));
		expect(ids(drawQuestions(quiz, 'same'))).toEqual(ids(drawQuestions(quiz, 'same')));
	});

	it('takes what remains when a tag has too few questions left', () => {
		const quiz = { draw: [{ tag: 'a', count: 3 }, { tag: 'b', count: 5 }, { tag: 'none', count: 2 }], shuffleQuestions: false, questions };
		expect(ids(drawQuestions(quiz, 's'))).toEqual(['a1', 'a2', 'ab', 'b1', 'b2']);
	});

	it('shuffleQuestions reorders the drawn list but draws the same questions', () => {
		const draw = [{ tag: 'a', count: 2 }, { tag: 'b', count: 1 }, { tag: 'c', count: 1 }];
		for (const seed of seeds.slice(0, 10)) {
			const plain = ids(drawQuestions({ draw, shuffleQuestions: false, questions }, seed));
			const shuffled = ids(drawQuestions({ draw, shuffleQuestions: true, questions }, seed));
			expect([...shuffled].sort()).toEqual([...plain].sort());
		}
		const orders = new Set(seeds.map((seed) => ids(drawQuestions({ draw, shuffleQuestions: true, questions }, seed)).join()));
		expect(orders.size).toBeGreaterThan(3);
	});
});

const single: SingleQuestion = {
	id: 'first-step',
	type: 'single',
	tags: ['five-steps'],
	points: 1,
	prompt: { en: 'What first?', 'zh-CN': '第一步做什么？' },
	explanation: { en: 'EXPLAIN-SINGLE' },
	options: [
		{ id: 'thank', text: { en: 'Thank', 'zh-CN': '感谢' }, correct: true, explanation: { en: 'OPTION-WHY' } },
		{ id: 'explain', text: { en: 'Explain', 'zh-CN': '解释' }, correct: false },
		{ id: 'argue', text: { en: 'Argue' }, correct: false },
		{ id: 'leave', text: { en: 'Leave' }, correct: false }
	]
};

const ordering: OrderingQuestion = {
	id: 'steps',
	type: 'ordering',
	tags: [],
	points: 1,
	prompt: { en: 'Order' },
	scoring: 'partial',
	items: ['one', 'two', 'three'].map((id) => ({ id, text: { en: id.toUpperCase() } }))
};

const matching: MatchingQuestion = {
	id: 'pairs',
	type: 'matching',
	tags: [],
	points: 2,
	prompt: { en: 'Match' },
	pairs: [
		{ id: 'ro', left: { en: 'RO' }, right: { en: 'Reverse osmosis' } },
		{ id: 'tds', left: { en: 'TDS' }, right: { en: 'Total dissolved solids' } },
		{ id: 'uf', left: { en: 'UF' }, right: { en: 'Ultrafiltration' } }
	]
};

const every: Question[] = [
	single,
	{ ...single, id: 'signs', type: 'multiple', scoring: 'partial' },
	{ id: 'tf', type: 'truefalse', tags: [], points: 1, prompt: { en: 'True?' }, answer: false, explanation: { en: 'EXPLAIN-TF' } },
	ordering,
	matching,
	{
		id: 'pressure',
		type: 'numeric',
		tags: [],
		points: 1,
		prompt: { en: 'Pressure?' },
		answer: 12.345,
		tolerance: 0.0625,
		unit: 'MPa',
		explanation: { en: 'EXPLAIN-NUM' }
	},
	{
		id: 'tds-name',
		type: 'text',
		tags: [],
		points: 1,
		prompt: { en: 'Name it' },
		accept: ['SECRET-ACCEPT'],
		pattern: 'SECRET-PATTERN'
	}
];

describe('presentQuestion', () => {
	it('sends no key, tolerance, accepted answers, pattern, explanation or tags, for every type', () => {
		for (const seed of seeds.slice(0, 5)) {
			for (const shuffleOptions of [true, false]) {
				const json = JSON.stringify(every.map((x) => presentQuestion(x, seed, shuffleOptions, 'en', 'en')));
				for (const key of ['correct', 'answer', 'accept', 'pattern', 'tolerance', 'explanation', 'tags', 'scoring']) {
					expect(json).not.toContain(`"${key}"`);
				}
				for (const value of ['12.345', '0.0625', 'SECRET-ACCEPT', 'SECRET-PATTERN', 'EXPLAIN', 'OPTION-WHY', 'five-steps']) {
					expect(json).not.toContain(value);
				}
				// No boolean anywhere (correct flags, the true/false key).
				expect(json).not.toMatch(/:(true|false)[,}]/);
			}
		}
	});

	it('keeps the public fields of each type', () => {
		const [s, , tf, o, m, n, t] = every.map((x) => presentQuestion(x, 's', false, 'en', 'en'));
		expect(s).toEqual({
			id: 'first-step',
			type: 'single',
			points: 1,
			prompt: 'What first?',
			options: [
				{ id: 'thank', text: 'Thank' },
				{ id: 'explain', text: 'Explain' },
				{ id: 'argue', text: 'Argue' },
				{ id: 'leave', text: 'Leave' }
			]
		});
		expect(tf).toEqual({ id: 'tf', type: 'truefalse', points: 1, prompt: 'True?' });
		expect(o?.items?.map((i) => i.text).sort()).toEqual(['ONE', 'THREE', 'TWO']);
		expect(m?.left).toEqual([
			{ id: 'ro', text: 'RO' },
			{ id: 'tds', text: 'TDS' },
			{ id: 'uf', text: 'UF' }
		]);
		expect(m?.right?.map((r) => r.text).sort()).toEqual(['Reverse osmosis', 'Total dissolved solids', 'Ultrafiltration']);
		expect(n).toEqual({ id: 'pressure', type: 'numeric', points: 1, prompt: 'Pressure?', unit: 'MPa' });
		expect(t).toEqual({ id: 'tds-name', type: 'text', points: 1, prompt: 'Name it' });
	});

	it('picks texts in the locale, else the fallback locale', () => {
		const p = presentQuestion(single, 's', false, 'zh-CN', 'en');
		expect(p.prompt).toBe('第一步做什么？');
		expect(p.options?.map((o) => o.text)).toEqual(['感谢', '解释', 'Argue', 'Leave']);
		expect(localize({}, 'zh-CN', 'en')).toBe('');
	});

	it('shuffles options only when asked, deterministically per seed', () => {
		const order = (seed: string, shuffleOptions: boolean) =>
			presentQuestion(single, seed, shuffleOptions, 'en', 'en').options?.map((o) => o.id).join();
		expect(seeds.every((seed) => order(seed, false) === 'thank,explain,argue,leave')).toBe(true);
		expect(new Set(seeds.map((seed) => order(seed, true))).size).toBeGreaterThan(5);
		expect(order('x', true)).toBe(order('x', true));
	});

	it('starts ordering items in any order, the correct one included', () => {
		const orders = new Set(seeds.map((seed) => presentQuestion(ordering, seed, false, 'en', 'en').items?.map((i) => i.id).join()));
		expect(orders.size).toBeGreaterThan(3);
		const many = new Set(Array.from({ length: 200 }, (_, i) => presentQuestion(ordering, `s${i}`, false, 'en', 'en').items?.map((i) => i.id).join()));
		expect(many.has('one,two,three')).toBe(true);
	});

	it('presents a single ordering item as it is', () => {
		const one: OrderingQuestion = { ...ordering, items: ordering.items.slice(0, 1) };
		expect(presentQuestion(one, 's', true, 'en', 'en').items).toEqual([{ id: 'one', text: 'ONE' }]);
	});

	it('shuffles the matching right column behind opaque ids that are not pair ids', () => {
		for (const seed of seeds) {
			const p = presentQuestion(matching, seed, false, 'en', 'en');
			const right = p.right ?? [];
			expect(right.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
			// The right column never lines up with the left one.
			expect(right.map((r) => r.text)).not.toEqual(['Reverse osmosis', 'Total dissolved solids', 'Ultrafiltration']);
			// The tokens map back to the texts shown.
			const byPair = new Map(matching.pairs.map((pair) => [pair.id, pair.right.en]));
			for (const { token, pairId } of matchingRightColumn(matching, seed)) {
				expect(right.find((r) => r.id === token)?.text).toBe(byPair.get(pairId));
			}
		}
	});
});

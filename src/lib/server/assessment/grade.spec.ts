import { describe, expect, it } from 'vitest';
import { matchingRightColumn, orderingStart } from './draw';
import { FOREIGN_ANSWER, NO_ANSWER, ORDER_UNTOUCHED, gradeAttempt, gradeQuestion, isPassed, normalizeText, parseResponse } from './grade';
import type {
	MatchingQuestion,
	MultipleQuestion,
	NumericQuestion,
	OrderingQuestion,
	Question,
	SingleQuestion,
	TextQuestion,
	TrueFalseQuestion,
	Response
} from './types';

const base = { tags: ['basics'], points: 1, prompt: { en: 'Q?' } };

const single: SingleQuestion = {
	...base,
	id: 'first-step',
	type: 'single',
	options: [
		{ id: 'thank', text: { en: 'Thank' }, correct: true },
		{ id: 'explain', text: { en: 'Explain' }, correct: false }
	]
};

function multiple(scoring: MultipleQuestion['scoring'], points = 1): MultipleQuestion {
	return {
		...base,
		id: 'signs',
		type: 'multiple',
		scoring,
		points,
		options: [
			{ id: 'a', text: { en: 'A' }, correct: true },
			{ id: 'b', text: { en: 'B' }, correct: true },
			{ id: 'c', text: { en: 'C' }, correct: false },
			{ id: 'd', text: { en: 'D' }, correct: false },
			{ id: 'e', text: { en: 'E' }, correct: false }
		]
	};
}

const truefalse: TrueFalseQuestion = { ...base, id: 'tf', type: 'truefalse', answer: false };

function ordering(scoring: OrderingQuestion['scoring']): OrderingQuestion {
	return {
		...base,
		id: 'steps',
		type: 'ordering',
		scoring,
		points: 2,
		items: ['thank', 'listen', 'apologise', 'solve'].map((id) => ({ id, text: { en: id } }))
	};
}

const matching: MatchingQuestion = {
	...base,
	id: 'pairs',
	type: 'matching',
	points: 3,
	pairs: [
		{ id: 'ro', left: { en: 'RO' }, right: { en: 'Reverse osmosis' } },
		{ id: 'tds', left: { en: 'TDS' }, right: { en: 'Total dissolved solids' } },
		{ id: 'uf', left: { en: 'UF' }, right: { en: 'Ultrafiltration' } }
	]
};

const numeric: NumericQuestion = {
	...base,
	id: 'pressure',
	type: 'numeric',
	answer: 0.35,
	tolerance: 0.05,
	unit: 'MPa'
};

const text: TextQuestion = {
	...base,
	id: 'tds-name',
	type: 'text',
	accept: ['Total dissolved solids', '总溶解固体'],
	pattern: '^t\\.?d\\.?s$'
};

describe('normalizeText', () => {
	it('removes punctuation, case and surrounding spaces', () => {
		expect(normalizeText(' T.D.S. ')).toBe('tds');
	});

	it('strips CJK punctuation', () => {
		expect(normalizeText('总溶解固体。')).toBe('总溶解固体');
		expect(normalizeText('“反渗透”，（RO）！？、；：《膜》‘’')).toBe('反渗透ro膜');
	});

	it('folds full-width characters and collapses whitespace', () => {
		expect(normalizeText('ＴＤＳ　 Ｍｅｔｅｒ\t\n２')).toBe('tds meter 2');
	});

	it('strips ASCII symbols such as brackets and hyphens', () => {
		expect(normalizeText('(pre-filter) [#1]!')).toBe('prefilter 1');
	});
});

describe('gradeQuestion', () => {
	it('gives 0 when unanswered or answered with another type', () => {
		expect(gradeQuestion(single, undefined)).toEqual({ questionId: 'first-step', score: 0, max: 1, correct: false });
		expect(gradeQuestion(single, { type: 'truefalse', value: true }).score).toBe(0);
		expect(gradeQuestion(numeric, { type: 'text', value: '0.35' }).score).toBe(0);
	});

	it('single: full points only for the correct option', () => {
		expect(gradeQuestion(single, { type: 'single', optionId: 'thank' })).toEqual({
			questionId: 'first-step',
			score: 1,
			max: 1,
			correct: true
		});
		expect(gradeQuestion(single, { type: 'single', optionId: 'explain' }).score).toBe(0);
		expect(gradeQuestion(single, { type: 'single', optionId: 'nope' }).score).toBe(0);
	});

	it('multiple all-or-nothing: exactly the correct set', () => {
		const q = multiple('all-or-nothing', 2);
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['b', 'a'] })).toMatchObject({ score: 2, correct: true });
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a'] }).score).toBe(0);
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a', 'b', 'c'] }).score).toBe(0);
	});

	it('multiple partial: +1/nCorrect per right option, −1/nWrong per wrong one, clamped', () => {
		const q = multiple('partial', 3);
		// 2 correct, 3 wrong: a = +1/2 → 1.5 of 3.
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a'] })).toMatchObject({ score: 1.5, correct: false });
		// a, b, c = 1 − 1/3 = 2/3 → 2 points.
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a', 'b', 'c'] }).score).toBe(2);
		// a, c = 1/2 − 1/3 = 1/6 → 0.5.
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a', 'c'] }).score).toBe(0.5);
		// a, c, d, e = 1/2 − 1 < 0 → 0.
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a', 'c', 'd', 'e'] }).score).toBe(0);
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a', 'b'] })).toMatchObject({ score: 3, correct: true });
	});

	it('multiple partial: rounds to 4 decimals', () => {
		// 1/2 − 1/3 = 1/6 → 0.1667 with 1 point.
		expect(gradeQuestion(multiple('partial'), { type: 'multiple', optionIds: ['a', 'c'] }).score).toBe(0.1667);
	});

	it('multiple: forged duplicates or foreign ids score 0', () => {
		const q = multiple('partial');
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a', 'a'] }).score).toBe(0);
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['a', 'zz'] }).score).toBe(0);
	});

	it('multiple partial with no wrong options only adds', () => {
		const q: MultipleQuestion = {
			...multiple('partial'),
			options: [
				{ id: 'a', text: { en: 'A' }, correct: true },
				{ id: 'b', text: { en: 'B' }, correct: true }
			]
		};
		expect(gradeQuestion(q, { type: 'multiple', optionIds: ['b'] }).score).toBe(0.5);
	});

	it('truefalse', () => {
		expect(gradeQuestion(truefalse, { type: 'truefalse', value: false }).correct).toBe(true);
		expect(gradeQuestion(truefalse, { type: 'truefalse', value: true }).score).toBe(0);
	});

	it('ordering all-or-nothing: only the exact order', () => {
		const q = ordering('all-or-nothing');
		expect(gradeQuestion(q, { type: 'ordering', itemIds: ['thank', 'listen', 'apologise', 'solve'] })).toMatchObject({
			score: 2,
			correct: true
		});
		expect(gradeQuestion(q, { type: 'ordering', itemIds: ['thank', 'listen', 'solve', 'apologise'] }).score).toBe(0);
	});

	it('ordering partial: share of items in their place', () => {
		const q = ordering('partial');
		// thank and listen in place: 2/4 × 2 points.
		expect(gradeQuestion(q, { type: 'ordering', itemIds: ['thank', 'listen', 'solve', 'apologise'] })).toMatchObject({
			score: 1,
			correct: false
		});
		expect(gradeQuestion(q, { type: 'ordering', itemIds: ['solve', 'thank', 'listen', 'apologise'] }).score).toBe(0);
	});

	it('ordering: a response that is not a permutation scores 0', () => {
		const q = ordering('partial');
		expect(gradeQuestion(q, { type: 'ordering', itemIds: ['thank', 'thank', 'thank', 'thank'] }).score).toBe(0);
		expect(gradeQuestion(q, { type: 'ordering', itemIds: ['thank', 'listen'] }).score).toBe(0);
	});

	it('matching: share of lefts matched to their own pair, correct only when all are', () => {
		expect(gradeQuestion(matching, { type: 'matching', matches: { ro: 'ro', tds: 'tds', uf: 'uf' } })).toMatchObject({
			score: 3,
			correct: true
		});
		expect(gradeQuestion(matching, { type: 'matching', matches: { ro: 'ro', tds: 'uf', uf: 'tds' } })).toMatchObject({
			score: 1,
			correct: false
		});
		expect(gradeQuestion(matching, { type: 'matching', matches: {} }).score).toBe(0);
	});

	it('matching with distractors: the extra answers are offered behind opaque tokens and never right', () => {
		const q: MatchingQuestion = { ...matching, distractors: [{ en: 'Ultraviolet' }, { en: 'Activated carbon' }] };
		const column = matchingRightColumn(q, 'seed-1');
		expect(column).toHaveLength(5);
		expect(column.map((c) => c.pairId).sort()).toEqual(['ro', 'tds', 'uf', '~0', '~1']);
		const token = (pairId: string) => column.find((c) => c.pairId === pairId)!.token;
		const right = parseResponse(q, { 'match.ro': token('ro'), 'match.tds': token('tds'), 'match.uf': token('uf') }, 'seed-1');
		expect(gradeQuestion(q, right as Response)).toMatchObject({ score: 3, correct: true });
		const fooled = parseResponse(q, { 'match.ro': token('ro'), 'match.tds': token('tds'), 'match.uf': token('~0') }, 'seed-1');
		expect(fooled).toEqual({ type: 'matching', matches: { ro: 'ro', tds: 'tds', uf: '~0' } });
		expect(gradeQuestion(q, fooled as Response)).toMatchObject({ score: 2, correct: false });
	});

	it('matching: a two-thirds share is rounded to 4 decimals', () => {
		const q = { ...matching, points: 1 };
		expect(gradeQuestion(q, { type: 'matching', matches: { ro: 'ro', tds: 'tds', uf: 'ro' } }).score).toBe(0.6667);
	});

	it('numeric: within the absolute tolerance, edges included', () => {
		expect(gradeQuestion(numeric, { type: 'numeric', value: 0.35 }).correct).toBe(true);
		// 0.4 − 0.35 is 0.05000000000000004 in floating point: the 1e-9 slack accepts it.
		expect(gradeQuestion(numeric, { type: 'numeric', value: 0.4 }).correct).toBe(true);
		expect(gradeQuestion(numeric, { type: 'numeric', value: 0.3 }).correct).toBe(true);
		expect(gradeQuestion(numeric, { type: 'numeric', value: 0.41 }).score).toBe(0);
		expect(gradeQuestion(numeric, { type: 'numeric', value: Number.NaN }).score).toBe(0);
		expect(gradeQuestion(numeric, { type: 'numeric', value: Number.POSITIVE_INFINITY }).score).toBe(0);
	});

	it('text: any normalised accepted answer', () => {
		expect(gradeQuestion(text, { type: 'text', value: '  total DISSOLVED solids. ' }).correct).toBe(true);
		expect(gradeQuestion(text, { type: 'text', value: '总溶解固体。' }).correct).toBe(true);
		expect(gradeQuestion(text, { type: 'text', value: 'dissolved solids' }).score).toBe(0);
		expect(gradeQuestion(text, { type: 'text', value: '' }).score).toBe(0);
	});

	it('text: the pattern is tested case-insensitively against the normalised answer', () => {
		expect(gradeQuestion(text, { type: 'text', value: 'T.D.S.' }).correct).toBe(true);
		// The pattern sees '03 mpa': punctuation is gone before it is tested.
		expect(gradeQuestion({ ...text, accept: [], pattern: '^03 mpa$' }, { type: 'text', value: '0.3 MPa' }).correct).toBe(
			true
		);
		expect(gradeQuestion({ ...text, accept: [], pattern: '^\\p{Script=Han}+$' }, { type: 'text', value: '膜' }).correct).toBe(
			true
		);
		expect(gradeQuestion({ ...text, accept: [], pattern: 'MPA$' }, { type: 'text', value: '0.3 mpa' }).correct).toBe(true);
	});

	it('text: an invalid pattern never matches', () => {
		expect(gradeQuestion({ ...text, accept: [], pattern: '(' }, { type: 'text', value: '(' }).score).toBe(0);
	});
});

describe('gradeAttempt', () => {
	const questions: Question[] = [
		{ ...single, tags: ['five-steps'] },
		{ ...multiple('partial', 3), tags: ['five-steps', 'signs'] },
		{ ...numeric, points: 2, tags: ['signs', 'signs'] }
	];

	it('totals the items, percent with one decimal, and results per tag', () => {
		const result = gradeAttempt(questions, {
			'first-step': { type: 'single', optionId: 'thank' },
			signs: { type: 'multiple', optionIds: ['a'] }
		});
		expect(result.items.map((i) => i.score)).toEqual([1, 1.5, 0]);
		expect(result.score).toBe(2.5);
		expect(result.max).toBe(6);
		// 2.5 / 6 = 41.666… → 41.7
		expect(result.percent).toBe(41.7);
		expect(result.byTag).toEqual({
			'five-steps': { score: 2.5, max: 4 },
			signs: { score: 1.5, max: 5 }
		});
	});

	it('an empty quiz scores 0 percent', () => {
		expect(gradeAttempt([], {})).toEqual({ items: [], score: 0, max: 0, percent: 0, byTag: {} });
	});

	it('ignores responses for other questions and inherited keys', () => {
		const q: Question = { ...single, id: 'constructor' };
		const result = gradeAttempt([q], { other: { type: 'single', optionId: 'thank' } });
		expect(result.score).toBe(0);
		expect(result.items[0]?.correct).toBe(false);
	});

	it('a perfect attempt is 100 percent', () => {
		const result = gradeAttempt(questions, {
			'first-step': { type: 'single', optionId: 'thank' },
			signs: { type: 'multiple', optionIds: ['a', 'b'] },
			pressure: { type: 'numeric', value: 0.36 }
		});
		expect(result.percent).toBe(100);
		expect(result.items.every((i) => i.correct)).toBe(true);
	});
});

describe('isPassed', () => {
	it('passes at or above the pass mark', () => {
		expect(isPassed(70, 70)).toBe(true);
		expect(isPassed(69.9, 70)).toBe(false);
		expect(isPassed(100, 70)).toBe(true);
	});
});

describe('parseResponse', () => {
	it('single: an option id of the question', () => {
		expect(parseResponse(single, { choice: 'thank' })).toEqual({ type: 'single', optionId: 'thank' });
		expect(parseResponse(single, { choice: ['explain'] })).toEqual({ type: 'single', optionId: 'explain' });
		expect(parseResponse(single, { choice: 'other' })).toEqual({ error: FOREIGN_ANSWER });
		expect(parseResponse(single, { choice: ['thank', 'explain'] })).toHaveProperty('error');
		expect(parseResponse(single, {})).toEqual({ error: NO_ANSWER });
	});

	it('multiple: option ids of the question, once each', () => {
		const q = multiple('partial');
		expect(parseResponse(q, { choice: ['a', 'c'] })).toEqual({ type: 'multiple', optionIds: ['a', 'c'] });
		expect(parseResponse(q, { choice: 'b' })).toEqual({ type: 'multiple', optionIds: ['b'] });
		expect(parseResponse(q, { choice: ['a', 'x'] })).toEqual({ error: FOREIGN_ANSWER });
		expect(parseResponse(q, { choice: ['a', 'a'] })).toHaveProperty('error');
		expect(parseResponse(q, { choice: [] })).toEqual({ error: NO_ANSWER });
	});

	it('truefalse: only the strings true and false', () => {
		expect(parseResponse(truefalse, { choice: 'true' })).toEqual({ type: 'truefalse', value: true });
		expect(parseResponse(truefalse, { choice: 'false' })).toEqual({ type: 'truefalse', value: false });
		expect(parseResponse(truefalse, { choice: 'yes' })).toEqual({ error: FOREIGN_ANSWER });
		expect(parseResponse(truefalse, { choice: '' })).toEqual({ error: NO_ANSWER });
	});

	it('ordering: a permutation of the item ids', () => {
		const q = ordering('partial');
		const order = ['listen', 'thank', 'solve', 'apologise'];
		expect(parseResponse(q, { order })).toEqual({ type: 'ordering', itemIds: order });
		expect(parseResponse(q, { order: ['listen', 'thank', 'solve', 'other'] })).toEqual({ error: FOREIGN_ANSWER });
		expect(parseResponse(q, { order: ['listen', 'thank', 'solve'] })).toHaveProperty('error');
		expect(parseResponse(q, { order: ['listen', 'thank', 'solve', 'solve'] })).toHaveProperty('error');
	});

	it('matching without a seed: right values are pair ids', () => {
		expect(parseResponse(matching, { 'match.ro': 'tds', 'match.tds': 'ro', 'match.uf': 'uf' })).toEqual({
			type: 'matching',
			matches: { ro: 'tds', tds: 'ro', uf: 'uf' }
		});
	});

	it('matching: refuses foreign lefts and rights, unmatched lefts and reused rights', () => {
		expect(parseResponse(matching, { 'match.ro': 'ro', 'match.tds': 'tds', 'match.uf': 'uf', 'match.x': 'ro' })).toEqual({
			error: FOREIGN_ANSWER
		});
		expect(parseResponse(matching, { 'match.ro': 'ro', 'match.tds': 'tds', 'match.uf': 'zz' })).toEqual({
			error: FOREIGN_ANSWER
		});
		expect(parseResponse(matching, { 'match.ro': 'ro', 'match.tds': 'tds' })).toHaveProperty('error');
		expect(parseResponse(matching, { 'match.ro': 'ro', 'match.tds': 'ro', 'match.uf': 'uf' })).toHaveProperty('error');
		expect(parseResponse(matching, {})).toEqual({ error: NO_ANSWER });
	});

	it('matching with the seed: right values are the presented tokens, pair ids are refused', () => {
		const column = matchingRightColumn(matching, 'seed-1');
		const tokenOf = (pairId: string) => column.find((c) => c.pairId === pairId)?.token ?? '';
		const raw = { 'match.ro': tokenOf('ro'), 'match.tds': tokenOf('uf'), 'match.uf': tokenOf('tds') };
		expect(parseResponse(matching, raw, 'seed-1')).toEqual({
			type: 'matching',
			matches: { ro: 'ro', tds: 'uf', uf: 'tds' }
		});
		expect(parseResponse(matching, { 'match.ro': 'ro', 'match.tds': 'tds', 'match.uf': 'uf' }, 'seed-1')).toEqual({
			error: FOREIGN_ANSWER
		});
	});

	it('numeric: decimal point or comma, full-width digits, at most 30 characters', () => {
		expect(parseResponse(numeric, { value: '0.35' })).toEqual({ type: 'numeric', value: 0.35 });
		expect(parseResponse(numeric, { value: ' 0,35 ' })).toEqual({ type: 'numeric', value: 0.35 });
		expect(parseResponse(numeric, { value: '-1' })).toEqual({ type: 'numeric', value: -1 });
		expect(parseResponse(numeric, { value: '.5' })).toEqual({ type: 'numeric', value: 0.5 });
		expect(parseResponse(numeric, { value: '０．３５' })).toEqual({ type: 'numeric', value: 0.35 });
		expect(parseResponse(numeric, { value: '1,000.5' })).toHaveProperty('error');
		expect(parseResponse(numeric, { value: '1e3' })).toHaveProperty('error');
		expect(parseResponse(numeric, { value: 'Infinity' })).toHaveProperty('error');
		expect(parseResponse(numeric, { value: '0x10' })).toHaveProperty('error');
		expect(parseResponse(numeric, { value: '1'.repeat(31) })).toHaveProperty('error');
		expect(parseResponse(numeric, { value: '' })).toEqual({ error: NO_ANSWER });
	});

	it('text: trimmed, at most 500 characters', () => {
		expect(parseResponse(text, { value: '  TDS ' })).toEqual({ type: 'text', value: 'TDS' });
		expect(parseResponse(text, { value: 'x'.repeat(500) })).toEqual({ type: 'text', value: 'x'.repeat(500) });
		expect(parseResponse(text, { value: 'x'.repeat(501) })).toHaveProperty('error');
		expect(parseResponse(text, { value: '   ' })).toEqual({ error: NO_ANSWER });
	});

	it('parsed responses grade like the answers they carry', () => {
		const parsed = parseResponse(numeric, { value: '0,38' });
		if ('error' in parsed) throw new Error(parsed.error);
		expect(gradeQuestion(numeric, parsed).correct).toBe(true);
	});
});

describe('an ordering question left as it started', () => {
	it('is no answer unless the person says the order is theirs', () => {
		const q = ordering('partial');
		const seed = 'attempt-seed';
		const start = orderingStart(q, seed).map((i) => i.id);
		expect(parseResponse(q, { order: start }, seed)).toEqual({ error: ORDER_UNTOUCHED });
		expect(parseResponse(q, { order: start, orderConfirmed: 'yes' }, seed)).toEqual({ type: 'ordering', itemIds: start });
		const moved = [...start.slice(1), start[0]!];
		expect(parseResponse(q, { order: moved }, seed)).toEqual({ type: 'ordering', itemIds: moved });
		// Trusted callers without a seed are not asked.
		expect(parseResponse(q, { order: start })).toEqual({ type: 'ordering', itemIds: start });
	});
});

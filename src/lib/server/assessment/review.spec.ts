import { describe, expect, it } from 'vitest';
import { reviewItems, topicTitle } from './review';
import type {
	MatchingQuestion,
	MultipleQuestion,
	NumericQuestion,
	OrderingQuestion,
	Question,
	Response,
	SingleQuestion,
	TextQuestion,
	TrueFalseQuestion
} from './types';

const single: SingleQuestion = {
	id: 'first-step',
	type: 'single',
	tags: ['arrival'],
	points: 2,
	prompt: { en: 'What do you do first?', 'zh-CN': '首先做什么？' },
	explanation: { en: 'Greeting sets the tone.', 'zh-CN': '问候定下基调。' },
	options: [
		{ id: 'greet', text: { en: 'Greet the customer', 'zh-CN': '问候客户' }, correct: true, explanation: { en: 'Yes, greet first.', 'zh-CN': '对，先问候。' } },
		{ id: 'tools', text: { en: 'Unpack the tools', 'zh-CN': '拆开工具' }, correct: false, explanation: { en: 'Tools come later.', 'zh-CN': '工具稍后。' } },
		{ id: 'shoes', text: { en: 'Put on shoe covers' }, correct: false }
	]
};

const multiple: MultipleQuestion = {
	id: 'signs',
	type: 'multiple',
	tags: ['faults'],
	points: 1,
	scoring: 'all-or-nothing',
	prompt: { en: 'Signs of a clogged membrane?' },
	options: [
		{ id: 'flow', text: { en: 'Low flow' }, correct: true, explanation: { en: 'Flow drops when clogged.' } },
		{ id: 'tds', text: { en: 'High TDS' }, correct: true },
		{ id: 'noise', text: { en: 'Loud noise' }, correct: false, explanation: { en: 'Noise is the pump.' } }
	]
};

const truefalse: TrueFalseQuestion = {
	id: 'tf',
	type: 'truefalse',
	tags: [],
	points: 1,
	prompt: { en: 'Tap water is fine for flushing.' },
	answer: true
};

const ordering: OrderingQuestion = {
	id: 'steps',
	type: 'ordering',
	tags: [],
	points: 4,
	scoring: 'partial',
	prompt: { en: 'Order the steps.' },
	items: [
		{ id: 'listen', text: { en: 'Listen', 'zh-CN': '倾听' } },
		{ id: 'apologise', text: { en: 'Apologise', 'zh-CN': '道歉' } },
		{ id: 'solve', text: { en: 'Solve', 'zh-CN': '解决' } },
		{ id: 'confirm', text: { en: 'Confirm', 'zh-CN': '确认' } }
	]
};

const matching: MatchingQuestion = {
	id: 'pairs',
	type: 'matching',
	tags: [],
	points: 3,
	prompt: { en: 'Match the terms.' },
	pairs: [
		{ id: 'ro', left: { en: 'RO' }, right: { en: 'Reverse osmosis' } },
		{ id: 'uf', left: { en: 'UF' }, right: { en: 'Ultrafiltration' } },
		{ id: 'ppm', left: { en: 'ppm' }, right: { en: 'Parts per million' } }
	]
};

const numeric: NumericQuestion = {
	id: 'pressure',
	type: 'numeric',
	tags: [],
	points: 1,
	prompt: { en: 'Inlet pressure?' },
	answer: 0.35,
	tolerance: 0.05,
	unit: 'MPa'
};

const text: TextQuestion = {
	id: 'tds-name',
	type: 'text',
	tags: [],
	points: 1,
	prompt: { en: 'What does TDS stand for?' },
	accept: ['Total dissolved solids', '总溶解固体'],
	pattern: '^t\\.?d\\.?s$'
};

const all: Question[] = [single, multiple, truefalse, ordering, matching, numeric, text];

function one(q: Question, r: Response | undefined, locale: 'en' | 'zh-CN' = 'en') {
	const items = reviewItems([q], r ? { [q.id]: r } : {}, locale, 'en');
	expect(items).toHaveLength(1);
	return items[0]!;
}

describe('reviewItems', () => {
	it('returns one item per question, in the order of the questions', () => {
		const items = reviewItems(all, {}, 'en', 'en');
		expect(items.map((i) => i.id)).toEqual(all.map((q) => q.id));
		expect(reviewItems([text, single], {}, 'en', 'en').map((i) => i.id)).toEqual(['tds-name', 'first-step']);
		expect(reviewItems([], {}, 'en', 'en')).toEqual([]);
	});

	it('shows — for every unanswered question, with no score and no notes', () => {
		for (const item of reviewItems(all, {}, 'en', 'en')) {
			expect(item.yourAnswer).toBe('—');
			expect(item.correct).toBe(false);
			expect(item.score).toBe(0);
			expect(item.notes).toEqual([]);
			expect(item.rightAnswer).not.toBe('');
		}
	});

	it('gives max = points for every question', () => {
		expect(reviewItems(all, {}, 'en', 'en').map((i) => i.max)).toEqual(all.map((q) => q.points));
	});

	it('ignores answers to other questions', () => {
		const item = one(single, undefined);
		expect(item.yourAnswer).toBe('—');
		const items = reviewItems([single], { 'tds-name': { type: 'text', value: 'x' } }, 'en', 'en');
		expect(items[0]!.yourAnswer).toBe('—');
	});

	it('shows — for a response of another type', () => {
		expect(one(single, { type: 'truefalse', value: true }).yourAnswer).toBe('—');
		expect(one(truefalse, { type: 'single', optionId: 'greet' }).yourAnswer).toBe('—');
		expect(one(ordering, { type: 'text', value: 'Listen' }).yourAnswer).toBe('—');
		expect(one(matching, { type: 'ordering', itemIds: ['ro'] }).yourAnswer).toBe('—');
		expect(one(numeric, { type: 'text', value: '0.35' })).toMatchObject({ yourAnswer: '—', score: 0, correct: false });
		expect(one(text, { type: 'numeric', value: 1 }).yourAnswer).toBe('—');
	});

	describe('single', () => {
		it('a wrong choice: your answer, the right one and the chosen option’s note', () => {
			expect(one(single, { type: 'single', optionId: 'tools' })).toEqual({
				id: 'first-step',
				prompt: 'What do you do first?',
				yourAnswer: 'Unpack the tools',
				rightAnswer: 'Greet the customer',
				correct: false,
				score: 0,
				max: 2,
				explanation: 'Greeting sets the tone.',
				notes: ['Tools come later.']
			});
		});

		it('the right choice scores its points', () => {
			expect(one(single, { type: 'single', optionId: 'greet' })).toMatchObject({
				yourAnswer: 'Greet the customer',
				rightAnswer: 'Greet the customer',
				correct: true,
				score: 2,
				notes: ['Yes, greet first.']
			});
		});

		it('an option without an explanation adds no note', () => {
			expect(one(single, { type: 'single', optionId: 'shoes' })).toMatchObject({ yourAnswer: 'Put on shoe covers', notes: [] });
		});

		it('an unknown option id shows —', () => {
			expect(one(single, { type: 'single', optionId: 'forged' })).toMatchObject({ yourAnswer: '—', correct: false, notes: [] });
		});

		it('uses the locale and falls back per text', () => {
			expect(one(single, { type: 'single', optionId: 'tools' }, 'zh-CN')).toMatchObject({
				prompt: '首先做什么？',
				yourAnswer: '拆开工具',
				rightAnswer: '问候客户',
				explanation: '问候定下基调。',
				notes: ['工具稍后。']
			});
			// No zh-CN text for this option: English.
			expect(one(single, { type: 'single', optionId: 'shoes' }, 'zh-CN').yourAnswer).toBe('Put on shoe covers');
		});
	});

	describe('multiple', () => {
		it('lists the chosen and the right options in the question’s order, with notes of the chosen ones', () => {
			expect(one(multiple, { type: 'multiple', optionIds: ['noise', 'flow'] })).toMatchObject({
				yourAnswer: 'Low flow; Loud noise',
				rightAnswer: 'Low flow; High TDS',
				correct: false,
				score: 0,
				notes: ['Flow drops when clogged.', 'Noise is the pump.']
			});
		});

		it('the exact right set is correct', () => {
			expect(one(multiple, { type: 'multiple', optionIds: ['tds', 'flow'] })).toMatchObject({
				yourAnswer: 'Low flow; High TDS',
				correct: true,
				score: 1,
				notes: ['Flow drops when clogged.']
			});
		});

		it('partial scoring shows the partial score', () => {
			const partial: MultipleQuestion = { ...multiple, scoring: 'partial', points: 2 };
			expect(one(partial, { type: 'multiple', optionIds: ['flow'] })).toMatchObject({ correct: false, score: 1, max: 2 });
		});

		it('an empty choice shows —', () => {
			expect(one(multiple, { type: 'multiple', optionIds: [] })).toMatchObject({ yourAnswer: '—', notes: [] });
		});
	});

	describe('truefalse', () => {
		it('says True and False in words, never a cross for a right "False"', () => {
			expect(one(truefalse, { type: 'truefalse', value: false })).toMatchObject({
				yourAnswer: 'False',
				rightAnswer: 'True',
				correct: false,
				score: 0
			});
			expect(one(truefalse, { type: 'truefalse', value: true })).toMatchObject({
				yourAnswer: 'True',
				rightAnswer: 'True',
				correct: true,
				score: 1
			});
			expect(one({ ...truefalse, answer: false }, { type: 'truefalse', value: false })).toMatchObject({
				yourAnswer: 'False',
				rightAnswer: 'False',
				correct: true
			});
			expect(reviewItems([{ ...truefalse, answer: false }], { [truefalse.id]: { type: 'truefalse', value: false } }, 'zh-CN', 'en')[0]).toMatchObject({ yourAnswer: '错误', rightAnswer: '错误' });
		});

		it('has no explanation when the question has none', () => {
			expect(one(truefalse, { type: 'truefalse', value: true }).explanation).toBe('');
		});
	});

	describe('ordering', () => {
		it('joins the items with arrows, the right order being the question’s', () => {
			expect(one(ordering, { type: 'ordering', itemIds: ['listen', 'apologise', 'confirm', 'solve'] })).toMatchObject({
				yourAnswer: 'Listen → Apologise → Confirm → Solve',
				rightAnswer: 'Listen → Apologise → Solve → Confirm',
				correct: false,
				score: 2,
				max: 4
			});
		});

		it('the right order is correct', () => {
			expect(one(ordering, { type: 'ordering', itemIds: ['listen', 'apologise', 'solve', 'confirm'] })).toMatchObject({
				correct: true,
				score: 4
			});
		});

		it('shows ? for an unknown item', () => {
			expect(one(ordering, { type: 'ordering', itemIds: ['listen', 'forged', 'solve', 'confirm'] })).toMatchObject({
				yourAnswer: 'Listen → ? → Solve → Confirm',
				score: 0
			});
		});

		it('uses the locale', () => {
			expect(one(ordering, { type: 'ordering', itemIds: ['solve', 'listen', 'apologise', 'confirm'] }, 'zh-CN')).toMatchObject({
				yourAnswer: '解决 → 倾听 → 道歉 → 确认',
				rightAnswer: '倾听 → 道歉 → 解决 → 确认'
			});
		});
	});

	describe('matching', () => {
		it('shows left = right for each pair, your answer by the pair chosen', () => {
			expect(one(matching, { type: 'matching', matches: { ro: 'ro', uf: 'ppm', ppm: 'uf' } })).toMatchObject({
				yourAnswer: 'RO = Reverse osmosis; UF = Parts per million; ppm = Ultrafiltration',
				rightAnswer: 'RO = Reverse osmosis; UF = Ultrafiltration; ppm = Parts per million',
				correct: false,
				score: 1,
				max: 3
			});
		});

		it('all pairs right is correct', () => {
			expect(one(matching, { type: 'matching', matches: { ro: 'ro', uf: 'uf', ppm: 'ppm' } })).toMatchObject({
				yourAnswer: 'RO = Reverse osmosis; UF = Ultrafiltration; ppm = Parts per million',
				correct: true,
				score: 3
			});
		});

		it('shows — for a left item left unmatched', () => {
			expect(one(matching, { type: 'matching', matches: { uf: 'uf', ppm: 'ro' } })).toMatchObject({
				yourAnswer: 'RO = —; UF = Ultrafiltration; ppm = Reverse osmosis',
				correct: false,
				score: 1
			});
		});
	});

	describe('numeric', () => {
		it('shows the value with its unit and the answer with unit and tolerance', () => {
			expect(one(numeric, { type: 'numeric', value: 0.5 })).toMatchObject({
				yourAnswer: '0.5 MPa',
				rightAnswer: '0.35 MPa (± 0.05)',
				correct: false,
				score: 0
			});
			expect(one(numeric, { type: 'numeric', value: 0.31 })).toMatchObject({ yourAnswer: '0.31 MPa', correct: true, score: 1 });
		});

		it('leaves out a missing unit and a zero tolerance', () => {
			const bare: NumericQuestion = { ...numeric, unit: undefined, tolerance: 0, answer: 12 };
			expect(one(bare, { type: 'numeric', value: 12 })).toMatchObject({ yourAnswer: '12', rightAnswer: '12', correct: true });
			expect(one({ ...bare, tolerance: 1 }, { type: 'numeric', value: 10 })).toMatchObject({
				yourAnswer: '10',
				rightAnswer: '12 (± 1)',
				correct: false
			});
		});
	});

	describe('text', () => {
		it('shows your text and the first accepted answer', () => {
			expect(one(text, { type: 'text', value: 'total dissolved stuff' })).toMatchObject({
				yourAnswer: 'total dissolved stuff',
				rightAnswer: 'Total dissolved solids',
				correct: false,
				score: 0
			});
		});

		it('is correct for an accepted answer or one matching the pattern', () => {
			expect(one(text, { type: 'text', value: '总溶解固体。' })).toMatchObject({ yourAnswer: '总溶解固体。', correct: true, score: 1 });
			expect(one(text, { type: 'text', value: 'T.D.S.' })).toMatchObject({ correct: true, rightAnswer: 'Total dissolved solids' });
		});
	});

	it('grades every question of a mixed attempt independently', () => {
		const answers: Record<string, Response> = {
			'first-step': { type: 'single', optionId: 'greet' },
			tf: { type: 'truefalse', value: false },
			steps: { type: 'ordering', itemIds: ['listen', 'apologise', 'solve', 'confirm'] },
			pressure: { type: 'numeric', value: 1 }
		};
		const items = reviewItems(all, answers, 'en', 'en');
		expect(items.map((i) => [i.id, i.correct, i.score])).toEqual([
			['first-step', true, 2],
			['signs', false, 0],
			['tf', false, 0],
			['steps', true, 4],
			['pairs', false, 0],
			['pressure', false, 0],
			['tds-name', false, 0]
		]);
	});
});

describe('topicTitle', () => {
	it('gives the quiz’s title for a tag in the reader’s language, else the tag made readable', () => {
		expect(topicTitle({ en: 'The five steps', 'zh-CN': '五步法' }, 'five-steps', 'zh-CN', 'en')).toBe('五步法');
		expect(topicTitle({ en: 'The five steps' }, 'five-steps', 'zh-CN', 'en')).toBe('The five steps');
		expect(topicTitle(undefined, 'five-steps', 'en', 'en')).toBe('Five steps');
	});
});

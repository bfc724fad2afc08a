import { describe, expect, it } from 'vitest';
import { checkFiles, readContentDir, staticPictures } from './check.ts';
import {
	appendQuestions,
	duplicateQuestion,
	moveQuestion,
	newQuizFile,
	poolSizes,
	putQuestion,
	questionFromFields,
	questionLines,
	questionToFields,
	rowCount,
	readQuizFile,
	removeQuestion,
	settingsFromFields,
	uniqueId,
	writeQuizFile,
	type QuizFile
} from './quiz-file.ts';

const { files } = readContentDir('content');
const quizPaths = [...files.keys()].filter((p) => p.endsWith('.quiz.md'));

const sample = (): QuizFile => ({
	settings: { title: { en: 'T' }, kind: 'practice', passMark: 70, review: 'explanations' },
	questions: [
		{ id: 'one', type: 'truefalse', prompt: { en: 'One?' }, answer: true, tags: ['a'] },
		{ id: 'two', type: 'truefalse', prompt: { en: 'Two?' }, answer: false, tags: ['a', 'b'] },
		{ id: 'three', type: 'truefalse', prompt: { en: 'Three?' }, answer: true }
	]
});

describe('quiz files as data', () => {
	it('reads and writes every shipped quiz to the same data, and the checker accepts what is written', async () => {
		expect(quizPaths.length).toBeGreaterThan(5);
		const rewritten = new Map(files);
		for (const path of quizPaths) {
			const data = readQuizFile(files.get(path)!);
			expect(data, path).not.toBeNull();
			const text = writeQuizFile(data!);
			expect(readQuizFile(text)).toEqual(data);
			rewritten.set(path, text);
		}
		const result = await checkFiles(rewritten, { label: 'content', pictureExists: staticPictures('static') });
		expect(result.problems).toEqual([]);
		expect(result.graded.quizzes.length).toBe(quizPaths.length);
	});

	it('finds each question’s lines in a written file', () => {
		const text = writeQuizFile(sample());
		const lines = questionLines(text);
		expect([...lines.keys()]).toEqual(['one', 'two', 'three']);
		const all = text.split('\n');
		expect(all[lines.get('two')!.from - 1]).toBe('- id: two');
		expect(lines.get('one')!.to).toBe(lines.get('two')!.from - 1);
	});

	it('refuses text that is not a quiz file', () => {
		expect(readQuizFile('no frontmatter')).toBeNull();
		expect(readQuizFile('---\n- a list\n---\n')).toBeNull();
		expect(readQuizFile('---\ntitle: x\n---\nkey: not a list\n')).toBeNull();
		expect(readQuizFile('---\ntitle: [unclosed\n---\n')).toBeNull();
		expect(readQuizFile('---\ntitle: x\n---\n')).toEqual({ settings: { title: 'x' }, questions: [] });
	});

	it('moves, duplicates, removes and puts questions', () => {
		const f = sample();
		expect(moveQuestion(f, 'one', 'up')).toBeNull();
		expect(moveQuestion(f, 'two', 'up')!.questions.map((q) => q.id)).toEqual(['two', 'one', 'three']);
		expect(moveQuestion(f, 'three', 'down')).toBeNull();
		const dup = duplicateQuestion(f, 'one')!;
		expect(dup.id).toBe('one-copy');
		expect(dup.file.questions.map((q) => q.id)).toEqual(['one', 'one-copy', 'two', 'three']);
		expect(duplicateQuestion(dup.file, 'one')!.id).toBe('one-copy-2');
		expect(removeQuestion(f, 'two')!.questions.map((q) => q.id)).toEqual(['one', 'three']);
		expect(removeQuestion(f, 'nope')).toBeNull();
		expect(putQuestion(f, 'one', { id: 'two' })).toEqual({ error: 'the id "two" is already used by another question' });
		expect((putQuestion(f, 'one', { id: 'uno' }) as QuizFile).questions.map((q) => q.id)).toEqual(['uno', 'two', 'three']);
		expect((putQuestion(f, null, { id: 'four' }) as QuizFile).questions.length).toBe(4);
		expect(appendQuestions(f, [{ id: 'one' }, { id: 'one' }]).questions.map((q) => q.id)).toEqual(['one', 'two', 'three', 'one-2', 'one-3']);
		expect(poolSizes(f)).toEqual(new Map([['a', 2], ['b', 1]]));
		expect(f.questions.map((q) => q.id)).toEqual(['one', 'two', 'three']);
	});

	it('makes unique ids within 60 characters', () => {
		expect(uniqueId('x', new Set())).toBe('x');
		expect(uniqueId('x', new Set(['x', 'x-2']))).toBe('x-3');
		expect(uniqueId('a'.repeat(70), new Set()).length).toBeLessThanOrEqual(60);
	});

	it('writes a new quiz whose settings are valid', () => {
		const data = readQuizFile(newQuizFile({ kind: 'exam', title: { en: 'Final', 'zh-CN': '结业' } }))!;
		expect(data.settings).toMatchObject({ kind: 'exam', review: 'score', required: true });
		expect(data.questions).toEqual([]);
	});
});

describe('the question editor form', () => {
	it('builds a single-choice question, keeping valid option ids and leaving empty rows out', () => {
		const r = questionFromFields({
			id: 'pressure',
			type: 'single',
			points: '2',
			tags: 'filters, pressure',
			'prompt.en': 'Which pressure?',
			'prompt.zh-CN': '什么压力？',
			'options.0.id': 'low',
			'options.0.text.en': '0.1 MPa',
			'options.0.explanation.en': 'Too low.',
			'options.1.id': '',
			'options.1.text.en': '0.4 MPa',
			'options.2.id': '',
			'options.2.text.en': '',
			correct: '1'
		});
		expect(r).toEqual({
			ok: true,
			value: {
				id: 'pressure',
				type: 'single',
				tags: ['filters', 'pressure'],
				points: 2,
				prompt: { en: 'Which pressure?', 'zh-CN': '什么压力？' },
				options: [
					{ id: 'low', text: { en: '0.1 MPa' }, correct: false, explanation: { en: 'Too low.' } },
					{ id: 'a', text: { en: '0.4 MPa' }, correct: true }
				]
			}
		});
	});

	it('builds every other type', () => {
		const base = { id: 'q', 'prompt.en': 'Prompt' };
		expect(questionFromFields({ ...base, type: 'multiple', scoring: 'partial', 'options.0.text.en': 'A', 'options.0.correct': 'on', 'options.1.text.en': 'B' })).toMatchObject({
			ok: true,
			value: { scoring: 'partial', options: [{ id: 'a', correct: true }, { id: 'b', correct: false }] }
		});
		expect(questionFromFields({ ...base, type: 'truefalse', answer: 'false' })).toMatchObject({ ok: true, value: { answer: false } });
		expect(questionFromFields({ ...base, type: 'ordering', 'items.0.text.en': 'x', 'items.1.text.en': 'y', 'items.2.text.en': 'z' })).toMatchObject({
			ok: true,
			value: { scoring: 'all-or-nothing', items: [{ id: 'i1' }, { id: 'i2' }, { id: 'i3' }] }
		});
		expect(
			questionFromFields({ ...base, type: 'matching', 'pairs.0.left.en': 'RO', 'pairs.0.right.en': 'membrane', 'pairs.1.left.en': 'PP', 'pairs.1.right.en': 'sediment', 'distractors.0.en': 'UV' })
		).toMatchObject({ ok: true, value: { pairs: [{ id: 'p1' }, { id: 'p2' }], distractors: [{ en: 'UV' }] } });
		expect(questionFromFields({ ...base, type: 'numeric', answer: '0,35', tolerance: '0.05', unit: 'MPa' })).toMatchObject({ ok: true, value: { answer: 0.35, tolerance: 0.05, unit: 'MPa' } });
		expect(questionFromFields({ ...base, type: 'text', accept: 'TDS\r\n total dissolved solids \n\n' })).toMatchObject({ ok: true, value: { accept: ['TDS', 'total dissolved solids'] } });
	});

	it('names what is wrong, by field', () => {
		expect(questionFromFields({ id: 'Bad Id', type: 'single', 'prompt.en': 'P', 'options.0.text.en': 'A', 'options.1.text.en': 'B' })).toMatchObject({
			ok: false,
			errors: { id: expect.stringContaining('kebab-case'), options: expect.stringContaining('exactly one') }
		});
		expect(questionFromFields({ id: 'q', type: 'essay' })).toMatchObject({ ok: false, errors: { type: expect.any(String) } });
		expect(questionFromFields({ id: 'q', type: 'numeric', 'prompt.en': 'P', answer: 'lots' })).toMatchObject({ ok: false, errors: { answer: 'must be a number' } });
		expect(questionFromFields({ id: 'q', type: 'truefalse', 'prompt.en': 'P' })).toMatchObject({ ok: false, errors: { answer: expect.any(String) } });
		expect(questionFromFields({ id: 'q', type: 'text', 'prompt.en': 'P', accept: '' })).toMatchObject({ ok: false, errors: { accept: expect.any(String) } });
		expect(questionFromFields({ id: 'q', type: 'truefalse', answer: 'true' })).toMatchObject({ ok: false, errors: { prompt: expect.any(String) } });
	});
});

describe('the quiz settings form', () => {
	const good = {
		'title.en': 'Exam',
		'title.zh-CN': '考试',
		kind: 'exam',
		passMark: '80',
		timeLimitMinutes: '30',
		attempts: '3',
		cooldownMinutes: '60',
		review: 'score',
		shuffleQuestions: 'on',
		required: 'on',
		lessons: ['one', 'two'],
		'draw.0.tag': 'arrival',
		'draw.0.count': '2',
		'draw.1.tag': '',
		'draw.1.count': '1',
		'topics.arrival.en': 'At the door',
		'topics.other.en': '',
		'topics.other.zh-CN': ''
	};
	it('builds the frontmatter', () => {
		expect(settingsFromFields(good)).toEqual({
			ok: true,
			value: {
				title: { en: 'Exam', 'zh-CN': '考试' },
				kind: 'exam',
				passMark: 80,
				timeLimitMinutes: 30,
				attempts: 3,
				cooldownMinutes: 60,
				review: 'score',
				shuffleQuestions: true,
				shuffleOptions: false,
				required: true,
				lessons: ['one', 'two'],
				draw: [{ tag: 'arrival', count: 2 }],
				topics: { arrival: { en: 'At the door' } }
			}
		});
	});
	it('names what is wrong', () => {
		expect(settingsFromFields({ ...good, passMark: 'high' })).toMatchObject({ ok: false, errors: { passMark: expect.any(String) } });
		expect(settingsFromFields({ ...good, passMark: '120' })).toMatchObject({ ok: false, errors: { passMark: expect.any(String) } });
		expect(settingsFromFields({ ...good, attempts: '1.5' })).toMatchObject({ ok: false, errors: { attempts: expect.any(String) } });
		expect(settingsFromFields({ ...good, kind: 'survey' })).toMatchObject({ ok: false, errors: { kind: expect.any(String) } });
		expect(settingsFromFields({ ...good, 'draw.0.count': '0' })).toMatchObject({ ok: false, errors: { 'draw.0.count': expect.any(String) } });
	});
});

describe('question fields round trip', () => {
	it('every shipped question gives its fields and back the same question', async () => {
		const { parse } = await import('yaml');
		let count = 0;
		for (const path of quizPaths) {
			for (const q of readQuizFile(files.get(path)!)!.questions) {
				const back = questionFromFields(questionToFields(q));
				expect(back, `${path} ${String(q.id)}`).toEqual({ ok: true, value: expect.anything() });
				const expected = parse(JSON.stringify({ ...q, tags: q.tags ?? [], points: q.points ?? 1 }));
				if (expected.type === 'single' || expected.type === 'multiple')
					expected.options = expected.options.map((o: Record<string, unknown>) => ({ ...o, correct: o.correct === true }));
				if (expected.type === 'numeric') expected.tolerance ??= 0;
				if ((expected.type === 'multiple' || expected.type === 'ordering') && !expected.scoring) expected.scoring = 'all-or-nothing';
				expect((back as { value: unknown }).value).toEqual(expected);
				count++;
			}
		}
		expect(count).toBeGreaterThan(50);
	});
	it('counts rows', () => {
		expect(rowCount({ 'options.0.id': 'a', 'options.3.text.en': 'x', 'items.5.id': 'y' }, 'options')).toBe(4);
		expect(rowCount({}, 'pairs')).toBe(0);
	});
});

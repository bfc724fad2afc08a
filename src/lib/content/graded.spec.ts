import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent } from './check';

const roots: string[] = [];
afterEach(() => {
	for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const DIR = 'content/courses/01-demo';
const COURSE = ['---', 'title:', '  en: Demo', 'summary:', '  en: Demo.', 'category: product', 'productLines: [general]', 'minutes: 5', 'locales: [en]', 'version: 1', '---', ''].join('\n');
const LESSON = ['---', 'title: A', 'summary: B', 'minutes: 3', '---', '', 'Text.', ''].join('\n');

function check(files: Record<string, string>) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'graded-check-'));
	roots.push(root);
	const all = { [`${DIR}/course.md`]: COURSE, [`${DIR}/01-a.en.svx`]: LESSON, ...files };
	for (const [name, text] of Object.entries(all)) {
		fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
		fs.writeFileSync(path.join(root, name), text);
	}
	return checkContent(root);
}

const SETTINGS = ['---', 'title: { en: Quiz }', 'kind: practice', 'passMark: 70', 'review: explanations', 'lessons: [a]'];
const quiz = (settings: string[], body: string[]) => [...settings, '---', ...body, ''].join('\n');
/** A valid single-choice question starting at the given body line. */
const single = (id: string, tag = 'x') => [
	`- id: ${id}`,
	'  type: single',
	`  tags: [${tag}]`,
	'  prompt: { en: Which? }',
	'  options:',
	'    - { id: a, text: { en: A }, correct: true }',
	'    - { id: b, text: { en: B } }'
];
const BODY = SETTINGS.length + 2; // first body line

describe('quiz files', () => {
	it('accept a valid quiz and serve it to the server index only', async () => {
		const r = (await check({ [`${DIR}/q.quiz.md`]: quiz(SETTINGS, single('one')) }));
		expect(r.problems).toEqual([]);
		expect(r.graded.quizzes).toHaveLength(1);
		expect(r.graded.quizzes[0]).toMatchObject({ id: 'q', courseSlug: 'demo', kind: 'practice', file: 'courses/01-demo/q.quiz.md' });
		expect(JSON.stringify(r.index)).not.toContain('correct');
	});

	it('refuse a question without a valid key, at its line', async () => {
		const body = single('one').map((l) => l.replace(', correct: true', ''));
		const r = (await check({ [`${DIR}/q.quiz.md`]: quiz(SETTINGS, body) }));
		expect(r.problems).toEqual([{ file: `${DIR}/q.quiz.md`, line: BODY + 4, message: expect.stringContaining('needs exactly one option with correct: true') }]);
	});

	it('refuse duplicate question ids and duplicate option ids', async () => {
		const twice = [...single('one'), ...single('one')];
		expect((await check({ [`${DIR}/q.quiz.md`]: quiz(SETTINGS, twice) })).problems).toEqual([
			{ file: `${DIR}/q.quiz.md`, line: BODY + 7, message: 'the question id "one" is used twice' }
		]);
		const sameOption = single('one').map((l) => l.replace('{ id: b,', '{ id: a,'));
		expect((await check({ [`${DIR}/q.quiz.md`]: quiz(SETTINGS, sameOption) })).problems[0]!.message).toBe('question one: the id "a" is used twice inside it');
	});

	it('refuse a draw larger than its pool, and a draw from a tag nobody has', async () => {
		const settings = [...SETTINGS, 'draw:', '  - { tag: x, count: 3 }', '  - { tag: y, count: 1 }'];
		const problems = (await check({ [`${DIR}/q.quiz.md`]: quiz(settings, [...single('one'), ...single('two')]) })).problems;
		expect(problems).toEqual([
			{ file: `${DIR}/q.quiz.md`, line: SETTINGS.length + 2, message: 'draw: asks for 3 questions tagged "x", but only 2 have that tag' },
			{ file: `${DIR}/q.quiz.md`, line: SETTINGS.length + 3, message: 'draw: no question is tagged "y"' }
		]);
	});

	it('refuse unknown types, unknown fields, missing texts and lessons that do not exist', async () => {
		const problems = (await check({
			[`${DIR}/q.quiz.md`]: quiz(
				[...SETTINGS.slice(0, -1), 'lessons: [nope]', 'colour: red'],
				['- id: one', '  type: essay', '  prompt: { en: Why? }']
			)
		})).problems.map((p) => `${p.line}: ${p.message}`);
		expect(problems).toEqual(
			expect.arrayContaining([expect.stringMatching(/^7: frontmatter: unknown field "colour"/), expect.stringMatching(/type must be one of single/)])
		);
		const missingZh = (await check({
			[`${DIR}/course.md`]: COURSE.replace('locales: [en]', 'locales: [en, zh-CN]').replace('  en: Demo\n', '  en: Demo\n  zh-CN: 演示\n').replace('  en: Demo.\n', '  en: Demo.\n  zh-CN: 演示。\n'),
			[`${DIR}/01-a.zh-CN.svx`]: LESSON,
			[`${DIR}/q.quiz.md`]: quiz(SETTINGS, single('one'))
		})).problems;
		expect(missingZh.some((p) => p.file.endsWith('q.quiz.md') && /has no zh-CN text/.test(p.message))).toBe(true);
		const noLesson = (await check({ [`${DIR}/q.quiz.md`]: quiz([...SETTINGS.slice(0, -1), 'lessons: [nope]'], single('one')) })).problems;
		expect(noLesson).toEqual([{ file: `${DIR}/q.quiz.md`, line: SETTINGS.length, message: 'lessons: the course has no lesson "nope"' }]);
	});

	it('refuse an exam that would show its explanations', async () => {
		const settings = SETTINGS.map((l) => l.replace('kind: practice', 'kind: exam'));
		const problems = (await check({ [`${DIR}/q.quiz.md`]: quiz(settings, single('one')) })).problems;
		expect(problems).toEqual([{ file: `${DIR}/q.quiz.md`, line: 5, message: expect.stringContaining('an exam shows the score only') }]);
	});
});

const SCENARIO_HEAD = ['---', 'title: { en: S }', 'summary: { en: S. }', 'passMark: 70', 'start: door', '---'];
const node = (id: string, next: string[], outcome?: string) => [
	`- id: ${id}`,
	'  mood: angry',
	'  line: { en: Hello }',
	...(outcome ? [`  outcome: ${outcome}`] : ['  choices:', ...next.map((n, i) => `    - { id: c${i}, text: { en: Hi }, feedback: { en: Fine }, scores: { empathy: 1 }, next: ${n} }`)])
];

describe('scenario files', () => {
	it('accept a valid graph', async () => {
		const r = (await check({ [`${DIR}/s.scenario.md`]: [...SCENARIO_HEAD, ...node('door', ['end']), ...node('end', [], 'resolved'), ''].join('\n') }));
		expect(r.problems).toEqual([]);
		expect(r.graded.scenarios[0]).toMatchObject({ id: 's', start: 'door' });
	});

	it('refuse a dangling next, an unreachable node, a loop and a dead end, at their lines', async () => {
		const dangling = (await check({ [`${DIR}/s.scenario.md`]: [...SCENARIO_HEAD, ...node('door', ['nowhere']), ''].join('\n') })).problems;
		expect(dangling).toEqual([{ file: `${DIR}/s.scenario.md`, line: 11, message: expect.stringContaining('nowhere') }]);

		const unreachable = (await check({ [`${DIR}/s.scenario.md`]: [...SCENARIO_HEAD, ...node('door', ['end']), ...node('end', [], 'lost'), ...node('island', [], 'lost'), ''].join('\n') })).problems;
		expect(unreachable).toEqual([{ file: `${DIR}/s.scenario.md`, line: 16, message: expect.stringMatching(/island/) }]);

		const loop = (await check({ [`${DIR}/s.scenario.md`]: [...SCENARIO_HEAD, ...node('door', ['back', 'end']), ...node('back', ['door']), ...node('end', [], 'resolved'), ''].join('\n') })).problems;
		expect(loop.some((p) => /loop/.test(p.message))).toBe(true);

		const dead = (await check({ [`${DIR}/s.scenario.md`]: [...SCENARIO_HEAD, ...node('door', ['end']), '- id: end', '  mood: calm', '  line: { en: Bye }', ''].join('\n') })).problems;
		expect(dead).toEqual([{ file: `${DIR}/s.scenario.md`, line: 12, message: expect.stringMatching(/end/) }]);
	});

	it('refuse an unknown competency and a bad mood', async () => {
		const bad = [...SCENARIO_HEAD, ...node('door', ['end']).map((l) => l.replace('empathy', 'charm').replace('mood: angry', 'mood: sleepy')), ...node('end', [], 'resolved'), ''].join('\n');
		const messages = (await check({ [`${DIR}/s.scenario.md`]: bad })).problems.map((p) => p.message).join('\n');
		expect(messages).toMatch(/mood must be/);
		expect(messages).toMatch(/unknown field "charm"/);
	});
});

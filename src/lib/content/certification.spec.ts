import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent } from './check';

const roots: string[] = [];
afterEach(() => {
	for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const COURSE = ['---', 'title:', '  en: Demo', 'summary:', '  en: Demo.', 'category: product', 'productLines: [general]', 'minutes: 5', 'locales: [en]', 'version: 1', '---', ''].join('\n');
const LESSON = ['---', 'title: A', 'summary: B', 'minutes: 3', '---', '', 'Text.', ''].join('\n');
const QUIZ = [
	'---',
	'title: { en: Exam }',
	'kind: exam',
	'passMark: 80',
	'review: score',
	'---',
	'- id: one',
	'  type: truefalse',
	'  prompt: { en: Yes? }',
	'  answer: true',
	''
].join('\n');

function check(cert: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-check-'));
	roots.push(root);
	const files: Record<string, string> = {
		'content/courses/01-demo/course.md': COURSE,
		'content/courses/01-demo/01-a.en.svx': LESSON,
		'content/courses/01-demo/exam.quiz.md': QUIZ,
		'content/certifications/demo-cert.md': cert
	};
	for (const [name, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
		fs.writeFileSync(path.join(root, name), text);
	}
	return checkContent(root);
}

const cert = (lines: string[]) => ['---', 'title: { en: Demo cert }', 'summary: { en: For tests. }', ...lines, '---', ''].join('\n');
const GOOD = ['validityDays: 365', 'renewalWindowDays: 30', 'levels:', '  - requirements:', '      - { course: demo }', '      - { quiz: demo/exam, minScore: 80 }', 'renewal:', '  - { quiz: demo/exam, minScore: 80 }'];

describe('certification files', () => {
	it('accept a valid certification and turn it into the lifecycle definition', async () => {
		const r = (await check(cert(GOOD)));
		expect(r.problems).toEqual([]);
		expect(r.graded.certifications).toEqual([
			expect.objectContaining({
				id: 'demo-cert',
				levels: 1,
				validityDays: 365,
				renewalWindowDays: 30,
				requirements: [[{ kind: 'course', course: 'demo' }, { kind: 'quiz', course: 'demo', quiz: 'exam', minScore: 80 }]],
				renewal: [{ kind: 'quiz', course: 'demo', quiz: 'exam', minScore: 80 }]
			})
		]);
	});

	it('refuse requirements that name a course, quiz or scenario that does not exist, at their line', async () => {
		const lines = [...GOOD.slice(0, 4), '      - { course: nope }', '      - { quiz: demo/missing, minScore: 80 }', '      - { scenario: demo/ghost, minScore: 70 }'];
		expect((await check(cert(lines))).problems).toEqual([
			{ file: 'content/certifications/demo-cert.md', line: 8, message: 'there is no course "nope"' },
			{ file: 'content/certifications/demo-cert.md', line: 9, message: 'there is no quiz "demo/missing"' },
			{ file: 'content/certifications/demo-cert.md', line: 10, message: 'there is no scenario "demo/ghost"' }
		]);
	});

	it('refuse a renewal window as long as the validity, and unknown fields', async () => {
		const window = (await check(cert(GOOD.map((l) => l.replace('renewalWindowDays: 30', 'renewalWindowDays: 365'))))).problems;
		expect(window).toEqual([{ file: 'content/certifications/demo-cert.md', line: 5, message: expect.stringContaining('must be smaller than validityDays') }]);
		const unknown = (await check(cert([...GOOD, 'colour: gold']))).problems;
		expect(unknown).toEqual([{ file: 'content/certifications/demo-cert.md', line: 12, message: expect.stringContaining('unknown field "colour"') }]);
	});
});

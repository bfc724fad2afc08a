import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent, formatProblems } from './check';

const roots: string[] = [];

afterEach(() => {
	for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** A temporary project root holding the given files (paths relative to the root). */
function tree(files: Record<string, string>): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'content-check-'));
	roots.push(root);
	for (const [name, text] of Object.entries(files)) {
		const file = path.join(root, name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
	}
	return root;
}

function check(root: string) {
	return checkContent(root, { contentDir: path.join(root, 'content'), staticDir: path.join(root, 'static') });
}

const text = (...lines: string[]) => lines.join('\n') + '\n';

/** A problem at a file and line whose message contains `part`. */
const problem = (file: string, line: number, part: string) => ({ file, line, message: expect.stringContaining(part) });

/** course.md in English only: category on line 6, locales on line 9. */
const COURSE_EN = text(
	'---',
	'title:',
	'  en: Demo course',
	'summary:',
	'  en: A short demo.',
	'category: product',
	'productLines: [general]',
	'minutes: 10',
	'locales: [en]',
	'version: 1',
	'---'
);

/** course.md in English and Chinese. */
const COURSE_BOTH = text(
	'---',
	'title:',
	'  en: Demo course',
	'  zh-CN: 演示课程',
	'summary:',
	'  en: A short demo.',
	'  zh-CN: 简短演示。',
	'category: communication',
	'productLines: [water-purifier, general]',
	'minutes: 20',
	'locales: [en, zh-CN]',
	'version: 2',
	'---'
);

/** The first body line of a lesson written by `lesson()`. */
const BODY = 7;

/** A lesson with valid frontmatter (lines 1-5), a blank line 6 and the body from line 7. */
function lesson(body: string[] = ['Some text.'], title = 'A lesson'): string {
	return text('---', `title: ${title}`, 'summary: What it is about.', 'minutes: 5', '---', '', ...body);
}

const DEMO = 'content/courses/01-demo';

describe('checkContent: a valid tree', () => {
	it('finds no problems in a valid course and builds the index', async () => {
		const root = tree({
			[`${DEMO}/course.md`]: COURSE_BOTH,
			[`${DEMO}/01-first.en.svx`]: lesson(
				[
					'Ordinary **Markdown** with `inline {code}` and &lt; 50 mg/L.',
					'',
					'<Callout type="tip" title="Call ahead">',
					'',
					'Phone the customer first. See [the next lesson](/learn/courses/demo/second#top).',
					'',
					'</Callout>',
					'',
					'<Figure src="/images/courses/demo/ok.png" alt="A picture" caption="Caption" />',
					'',
					'![alt text](/images/courses/demo/ok.png)',
					'',
					'<KnowledgeCheck question="Which?" options={["A", "B", "C"]} answer={2} explanation="Because." />',
					'',
					'<DoDont do={["Wear shoe covers"]} dont={["Walk in with street shoes"]} />',
					'',
					'A <Term definition="Total dissolved solids">TDS</Term> reading.'
				],
				'First'
			),
			[`${DEMO}/01-first.zh-CN.svx`]: lesson(['中文正文。'], '第一课'),
			[`${DEMO}/03-second.en.svx`]: lesson(['Back to [the course](/learn/courses/demo).'], 'Second'),
			[`${DEMO}/03-second.zh-CN.svx`]: lesson(['中文。'], '第二课'),
			'content/courses/05-later/course.md': COURSE_EN,
			'content/courses/05-later/10-only.en.svx': lesson(['Only one lesson.'], 'Only'),
			'static/images/courses/demo/ok.png': 'png'
		});
		const result = (await check(root));
		expect(result.problems).toEqual([]);
		expect(result.index.courses.map((c) => [c.slug, c.order, c.dir])).toEqual([
			['demo', 1, '01-demo'],
			['later', 5, '05-later']
		]);
		const [demo, later] = result.index.courses;
		expect(demo).toMatchObject({
			title: { en: 'Demo course', 'zh-CN': '演示课程' },
			summary: { en: 'A short demo.', 'zh-CN': '简短演示。' },
			category: 'communication',
			productLines: ['water-purifier', 'general'],
			minutes: 20,
			locales: ['en', 'zh-CN'],
			version: 2
		});
		expect(demo!.lessons).toEqual([
			{
				slug: 'first',
				order: 1,
				versions: {
					en: { title: 'First', summary: 'What it is about.', minutes: 5, file: `courses/01-demo/01-first.en.svx` },
					'zh-CN': { title: '第一课', summary: 'What it is about.', minutes: 5, file: `courses/01-demo/01-first.zh-CN.svx` }
				}
			},
			{
				slug: 'second',
				order: 3,
				versions: {
					en: { title: 'Second', summary: 'What it is about.', minutes: 5, file: `courses/01-demo/03-second.en.svx` },
					'zh-CN': { title: '第二课', summary: 'What it is about.', minutes: 5, file: `courses/01-demo/03-second.zh-CN.svx` }
				}
			}
		]);
		expect(later!.lessons.map((l) => [l.slug, l.order, Object.keys(l.versions)])).toEqual([['only', 10, ['en']]]);
		for (const c of result.index.courses) {
			for (const l of c.lessons) for (const v of Object.values(l.versions)) expect(v.file.startsWith('courses/')).toBe(true);
		}
		expect(result.files.map((f) => path.relative(root, f).split(path.sep).join('/')).sort()).toEqual([
			`${DEMO}/01-first.en.svx`,
			`${DEMO}/01-first.zh-CN.svx`,
			`${DEMO}/03-second.en.svx`,
			`${DEMO}/03-second.zh-CN.svx`,
			`${DEMO}/course.md`,
			'content/courses/05-later/10-only.en.svx',
			'content/courses/05-later/course.md'
		]);
	});

	it('gives an empty index when there is no courses folder', async () => {
		expect((await check(tree({ 'README.md': 'x\n' })))).toEqual({ index: { courses: [] }, graded: { quizzes: [], scenarios: [], certifications: [] }, problems: [], warnings: [], files: [], rendered: {} });
	});

	it('names files relative to the root even when the content folder is elsewhere', async () => {
		const root = tree({ 'elsewhere/courses/01-demo/course.md': COURSE_EN, 'elsewhere/courses/01-demo/01-a.en.svx': lesson(['A { b']) });
		const result = await checkContent(root, { contentDir: path.join(root, 'elsewhere'), staticDir: path.join(root, 'static') });
		expect(result.problems).toEqual([problem('elsewhere/courses/01-demo/01-a.en.svx', BODY, '"{" in text')]);
		expect(result.index.courses[0]!.lessons[0]!.versions.en!.file).toBe('courses/01-demo/01-a.en.svx');
	});
});

describe('checkContent: course frontmatter', () => {
	const withLesson = (course: string) => tree({ [`${DEMO}/course.md`]: course, [`${DEMO}/01-a.en.svx`]: lesson() });

	it('reports a wrong category at the category line', async () => {
		const result = (await check(withLesson(COURSE_EN.replace('category: product', 'category: tools'))));
		expect(result.problems).toEqual([problem(`${DEMO}/course.md`, 6, 'category must be one of product, etiquette, communication')]);
		expect(result.index.courses).toEqual([]);
	});

	it('reports an unknown field at its line', async () => {
		const result = (await check(withLesson(COURSE_EN.replace('version: 1\n', 'version: 1\nauthor: Bob\n'))));
		expect(result.problems).toEqual([problem(`${DEMO}/course.md`, 11, 'unknown field "author"')]);
	});

	it('reports a missing title for a listed locale at the title line', async () => {
		const course = COURSE_BOTH.replace('  zh-CN: 演示课程\n', '');
		const root = tree({ [`${DEMO}/course.md`]: course, [`${DEMO}/01-a.en.svx`]: lesson(), [`${DEMO}/01-a.zh-CN.svx`]: lesson() });
		expect((await check(root)).problems).toEqual([problem(`${DEMO}/course.md`, 2, 'title has no zh-CN text, but locales lists zh-CN')]);
	});

	it('reports a wrong value inside a list at the key line', async () => {
		const result = (await check(withLesson(COURSE_EN.replace('locales: [en]', 'locales: [en, fr]'))));
		expect(result.problems).toEqual([problem(`${DEMO}/course.md`, 9, 'locales.1 must be among en, zh-CN')]);
	});

	it('reports a missing field as required', async () => {
		const result = (await check(withLesson(COURSE_EN.replace('version: 1\n', ''))));
		expect(result.problems).toEqual([problem(`${DEMO}/course.md`, 2, 'version is required')]);
	});

	it('reports a YAML syntax error', async () => {
		const result = (await check(withLesson(COURSE_EN.replace('productLines: [general]', 'productLines: [general'))));
		// The line is not asserted: the checker reports every YAML error at line 2 (see the report).
		expect(result.problems).toEqual([{ file: `${DEMO}/course.md`, line: expect.any(Number), message: expect.stringMatching(/^frontmatter: /) }]);
		expect(result.index.courses).toEqual([]);
	});

	it('reports a course.md without frontmatter at line 1', async () => {
		const result = (await check(withLesson(text('title: Demo', 'category: product'))));
		expect(result.problems).toEqual([problem(`${DEMO}/course.md`, 1, 'missing frontmatter')]);
		expect(result.index.courses).toEqual([]);
	});

	it('reports frontmatter that is never closed at line 1', async () => {
		const result = (await check(withLesson(COURSE_EN.replace(/---\n$/, ''))));
		expect(result.problems).toEqual([problem(`${DEMO}/course.md`, 1, 'frontmatter is not closed')]);
	});

	it('reports a missing course.md', async () => {
		const result = (await check(tree({ [`${DEMO}/01-a.en.svx`]: lesson() })));
		expect(result.problems).toEqual([problem(`${DEMO}/course.md`, 1, 'missing course.md')]);
		expect(result.index.courses).toEqual([]);
	});

	it('reports a badly named course folder', async () => {
		const result = (await check(tree({ 'content/courses/Demo/course.md': COURSE_EN, 'content/courses/Demo/01-a.en.svx': lesson() })));
		expect(result.problems).toEqual([problem('content/courses/Demo', 1, 'course folders are named <nn>-<slug>')]);
	});

	it('reports a course without lessons', async () => {
		expect((await check(tree({ [`${DEMO}/course.md`]: COURSE_EN }))).problems).toEqual([problem(`${DEMO}/course.md`, 1, 'the course has no lessons')]);
	});
});

describe('checkContent: lesson frontmatter', () => {
	const one = async (source: string) => (await check(tree({ [`${DEMO}/course.md`]: COURSE_EN, [`${DEMO}/01-a.en.svx`]: source })));

	it('reports missing minutes', async () => {
		const result = (await one(text('---', 'title: A', 'summary: B', '---', '', 'Text.')));
		expect(result.problems).toEqual([problem(`${DEMO}/01-a.en.svx`, 2, 'minutes is required')]);
		expect(result.index.courses[0]!.lessons[0]!.versions).toEqual({});
	});

	it('reports minutes 0 at the minutes line', async () => {
		const result = (await one(text('---', 'title: A', 'summary: B', 'minutes: 0', '---', '', 'Text.')));
		expect(result.problems).toEqual([problem(`${DEMO}/01-a.en.svx`, 4, 'minutes')]);
	});

	it('reports an unknown field at its line', async () => {
		const result = (await one(text('---', 'title: A', 'summary: B', 'minutes: 3', 'draft: true', '---', '', 'Text.')));
		expect(result.problems).toEqual([problem(`${DEMO}/01-a.en.svx`, 5, 'unknown field "draft"')]);
	});

	it('reports a lesson without frontmatter', async () => {
		expect((await one(text('Just text.'))).problems).toEqual([problem(`${DEMO}/01-a.en.svx`, 1, 'missing frontmatter')]);
	});

	it('reports a lesson without text at the first body line', async () => {
		expect((await one(text('---', 'title: A', 'summary: B', 'minutes: 3', '---', '', ''))).problems).toEqual([
			problem(`${DEMO}/01-a.en.svx`, 6, 'the lesson has no text')
		]);
	});
});

describe('checkContent: lesson body', () => {
	const FILE = `${DEMO}/01-a.en.svx`;
	const body = async (lines: string[], extra: Record<string, string> = {}) =>
		(await check(tree({ [`${DEMO}/course.md`]: COURSE_EN, [FILE]: lesson(lines), ...extra }))).problems;

	it('reports an unknown component at its line', async () => {
		expect((await body(['Intro.', '', '<Video src="/clip.mp4" />']))).toEqual([problem(FILE, BODY + 2, 'unknown component <Video>')]);
	});

	it('reports <script> and <style> at their lines', async () => {
		expect((await body(['Intro.', '<script>', 'const a = 1;', '</script>', '', '<style>p &#123; color: red &#125;</style>']))).toEqual([
			problem(FILE, BODY + 1, 'may not contain <script> or <style>'),
			problem(FILE, BODY + 5, 'may not contain <script> or <style>')
		]);
	});

	it('reports a stray "{" and a bare "<" in text at their lines', async () => {
		expect((await body(['Fine line.', 'Costs { a lot.', '', 'TDS < 50 mg/L.']))).toEqual([
			problem(FILE, BODY + 1, 'a "{" in text starts a Svelte expression'),
			problem(FILE, BODY + 3, 'a bare "<" in text')
		]);
	});

	it('reports a stray "}" in text', async () => {
		expect((await body(['Oops } here.']))).toEqual([problem(FILE, BODY, 'a "}" in text')]);
	});

	it('does not report code in fenced blocks or inline code', async () => {
		expect((await body(['Before.', '```svelte', '<Video src="x" />', 'let a = { b: 1 } < 2;', '<script>', '```', '', '~~~', '{x}', '~~~', '', 'Use `{` and `<Video>` inline.']))).toEqual(
			[]
		);
	});

	it('reports a fenced block that is never closed', async () => {
		expect((await body(['Before.', '```', 'code']))).toEqual([problem(FILE, BODY + 3, 'never closed')]);
	});

	it('reports a component tag that is never closed at its line', async () => {
		expect((await body(['<Callout type="tip"', 'title="x"']))).toEqual([problem(FILE, BODY, '<Callout> is never closed')]);
	});

	it('reports a KnowledgeCheck answer past its options', async () => {
		expect((await body(['Intro.', '', '<KnowledgeCheck question="Q?" options={["A", "B", "C"]} answer={3} explanation="E" />']))).toEqual([
			problem(FILE, BODY + 2, 'answer={3} points past its 3 options')
		]);
	});

	it('accepts the last KnowledgeCheck option, also across lines', async () => {
		expect((await body(['<KnowledgeCheck', '  question="Q?"', '  options={["A", "B", "C"]}', '  answer={2}', '/>']))).toEqual([]);
	});

	it('reports other component mistakes', async () => {
		expect(
			(await body([
				'<KnowledgeCheck question="Q?" options={["A"]} answer={0} />',
				'<KnowledgeCheck question="Q?" options={[\'A\', \'B\']} answer={0} />',
				'<Callout type="danger">',
				'',
				'x',
				'',
				'</Callout>',
				'<Term>word</Term>',
				'<DoDont do={["x"]} />'
			]))
		).toEqual([
			problem(FILE, BODY, 'at least two options'),
			// Single-quoted strings are literal strings too: the second check is fine.
			problem(FILE, BODY + 2, '<Callout type="danger"> must be tip, warning, safety or note'),
			problem(FILE, BODY + 7, '<Term> needs definition'),
			problem(FILE, BODY + 8, '<DoDont> needs dont=')
		]);
	});

	it('reports missing pictures, by Markdown and by Figure, at their lines', async () => {
		expect((await body(['Intro.', '![a](/images/nope.png)', '', '<Figure src="/images/nope.png" alt="x" />']))).toEqual([
			problem(FILE, BODY + 1, 'picture /images/nope.png does not exist'),
			problem(FILE, BODY + 3, 'picture /images/nope.png does not exist')
		]);
	});

	it('accepts existing pictures in the static folder', async () => {
		const lines = ['![a](/images/courses/demo/ok.png "A title")', '', '<Figure src="/images/courses/demo/ok.png" alt="x" />'];
		expect((await body(lines, { 'static/images/courses/demo/ok.png': 'png' }))).toEqual([]);
		// The same picture in the content folder does not count, and is itself out of place.
		expect((await body(lines, { 'content/images/courses/demo/ok.png': 'png' }))).toHaveLength(3);
	});

	it('reports a Figure without alt', async () => {
		expect((await body(['<Figure src="/images/ok.png" />'], { 'static/images/ok.png': 'png' }))).toEqual([problem(FILE, BODY, '<Figure> needs alt')]);
	});
});

describe('checkContent: files and locales', () => {
	it('reports a missing locale twin on the existing version', async () => {
		const result = (await check(
			tree({
				[`${DEMO}/course.md`]: COURSE_BOTH,
				[`${DEMO}/01-first.en.svx`]: lesson(),
				[`${DEMO}/01-first.zh-CN.svx`]: lesson(),
				[`${DEMO}/02-second.en.svx`]: lesson()
			})
		));
		expect(result.problems).toEqual([problem(`${DEMO}/02-second.en.svx`, 1, 'missing zh-CN version: add 02-second.zh-CN.svx')]);
	});

	it('reports a missing twin in the other direction', async () => {
		const result = (await check(tree({ [`${DEMO}/course.md`]: COURSE_BOTH, [`${DEMO}/01-first.zh-CN.svx`]: lesson() })));
		expect(result.problems).toEqual([problem(`${DEMO}/01-first.zh-CN.svx`, 1, 'missing en version: add 01-first.en.svx')]);
	});

	it('reports a lesson in a locale the course does not list', async () => {
		const result = (await check(tree({ [`${DEMO}/course.md`]: COURSE_EN, [`${DEMO}/01-a.en.svx`]: lesson(), [`${DEMO}/01-a.zh-CN.svx`]: lesson() })));
		expect(result.problems).toEqual([problem(`${DEMO}/01-a.zh-CN.svx`, 1, 'written in zh-CN, but course.md locales lists only en')]);
	});

	it('reports an unknown locale', async () => {
		const result = (await check(tree({ [`${DEMO}/course.md`]: COURSE_EN, [`${DEMO}/01-a.en.svx`]: lesson(), [`${DEMO}/01-a.fr.svx`]: lesson() })));
		expect(result.problems).toEqual([problem(`${DEMO}/01-a.fr.svx`, 1, 'unknown locale "fr"')]);
	});

	it('reports a duplicate course slug on the later folder', async () => {
		const result = (await check(
			tree({
				'content/courses/01-x/course.md': COURSE_EN,
				'content/courses/01-x/01-a.en.svx': lesson(),
				'content/courses/02-x/course.md': COURSE_EN,
				'content/courses/02-x/01-a.en.svx': lesson()
			})
		));
		expect(result.problems).toEqual([problem('content/courses/02-x/course.md', 1, 'duplicate course slug "x" (also content/courses/01-x)')]);
		expect(result.index.courses.map((c) => c.dir)).toEqual(['01-x']);
	});

	it('reports two lessons with the same number', async () => {
		const result = (await check(tree({ [`${DEMO}/course.md`]: COURSE_EN, [`${DEMO}/01-a.en.svx`]: lesson(), [`${DEMO}/01-b.en.svx`]: lesson() })));
		expect(result.problems).toEqual([problem(`${DEMO}/01-b.en.svx`, 1, 'two lessons are numbered 01: "a" and "b"')]);
		expect(result.index.courses[0]!.lessons.map((l) => l.slug)).toEqual(['a']);
	});

	it('reports the same lesson slug under two numbers', async () => {
		const result = (await check(tree({ [`${DEMO}/course.md`]: COURSE_EN, [`${DEMO}/01-a.en.svx`]: lesson(), [`${DEMO}/02-a.en.svx`]: lesson() })));
		expect(result.problems).toEqual([problem(`${DEMO}/02-a.en.svx`, 1, 'duplicate lesson slug "a" under another number')]);
	});

	it('reports badly named lesson files', async () => {
		const names = ['1-a.en.svx', '01-Intro.en.svx', '01-a.svx', '01-a.en.md', '01_a.en.svx'];
		const files: Record<string, string> = { [`${DEMO}/course.md`]: COURSE_EN, [`${DEMO}/02-ok.en.svx`]: lesson() };
		for (const name of names) files[`${DEMO}/${name}`] = lesson();
		const result = (await check(tree(files)));
		expect(result.problems).toEqual(
			[...names].sort((a, b) => `${DEMO}/${a}`.localeCompare(`${DEMO}/${b}`)).map((name) => problem(`${DEMO}/${name}`, 1, 'lesson files are named <nn>-<slug>.<locale>.svx'))
		);
		expect(result.index.courses[0]!.lessons.map((l) => l.slug)).toEqual(['ok']);
	});

	it('sorts problems by file and line', async () => {
		const result = (await check(
			tree({
				[`${DEMO}/course.md`]: COURSE_EN,
				[`${DEMO}/02-b.en.svx`]: lesson(['a {', 'b <']),
				[`${DEMO}/01-a.en.svx`]: lesson(['x', 'y', 'a {'])
			})
		));
		expect(result.problems.map((p) => `${p.file}:${p.line}`)).toEqual([`${DEMO}/01-a.en.svx:${BODY + 2}`, `${DEMO}/02-b.en.svx:${BODY}`, `${DEMO}/02-b.en.svx:${BODY + 1}`]);
		expect(formatProblems(result.problems).split('\n')[0]).toBe(`${DEMO}/01-a.en.svx:${BODY + 2}: a "{" in text starts a Svelte expression; lessons cannot hold braces in prose (not as &#123; either, which becomes "{" again): put them in \`code\` or rephrase`);
	});
});

describe('checkContent: links', () => {
	const two = async (links: string[]) =>
		(await check(
			tree({
				[`${DEMO}/course.md`]: COURSE_EN,
				[`${DEMO}/01-a.en.svx`]: lesson(links),
				'content/courses/02-other/course.md': COURSE_EN,
				'content/courses/02-other/01-far.en.svx': lesson()
			})
		)).problems;

	it('reports a link to a missing lesson at its line', async () => {
		expect((await two(['Intro.', '', 'See [this](/learn/courses/demo/missing).']))).toEqual([
			problem(`${DEMO}/01-a.en.svx`, BODY + 2, 'broken link /learn/courses/demo/missing: no such lesson')
		]);
	});

	it('reports a link to a missing course', async () => {
		expect((await two(['See <a href="/learn/courses/nope">this</a>.']))).toEqual([problem(`${DEMO}/01-a.en.svx`, BODY, 'broken link /learn/courses/nope: no such course')]);
	});

	it('reports a link below a lesson', async () => {
		expect((await two(['[x](/learn/courses/other/far/more)']))).toEqual([problem(`${DEMO}/01-a.en.svx`, BODY, 'broken link /learn/courses/other/far/more')]);
	});

	it('accepts links to a lesson of another course, to a course and with a fragment or query', async () => {
		expect(
			(await two([
				'[far](/learn/courses/other/far)',
				'[same](/learn/courses/demo/a#part)',
				'[course](/learn/courses/other)',
				'[query](/learn/courses/other/far?x=1)',
				'[outside](https://example.com/learn/courses/x)'
			]))
		).toEqual([]);
	});

	it('resolves links against the lessons of the link target, not of the linking course', async () => {
		expect((await two(['[x](/learn/courses/other/a)']))).toEqual([problem(`${DEMO}/01-a.en.svx`, BODY, 'no such lesson')]);
	});
});

describe('checkContent: regressions', () => {
	it('reports a YAML syntax error at the line where it is', async () => {
		const broken = COURSE_EN.replace('productLines: [general]', 'productLines: [general');
		const { problems } = (await check(tree({ [`${DEMO}/course.md`]: broken, [`${DEMO}/01-a.en.svx`]: lesson() })));
		expect(problems[0]).toMatchObject({ file: `${DEMO}/course.md`, message: expect.stringContaining('frontmatter:') });
		expect(problems[0]!.line).toBeGreaterThanOrEqual(7);
	});

	it('reports a missing translation even when a similarly named file has another problem', async () => {
		const { problems } = (await check(
			tree({
				[`${DEMO}/course.md`]: COURSE_BOTH,
				[`${DEMO}/01-intro.en.svx`]: lesson(),
				[`${DEMO}/02-more-intro.en.svx`]: lesson(),
				[`${DEMO}/02-more-intro.zh-CN.svx`]: lesson(['A stray { brace.'])
			})
		));
		expect(problems).toContainEqual(problem(`${DEMO}/01-intro.en.svx`, 1, 'missing zh-CN version: add 01-intro.zh-CN.svx'));
		expect(problems).toContainEqual(problem(`${DEMO}/02-more-intro.zh-CN.svx`, BODY, 'a "{" in text'));
	});

	it('accepts a link to the course catalog and treats /learn/coursesX as an ordinary link', async () => {
		const { problems } = (await check(
			tree({
				[`${DEMO}/course.md`]: COURSE_EN,
				[`${DEMO}/01-a.en.svx`]: lesson(['[all courses](/learn/courses)', '', '[other](/learn/coursesX)'])
			})
		));
		expect(problems).toEqual([]);
	});
});

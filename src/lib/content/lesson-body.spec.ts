import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLessonBody, linkProblem, MAX_BODY_CHARS, MAX_DEPTH } from './lesson-body';

const FIRST = 7;
const messages = async (body: string) => (await checkLessonBody(body, FIRST)).problems.map((p) => p.message).join('\n');

/** Lessons a hostile or careless author might write: each must be refused with a message. */
const HOSTILE: Array<[string, string, RegExp]> = [
	['an expression', 'Hi {alert(1)} there', /"\{" in text starts a Svelte expression/],
	['an expression spelled with entities', 'x &#123;constructor.constructor("alert(1)")()&#125;', /"\{" in text/],
	['an expression spelled &lbrace;', 'x &lbrace;alert(1)&rbrace;', /"\{" in text/],
	['an expression in hex entities', 'x &#x7B;alert(1)&#x7D;', /"\{" in text/],
	['an event handler on a picture', '<img src="/images/a.png" onerror="alert(1)">', /event handlers run code/],
	['an unquoted event handler', '<img src=x onerror=alert(1)//>', /event handlers run code/],
	['a javascript: link in Markdown', '[a](javascript:alert(1))', /uses "javascript:"/],
	['a javascript: link with a tab entity', '[a](jav&#x09;ascript:alert(1))', /uses "javascript:"/],
	['a javascript: link in mixed case HTML', '<a href="JaVaScRiPt:alert(1)">x</a>', /uses "javascript:"/],
	['a data: link', '[a](data:text/html;base64,PHNjcmlwdD4=)', /uses "data:"/],
	['a vbscript: picture', '![a](vbscript:x)', /uses "vbscript:"/],
	['a script', '<script>alert(1)</script>', /may not contain <script> or <style>/],
	['a module script', '<script context="module">export const x = 1;</script>', /may not contain <script>/],
	['a style', '<style>body{display:none}</style>', /may not contain <script> or <style>/],
	['svelte:head', 'Text.\n\n<svelte:head><title>x</title></svelte:head>', /<svelte:head> is not allowed/],
	['svelte:element', '<svelte:element this="script">alert(1)</svelte:element>', /svelte:element/],
	['{@html}', '<p>{@html "<img src=x onerror=alert(1)>"}</p>', /\{@html …\} is not allowed|"\{" in text/],
	['{#if} in HTML', '<p>{#if true}x{/if}</p>', /\{#if …\} blocks are not allowed|"\{" in text/],
	['an iframe', '<iframe src="https://example.com"></iframe>', /<iframe> is not allowed/],
	['an object', '<object data="x.swf"></object>', /<object> is not allowed/],
	['svg with a script', '<svg><script>alert(1)</script></svg>', /<svg> is not allowed|<script>/],
	['a form', '<form action="https://evil.example"><input name="p"></form>', /<form> is not allowed/],
	['a style attribute', '<p style="position:fixed">x</p>', /may not have the attribute "style"/],
	['an expression as a prop', '<Term definition={alert(1)}>x</Term>', /may hold only a number/],
	['a list with code in it', '<KnowledgeCheck question="q" options={["a", globalThis.x]} answer={0} />', /may hold only a number/],
	['a template string prop', '<Callout title={`${x}`}>y</Callout>', /may hold only a number/],
	['text mixed with an expression', '<Callout title="a{x}b">y</Callout>', /mixes text and/],
	['a spread', '<Term {...props}>x</Term>', /\{...spread\}/],
	['a directive', '<Callout bind:this={x}>y</Callout>', /directives/],
	['an event handler on a component', '<Callout onclick="alert(1)">y</Callout>', /has no attribute "onclick"/],
	['a picture from javascript:', '<Figure src="javascript:alert(1)" alt="a" />', /uses "javascript:"/],
	['an unknown component', '<Video src="/clip.mp4" />', /unknown component <Video>/],
	['deep nesting', '>'.repeat(MAX_DEPTH + 5) + ' deep', /nested more than/],
	['deep element nesting', '<blockquote>'.repeat(40) + 'x' + '</blockquote>'.repeat(40), /nested more than/],
	['a megabyte', 'x'.repeat(1024 * 1024), /characters long/],
	['twenty thousand brackets', '['.repeat(20_000), /"\[" characters/]
];

describe('checkLessonBody: hostile lessons', () => {
	it.each(HOSTILE)('refuses %s with a message', async (_name, body, expected) => {
		expect(await messages(body)).toMatch(expected);
	});

	it('answers every hostile lesson quickly, megabytes and pathological Markdown included', async () => {
		const started = performance.now();
		for (const [, body] of HOSTILE) await checkLessonBody(body, FIRST);
		// A loose bound: the point is that nothing runs away (20,000 "[" alone took 4 s unchecked).
		expect(performance.now() - started).toBeLessThan(10_000);
	});

	it('accepts entities that stay text, code spans and fenced code', async () => {
		expect(await messages('&lt;script&gt; and `{x}` and `<Video>` are shown as text.\n\n```svelte\n<script>{x}</script>\n```')).toBe('');
	});
});

describe('checkLessonBody: lines', () => {
	it('puts each problem on its own line, also inside a paragraph and a multi-line tag', async () => {
		const { problems } = await checkLessonBody(['Fine.', 'Costs { a lot.', '', 'TDS < 50.', '', '<Callout', '  type="danger">', '', 'x', '', '</Callout>'].join('\n'), FIRST);
		expect(problems).toEqual([
			{ line: FIRST + 1, message: expect.stringContaining('"{" in text') },
			{ line: FIRST + 3, message: expect.stringContaining('bare "<"') }
		]);
		const tags = await checkLessonBody(['Intro.', '', '<Callout', '  type="danger">', '', 'x', '', '</Callout>', '', '<Term>t</Term>'].join('\n'), FIRST);
		expect(tags.problems).toEqual([
			{ line: FIRST + 2, message: expect.stringContaining('<Callout type="danger"> must be') },
			{ line: FIRST + 9, message: '<Term> needs definition="…"' }
		]);
	});

	it('collects links and pictures with their lines', async () => {
		const { links } = await checkLessonBody(['[a](/learn/courses/x)', '', '<Figure src="/images/a.png" alt="A" />', '', '<a href="https://example.com">b</a>'].join('\n'), FIRST);
		expect(links).toEqual(
			expect.arrayContaining([
				{ line: FIRST, target: '/learn/courses/x' },
				{ line: FIRST + 2, target: '/images/a.png' },
				{ line: FIRST + 4, target: 'https://example.com' }
			])
		);
	});
});

describe('linkProblem', () => {
	it('allows the web, e-mail and this site', () => {
		for (const ok of ['https://example.com', 'http://x.example/a?b', 'mailto:a@b.example', '/learn', '#top', 'relative/page', '?q=1']) expect(linkProblem(ok), ok).toBeNull();
	});
	it('refuses other schemes in any spelling, and scheme-relative addresses', () => {
		for (const bad of ['javascript:x', ' JAVASCRIPT:x', 'java\tscript:x', 'java\nscript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '//evil.example']) expect(linkProblem(bad), bad).not.toBeNull();
	});
});

describe('checkLessonBody: the shipped lessons', () => {
	it('finds no problem in any of them', async () => {
		const found: string[] = [];
		for (const course of readdirSync('content/courses')) {
			for (const file of readdirSync(`content/courses/${course}`).filter((f) => f.endsWith('.svx'))) {
				const source = readFileSync(`content/courses/${course}/${file}`, 'utf8');
				const head = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(source)![0];
				const { problems } = await checkLessonBody(source.slice(head.length), head.split('\n').length);
				for (const p of problems) found.push(`${course}/${file}:${p.line}: ${p.message}`);
			}
		}
		expect(found).toEqual([]);
	});

	it('refuses a body over the size limit before parsing it', async () => {
		const { problems } = await checkLessonBody('a'.repeat(MAX_BODY_CHARS + 1), FIRST);
		expect(problems).toEqual([{ line: FIRST, message: expect.stringContaining('split it into lessons') }]);
	});
});

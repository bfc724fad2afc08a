import { describe, expect, it } from 'vitest';
import { checkLessonBody } from './lesson-body';
import { renderLesson, smartTypography } from './render';

async function html(body: string, locale: 'en' | 'zh-CN' = 'en') {
	const facts = await checkLessonBody(body, 1);
	expect(facts.problems).toEqual([]);
	return renderLesson(facts.tree!, { locale, idPrefix: 't' });
}

describe('smartTypography', () => {
	it('sets quotes, apostrophes, dashes and ellipses', () => {
		expect(smartTypography('"Don\'t touch," she said -- twice... and \'yes\' --- 1990\'s')).toBe('“Don’t touch,” she said – twice… and ‘yes’ — 1990’s');
		expect(smartTypography('客户说"谢谢"')).toBe('客户说“谢谢”');
		expect(smartTypography('" after bold', 'd')).toBe('” after bold');
	});
});

describe('renderLesson', () => {
	it('prints Markdown and components as fixed, escaped markup', async () => {
		const out = await html('## Title\n\nIt\'s **"fine"** &lt;b&gt; and `"code" --x`.\n\n<Callout type="warning" title="Mind the &quot;gap&quot;">\n\nText.\n\n</Callout>\n');
		expect(out).toContain('It’s <strong>“fine”</strong> &lt;b&gt; and <code>&quot;code&quot; --x</code>.');
		expect(out).toContain('<aside class="callout warning" aria-label="Mind the &quot;gap&quot;">');
		expect(out).not.toMatch(/<script|\son\w+=/i);
	});

	it('keeps a glossary term inside its paragraph, as a button that opens a popover', async () => {
		const out = await html('The <Term definition="Reverse osmosis">RO</Term> membrane.\n');
		expect(out.trim()).toMatch(/^<p>The <button type="button" class="term" popovertarget="t-1" aria-describedby="t-1"><dfn>RO<\/dfn><\/button><span class="term-def" id="t-1" popover>Reverse osmosis<\/span> membrane.<\/p>$/);
	});

	it('writes a knowledge check as an island with a static version and its props as escaped JSON', async () => {
		const out = await html('<KnowledgeCheck question="Which &quot;first&quot;?" options={["A </script>", "B"]} answer={1} />\n', 'zh-CN');
		expect(out).toContain('data-island="knowledge-check"');
		expect(out).toContain('自我检查');
		expect(out).not.toContain('</script>');
		const props = /data-props="([^"]*)"/.exec(out)![1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
		expect(JSON.parse(props)).toMatchObject({ question: 'Which "first"?', options: ['A </script>', 'B'], answer: 1 });
	});

	it('marks external links nofollow, once, and leaves internal ones alone', async () => {
		const out = await html('See [the guide](https://example.com/g) and [the course](/learn/courses/x).\n');
		expect(out).toContain('<a href="https://example.com/g" rel="nofollow">');
		expect(out).toContain('<a href="/learn/courses/x">');
	});
});

describe('paragraphs that start with a glossary term', () => {
	it('are wrapped in <p> like any other paragraph', async () => {
		const out = await html('<Term definition="Reverse osmosis">RO</Term> turns this around.\n\nNext paragraph.\n\n<Callout type="tip">\n\n<Term definition="d">TDS</Term> first.\n\n</Callout>\n');
		expect(out).toContain('<p><button type="button" class="term"');
		expect(out).toMatch(/turns this around\.<\/p>/);
		expect(out).toContain('<div class="body">');
		expect(out).toMatch(/<div class="body">\s*<p><button type="button" class="term"[^]*first\.<\/p>/);
		expect(out.match(/<p>/g)!.length).toBe(3);
	});
});

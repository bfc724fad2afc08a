import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLessonBody } from '$lib/content/lesson-body';
import { insertionFor, placeholderEnd, SNIPPETS, toAttributeValue, type SnippetId } from './snippets';

type Literal = string | number | string[];
interface Parsed {
	name: string;
	props: Record<string, Literal>;
	children: string | null;
}

/** One attribute as lessons write it: "text" (no quotes or braces), {number} or {["text", …]}. */
const ATTRIBUTE = /\s+([a-z]+)=(?:"([^"{}]*)"|\{(\d+)\}|\{\[((?:"[^"{}]*"(?:, )?)*)\]\})/y;

/** Reads a component written on its own: `<Name attributes />` or `<Name attributes>children</Name>`. */
function parseComponent(text: string): Parsed {
	const name = /^<([A-Z][A-Za-z]*)/.exec(text)?.[1];
	if (!name) throw new Error(`no component at the start of ${text}`);
	const props: Parsed['props'] = {};
	let at = name.length + 1;
	ATTRIBUTE.lastIndex = at;
	for (let m = ATTRIBUTE.exec(text); m; m = ATTRIBUTE.exec(text)) {
		props[m[1]!] = m[2] ?? (m[3] !== undefined ? Number(m[3]) : [...m[4]!.matchAll(/"([^"]*)"/g)].map((s) => s[1]!));
		at = ATTRIBUTE.lastIndex;
	}
	const rest = text.slice(at);
	if (rest === ' />') return { name, props, children: null };
	const children = new RegExp(`^>([\\s\\S]*)</${name}>$`).exec(rest)?.[1];
	if (children === undefined) throw new Error(`<${name}> is not closed as expected: ${rest}`);
	return { name, props, children };
}

/** The component grammar of the brief, one check per snippet. */
const GRAMMAR: Record<SnippetId, (c: Parsed) => void> = {
	callout: (c) => {
		expect(c.name).toBe('Callout');
		expect(['tip', 'warning', 'safety', 'note']).toContain(c.props.type);
		expect(typeof c.props.title).toBe('string');
		expect(Object.keys(c.props).sort()).toEqual(['title', 'type']);
		expect(c.children).toMatch(/^\n\n\S[\s\S]*\S\n\n$/);
	},
	steps: (c) => {
		expect(c.name).toBe('Steps');
		expect(c.props).toEqual({});
		expect(c.children).toMatch(/^\n\n(?:\d+\. \S.*\n)+\n$/);
	},
	figure: (c) => {
		expect(c.name).toBe('Figure');
		expect(c.children).toBeNull();
		expect(c.props.src).toMatch(/^\/media\/\S+$/);
		expect(typeof c.props.alt).toBe('string');
		expect(typeof c.props.caption).toBe('string');
	},
	dodont: (c) => {
		expect(c.name).toBe('DoDont');
		expect(c.children).toBeNull();
		expect(Object.keys(c.props).sort()).toEqual(['do', 'dont']);
		for (const list of [c.props.do, c.props.dont]) expect(Array.isArray(list) && list.length > 0).toBe(true);
	},
	term: (c) => {
		expect(c.name).toBe('Term');
		expect(Object.keys(c.props)).toEqual(['definition']);
		expect(c.children).toMatch(/^[^<>\n]+$/);
	},
	'knowledge-check': (c) => {
		expect(c.name).toBe('KnowledgeCheck');
		expect(c.children).toBeNull();
		expect(typeof c.props.question).toBe('string');
		expect(typeof c.props.explanation).toBe('string');
		const options = c.props.options as string[];
		expect(options.length).toBeGreaterThanOrEqual(2);
		expect(c.props.answer).toBeGreaterThanOrEqual(0);
		expect(c.props.answer).toBeLessThan(options.length);
	}
};

const ids = SNIPPETS.map((s) => s.id);
const problems = async (body: string) => (await checkLessonBody(body, 1)).problems;

describe('SNIPPETS', () => {
	it('has one template for each lesson component, labelled in both languages', () => {
		expect(ids.sort()).toEqual(['callout', 'dodont', 'figure', 'knowledge-check', 'steps', 'term']);
		for (const s of SNIPPETS) {
			expect(s.label.en).not.toBe('');
			expect(s.label['zh-CN']).not.toBe('');
		}
	});

	it.each(SNIPPETS)('$id is written in the component grammar', (snippet) => {
		GRAMMAR[snippet.id](parseComponent(snippet.text));
	});

	it.each(SNIPPETS)('$id is accepted by the lesson checker', async (snippet) => {
		const body = snippet.id === 'term' ? `A sentence with a ${snippet.text} in it.` : `A paragraph.\n\n${snippet.text}\n\nAnother paragraph.`;
		expect(await problems(body)).toEqual([]);
	});

	it.each(SNIPPETS)('$id puts the cursor at a placeholder', (snippet) => {
		const placeholder = snippet.text.slice(snippet.cursorOffset, placeholderEnd(snippet.text, snippet.cursorOffset));
		expect(placeholder.trim()).not.toBe('');
		expect(placeholder).not.toMatch(/["<\n]/);
	});
});

describe('insertionFor without a selection', () => {
	it.each(SNIPPETS.filter((s) => s.id !== 'term'))('puts $id on its own lines with blank lines around it', (snippet) => {
		expect(insertionFor(snippet.id, '')).toEqual({ text: `\n\n${snippet.text}\n\n`, cursor: 2 + snippet.cursorOffset });
	});

	it('inserts a term as it is, in the sentence', () => {
		const term = SNIPPETS.find((s) => s.id === 'term')!;
		expect(insertionFor('term', '', { before: 'A ', after: ' here.' })).toEqual({ text: term.text, cursor: term.cursorOffset });
	});

	it('adds only the line breaks the surroundings lack', () => {
		const steps = SNIPPETS.find((s) => s.id === 'steps')!.text;
		expect(insertionFor('steps', '', { before: '', after: '' }).text).toBe(`${steps}\n\n`);
		expect(insertionFor('steps', '', { before: 'Intro.\n\n', after: '\n\nMore.' }).text).toBe(steps);
		expect(insertionFor('steps', '', { before: 'Intro.\n', after: '\nMore.' }).text).toBe(`\n${steps}\n`);
		expect(insertionFor('steps', '', { before: 'Intro. ', after: ' more.' }).text).toBe(`\n\n${steps}\n\n`);
		expect(insertionFor('steps', '', { before: '\n', after: '' }).text).toBe(`${steps}\n\n`);
	});
});

describe('insertionFor with a selection', () => {
	it('wraps the selected word in a term, leaving the spaces around it outside', () => {
		const { text, cursor } = insertionFor('term', ' TDS ', { before: 'Measure', after: 'first.' });
		expect(text).toBe(' <Term definition="What the word means">TDS</Term> ');
		expect(text.slice(cursor, placeholderEnd(text, cursor))).toBe('What the word means');
	});

	it('wraps the selected paragraphs in a callout, with the cursor at its title', () => {
		const { text, cursor } = insertionFor('callout', '\nFirst paragraph.\n\nSecond *one*.\n\n', { before: '# Title\n', after: '' });
		expect(text).toBe('\n<Callout type="note" title="Title">\n\nFirst paragraph.\n\nSecond *one*.\n\n</Callout>\n\n');
		expect(text.slice(cursor, placeholderEnd(text, cursor))).toBe('Title');
	});

	it('numbers the selected lines as steps, and keeps an ordered list as it is', () => {
		expect(insertionFor('steps', '- Unplug it\n- Open the cover\n\nCheck the fuse', { before: '', after: '' }).text).toBe(
			'<Steps>\n\n1. Unplug it\n2. Open the cover\n3. Check the fuse\n\n</Steps>\n\n'
		);
		const list = '1. Unplug it\n   (at the wall)\n2. Wait';
		const { text, cursor } = insertionFor('steps', list, { before: '', after: '\n\n' });
		expect(text).toBe(`<Steps>\n\n${list}\n\n</Steps>`);
		expect(cursor).toBe(text.length);
	});

	it('uses the selection as a picture’s alt text and a question, with quotes and braces escaped', () => {
		const figure = insertionFor('figure', 'The "blue" valve {left}', { before: '', after: '' });
		expect(parseComponent(figure.text.trim()).props.alt).toBe('The &quot;blue&quot; valve &#123;left&#125;');
		const check = insertionFor('knowledge-check', 'Which "stage"\nremoves salts?', { before: '', after: '' });
		expect(parseComponent(check.text.trim()).props.question).toBe('Which &quot;stage&quot; removes salts?');
		expect(check.text.slice(check.cursor, placeholderEnd(check.text, check.cursor))).toBe('An answer');
	});

	it('keeps a selection it has no place for in front of the component', () => {
		const { text, cursor } = insertionFor('dodont', 'Some text.', { before: '', after: '' });
		expect(text.startsWith('Some text.\n\n<DoDont ')).toBe(true);
		expect(text.slice(cursor, placeholderEnd(text, cursor))).toBe('Do this');
	});
});

describe('insertionFor in a lesson', () => {
	const words = fc.stringMatching(/^[A-Za-z][A-Za-z ,.]{0,30}$/);
	const lessonLines = fc.array(fc.oneof(words, fc.constant('')), { maxLength: 8 });

	it('leaves a lesson the checker accepts, with each block on its own lines between blank lines', async () => {
		await fc.assert(
			fc.asyncProperty(lessonLines, fc.nat(), fc.nat(), fc.constantFrom(...ids), async (lines, a, b, id) => {
				const doc = lines.join('\n');
				const [from, to] = [a % (doc.length + 1), b % (doc.length + 1)].sort((x, y) => x - y) as [number, number];
				const selection = doc.slice(from, to);
				const { text } = insertionFor(id, selection, { before: doc.slice(0, from), after: doc.slice(to) });
				const result = doc.slice(0, from) + text + doc.slice(to);
				expect(await problems(result)).toEqual([]);
				if (id === 'term' || id === 'dodont') return;
				const start = result.indexOf('<', from);
				const end = result.indexOf('>', result.lastIndexOf('<')) + 1;
				expect(result.slice(0, start)).toMatch(/(?:^|\n)[ \t]*\n$|^$/);
				expect(result.slice(end)).toMatch(/^[ \t]*\n[ \t]*\n/);
			}),
			{ numRuns: 60 }
		);
	});

	it('turns any selected text into an attribute the checker accepts, read back as written', async () => {
		const ALT = /alt="([^"]*)"/;
		await fc.assert(
			fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''), async (selection) => {
				const { text } = insertionFor('figure', selection, { before: '', after: '' });
				expect(await problems(text)).toEqual([]);
				const written = ALT.exec(text)![1]!;
				expect(written.replace(/&quot;/g, '"').replace(/&#123;/g, '{').replace(/&#125;/g, '}').replace(/&amp;/g, '&')).toBe(selection.replace(/\s+/g, ' ').trim());
			}),
			{ numRuns: 60 }
		);
	});

	it('escapes every character that would end or break an attribute value', () => {
		expect(toAttributeValue('  a "b"\n\n{c} &amp;  ')).toBe('a &quot;b&quot; &#123;c&#125; &amp;amp;');
	});
});

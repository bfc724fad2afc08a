/**
 * Templates of the lesson components for the studio's editor (toolbar and slash menu). Each is
 * written the way `checkLessonBody` (src/lib/content/lesson-body.ts) accepts it: literal
 * attribute values only, blank lines around block components so that the Markdown inside them
 * (a Callout's paragraphs, the list in Steps) is still read as Markdown.
 */

export type SnippetId = 'callout' | 'steps' | 'figure' | 'dodont' | 'term' | 'knowledge-check';

export interface LessonSnippet {
	id: SnippetId;
	label: { en: string; 'zh-CN': string };
	text: string;
	/** Where the cursor goes in `text`: the start of the first placeholder to fill in. */
	cursorOffset: number;
}

/** Text around the place of insertion in the document: at least the line before and the line after. */
export interface Surroundings {
	before: string;
	after: string;
}

const TEMPLATES = {
	callout: { placeholder: 'Title', text: '<Callout type="note" title="Title">\n\nWrite the note here.\n\n</Callout>' },
	steps: { placeholder: 'First step', text: '<Steps>\n\n1. First step\n2. Next step\n\n</Steps>' },
	figure: { placeholder: 'picture.jpg', text: '<Figure src="/media/picture.jpg" alt="What the picture shows" caption="Caption" />' },
	dodont: { placeholder: 'Do this', text: '<DoDont do={["Do this", "And this"]} dont={["Not this", "Nor this"]} />' },
	term: { placeholder: 'word', text: '<Term definition="What the word means">word</Term>' },
	'knowledge-check': {
		placeholder: 'Question?',
		text: '<KnowledgeCheck question="Question?" options={["An answer", "The right answer", "Another answer"]} answer={1} explanation="Why the answer is right" />'
	}
} as const satisfies Record<SnippetId, { placeholder: string; text: string }>;

const LABELS: Record<SnippetId, LessonSnippet['label']> = {
	callout: { en: 'Callout', 'zh-CN': '提示框' },
	steps: { en: 'Steps', 'zh-CN': '步骤' },
	figure: { en: 'Figure', 'zh-CN': '图片' },
	dodont: { en: 'Do & don’t', 'zh-CN': '应该与不应该' },
	term: { en: 'Term', 'zh-CN': '术语' },
	'knowledge-check': { en: 'Knowledge check', 'zh-CN': '自我检查' }
};

export const SNIPPETS: LessonSnippet[] = (Object.keys(TEMPLATES) as SnippetId[]).map((id) => ({
	id,
	label: LABELS[id],
	text: TEMPLATES[id].text,
	cursorOffset: TEMPLATES[id].text.indexOf(TEMPLATES[id].placeholder)
}));

/** Term is inline, in a sentence; the others are blocks of their own. */
const INLINE = new Set<SnippetId>(['term']);

/**
 * Text made safe for a double-quoted attribute: one line (a blank line would end the component's
 * HTML block), no `"` (it would end the value) and no braces (Svelte reads `{` in a value as code).
 * The entities are decoded back into the characters when the lesson is compiled; `&` is escaped
 * too, so that text which looks like an entity stays as written.
 */
export function toAttributeValue(text: string): string {
	return text.replace(/\s+/g, ' ').trim().replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\{/g, '&#123;').replace(/\}/g, '&#125;');
}

/** The selection with blank lines at its ends removed (indentation of its first line kept). */
function paragraphs(selection: string): string {
	return selection.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s+$/, '');
}

/** Selected lines as an ordered list: an ordered list stays as it is; other lines become its items. */
function orderedList(selection: string): string {
	const body = paragraphs(selection);
	if (/^\s*\d+[.)]\s/.test(body)) return body;
	return body
		.split(/\r?\n/)
		.map((line) => line.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim())
		.filter(Boolean)
		.map((item, i) => `${i + 1}. ${item}`)
		.join('\n');
}

interface Piece {
	/** Selected text kept in front of the component (when the component cannot use it). */
	kept: string;
	component: string;
	/** The cursor in `component`; null for after the component. */
	cursor: number | null;
}

function template(id: SnippetId, kept = ''): Piece {
	const snippet = TEMPLATES[id];
	return { kept, component: snippet.text, cursor: snippet.text.indexOf(snippet.placeholder) };
}

/** The component for `id` made from the selection, where the component has a place for it. */
function piece(id: SnippetId, selection: string): Piece {
	if (!selection.trim()) return template(id);
	switch (id) {
		case 'term': {
			// A blank line would split the sentence the term sits in.
			if (/\n[ \t]*\r?\n/.test(selection)) return template(id, selection);
			const word = selection.trim();
			const lead = /^\s*/.exec(selection)![0];
			const trail = selection.slice(lead.length + word.length);
			const open = '<Term definition="';
			return { kept: '', component: `${lead}${open}What the word means">${word}</Term>${trail}`, cursor: lead.length + open.length };
		}
		case 'callout': {
			const open = '<Callout type="note" title="';
			return { kept: '', component: `${open}Title">\n\n${paragraphs(selection)}\n\n</Callout>`, cursor: open.length };
		}
		case 'steps': {
			const list = orderedList(selection);
			return list ? { kept: '', component: `<Steps>\n\n${list}\n\n</Steps>`, cursor: null } : template(id);
		}
		case 'figure': {
			const component = TEMPLATES.figure.text.replace('What the picture shows', () => toAttributeValue(selection));
			return { kept: '', component, cursor: component.indexOf(TEMPLATES.figure.placeholder) };
		}
		case 'knowledge-check': {
			const component = TEMPLATES['knowledge-check'].text.replace('Question?', () => toAttributeValue(selection));
			return { kept: '', component, cursor: component.indexOf('An answer') };
		}
		case 'dodont':
			return template(id, selection);
	}
}

/** Line breaks needed after `before` for a block to start on its own line after a blank line. */
function breaksBefore(before: string): string {
	if (before === '' || /(?:^|\n)[ \t]*\r?\n[ \t]*$/.test(before)) return '';
	return /\n[ \t]*$/.test(before) ? '\n' : '\n\n';
}

/** Line breaks needed before `after` for a blank line to follow a block. */
function breaksAfter(after: string): string {
	if (/^[ \t]*\r?\n[ \t]*\r?\n/.test(after)) return '';
	return /^[ \t]*\r?\n/.test(after) ? '\n' : '\n\n';
}

/**
 * The text that replaces `selection` when the component `id` is inserted, and the cursor in it,
 * at the first placeholder to fill in (`placeholderEnd` gives the placeholder's end), or after
 * the component when there is none. Term wraps the selected word, Callout the selected
 * paragraphs, Steps the selected lines; Figure uses the selection as its `alt` and KnowledgeCheck
 * as its question; DoDont keeps it in front of itself.
 *
 * Block components get their own lines and blank lines around them. With `around` (the text just
 * before and after the selection in the document) only the missing line breaks are added;
 * without it, a blank line is always added on both sides.
 */
export function insertionFor(id: SnippetId, selection: string, around?: Surroundings): { text: string; cursor: number } {
	const { kept, component, cursor } = piece(id, selection);
	if (INLINE.has(id)) {
		const text = kept + component;
		return { text, cursor: kept.length + (cursor ?? component.length) };
	}
	const before = breaksBefore(around ? around.before + kept : kept || 'text');
	const after = breaksAfter(around ? around.after : 'text');
	const start = kept.length + before.length;
	return { text: kept + before + component + after, cursor: start + (cursor ?? component.length) };
}

/** The end of the placeholder starting at `cursor`: it runs to the closing quote, tag or line end. */
export function placeholderEnd(text: string, cursor: number): number {
	const end = text.slice(cursor).search(/["<\n]/);
	return end < 0 ? text.length : cursor + end;
}

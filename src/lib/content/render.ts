import type { AST } from 'svelte/compiler';
import type { ContentLocale } from './schema.ts';

/**
 * Prints a checked lesson as HTML. It runs only on a tree that `checkLessonBody` accepted, and it
 * prints each node itself: every text and attribute value is escaped here, only the allowed
 * elements and attributes are written, and components become fixed markup. Nothing of the
 * lesson is compiled or run, on the server or in the browser.
 *
 * Interactive parts are islands: `<div data-island="knowledge-check" data-props="…">` holds a
 * static version that works without JavaScript; the lesson page mounts the component over it.
 */

export const LESSON_TEXT = {
	en: {
		do: 'Do',
		dont: "Don't",
		checkYourself: 'Check yourself',
		showAnswer: 'Show the answer',
		tip: 'Tip',
		warning: 'Warning',
		safety: 'Safety',
		note: 'Note'
	},
	'zh-CN': {
		do: '应该',
		dont: '不应该',
		checkYourself: '自我检查',
		showAnswer: '显示答案',
		tip: '提示',
		warning: '注意',
		safety: '安全',
		note: '说明'
	}
} as const;

const ICON = { tip: '💡', warning: '⚠️', safety: '⛑️', note: 'ℹ️' } as const;
const VOID = new Set(['br', 'hr', 'img']);

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

type Literal = string | number | string[];

function literal(attribute: AST.Attribute): Literal | undefined {
	const value = attribute.value;
	if (value === true) return undefined;
	const parts = Array.isArray(value) ? value : [value];
	if (parts.every((p) => p.type === 'Text')) return parts.map((p) => (p as AST.Text).data).join('');
	const expression = (parts[0] as AST.ExpressionTag).expression as { type: string; value?: unknown; elements?: Array<{ value?: unknown }> };
	if (expression.type === 'Literal' && (typeof expression.value === 'number' || typeof expression.value === 'string')) return expression.value;
	if (expression.type === 'ArrayExpression') return (expression.elements ?? []).map((e) => String(e.value));
	return undefined;
}

function propsOf(node: AST.Component | AST.RegularElement): Map<string, Literal> {
	const props = new Map<string, Literal>();
	for (const attribute of node.attributes) {
		if (attribute.type !== 'Attribute') continue;
		const value = literal(attribute);
		if (value !== undefined) props.set(attribute.name, value);
	}
	return props;
}

const INLINE = new Set(['strong', 'em', 'b', 'i', 'del', 's', 'sub', 'sup', 'kbd', 'code', 'a', 'br', 'img']);

/** Text and phrasing content: what a paragraph holds. */
function isInline(node: AST.Fragment['nodes'][number]): boolean {
	if (node.type === 'Text') return !/\n\s*\n/.test(node.data) || !node.data.trim();
	if (node.type === 'RegularElement') return INLINE.has(node.name.toLowerCase());
	return node.type === 'Component' && node.name === 'Term';
}

const str = (v: Literal | undefined) => (typeof v === 'string' ? v : undefined);
const list = (v: Literal | undefined) => (Array.isArray(v) ? v : []);

/**
 * Typographic quotes, dashes and ellipses in prose, as typesetters use them: "…" → “…”, it's →
 * it’s, -- → –, --- → —, ... → …. `before` is the character printed just before the text (quotes
 * at the start of a text node follow what came before it, e.g. the end of a **bold** word).
 */
export function smartTypography(text: string, before = ' ', state: { double: boolean } = { double: false }): string {
	let out = '';
	let prev = before;
	const opens = (c: string) => /[\s([{\u2014\u2013\u201c\u2018-]/.test(c);
	const s = text.replace(/---/g, '\u2014').replace(/--/g, '\u2013').replace(/\.\.\./g, '\u2026');
	for (let i = 0; i < s.length; i++) {
		const c = s[i]!;
		const next = s[i + 1] ?? '';
		if (c === '"') {
			// Opening after a space or an opening mark, or (as in Chinese, without spaces) when none is open.
			const open = !state.double && next !== '' && !/\s/.test(next) && (opens(prev) || !/[\p{L}\p{N}]/u.test(prev) || /[\u3000-\u9fff\uff00-\uffef]/.test(prev));
			out += open ? '\u201c' : '\u201d';
			state.double = open;
		} else if (c === "'") out += /[\p{L}\p{N}]/u.test(prev) ? '\u2019' : opens(prev) && next !== '' && !/\s/.test(next) ? '\u2018' : '\u2019';
		else out += c;
		prev = c;
	}
	return out;
}

export interface RenderOptions {
	locale: ContentLocale;
	/** Makes element ids unique on the page (one lesson per page, but previews may show two). */
	idPrefix: string;
}

export function renderLesson(fragment: AST.Fragment, options: RenderOptions): string {
	const t = LESSON_TEXT[options.locale];
	let counter = 0;
	const nextId = () => `${options.idPrefix}-${++counter}`;
	const out: string[] = [];

	let inCode = 0;
	let last = ' ';
	const quotes = { double: false };
	const printNodes = (nodes: AST.Fragment['nodes']) => {
		for (const node of nodes) print(node);
	};
	/**
	 * Where blocks belong (the lesson itself, a callout's body): Markdown does not wrap a paragraph
	 * that starts with a component (a glossary term) in <p>, so each run of inline content is.
	 */
	const printBlocks = (nodes: AST.Fragment['nodes']) => {
		let run: AST.Fragment['nodes'] = [];
		const flush = () => {
			if (run.some((n) => n.type !== 'Text' || n.data.trim())) {
				const first = run.findIndex((n) => n.type !== 'Text' || n.data.trim());
				printNodes(run.slice(0, first));
				out.push('<p>');
				const rest = run.slice(first);
				const lastText = rest.at(-1);
				if (lastText?.type === 'Text') {
					printNodes(rest.slice(0, -1));
					const trimmed = lastText.data.replace(/\s+$/, '');
					print({ ...lastText, data: trimmed });
					out.push('</p>');
					if (trimmed !== lastText.data) out.push(lastText.data.slice(trimmed.length));
				} else {
					printNodes(rest);
					out.push('</p>');
				}
			} else printNodes(run);
			run = [];
		};
		for (const node of nodes) {
			if (isInline(node)) run.push(node);
			else {
				flush();
				print(node);
			}
		}
		flush();
	};
	const print = (node: AST.Fragment['nodes'][number]) => {
		if (node.type === 'Text') {
			const text = inCode ? node.data : smartTypography(node.data, last, quotes);
			if (text) last = text.at(-1)!;
			out.push(escapeHtml(text));
			return;
		}
		if (node.type === 'RegularElement') {
			const name = node.name.toLowerCase();
			const code = name === 'code' || name === 'pre' || name === 'kbd';
			out.push(`<${name}`);
			for (const [key, value] of propsOf(node)) out.push(` ${key.toLowerCase()}="${escapeHtml(String(value))}"`);
			if (name === 'img') out.push(' loading="lazy"');
			out.push('>');
			if (VOID.has(name)) return;
			if (code) inCode++;
			printNodes(node.fragment.nodes);
			if (code) inCode--;
			out.push(`</${name}>`);
			return;
		}
		if (node.type === 'Component') {
			const props = propsOf(node);
			switch (node.name) {
				case 'Callout': {
					const type = (str(props.get('type')) ?? 'note') as keyof typeof ICON;
					const title = str(props.get('title')) ?? t[type];
					out.push(`<aside class="callout ${type}" aria-label="${escapeHtml(title)}"><p class="head"><span aria-hidden="true">${ICON[type]}</span> <strong>${escapeHtml(title)}</strong></p><div class="body">`);
					printBlocks(node.fragment.nodes);
					out.push('</div></aside>');
					return;
				}
				case 'Steps':
					out.push('<div class="steps">');
					printNodes(node.fragment.nodes);
					out.push('</div>');
					return;
				case 'Figure': {
					const caption = str(props.get('caption'));
					out.push(`<figure><img src="${escapeHtml(str(props.get('src')) ?? '')}" alt="${escapeHtml(str(props.get('alt')) ?? '')}" loading="lazy">`);
					if (caption) out.push(`<figcaption>${escapeHtml(caption)}</figcaption>`);
					out.push('</figure>');
					return;
				}
				case 'DoDont': {
					const items = (values: string[]) => values.map((v) => `<li>${escapeHtml(v)}</li>`).join('');
					out.push(
						`<div class="dodont"><section class="do"><h4><span aria-hidden="true">✔</span> ${escapeHtml(t.do)}</h4><ul>${items(list(props.get('do')))}</ul></section>` +
							`<section class="dont"><h4><span aria-hidden="true">✘</span> ${escapeHtml(t.dont)}</h4><ul>${items(list(props.get('dont')))}</ul></section></div>`
					);
					return;
				}
				case 'Term': {
					// Inline: a button that opens a popover. No block element inside a paragraph, no JavaScript.
					const id = nextId();
					out.push(`<button type="button" class="term" popovertarget="${id}" aria-describedby="${id}"><dfn>`);
					printNodes(node.fragment.nodes);
					out.push(`</dfn></button><span class="term-def" id="${id}" popover>${escapeHtml(str(props.get('definition')) ?? '')}</span>`);
					return;
				}
				case 'KnowledgeCheck': {
					const island = {
						question: str(props.get('question')) ?? '',
						options: list(props.get('options')),
						answer: Number(props.get('answer') ?? 0),
						explanation: str(props.get('explanation')),
						id: nextId()
					};
					const answerText = island.options[island.answer] ?? '';
					out.push(
						`<div class="island" data-island="knowledge-check" data-props="${escapeHtml(JSON.stringify(island))}">` +
							`<fieldset class="kc"><legend>${escapeHtml(t.checkYourself)}: ${escapeHtml(island.question)}</legend><ol class="kc-static">` +
							island.options.map((o) => `<li>${escapeHtml(o)}</li>`).join('') +
							`</ol><details><summary>${escapeHtml(t.showAnswer)}</summary><p>${escapeHtml(answerText)}. ${escapeHtml(island.explanation ?? '')}</p></details></fieldset></div>`
					);
					return;
				}
			}
		}
		// Comments and anything the checker refused print nothing.
	};
	printBlocks(fragment.nodes);
	return out.join('');
}

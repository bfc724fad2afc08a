import { compile } from 'mdsvex';
import { parse } from 'svelte/compiler';
import type { AST } from 'svelte/compiler';
import { LESSON_COMPONENTS } from './schema.ts';

/**
 * The rules for a lesson's body, decided on the syntax trees of the parsers that turn it into a
 * page, not on patterns in its text:
 *
 * 1. mdsvex's Markdown tree (remark, with exact positions): text that mdsvex would hand to Svelte
 *    as code (`{`, `}` — also when written as an entity such as `&#123;`, which mdsvex decodes —
 *    and a bare `<`), link and picture addresses, fenced code left open.
 * 2. Svelte's own tree of what mdsvex produces, i.e. what would be compiled: only the listed
 *    components and a small set of HTML elements, each with its own attributes; attribute values
 *    only literal text, numbers and lists of them; no expressions, blocks, `{@html}`, scripts,
 *    styles, `<svelte:…>` elements, directives, spreads or event handlers.
 *
 * Trainer text is untrusted: whatever is refused here never reaches a compiler or a browser.
 */

export interface BodyProblem {
	line: number;
	message: string;
}

export interface BodyFacts {
	problems: BodyProblem[];
	/** Link and picture addresses with their lines, for the checks against the whole index. */
	links: Array<{ line: number; target: string }>;
	/** Svelte's tree of the lesson, when it has no problem: what `renderLesson` prints. */
	tree?: AST.Fragment;
}

/** Longest lesson body accepted, in characters (a long lesson is about 40,000). */
export const MAX_BODY_CHARS = 200_000;
/** Deepest nesting of elements, quotes and lists accepted. */
export const MAX_DEPTH = 24;
/** Markdown's link syntax is slow on pathological input: more "[" than this is refused before parsing. */
const MAX_BRACKETS = 4_000;

const HTML_ELEMENTS: Record<string, readonly string[]> = {
	h2: [], h3: [], h4: [], h5: [], h6: [],
	p: [], br: [], hr: [], blockquote: [],
	ul: [], ol: ['start'], li: [],
	strong: [], em: [], b: [], i: [], del: [], s: [], sub: [], sup: [], kbd: [],
	code: ['class'], pre: [],
	a: ['href', 'title', 'rel'],
	img: ['src', 'alt', 'title'],
	table: [], thead: [], tbody: [], tr: [], th: ['align'], td: ['align']
};

type PropKind = 'string' | 'number' | 'strings';
interface ComponentRule {
	props: Record<string, { kind: PropKind; required?: boolean; oneOf?: readonly string[] }>;
	children: boolean;
}
const COMPONENTS: Record<(typeof LESSON_COMPONENTS)[number], ComponentRule> = {
	Callout: { props: { type: { kind: 'string', oneOf: ['tip', 'warning', 'safety', 'note'] }, title: { kind: 'string' } }, children: true },
	Steps: { props: {}, children: true },
	Figure: { props: { src: { kind: 'string', required: true }, alt: { kind: 'string', required: true }, caption: { kind: 'string' } }, children: false },
	DoDont: { props: { do: { kind: 'strings', required: true }, dont: { kind: 'strings', required: true } }, children: false },
	Term: { props: { definition: { kind: 'string', required: true } }, children: true },
	KnowledgeCheck: {
		props: { question: { kind: 'string', required: true }, options: { kind: 'strings', required: true }, answer: { kind: 'number', required: true }, explanation: { kind: 'string' } },
		children: false
	}
};

/** Addresses a lesson may link to: the web, e-mail, and places on this site. */
export function linkProblem(target: string): string | null {
	// Browsers drop ASCII tab and newline anywhere in a URL and spaces at its ends: `jav\tascript:`.
	// eslint-disable-next-line no-control-regex
	const clean = target.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
	const scheme = /^([a-z][a-z0-9+.-]*):/.exec(clean)?.[1];
	if (scheme === undefined) return clean.startsWith('//') ? `the link ${target} leaves the site without a scheme; write https://…` : null;
	if (scheme === 'http' || scheme === 'https' || scheme === 'mailto') return null;
	return `the link ${target} uses "${scheme}:"; lessons may link only to http(s):, mailto: or pages of this site`;
}

interface MdNode {
	type: string;
	value?: string;
	url?: string;
	children?: MdNode[];
	position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
}

interface HtmlChunk {
	line: number;
	value: string;
}

/** A `{` in prose, in any spelling mdsvex decodes, is Svelte code once compiled. */
const BRACE_MESSAGE = 'a "{" in text starts a Svelte expression; lessons cannot hold braces in prose (not as &#123; either, which becomes "{" again): put them in `code` or rephrase';

function walkMarkdown(tree: MdNode, source: string, firstLine: number, facts: BodyFacts, chunks: HtmlChunk[]) {
	const report = (line: number, message: string) => facts.problems.push({ line, message });
	const lineOf = (node: MdNode) => firstLine + (node.position?.start.line ?? 1) - 1;
	const visit = (node: MdNode, depth: number) => {
		if (depth > MAX_DEPTH) {
			report(lineOf(node), `nested more than ${MAX_DEPTH} levels deep (quotes, lists or elements inside each other)`);
			return;
		}
		switch (node.type) {
			case 'text': {
				const value = node.value ?? '';
				const start = node.position?.start.offset;
				const raw = start !== undefined && node.position?.end.offset !== undefined ? source.slice(start, node.position.end.offset) : value;
				// The line of the first match in the text as written (entities included).
				const at = (pattern: RegExp) => {
					const index = raw.search(pattern);
					return lineOf(node) + (index > 0 ? (raw.slice(0, index).match(/\n/g)?.length ?? 0) : 0);
				};
				if (value.includes('{')) report(at(/\{|&#0*123;|&#x0*7b;|&lbrace;|&lcub;/i), BRACE_MESSAGE);
				else if (value.includes('}')) report(at(/\}|&#0*125;|&#x0*7d;|&rbrace;|&rcub;/i), 'a "}" in text; lessons cannot hold braces in prose: put them in `code` or rephrase');
				if (raw.includes('<')) report(at(/</), 'a bare "<" in text starts a tag; write &lt; instead');
				break;
			}
			case 'link':
			case 'image':
			case 'definition': {
				const url = node.url ?? '';
				const problem = linkProblem(url);
				if (problem) report(lineOf(node), problem);
				facts.links.push({ line: lineOf(node), target: url });
				break;
			}
			case 'html':
			case 'svelteTag':
			case 'svelteBlock':
			case 'svelteScript':
			case 'svelteStyle': {
				const value = node.value ?? '';
				chunks.push({ line: lineOf(node), value });
				for (const m of value.matchAll(/<(script|style)\b/gi)) {
					report(lineOf(node) + (value.slice(0, m.index).match(/\n/g)?.length ?? 0), 'lessons may not contain <script> or <style>; use the lesson components instead');
				}
				break;
			}
		}
		for (const child of node.children ?? []) visit(child, depth + 1);
	};
	visit(tree, 0);
}

/**
 * Lines for what Svelte's tree finds in the compiled output. Markdown's own output (paragraphs,
 * headings, links) never breaks a rule, so whatever does was written as raw HTML or a component:
 * it is found again, in order, in the Markdown tree's HTML chunks, which carry their lines.
 */
class Locator {
	private tags: Array<{ name: string; text: string; line: number; used: boolean }> = [];
	private braces: Array<{ line: number; used: boolean }> = [];
	last: number;

	constructor(chunks: HtmlChunk[], firstLine: number) {
		this.last = chunks[0]?.line ?? firstLine;
		for (const chunk of chunks) {
			const lineAt = (index: number) => chunk.line + (chunk.value.slice(0, index).match(/\n/g)?.length ?? 0);
			for (const m of chunk.value.matchAll(/<([A-Za-z][\w:-]*)([^>]*)/g)) this.tags.push({ name: m[1]!, text: m[2]!, line: lineAt(m.index), used: false });
			// Braces outside tags: expression tags, blocks and {@html} written in raw HTML.
			let inTag = false;
			for (let i = 0; i < chunk.value.length; i++) {
				const ch = chunk.value[i];
				if (ch === '<') inTag = true;
				else if (ch === '>') inTag = false;
				else if (ch === '{' && !inTag) this.braces.push({ line: lineAt(i), used: false });
			}
		}
	}

	/** The line of the next `<name` not located yet (with `attribute` in it, when given). */
	tag(name: string, attribute?: string): number {
		const found = this.tags.find((t) => !t.used && t.name === name && (attribute === undefined || t.text.includes(attribute)));
		if (found) {
			found.used = attribute === undefined;
			this.last = found.line;
		}
		return found?.line ?? this.last;
	}

	brace(): number {
		const found = this.braces.find((b) => !b.used);
		if (found) {
			found.used = true;
			this.last = found.line;
		}
		return found?.line ?? this.last;
	}
}

type Attribute = AST.Attribute | AST.SpreadAttribute | AST.Directive | AST.AttachTag;
type Literal = string | number | string[];

/** The literal an attribute holds, or a reason it is not one. */
function literalOf(attribute: AST.Attribute): { value: Literal } | { problem: string } {
	const value = attribute.value;
	if (value === true) return { problem: `${attribute.name} needs a value` };
	const parts = Array.isArray(value) ? value : [value];
	if (parts.every((p) => p.type === 'Text')) return { value: parts.map((p) => (p as AST.Text).data).join('') };
	const only = parts.length === 1 ? parts[0] : undefined;
	if (only?.type === 'ExpressionTag') {
		const expression = only.expression as { type: string; value?: unknown; elements?: Array<{ type: string; value?: unknown } | null> };
		if (expression.type === 'Literal' && typeof expression.value === 'number' && Number.isFinite(expression.value)) return { value: expression.value };
		if (expression.type === 'Literal' && typeof expression.value === 'string') return { value: expression.value };
		if (expression.type === 'ArrayExpression' && expression.elements?.every((e) => e?.type === 'Literal' && typeof e.value === 'string')) {
			return { value: expression.elements.map((e) => e!.value as string) };
		}
		return { problem: `${attribute.name}={…} may hold only a number, a "string" or a list of "strings", not code` };
	}
	return { problem: `${attribute.name} mixes text and {…}; write the value as plain text` };
}

function checkComponent(node: AST.Component, rule: ComponentRule, line: number, report: (line: number, message: string) => void, links: BodyFacts['links']) {
	const name = node.name;
	const seen = new Map<string, Literal>();
	for (const attribute of node.attributes as Attribute[]) {
		if (attribute.type !== 'Attribute') {
			report(line, `<${name}> may not use ${attribute.type === 'SpreadAttribute' ? 'a {...spread}' : 'directives'}; write each attribute out`);
			continue;
		}
		const spec = rule.props[attribute.name];
		if (!spec) {
			const known = Object.keys(rule.props);
			report(line, `<${name}> has no attribute "${attribute.name}"${known.length ? `; it takes ${known.join(', ')}` : ''}`);
			continue;
		}
		const literal = literalOf(attribute);
		if ('problem' in literal) {
			report(line, `<${name}> ${literal.problem}`);
			continue;
		}
		const got = literal.value;
		const kind: PropKind = typeof got === 'number' ? 'number' : typeof got === 'string' ? 'string' : 'strings';
		if (kind !== spec.kind) {
			const want = spec.kind === 'number' ? 'a number in braces, e.g. answer={0}' : spec.kind === 'strings' ? 'a list of double-quoted strings, e.g. {["one", "two"]}' : 'text in quotes';
			report(line, `<${name}> ${attribute.name} must be ${want}`);
			continue;
		}
		if (spec.oneOf && !spec.oneOf.includes(got as string)) {
			report(line, `<${name} ${attribute.name}="${String(got)}"> must be ${spec.oneOf.slice(0, -1).join(', ')} or ${spec.oneOf.at(-1)}`);
			continue;
		}
		seen.set(attribute.name, got);
	}
	for (const [prop, spec] of Object.entries(rule.props)) {
		if (spec.required && !node.attributes.some((a) => a.type === 'Attribute' && a.name === prop)) {
			report(line, `<${name}> needs ${prop}${spec.kind === 'string' ? '="…"' : spec.kind === 'strings' ? '={["…"]}' : '={…}'}`);
		}
	}
	if (!rule.children && node.fragment.nodes.some((n) => n.type !== 'Text' || n.data.trim())) report(line, `<${name}> takes no content; close it with />`);
	if (name === 'Figure') {
		const src = seen.get('src');
		if (typeof src === 'string') {
			const problem = linkProblem(src);
			if (problem) report(line, problem);
			links.push({ line, target: src });
		}
	}
	if (name === 'KnowledgeCheck') {
		const options = seen.get('options');
		const answer = seen.get('answer');
		if (Array.isArray(options) && options.length < 2) report(line, '<KnowledgeCheck> needs at least two options');
		else if (Array.isArray(options) && typeof answer === 'number' && (!Number.isInteger(answer) || answer < 0 || answer >= options.length)) {
			report(line, `<KnowledgeCheck> answer={${answer}} points past its ${options.length} options (it counts from 0)`);
		}
	}
}

function checkElement(node: AST.RegularElement, allowed: readonly string[], line: number, report: (line: number, message: string) => void, facts: BodyFacts) {
	for (const attribute of node.attributes as Attribute[]) {
		if (attribute.type !== 'Attribute') {
			report(line, `<${node.name}> may not use ${attribute.type === 'SpreadAttribute' ? 'a {...spread}' : 'directives'}`);
			continue;
		}
		const name = attribute.name.toLowerCase();
		if (name.startsWith('on')) {
			report(line, `<${node.name} ${attribute.name}=…>: event handlers run code and are not allowed in lessons`);
			continue;
		}
		if (!allowed.includes(name)) {
			report(line, `<${node.name}> may not have the attribute "${attribute.name}"${allowed.length ? `; it may have ${allowed.join(', ')}` : ''}`);
			continue;
		}
		const literal = literalOf(attribute);
		if ('problem' in literal || typeof literal.value !== 'string') {
			report(line, `<${node.name}> ${attribute.name} must be plain text in quotes`);
			continue;
		}
		if (name === 'href' || name === 'src') {
			// Markdown links reach this tree as <a> and <img> too: the Markdown tree reported them at their line.
			const target = literal.value;
			const problem = linkProblem(target);
			if (problem && !facts.problems.some((p) => p.message === problem)) report(line, problem);
			if (!facts.links.some((l) => l.target === target)) facts.links.push({ line, target });
		}
	}
}

const REFUSED: Record<string, string> = {
	ExpressionTag: BRACE_MESSAGE,
	HtmlTag: '{@html …} is not allowed in lessons',
	ConstTag: '{@const …} is not allowed in lessons',
	DebugTag: '{@debug …} is not allowed in lessons',
	RenderTag: '{@render …} is not allowed in lessons',
	AttachTag: '{@attach …} is not allowed in lessons',
	IfBlock: '{#if …} blocks are not allowed in lessons',
	EachBlock: '{#each …} blocks are not allowed in lessons',
	AwaitBlock: '{#await …} blocks are not allowed in lessons',
	KeyBlock: '{#key …} blocks are not allowed in lessons',
	SnippetBlock: '{#snippet …} blocks are not allowed in lessons',
	SlotElement: '<slot> is not allowed in lessons',
	TitleElement: '<title> is not allowed in lessons'
};

function walkSvelte(fragment: AST.Fragment, at: Locator, facts: BodyFacts) {
	const report = (line: number, message: string) => facts.problems.push({ line, message });
	const components = new Set<string>(LESSON_COMPONENTS);
	const visit = (nodes: AST.Fragment['nodes'], depth: number) => {
		for (const node of nodes) {
			if (depth > MAX_DEPTH) {
				report(at.last, `nested more than ${MAX_DEPTH} levels deep (quotes, lists or elements inside each other)`);
				return;
			}
			if (node.type === 'Text' || node.type === 'Comment') continue;
			if (node.type in REFUSED) {
				report(at.brace(), REFUSED[node.type]!);
				continue;
			}
			if (node.type === 'Component') {
				const line = at.tag(node.name);
				if (!components.has(node.name)) {
					report(line, `unknown component <${node.name}>; lessons may use ${LESSON_COMPONENTS.join(', ')}`);
					continue;
				}
				checkComponent(node, COMPONENTS[node.name as keyof typeof COMPONENTS], line, report, facts.links);
				visit(node.fragment.nodes, depth + 1);
				continue;
			}
			if (node.type === 'RegularElement') {
				const allowed = HTML_ELEMENTS[node.name];
				if (!allowed) {
					const line = at.tag(node.name);
					report(line, node.name === 'script' || node.name === 'style' ? 'lessons may not contain <script> or <style>; use the lesson components instead' : `the HTML element <${node.name}> is not allowed in lessons; use Markdown or the lesson components`);
					continue;
				}
				const first = node.attributes.find((a) => a.type !== 'Attribute' || a.name.toLowerCase().startsWith('on') || !allowed.includes(a.name.toLowerCase()) || ['href', 'src'].includes(a.name));
				const line = first && 'name' in first ? at.tag(node.name, first.name) : at.last;
				checkElement(node, allowed, line, report, facts);
				visit(node.fragment.nodes, depth + 1);
				continue;
			}
			// <svelte:…> elements and anything else the parser may add.
			const name = 'name' in node && typeof node.name === 'string' ? node.name : node.type;
			report(at.tag(name), `<${name}> is not allowed in lessons`);
		}
	};
	visit(fragment.nodes, 0);
}

/** Blank out what is not Markdown for the line scan of fences: an unclosed fence swallows the rest. */
function unclosedFence(body: string, firstLine: number): BodyProblem | null {
	const lines = body.split(/\r?\n/);
	let open: { marker: string; line: number } | null = null;
	for (let i = 0; i < lines.length; i++) {
		const m = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]!);
		if (!m) continue;
		if (!open) open = { marker: m[1]!, line: i };
		else if (m[1]![0] === open.marker[0] && m[1]!.length >= open.marker.length && !/\S/.test(lines[i]!.slice(m[0].length))) open = null;
	}
	return open ? { line: firstLine + lines.length - 1, message: `a fenced code block opened on line ${firstLine + open.line} is never closed` } : null;
}

/**
 * Checks one lesson body (the text after its frontmatter, which starts at `firstLine` of the
 * file). Every problem has the line it is on.
 */
export async function checkLessonBody(body: string, firstLine: number): Promise<BodyFacts> {
	const facts: BodyFacts = { problems: [], links: [] };
	if (body.length > MAX_BODY_CHARS) {
		facts.problems.push({ line: firstLine, message: `the lesson is ${body.length.toLocaleString('en')} characters long; split it into lessons of at most ${MAX_BODY_CHARS.toLocaleString('en')}` });
		return facts;
	}
	if ((body.match(/\[/g)?.length ?? 0) > MAX_BRACKETS) {
		facts.problems.push({ line: firstLine, message: `the lesson has more than ${MAX_BRACKETS.toLocaleString('en')} "[" characters; Markdown cannot check that many links in time` });
		return facts;
	}
	const deepQuote = body.split(/\r?\n/).findIndex((l) => (/^(\s*>)+/.exec(l)?.[0].match(/>/g)?.length ?? 0) > MAX_DEPTH);
	if (deepQuote >= 0) {
		facts.problems.push({ line: firstLine + deepQuote, message: `nested more than ${MAX_DEPTH} levels deep (quotes, lists or elements inside each other)` });
		return facts;
	}
	const fence = unclosedFence(body, firstLine);
	if (fence) facts.problems.push(fence);

	const chunks: HtmlChunk[] = [];
	let code: string;
	try {
		const compiled = await compile(body, {
			highlight: false,
			// Typographic quotes and dashes are set by the printer (render.ts): mdsvex's smartypants
			// pass took more than half of the time of a check.
			smartypants: false,
			remarkPlugins: [() => (tree: MdNode) => walkMarkdown(tree, body, firstLine, facts, chunks)]
		});
		if (!compiled) throw new Error('mdsvex returned nothing');
		code = compiled.code;
	} catch (e) {
		facts.problems.push({ line: firstLine, message: e instanceof RangeError ? `nested too deeply to read` : `the Markdown cannot be read: ${(e as Error).message}` });
		return facts;
	}
	// Text the Markdown tree refused already ({, }, <) would only repeat as parse errors below.
	if (facts.problems.length) return facts;

	let ast: AST.Root;
	try {
		ast = parse(code, { modern: true });
	} catch (e) {
		const error = e as { message?: string; position?: [number, number] };
		const offset = error.position?.[0];
		const at = new Locator(chunks, firstLine);
		// The error is in the last tag of the output that starts before it.
		let line = at.last;
		if (offset !== undefined) {
			const tags = [...code.slice(0, offset).matchAll(/<([A-Za-z][\w:-]*)/g)];
			const last = tags.at(-1);
			if (last && /^[A-Z]/.test(last[1]!)) {
				for (let i = tags.filter((t) => t[1] === last[1]).length; i > 0; i--) line = at.tag(last[1]!);
				if (!/>/.test(code.slice(last.index, offset))) {
					facts.problems.push({ line, message: `<${last[1]}> is never closed with ">"` });
					return facts;
				}
			}
		}
		facts.problems.push({ line, message: `this cannot be read as a lesson: ${(error.message ?? String(e)).split('\n')[0]}` });
		return facts;
	}
	if (ast.instance || ast.module) facts.problems.push({ line: chunks.find((c) => /<script/i.test(c.value))?.line ?? firstLine, message: 'lessons may not contain <script> or <style>; use the lesson components instead' });
	if (ast.css) facts.problems.push({ line: chunks.find((c) => /<style/i.test(c.value))?.line ?? firstLine, message: 'lessons may not contain <script> or <style>; use the lesson components instead' });
	walkSvelte(ast.fragment, new Locator(chunks, firstLine), facts);
	if (!facts.problems.length) facts.tree = ast.fragment;
	return facts;
}

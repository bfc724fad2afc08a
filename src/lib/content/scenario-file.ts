import { scenarioNodeSchema, scenarioSettingsSchema } from './graded-schema.ts';
import { readQuizFile, writeQuizFile, type FormResult, type Fields } from './quiz-file.ts';
import { CONTENT_LOCALES, type ContentLocale } from './schema.ts';

/**
 * A role-play scenario file as the studio edits it: settings (frontmatter) and a list of nodes,
 * the same shape of file as a quiz. The graph drawing is laid out here, as plain data.
 */

type Plain = Record<string, unknown>;
export interface ScenarioFile {
	settings: Plain;
	nodes: Plain[];
}

import { COMPETENCY_FIELDS, NODE_H, NODE_W } from './editor-fields.ts';
export { COMPETENCY_FIELDS, MOOD_VALUES, OUTCOME_VALUES, NODE_H, NODE_W } from './editor-fields.ts';
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readScenarioFile(text: string): ScenarioFile | null {
	const file = readQuizFile(text);
	return file ? { settings: file.settings, nodes: file.questions } : null;
}

export function writeScenarioFile(file: ScenarioFile): string {
	return writeQuizFile({ settings: file.settings, questions: file.nodes });
}

const idOf = (n: Plain) => String(n.id ?? '');
const choicesOf = (n: Plain): Plain[] => (Array.isArray(n.choices) ? n.choices.filter(isPlain) : []);

// ——— Layout ——————————————————————————————————————————————————————————————————————————————

export interface LaidNode {
	id: string;
	x: number;
	y: number;
	/** Column (steps from the start along the longest path). */
	layer: number;
	outcome: string | null;
	mood: string;
	reachable: boolean;
	best: boolean;
}
export interface LaidEdge {
	from: string;
	to: string;
	choice: string;
	best: boolean;
	/** false when `to` is not a node: drawn as a dangling stub. */
	resolved: boolean;
}
export interface Layout {
	width: number;
	height: number;
	nodes: LaidNode[];
	edges: LaidEdge[];
}

const GAP_X = 70;
const GAP_Y = 22;

/**
 * A layered drawing of the conversation: each node in the column of its longest distance from the
 * start (so every reply points rightwards in an acyclic graph), nodes in a column ordered by the
 * mean row of their parents to keep crossings few, unreachable nodes in a last column. Loops and
 * dangling replies (which the checker reports) are drawn, never followed forever.
 */
export function layoutScenario(s: { start: string; nodes: Plain[] }, best: Map<string, Set<string>> = new Map()): Layout {
	const byId = new Map<string, Plain>();
	for (const n of s.nodes) if (!byId.has(idOf(n))) byId.set(idOf(n), n);
	const layer = new Map<string, number>();
	// Longest-path layering by relaxation, capped at the node count (a loop cannot push forever).
	if (byId.has(s.start)) layer.set(s.start, 0);
	for (let round = 0; round < byId.size; round++) {
		let changed = false;
		for (const [id, n] of byId) {
			const l = layer.get(id);
			if (l === undefined) continue;
			for (const c of choicesOf(n)) {
				const next = String(c.next ?? '');
				if (!byId.has(next) || next === s.start) continue;
				if ((layer.get(next) ?? -1) < l + 1 && l + 1 < byId.size) {
					layer.set(next, l + 1);
					changed = true;
				}
			}
		}
		if (!changed) break;
	}
	const reachable = new Set(layer.keys());
	const last = Math.max(-1, ...layer.values()) + 1;
	for (const id of byId.keys()) if (!layer.has(id)) layer.set(id, last);

	const columns = new Map<number, string[]>();
	for (const id of byId.keys()) columns.set(layer.get(id)!, [...(columns.get(layer.get(id)!) ?? []), id]);
	const row = new Map<string, number>();
	const parents = new Map<string, string[]>();
	for (const [id, n] of byId) for (const c of choicesOf(n)) parents.set(String(c.next), [...(parents.get(String(c.next)) ?? []), id]);
	const layers = [...columns.keys()].sort((a, b) => a - b);
	for (const l of layers) {
		const ids = columns.get(l)!;
		const score = (id: string) => {
			const rows = (parents.get(id) ?? []).map((p) => row.get(p)).filter((r): r is number => r !== undefined);
			return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.MAX_SAFE_INTEGER;
		};
		const sorted = ids.map((id, i) => ({ id, i, s: score(id) })).sort((a, b) => a.s - b.s || a.i - b.i);
		sorted.forEach(({ id }, i) => row.set(id, i));
	}
	const bestNodes = new Set<string>([...best.keys()]);
	for (const [id, choices] of best) for (const c of choicesOf(byId.get(id) ?? {})) if (choices.has(String(c.id))) bestNodes.add(String(c.next));
	const nodes: LaidNode[] = [...byId].map(([id, n]) => ({
		id,
		layer: layer.get(id)!,
		x: layer.get(id)! * (NODE_W + GAP_X) + 10,
		y: row.get(id)! * (NODE_H + GAP_Y) + 10,
		outcome: typeof n.outcome === 'string' ? n.outcome : null,
		mood: String(n.mood ?? ''),
		reachable: reachable.has(id),
		best: bestNodes.has(id)
	}));
	const edges: LaidEdge[] = [...byId].flatMap(([id, n]) =>
		choicesOf(n).map((c) => ({ from: id, to: String(c.next ?? ''), choice: String(c.id ?? ''), best: best.get(id)?.has(String(c.id)) ?? false, resolved: byId.has(String(c.next ?? '')) }))
	);
	const rows = Math.max(1, ...[...columns.values()].map((c) => c.length));
	return { width: (Math.max(0, ...layer.values()) + 1) * (NODE_W + GAP_X) + 20, height: rows * (NODE_H + GAP_Y) + 20, nodes, edges };
}

// ——— Edits ———————————————————————————————————————————————————————————————————————————————

/** Puts a node in place of `replacing` (renaming it updates every reply and the start that named it), or appends it. */
export function putNode(file: ScenarioFile, replacing: string | null, node: Plain): ScenarioFile | { error: string } {
	const id = idOf(node);
	if (id !== replacing && file.nodes.some((n) => idOf(n) === id)) return { error: `the id "${id}" is already used by another node` };
	if (replacing === null) return { ...file, nodes: [...file.nodes, node] };
	const i = file.nodes.findIndex((n) => idOf(n) === replacing);
	if (i < 0) return { error: `there is no node "${replacing}"` };
	const rename = (next: unknown) => (next === replacing ? id : next);
	// An ending's claims name replies as node.reply: they follow the node's new id too.
	const renameRef = (ref: unknown) => (typeof ref === 'string' && ref.startsWith(`${replacing}.`) ? `${id}${ref.slice(replacing.length)}` : ref);
	const nodes = file.nodes
		.map((n, j) => (j === i ? node : n))
		.map((n) => ({
			...n,
			...(Array.isArray(n.choices) ? { choices: choicesOf(n).map((c) => ({ ...c, next: rename(c.next) })) } : {}),
			...(Array.isArray(n.assumes) ? { assumes: n.assumes.map(renameRef) } : {}),
			...(Array.isArray(n.excludes) ? { excludes: n.excludes.map(renameRef) } : {})
		}));
	return { settings: { ...file.settings, start: rename(file.settings.start) }, nodes };
}

/**
 * The replies an ending's text can speak about: every reply on some path to the node (found by
 * walking the replies backwards from it), in file order, plus any reply it already claims.
 */
export function repliesLeadingTo(file: ScenarioFile, id: string): Array<{ ref: string; nodeId: string; text: Partial<Record<ContentLocale, string>> }> {
	const into = new Map<string, Array<{ from: string; reply: string }>>();
	for (const n of file.nodes) for (const c of choicesOf(n)) into.set(String(c.next), [...(into.get(String(c.next)) ?? []), { from: idOf(n), reply: String(c.id ?? '') }]);
	const refs = new Set<string>();
	const seen = new Set([id]);
	for (const queue = [id]; queue.length; ) {
		for (const edge of into.get(queue.pop()!) ?? []) {
			refs.add(`${edge.from}.${edge.reply}`);
			if (seen.has(edge.from)) continue;
			seen.add(edge.from);
			queue.push(edge.from);
		}
	}
	const node = file.nodes.find((n) => idOf(n) === id);
	for (const list of ['assumes', 'excludes'] as const) if (node && Array.isArray(node[list])) for (const ref of node[list]) refs.add(String(ref));
	const out: Array<{ ref: string; nodeId: string; text: Partial<Record<ContentLocale, string>> }> = [];
	for (const n of file.nodes)
		for (const c of choicesOf(n)) {
			const ref = `${idOf(n)}.${String(c.id ?? '')}`;
			if (refs.delete(ref)) out.push({ ref, nodeId: idOf(n), text: isPlain(c.text) ? (c.text as Partial<Record<ContentLocale, string>>) : {} });
		}
	for (const ref of refs) out.push({ ref, nodeId: ref.split('.')[0] ?? '', text: {} });
	return out;
}

/** Removes a node; replies that led to it are left dangling for the checker to show. The start cannot be removed. */
export function removeNode(file: ScenarioFile, id: string): ScenarioFile | { error: string } {
	if (file.settings.start === id) return { error: 'the start node cannot be removed; make another node the start first' };
	const nodes = file.nodes.filter((n) => idOf(n) !== id);
	return nodes.length === file.nodes.length ? { error: `there is no node "${id}"` } : { ...file, nodes };
}

// ——— Forms ———————————————————————————————————————————————————————————————————————————————

const value = (f: Fields, name: string): string => {
	const v = f[name];
	return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).replace(/\r\n?/g, '\n').trim();
};

function texts(f: Fields, prefix: string): Partial<Record<ContentLocale, string>> | undefined {
	const out: Partial<Record<ContentLocale, string>> = {};
	for (const locale of CONTENT_LOCALES) {
		const t = value(f, `${prefix}.${locale}`);
		if (t) out[locale] = t;
	}
	return Object.keys(out).length ? out : undefined;
}

function rowNumbers(f: Fields, list: string): number[] {
	const numbers = new Set<number>();
	for (const key of Object.keys(f)) {
		const m = new RegExp(`^${list}\\.(\\d{1,2})\\.`).exec(key);
		if (m) numbers.add(Number(m[1]));
	}
	return [...numbers].sort((a, b) => a - b);
}

const schemaErrors = (issues: Array<{ path: PropertyKey[]; message: string }>) => {
	const errors: Record<string, string> = {};
	for (const issue of issues) errors[issue.path.length ? issue.path.map(String).join('.') : 'form'] ??= issue.message;
	return errors;
};

/**
 * A node from the node editor: the customer's line and mood, and for a conversation node its
 * replies (text, feedback, next node, a score per competency); for an ending its outcome and
 * summary. Empty reply rows are left out; reply ids are kept when valid and made up otherwise.
 */
export function nodeFromFields(f: Fields): FormResult<Plain> {
	const errors: Record<string, string> = {};
	const node: Plain = { id: value(f, 'id'), mood: value(f, 'mood'), line: texts(f, 'line') ?? {} };
	if (!texts(f, 'line')) errors.line = 'write what the customer says';
	const speaker = texts(f, 'speaker');
	if (speaker) node.speaker = speaker;
	const outcome = value(f, 'outcome');
	if (outcome) {
		node.outcome = outcome;
		const summary = texts(f, 'summary');
		if (summary) node.summary = summary;
		const claimed = (made: string) =>
			Object.keys(f)
				.filter((k) => k.startsWith('claims.') && value(f, k) === made)
				.map((k) => k.slice('claims.'.length));
		const assumes = claimed('made');
		const excludes = claimed('not-made');
		if (assumes.length) node.assumes = assumes;
		if (excludes.length) node.excludes = excludes;
	} else {
		const used = new Set<string>();
		const present = rowNumbers(f, 'choices').filter((n) => texts(f, `choices.${n}.text`) || value(f, `choices.${n}.next`));
		node.choices = present.map((n, i) => {
			let id = value(f, `choices.${n}.id`);
			if (!ID.test(id) || used.has(id)) for (let k = i + 1; used.has((id = `reply-${k}`)); k++);
			used.add(id);
			const scores: Record<string, number> = {};
			for (const c of COMPETENCY_FIELDS) {
				const raw = value(f, `choices.${n}.scores.${c}`);
				if (!raw) continue;
				const num = Number(raw);
				if (!Number.isFinite(num)) errors[`choices.${n}.scores.${c}`] = 'must be a number from -10 to 10';
				else if (num !== 0) scores[c] = num;
			}
			return { id, text: texts(f, `choices.${n}.text`) ?? {}, feedback: texts(f, `choices.${n}.feedback`) ?? {}, scores, next: value(f, `choices.${n}.next`) };
		});
		if (!present.length) errors.choices = 'give the technician at least one reply, or make this node an ending';
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	const checked = scenarioNodeSchema.safeParse(node);
	if (!checked.success) return { ok: false, errors: schemaErrors(checked.error.issues) };
	return { ok: true, value: node };
}

/** The node editor's fields for a node: the inverse of {@link nodeFromFields}. */
export function nodeToFields(n: Plain): Record<string, string> {
	const out: Record<string, string> = { id: idOf(n), mood: String(n.mood ?? 'neutral') };
	const put = (prefix: string, v: unknown) => {
		if (isPlain(v)) for (const l of CONTENT_LOCALES) if (typeof v[l] === 'string') out[`${prefix}.${l}`] = v[l];
	};
	put('line', n.line);
	put('speaker', n.speaker);
	if (typeof n.outcome === 'string') out.outcome = n.outcome;
	put('summary', n.summary);
	for (const [list, made] of [['assumes', 'made'], ['excludes', 'not-made']] as const)
		if (Array.isArray(n[list])) for (const ref of n[list]) out[`claims.${String(ref)}`] = made;
	choicesOf(n).forEach((c, i) => {
		out[`choices.${i}.id`] = String(c.id ?? '');
		out[`choices.${i}.next`] = String(c.next ?? '');
		put(`choices.${i}.text`, c.text);
		put(`choices.${i}.feedback`, c.feedback);
		if (isPlain(c.scores)) for (const k of COMPETENCY_FIELDS) if (typeof c.scores[k] === 'number') out[`choices.${i}.scores.${k}`] = String(c.scores[k]);
	});
	return out;
}

/** Scenario settings from the settings form. */
export function scenarioSettingsFromFields(f: Fields): FormResult<Plain> {
	const passMark = Number(value(f, 'passMark'));
	const settings: Plain = { title: texts(f, 'title') ?? {}, summary: texts(f, 'summary') ?? {}, passMark: value(f, 'passMark') === '' ? NaN : passMark, start: value(f, 'start') };
	if (!Number.isFinite(settings.passMark)) return { ok: false, errors: { passMark: 'must be a number from 0 to 100' } };
	const checked = scenarioSettingsSchema.safeParse(settings);
	if (!checked.success) return { ok: false, errors: schemaErrors(checked.error.issues) };
	return { ok: true, value: settings };
}

/** A new scenario: an opening line and one ending, valid for the checker, for the trainer to grow. */
export function newScenarioFile(input: { title: Partial<Record<ContentLocale, string>>; summary: Partial<Record<ContentLocale, string>> }): string {
	const both = (en: string, zh: string) => ({ en, 'zh-CN': zh });
	return writeScenarioFile({
		settings: { title: input.title, summary: input.summary, passMark: 70, start: 'opening' },
		nodes: [
			{
				id: 'opening',
				mood: 'neutral',
				line: both('(What the customer says first.)', '（客户的第一句话。）'),
				choices: [{ id: 'reply-1', text: both('(A reply.)', '（一个回答。）'), feedback: both('(Why it works or not.)', '（为什么好或不好。）'), scores: { listening: 1 }, next: 'ending' }]
			},
			{ id: 'ending', mood: 'calm', line: both('(How the customer ends the conversation.)', '（客户最后怎么说。）'), outcome: 'resolved', summary: both('(What happened.)', '（结果如何。）') }
		]
	});
}

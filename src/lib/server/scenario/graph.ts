import { COMPETENCIES } from './types.ts';
import type { Choice, Competency, Scenario, ScenarioNode, Scores } from './types';

/** The part of a scenario the graph rules look at. */
export type ScenarioGraph = Pick<Scenario, 'start' | 'nodes'>;

export interface GraphProblem {
	/** The node the problem is about; null when it concerns the scenario as a whole (e.g. `start`). */
	nodeId: string | null;
	choiceId?: string;
	message: string;
}

export interface BestScores {
	/** Best reachable score per competency, each maximised on its own (see {@link bestScores}). */
	perCompetency: Record<Competency, number>;
	/** Highest summed score of all competencies along one single path. */
	total: number;
}

/** A node is terminal when it has an outcome: the conversation ends there, whatever else it holds. */
export function isTerminal(node: Pick<ScenarioNode, 'outcome'>): boolean {
	return node.outcome !== undefined;
}

/** Every competency at 0. */
export function zeroScores(): Record<Competency, number> {
	return Object.fromEntries(COMPETENCIES.map((c) => [c, 0])) as Record<Competency, number>;
}

/** Sum of a choice's score deltas over the known competencies (negative deltas count, missing ones are 0). */
export function sumScores(scores: Scores): number {
	return COMPETENCIES.reduce((sum, c) => sum + (scores[c] ?? 0), 0);
}

/** Nodes by id; when an id is duplicated the first node wins (the checker reports the duplicate). */
export function indexNodes(nodes: readonly ScenarioNode[]): Map<string, ScenarioNode> {
	const byId = new Map<string, ScenarioNode>();
	for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
	return byId;
}

function duplicates(ids: readonly string[]): Array<[string, number]> {
	const counts = new Map<string, number>();
	for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
	return [...counts].filter(([, n]) => n > 1);
}

/**
 * Structural rules of a scenario graph: node ids unique; choice ids unique within a node; `start`
 * is a node; every `next` points to a node; every node either has choices or an outcome, never
 * both; every node is reachable from `start`; and the graph is acyclic, so every path ends at a
 * terminal node. One cycle is reported (with its path), not every cycle.
 */
export function checkScenarioGraph(s: ScenarioGraph): GraphProblem[] {
	const problems: GraphProblem[] = [];
	const byId = indexNodes(s.nodes);

	for (const [id, n] of duplicates(s.nodes.map((node) => node.id))) {
		problems.push({ nodeId: id, message: `node id ${id} is used ${n} times` });
	}
	for (const node of s.nodes) {
		for (const [id, n] of duplicates(node.choices.map((c) => c.id))) {
			problems.push({ nodeId: node.id, choiceId: id, message: `choice id ${id} is used ${n} times in node ${node.id}` });
		}
	}
	const startExists = byId.has(s.start);
	if (!startExists) problems.push({ nodeId: null, message: `start ${s.start} is not a node` });

	for (const node of s.nodes) {
		for (const choice of node.choices) {
			if (!byId.has(choice.next)) {
				problems.push({
					nodeId: node.id,
					choiceId: choice.id,
					message: `choice ${choice.id} of node ${node.id} leads to ${choice.next}, which does not exist`
				});
			}
		}
		if (node.choices.length === 0 && !isTerminal(node)) {
			problems.push({ nodeId: node.id, message: `node ${node.id} has no choices and no outcome: the conversation gets stuck there` });
		}
		if (node.choices.length > 0 && isTerminal(node)) {
			problems.push({
				nodeId: node.id,
				message: `node ${node.id} has an outcome (${node.outcome}) and also choices: a terminal node has no choices`
			});
		}
	}

	// Unreachable nodes only make sense once `start` exists; otherwise every node would be reported.
	if (startExists) {
		const seen = new Set(bfsOrder(s));
		const reported = new Set<string>();
		for (const node of s.nodes) {
			if (seen.has(node.id) || reported.has(node.id)) continue;
			reported.add(node.id);
			problems.push({ nodeId: node.id, message: `node ${node.id} cannot be reached from start ${s.start}` });
		}
	}

	const cycle = findCycle(s, byId);
	if (cycle) {
		problems.push({
			nodeId: cycle.path[0] ?? null,
			choiceId: cycle.closingChoiceId,
			message: `the conversation can loop: ${cycle.path.join(' → ')}`
		});
	}
	if (startExists && !cycle) problems.push(...checkEndingClaims(s, byId));
	return problems;
}

/** One step of a path: the node and the reply made there (none at the last node). */
type Step = { nodeId: string; choiceId?: string };

const showPath = (path: readonly Step[]) => path.map((p) => (p.choiceId ? `${p.nodeId} [${p.choiceId}]` : p.nodeId)).join(' → ');

/**
 * A path from `from` to `to` (breadth-first, so a shortest one) that never makes the reply
 * `avoid` ("node.reply"), or null when every path makes it. Assumes an acyclic graph.
 */
function pathAvoiding(byId: Map<string, ScenarioNode>, from: string, to: string, avoid: string | null): Step[] | null {
	const parent = new Map<string, Step | null>([[from, null]]);
	const queue = [from];
	for (let i = 0; i < queue.length; i++) {
		const id = queue[i]!;
		if (id === to) break;
		for (const c of byId.get(id)?.choices ?? []) {
			if (`${id}.${c.id}` === avoid || parent.has(c.next) || !byId.has(c.next)) continue;
			parent.set(c.next, { nodeId: id, choiceId: c.id });
			queue.push(c.next);
		}
	}
	if (!parent.has(to)) return null;
	const path: Step[] = [{ nodeId: to }];
	for (let step = parent.get(to); step; step = parent.get(step.nodeId)) path.unshift(step);
	return path;
}

/**
 * An ending's text may say what the technician did on the way ("you let her finish before touching
 * anything"). The ending lists those replies in `assumes` (made on every path to it) and `excludes`
 * (made on none), and this proves each claim against every path, naming a path that breaks it.
 * Claims on a node that is not an ending, and claims naming replies that do not exist, are refused.
 */
export function checkEndingClaims(s: ScenarioGraph, byId: Map<string, ScenarioNode> = indexNodes(s.nodes)): GraphProblem[] {
	const problems: GraphProblem[] = [];
	for (const node of s.nodes) {
		const claims = [...(node.assumes ?? []).map((ref) => ({ ref, made: true })), ...(node.excludes ?? []).map((ref) => ({ ref, made: false }))];
		if (!claims.length) continue;
		if (!isTerminal(node)) {
			problems.push({ nodeId: node.id, message: `node ${node.id} is not an ending: only an ending says which replies led to it (assumes, excludes)` });
			continue;
		}
		for (const { ref, made } of claims) {
			const [at, reply] = ref.split('.') as [string, string];
			const from = byId.get(at);
			const choice = from?.choices.find((c) => c.id === reply);
			if (!choice) {
				problems.push({ nodeId: node.id, message: `ending ${node.id} ${made ? 'assumes' : 'excludes'} reply ${ref}, which does not exist` });
				continue;
			}
			if (made) {
				const without = pathAvoiding(byId, s.start, node.id, ref);
				if (without)
					problems.push({ nodeId: node.id, message: `ending ${node.id} says reply ${ref} was made, but this path reaches it without it: ${showPath(without)}` });
			} else {
				const before = pathAvoiding(byId, s.start, at, null);
				const after = pathAvoiding(byId, choice.next, node.id, null);
				if (before && after)
					problems.push({
						nodeId: node.id,
						message: `ending ${node.id} says reply ${ref} was not made, but this path makes it and reaches the ending: ${showPath([...before.slice(0, -1), { nodeId: at, choiceId: reply }, ...after])}`
					});
			}
		}
	}
	return problems;
}

/**
 * Depth-first search (start first, then the other nodes in file order) for one cycle; returns its
 * path with the first node repeated at the end (`a → b → a`) and the choice that closes it.
 */
function findCycle(s: ScenarioGraph, byId: Map<string, ScenarioNode>): { path: string[]; closingChoiceId: string } | null {
	const done = new Set<string>();
	const roots = [s.start, ...s.nodes.map((n) => n.id)].filter((id) => byId.has(id));
	for (const root of roots) {
		if (done.has(root)) continue;
		const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
		const onStack = new Set<string>([root]);
		for (let top = stack[0]; top; top = stack[stack.length - 1]) {
			const choice = byId.get(top.id)?.choices[top.next++];
			if (!choice) {
				stack.pop();
				onStack.delete(top.id);
				done.add(top.id);
				continue;
			}
			if (!byId.has(choice.next) || done.has(choice.next)) continue;
			if (onStack.has(choice.next)) {
				const from = stack.findIndex((f) => f.id === choice.next);
				return { path: [...stack.slice(from).map((f) => f.id), choice.next], closingChoiceId: choice.id };
			}
			stack.push({ id: choice.next, next: 0 });
			onStack.add(choice.next);
		}
	}
	return null;
}

/**
 * Node ids reachable from `start`, in breadth-first order (choices in file order). Next ids that
 * point nowhere are skipped; a missing `start` gives an empty list.
 */
export function bfsOrder(s: ScenarioGraph): string[] {
	const byId = indexNodes(s.nodes);
	if (!byId.has(s.start)) return [];
	const order = [s.start];
	const seen = new Set(order);
	// for…of sees the ids pushed while iterating: a plain queue.
	for (const id of order) {
		const node = byId.get(id) as ScenarioNode;
		if (isTerminal(node)) continue;
		for (const choice of node.choices) {
			if (seen.has(choice.next) || !byId.has(choice.next)) continue;
			seen.add(choice.next);
			order.push(choice.next);
		}
	}
	return order;
}

/**
 * Memoised evaluation over the DAG: `visit` computes a node's value from its successors' values,
 * each node is visited once. The graph is assumed valid (see {@link checkScenarioGraph}); a
 * missing node, a loop or a non-terminal dead end throws rather than recursing forever.
 */
function evaluateDag<T>(s: ScenarioGraph, visit: (node: ScenarioNode, valueOf: (id: string) => T) => T): (id: string) => T {
	const byId = indexNodes(s.nodes);
	const memo = new Map<string, T>();
	const inProgress = new Set<string>();
	const valueOf = (id: string): T => {
		if (memo.has(id)) return memo.get(id) as T;
		const node = byId.get(id);
		if (!node) throw new Error(`scenario node ${id} does not exist (run checkScenarioGraph first)`);
		if (inProgress.has(id)) throw new Error(`scenario loops through node ${id} (run checkScenarioGraph first)`);
		if (!isTerminal(node) && node.choices.length === 0) {
			throw new Error(`scenario node ${id} is a dead end (run checkScenarioGraph first)`);
		}
		inProgress.add(id);
		const value = visit(node, valueOf);
		inProgress.delete(id);
		memo.set(id, value);
		return value;
	};
	return valueOf;
}

/** Maximum (or minimum) over paths from each node of the summed total of all competencies. */
function pathTotals(s: ScenarioGraph, pick: (a: number, b: number) => number): (id: string) => number {
	return evaluateDag<number>(s, (node, valueOf) => {
		if (isTerminal(node)) return 0;
		return node.choices.map((c) => sumScores(c.scores) + valueOf(c.next)).reduce((a, b) => pick(a, b));
	});
}

/**
 * Best achievable scores over the paths from `start` to a terminal node, by dynamic programming on
 * the DAG. Each competency in `perCompetency` is maximised INDEPENDENTLY: the best empathy and the
 * best product accuracy may come from different paths, so their sum can exceed `total`. `total` is
 * the maximum, over single paths, of the sum of all competencies on that path — the denominator of
 * the pass mark. Untouched competencies are 0; negative deltas count. Assumes a valid graph.
 */
export function bestScores(s: ScenarioGraph): BestScores {
	const perNode = evaluateDag<Record<Competency, number>>(s, (node, valueOf) => {
		const best = zeroScores();
		if (isTerminal(node)) return best;
		for (const c of COMPETENCIES) {
			best[c] = Math.max(...node.choices.map((choice) => (choice.scores[c] ?? 0) + valueOf(choice.next)[c]));
		}
		return best;
	});
	return { perCompetency: { ...perNode(s.start) }, total: pathTotals(s, Math.max)(s.start) };
}

/** Lowest summed total of all competencies over the paths from `start` to a terminal node. Assumes a valid graph. */
export function worstTotal(s: ScenarioGraph): number {
	return pathTotals(s, Math.min)(s.start);
}

/**
 * Number of distinct paths (sequences of choices) from `start` to a terminal node. Two choices of
 * one node leading to the same next node make two paths. A plain number: it may lose precision
 * beyond 2^53 on huge graphs, which is fine for analytics. Assumes a valid graph.
 */
export function pathsCount(s: ScenarioGraph): number {
	return evaluateDag<number>(s, (node, valueOf) => {
		if (isTerminal(node)) return 1;
		return node.choices.reduce((n, c) => n + valueOf(c.next), 0);
	})(s.start);
}

/**
 * The choices that lie on at least one path from `start` achieving the best total: a choice at a
 * node counts when the node itself lies on such a path and the choice keeps the best total
 * reachable (delta + best total after it = best total from the node). Keyed by node id; nodes off
 * every best path are absent. Assumes a valid graph.
 */
export function bestPathChoices(s: ScenarioGraph): Map<string, Set<string>> {
	const byId = indexNodes(s.nodes);
	const bestFrom = pathTotals(s, Math.max);
	const result = new Map<string, Set<string>>();
	const queue = [s.start];
	const seen = new Set(queue);
	for (const id of queue) {
		const node = byId.get(id) as ScenarioNode;
		if (isTerminal(node)) continue;
		const target = bestFrom(node.id);
		const best = node.choices.filter((c: Choice) => Math.abs(sumScores(c.scores) + bestFrom(c.next) - target) < 1e-9);
		result.set(node.id, new Set(best.map((c) => c.id)));
		for (const c of best) {
			if (seen.has(c.next)) continue;
			seen.add(c.next);
			queue.push(c.next);
		}
	}
	return result;
}

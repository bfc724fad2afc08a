import type { Localized } from '../assessment/types';
import { bestPathChoices, bfsOrder, indexNodes, sumScores, zeroScores } from './graph';
import type { ScenarioGraph } from './graph';
import { COMPETENCIES, OUTCOMES } from './types';
import type { Competency, Outcome, ScenarioNode } from './types';

/** One stored run, as the analysis needs it. */
export type RunRecord = {
	path: Array<{ nodeId: string; choiceId: string }>;
	outcome: Outcome | null;
	scores: Record<Competency, number>;
};

export interface ChoiceStat {
	choiceId: string;
	text: Localized;
	count: number;
	/** Share of the choices made at this node, 0–100, one decimal. */
	share: number;
	/** Lies on a path achieving the best total. */
	best: boolean;
	/** Sum of its score deltas. */
	delta: number;
}

export interface NodeStat {
	nodeId: string;
	line: Localized;
	/** Runs that reached this node (whether or not they chose there). */
	visits: number;
	choices: ChoiceStat[];
}

function round1(n: number): number {
	// `|| 0` turns -0 (e.g. a mean of -0.04) into 0.
	return Math.round(n * 10) / 10 || 0;
}

/**
 * Which replies technicians pick at each node, so a trainer sees which wrong turns are common.
 * Nodes reachable from `start` come in breadth-first order. `visits` counts runs that reached the
 * node: every run reaches `start`; a run reaches a node when a step was made there or its last
 * choice leads there (it finished or stopped there). A choice's `share` is its count out of all
 * choices made at the node (0 when none). `best` marks choices on a path achieving the best total
 * (see `bestPathChoices`). Steps that no longer match the scenario are ignored. Assumes a valid graph.
 */
export function choiceDistribution(s: ScenarioGraph, runs: readonly RunRecord[]): NodeStat[] {
	const byId = indexNodes(s.nodes);
	const best = bestPathChoices(s);
	const visits = new Map<string, number>();
	const counts = new Map<string, Map<string, number>>();
	const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

	for (const run of runs) {
		const reached = new Set<string>([s.start]);
		for (const step of run.path) {
			const choice = byId.get(step.nodeId)?.choices.find((c) => c.id === step.choiceId);
			if (!choice) continue;
			reached.add(step.nodeId);
			reached.add(choice.next);
			if (!counts.has(step.nodeId)) counts.set(step.nodeId, new Map());
			bump(counts.get(step.nodeId) as Map<string, number>, step.choiceId);
		}
		for (const id of reached) bump(visits, id);
	}

	return bfsOrder(s).map((id) => {
		const node = byId.get(id) as ScenarioNode;
		const here = counts.get(id) ?? new Map<string, number>();
		const made = [...here.values()].reduce((a, b) => a + b, 0);
		return {
			nodeId: id,
			line: node.line,
			visits: visits.get(id) ?? 0,
			choices: node.choices.map((c) => {
				const count = here.get(c.id) ?? 0;
				return {
					choiceId: c.id,
					text: c.text,
					count,
					share: made > 0 ? round1((count / made) * 100) : 0,
					best: best.get(id)?.has(c.id) ?? false,
					delta: sumScores(c.scores)
				};
			})
		};
	});
}

/** How runs ended: a count per outcome, plus runs not finished (no outcome yet). */
export function outcomeMix(runs: readonly RunRecord[]): Record<Outcome | 'unfinished', number> {
	const mix = Object.fromEntries([...OUTCOMES, 'unfinished'].map((k) => [k, 0])) as Record<Outcome | 'unfinished', number>;
	for (const run of runs) mix[run.outcome ?? 'unfinished']++;
	return mix;
}

/**
 * Mean score per competency over FINISHED runs only (unfinished runs would drag means down), one
 * decimal. All 0 when no run is finished — check `outcomeMix` for the number of finished runs.
 */
export function competencyAverages(runs: readonly RunRecord[]): Record<Competency, number> {
	const finished = runs.filter((r) => r.outcome !== null);
	const means = zeroScores();
	if (finished.length === 0) return means;
	for (const c of COMPETENCIES) {
		means[c] = round1(finished.reduce((sum, r) => sum + (r.scores[c] ?? 0), 0) / finished.length);
	}
	return means;
}

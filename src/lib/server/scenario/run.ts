import type { ContentLocale } from '$lib/content/schema';
import type { Localized } from '../assessment/types';
import { bestScores, indexNodes, isTerminal, worstTotal, zeroScores } from './graph';
import type { ScenarioGraph } from './graph';
import { COMPETENCIES } from './types';
import type { Competency, Mood, Outcome, Scenario, Scores } from './types';
import type { ScenarioNode } from './types';
import { seededRandom, shuffle } from '../assessment/draw';

/** Where a technician is in a scenario: current node, choices made so far, running scores, outcome once finished. */
export type RunState = {
	nodeId: string;
	path: Array<{ nodeId: string; choiceId: string }>;
	scores: Record<Competency, number>;
	outcome: Outcome | null;
};

export type ChooseResult = { ok: true; state: RunState } | { ok: false; error: 'finished' | 'unknown-choice' };

export interface DebriefStep {
	nodeId: string;
	speaker?: string;
	mood: Mood;
	line: string;
	choice: { id: string; text: string; feedback: string; scores: Scores };
}

export interface Debrief {
	steps: DebriefStep[];
	end: { nodeId: string; line: string; outcome: Outcome; summary?: string } | null;
	scores: Record<Competency, { got: number; best: number }>;
	total: { got: number; best: number };
	/** 0–100, one decimal. */
	percent: number;
	passed: boolean;
}

/** What the browser may see of a node: no scores, no feedback, no `next`. */
export interface PublicNode {
	id: string;
	speaker?: string;
	mood: Mood;
	line: string;
	choices: Array<{ id: string; text: string }>;
	terminal: boolean;
	outcome?: Outcome;
}

/**
 * Text in `locale`, else in `fallbackLocale`, else in any language the text has, else ''.
 */
export function localize(text: Localized, locale: ContentLocale, fallbackLocale: ContentLocale): string {
	return text[locale] ?? text[fallbackLocale] ?? Object.values(text).find((t) => t !== undefined) ?? '';
}

/** A run begins at `start` with every competency at 0 (and is already finished if `start` is terminal). */
export function startRun(s: ScenarioGraph): RunState {
	const node = indexNodes(s.nodes).get(s.start);
	return { nodeId: s.start, path: [], scores: zeroScores(), outcome: node?.outcome ?? null };
}

/**
 * Applies one choice without mutating `state`. Only a choice of the CURRENT node is accepted (a
 * choice id of another node is 'unknown-choice'); a finished run accepts none ('finished'). The
 * choice's deltas add to the scores; arriving at a terminal node sets the outcome.
 */
export function choose(s: ScenarioGraph, state: RunState, choiceId: string): ChooseResult {
	const byId = indexNodes(s.nodes);
	const node = byId.get(state.nodeId);
	if (state.outcome !== null || (node && isTerminal(node))) return { ok: false, error: 'finished' };
	const choice = node?.choices.find((c) => c.id === choiceId);
	if (!node || !choice) return { ok: false, error: 'unknown-choice' };
	const scores = { ...state.scores };
	for (const c of COMPETENCIES) scores[c] = (scores[c] ?? 0) + (choice.scores[c] ?? 0);
	return {
		ok: true,
		state: {
			nodeId: choice.next,
			path: [...state.path, { nodeId: node.id, choiceId: choice.id }],
			scores,
			outcome: byId.get(choice.next)?.outcome ?? null
		}
	};
}

function round1(n: number): number {
	// `|| 0` turns -0 (e.g. a mean of -0.04) into 0.
	return Math.round(n * 10) / 10 || 0;
}

/**
 * Percent of the best possible total, one decimal, clamped to 0–100. When no path scores above 0
 * (best ≤ 0), "percent of best" is meaningless, so the run is placed linearly between the worst
 * and the best path totals instead (100 when all paths score the same).
 */
export function scorePercent(got: number, best: number, worst: number): number {
	let raw: number;
	if (best > 0) raw = (got / best) * 100;
	else if (best > worst) raw = ((got - worst) / (best - worst)) * 100;
	else raw = got >= best ? 100 : 0;
	return round1(Math.min(100, Math.max(0, raw)));
}

/**
 * The end-of-run review: each choice made with its feedback and deltas, the ending, scores against
 * the best achievable ones (per competency maximised independently, total over a single path — see
 * `bestScores`), the percent of the best total and whether it reaches `passMark` (only a finished
 * run can pass). Texts are in `locale`, else `fallbackLocale`. Steps that no longer match the
 * scenario (content edited since the run) are left out. Assumes a valid graph.
 */
export function debrief(
	s: Pick<Scenario, 'start' | 'nodes' | 'passMark'>,
	state: RunState,
	locale: ContentLocale,
	fallbackLocale: ContentLocale
): Debrief {
	const byId = indexNodes(s.nodes);
	const t = (text: Localized) => localize(text, locale, fallbackLocale);
	const steps: DebriefStep[] = [];
	for (const step of state.path) {
		const node = byId.get(step.nodeId);
		const choice = node?.choices.find((c) => c.id === step.choiceId);
		if (!node || !choice) continue;
		steps.push({
			nodeId: node.id,
			...(node.speaker ? { speaker: t(node.speaker) } : {}),
			mood: node.mood,
			line: t(node.line),
			choice: { id: choice.id, text: t(choice.text), feedback: t(choice.feedback), scores: { ...choice.scores } }
		});
	}

	const last = byId.get(state.nodeId);
	const end =
		state.outcome !== null && last
			? {
					nodeId: last.id,
					line: t(last.line),
					outcome: state.outcome,
					...(last.summary ? { summary: t(last.summary) } : {})
				}
			: null;

	const best = bestScores(s);
	const scores = Object.fromEntries(
		COMPETENCIES.map((c) => [c, { got: state.scores[c] ?? 0, best: best.perCompetency[c] }])
	) as Record<Competency, { got: number; best: number }>;
	const got = COMPETENCIES.reduce((sum, c) => sum + (state.scores[c] ?? 0), 0);
	const percent = scorePercent(got, best.total, worstTotal(s));
	return {
		steps,
		end,
		scores,
		total: { got, best: best.total },
		percent,
		passed: state.outcome !== null && percent >= s.passMark
	};
}

/**
 * The replies of a node in the order one run sees them, each with the opaque token the browser
 * gets as its id (`r1`, `r2`, … in display order). The order is shuffled per run and node (the
 * seed is the run's id, which stays on the server as the mapping's key), so the best reply is
 * not always in one place, and a reply's id (which may describe it) never reaches the browser.
 */
export function replyTokens(node: Pick<ScenarioNode, 'id' | 'choices'>, seed: string): Array<{ token: string; choiceId: string }> {
	return shuffle(node.choices, seededRandom(`${seed}:${node.id}:replies`)).map((c, i) => ({ token: `r${i + 1}`, choiceId: c.id }));
}

/** The choice a token stands for in this run, or null when it names none. */
export function choiceOfToken(s: ScenarioGraph, nodeId: string, seed: string, token: string): string | null {
	const node = indexNodes(s.nodes).get(nodeId);
	return (node && replyTokens(node, seed).find((r) => r.token === token)?.choiceId) ?? null;
}

/**
 * The public view of one node for the browser: speaker, mood, line and the choices' texts only —
 * never scores, feedback or where a choice leads. With a `seed` (the run's id) the replies come in
 * that run's shuffled order behind opaque tokens (see {@link replyTokens}); without one, in file
 * order with their ids (the transcript's already-chosen replies). Null when the node does not exist.
 */
export function presentNode(
	s: ScenarioGraph,
	nodeId: string,
	locale: ContentLocale,
	fallbackLocale: ContentLocale,
	seed?: string
): PublicNode | null {
	const node = indexNodes(s.nodes).get(nodeId);
	if (!node) return null;
	const t = (text: Localized) => localize(text, locale, fallbackLocale);
	const terminal = isTerminal(node);
	const byId = new Map(node.choices.map((c) => [c.id, c]));
	const choices = terminal
		? []
		: seed === undefined
			? node.choices.map((c) => ({ id: c.id, text: t(c.text) }))
			: replyTokens(node, seed).map((r) => ({ id: r.token, text: t(byId.get(r.choiceId)!.text) }));
	return {
		id: node.id,
		...(node.speaker ? { speaker: t(node.speaker) } : {}),
		mood: node.mood,
		line: t(node.line),
		choices,
		terminal,
		...(node.outcome ? { outcome: node.outcome } : {})
	};
}

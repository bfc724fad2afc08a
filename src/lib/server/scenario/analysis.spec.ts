import { describe, expect, it } from 'vitest';
import { choiceDistribution, competencyAverages, outcomeMix } from './analysis';
import type { RunRecord } from './analysis';
import type { Choice, Scenario, ScenarioNode, Scores } from './types';

/** A choice whose texts are derived from its id. */
function choice(id: string, next: string, scores: Scores = {}): Choice {
	return { id, next, scores, text: { en: `say ${id}` }, feedback: { en: `about ${id}` } };
}
function node(id: string, choices: Choice[], extra: Partial<ScenarioNode> = {}): ScenarioNode {
	return { id, mood: 'neutral', line: { en: `line ${id}` }, choices, ...extra };
}
function end(id: string, outcome: ScenarioNode['outcome']): ScenarioNode {
	return node(id, [], { outcome });
}

/**
 * Diamond: door → calm | tense → kitchen → resolved | escalated; tense can also end in lost.
 * Path totals: apologise-listen-diagnose 10, apologise-listen-escalate 6, excuse-ask-diagnose 7,
 * excuse-ask-escalate 3, excuse-argue −2.
 */
function diamond(): Pick<Scenario, 'start' | 'nodes'> {
	return {
		start: 'door',
		nodes: [
			node('door', [
				choice('apologise', 'calm', { empathy: 2, professionalism: 1 }),
				choice('excuse', 'tense', { empathy: -1, listening: 1 })
			]),
			node('calm', [choice('listen', 'kitchen', { listening: 2 })]),
			node('tense', [
				choice('ask', 'kitchen', { listening: 1, problemSolving: 1 }),
				choice('argue', 'lost-end', { professionalism: -2 })
			]),
			node('kitchen', [
				choice('diagnose', 'resolved-end', { problemSolving: 3, productAccuracy: 2 }),
				choice('escalate', 'escalated-end', { productAccuracy: 1 })
			]),
			end('resolved-end', 'resolved'),
			end('escalated-end', 'escalated'),
			end('lost-end', 'lost')
		]
	};
}

type Step = [nodeId: string, choiceId: string];

/** A stored run following the given steps through the diamond, scores summed from the fixture. */
function run(...steps: Step[]): RunRecord {
	const s = diamond();
	const scores = { listening: 0, empathy: 0, problemSolving: 0, professionalism: 0, productAccuracy: 0 };
	let outcome: RunRecord['outcome'] = null;
	for (const [nodeId, choiceId] of steps) {
		const c = s.nodes.find((n) => n.id === nodeId)?.choices.find((ch) => ch.id === choiceId);
		if (!c) continue;
		for (const [k, v] of Object.entries(c.scores)) scores[k as keyof typeof scores] += v ?? 0;
		outcome = s.nodes.find((n) => n.id === c.next)?.outcome ?? null;
	}
	return { path: steps.map(([nodeId, choiceId]) => ({ nodeId, choiceId })), outcome, scores };
}

const best: Step[] = [['door', 'apologise'], ['calm', 'listen'], ['kitchen', 'diagnose']];
const lost: Step[] = [['door', 'excuse'], ['tense', 'argue']];
const recovered: Step[] = [['door', 'excuse'], ['tense', 'ask'], ['kitchen', 'diagnose']];
const stopped: Step[] = [['door', 'excuse']];

function runs(): RunRecord[] {
	return [run(...best), run(...lost), run(...recovered), run(...stopped)];
}

describe('choiceDistribution', () => {
	it('lists nodes in breadth-first order with visits, counts and shares', () => {
		const dist = choiceDistribution(diamond(), runs());
		expect(dist.map((n) => [n.nodeId, n.visits])).toEqual([
			['door', 4],
			['calm', 1],
			['tense', 3],
			['kitchen', 2],
			['lost-end', 1],
			['resolved-end', 2],
			['escalated-end', 0]
		]);
		expect(dist[0]).toEqual({
			nodeId: 'door',
			line: { en: 'line door' },
			visits: 4,
			choices: [
				{ choiceId: 'apologise', text: { en: 'say apologise' }, count: 1, share: 25, best: true, delta: 3 },
				{ choiceId: 'excuse', text: { en: 'say excuse' }, count: 3, share: 75, best: false, delta: 0 }
			]
		});
	});

	it('shares are out of the choices made at the node, not its visits', () => {
		const tense = choiceDistribution(diamond(), runs()).find((n) => n.nodeId === 'tense');
		expect(tense?.visits).toBe(3);
		expect(tense?.choices.map((c) => [c.choiceId, c.count, c.share, c.best, c.delta])).toEqual([
			['ask', 1, 50, false, 2],
			['argue', 1, 50, false, -2]
		]);
	});

	it('rounds shares to one decimal', () => {
		const door = choiceDistribution(diamond(), [run(...best), run(...lost), run(...recovered)])[0];
		expect(door?.choices.map((c) => c.share)).toEqual([33.3, 66.7]);
	});

	it('marks the choices on the best-total path', () => {
		const dist = choiceDistribution(diamond(), []);
		const bestIds = dist.flatMap((n) => n.choices.filter((c) => c.best).map((c) => `${n.nodeId}/${c.choiceId}`));
		expect(bestIds).toEqual(['door/apologise', 'calm/listen', 'kitchen/diagnose']);
	});

	it('gives zero visits and shares without runs', () => {
		const dist = choiceDistribution(diamond(), []);
		expect(dist.every((n) => n.visits === 0 && n.choices.every((c) => c.count === 0 && c.share === 0))).toBe(true);
		expect(dist.find((n) => n.nodeId === 'lost-end')?.choices).toEqual([]);
	});

	it('ignores steps that no longer match the scenario', () => {
		const dist = choiceDistribution(diamond(), [run(['door', 'apologise'], ['calm', 'vanished'])]);
		expect(dist.find((n) => n.nodeId === 'calm')?.choices[0]?.count).toBe(0);
		expect(dist.find((n) => n.nodeId === 'calm')?.visits).toBe(1);
		expect(dist.find((n) => n.nodeId === 'kitchen')?.visits).toBe(0);
	});
});

describe('outcomeMix', () => {
	it('counts each outcome and unfinished runs', () => {
		expect(outcomeMix(runs())).toEqual({ resolved: 2, escalated: 0, lost: 1, unfinished: 1 });
		expect(outcomeMix([])).toEqual({ resolved: 0, escalated: 0, lost: 0, unfinished: 0 });
	});
});

describe('competencyAverages', () => {
	it('averages finished runs only, one decimal', () => {
		expect(competencyAverages(runs())).toEqual({
			listening: 1.7,
			empathy: 0,
			problemSolving: 2.3,
			professionalism: -0.3,
			productAccuracy: 1.3
		});
	});

	it('is all 0 without finished runs', () => {
		expect(competencyAverages([run(...stopped)])).toEqual({
			listening: 0,
			empathy: 0,
			problemSolving: 0,
			professionalism: 0,
			productAccuracy: 0
		});
	});
});

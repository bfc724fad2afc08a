import { describe, expect, it } from 'vitest';
import { bestPathChoices, bestScores, bfsOrder, checkScenarioGraph, pathsCount, sumScores, worstTotal } from './graph';
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

/** The fixture node with this id (throws when missing, which keeps the specs strictly typed). */
function nodeOf(s: Pick<Scenario, 'nodes'>, id: string): ScenarioNode {
	const found = s.nodes.find((n) => n.id === id);
	if (!found) throw new Error(`no node ${id}`);
	return found;
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

describe('checkScenarioGraph', () => {
	it('accepts a valid diamond', () => {
		expect(checkScenarioGraph(diamond())).toEqual([]);
	});

	it('reports duplicate node ids once per id', () => {
		const s = diamond();
		s.nodes.push(end('lost-end', 'lost'), end('lost-end', 'lost'));
		expect(checkScenarioGraph(s)).toEqual([{ nodeId: 'lost-end', message: 'node id lost-end is used 3 times' }]);
	});

	it('reports duplicate choice ids within a node, not across nodes', () => {
		const s = diamond();
		nodeOf(s, 'door').choices.push(choice('excuse', 'tense'));
		nodeOf(s, 'calm').choices.push(choice('ask', 'kitchen'));
		expect(checkScenarioGraph(s)).toEqual([
			{ nodeId: 'door', choiceId: 'excuse', message: 'choice id excuse is used 2 times in node door' }
		]);
	});

	it('reports a start that is not a node, without flagging every node unreachable', () => {
		const s = { ...diamond(), start: 'porch' };
		expect(checkScenarioGraph(s)).toEqual([{ nodeId: null, message: 'start porch is not a node' }]);
	});

	it('reports a next that points to no node', () => {
		const s = diamond();
		nodeOf(s, 'calm').choices = [choice('listen', 'garage')];
		const problems = checkScenarioGraph(s);
		expect(problems).toContainEqual({
			nodeId: 'calm',
			choiceId: 'listen',
			message: 'choice listen of node calm leads to garage, which does not exist'
		});
	});

	it('reports a dead end that is not terminal', () => {
		const s = diamond();
		s.nodes = s.nodes.map((n) => (n.id === 'calm' ? node('calm', []) : n));
		expect(checkScenarioGraph(s)).toEqual([
			{ nodeId: 'calm', message: 'node calm has no choices and no outcome: the conversation gets stuck there' }
		]);
	});

	it('reports a terminal node that also has choices', () => {
		const s = diamond();
		nodeOf(s, 'lost-end').choices = [choice('plead', 'kitchen')];
		expect(checkScenarioGraph(s)).toEqual([
			{ nodeId: 'lost-end', message: 'node lost-end has an outcome (lost) and also choices: a terminal node has no choices' }
		]);
	});

	it('reports nodes unreachable from start', () => {
		const s = diamond();
		s.nodes.push(node('attic', [choice('leave', 'lost-end')]), end('orphan-end', 'resolved'));
		expect(checkScenarioGraph(s)).toEqual([
			{ nodeId: 'attic', message: 'node attic cannot be reached from start door' },
			{ nodeId: 'orphan-end', message: 'node orphan-end cannot be reached from start door' }
		]);
	});

	it('reports one cycle with its path, starting where the search from start entered it', () => {
		const s = diamond();
		nodeOf(s, 'kitchen').choices.push(choice('restart', 'tense'));
		// door → calm → kitchen is explored first, so the loop is entered at kitchen and closed by tense's "ask".
		expect(checkScenarioGraph(s)).toEqual([
			{ nodeId: 'kitchen', choiceId: 'ask', message: 'the conversation can loop: kitchen → tense → kitchen' }
		]);
	});

	it('reports a self-loop', () => {
		const s = diamond();
		nodeOf(s, 'calm').choices.push(choice('again', 'calm'));
		expect(checkScenarioGraph(s)).toEqual([
			{ nodeId: 'calm', choiceId: 'again', message: 'the conversation can loop: calm → calm' }
		]);
	});

	it('finds a cycle among nodes unreachable from start', () => {
		const s = diamond();
		s.nodes.push(node('x', [choice('go', 'y')]), node('y', [choice('back', 'x')]));
		const problems = checkScenarioGraph(s);
		expect(problems.map((p) => p.message)).toEqual([
			'node x cannot be reached from start door',
			'node y cannot be reached from start door',
			'the conversation can loop: x → y → x'
		]);
	});
});

describe('bfsOrder', () => {
	it('lists reachable nodes breadth-first, choices in file order', () => {
		expect(bfsOrder(diamond())).toEqual(['door', 'calm', 'tense', 'kitchen', 'lost-end', 'resolved-end', 'escalated-end']);
	});
});

describe('bestScores', () => {
	it('maximises each competency independently and the total over one path', () => {
		expect(bestScores(diamond())).toEqual({
			perCompetency: { listening: 2, empathy: 2, problemSolving: 4, professionalism: 1, productAccuracy: 2 },
			total: 10
		});
	});

	it('counts negative deltas and leaves untouched competencies at 0', () => {
		const s = {
			start: 'a',
			nodes: [
				node('a', [choice('bad', 'b', { empathy: -2 }), choice('worse', 'b', { empathy: -5 })]),
				node('b', [choice('ok', 'z', { empathy: 1 })]),
				end('z', 'resolved')
			]
		};
		expect(bestScores(s)).toEqual({
			perCompetency: { listening: 0, empathy: -1, problemSolving: 0, professionalism: 0, productAccuracy: 0 },
			total: -1
		});
		expect(worstTotal(s)).toBe(-4);
	});

	it('is all 0 when start is terminal', () => {
		const s = { start: 'z', nodes: [end('z', 'lost')] };
		expect(bestScores(s).total).toBe(0);
		expect(worstTotal(s)).toBe(0);
		expect(pathsCount(s)).toBe(1);
	});

	it('throws instead of looping forever on a cyclic graph', () => {
		const s = diamond();
		nodeOf(s, 'kitchen').choices.push(choice('restart', 'tense'));
		expect(() => bestScores(s)).toThrow(/loops/);
	});
});

describe('worstTotal', () => {
	it('is the lowest path total', () => {
		expect(worstTotal(diamond())).toBe(-2);
	});
});

describe('pathsCount', () => {
	it('counts distinct start→terminal paths', () => {
		expect(pathsCount(diamond())).toBe(5);
	});

	it('counts two choices to the same node as two paths', () => {
		const s = { start: 'a', nodes: [node('a', [choice('x', 'z'), choice('y', 'z')]), end('z', 'resolved')] };
		expect(pathsCount(s)).toBe(2);
	});

	it('handles a long chain of diamonds without enumerating paths', () => {
		const nodes: ScenarioNode[] = [];
		for (let i = 0; i < 60; i++) nodes.push(node(`n${i}`, [choice('l', `n${i + 1}`), choice('r', `n${i + 1}`)]));
		nodes.push(end('n60', 'resolved'));
		expect(pathsCount({ start: 'n0', nodes })).toBe(2 ** 60);
	});
});

describe('bestPathChoices', () => {
	it('marks the choices on the best-total path only', () => {
		const best = bestPathChoices(diamond());
		expect([...best].map(([id, set]) => [id, [...set]])).toEqual([
			['door', ['apologise']],
			['calm', ['listen']],
			['kitchen', ['diagnose']]
		]);
	});

	it('marks every choice of tied best paths', () => {
		const s = {
			start: 'a',
			nodes: [
				node('a', [choice('x', 'b', { empathy: 1 }), choice('y', 'b', { listening: 1 }), choice('w', 'b')]),
				node('b', [choice('ok', 'z')]),
				end('z', 'resolved')
			]
		};
		expect([...(bestPathChoices(s).get('a') ?? [])]).toEqual(['x', 'y']);
	});
});

describe('sumScores', () => {
	it('sums deltas, negatives included', () => {
		expect(sumScores({ empathy: 2, professionalism: -3 })).toBe(-1);
		expect(sumScores({})).toBe(0);
	});
});

describe('what an ending says happened on the way (assumes, excludes)', () => {
	function withClaims(id: string, claims: Pick<ScenarioNode, 'assumes' | 'excludes'>) {
		const s = diamond();
		Object.assign(nodeOf(s, id), claims);
		return s;
	}
	const messages = (s: Pick<Scenario, 'start' | 'nodes'>) => checkScenarioGraph(s).map((p) => p.message);

	it('accepts claims that every path to the ending keeps', () => {
		expect(checkScenarioGraph(withClaims('lost-end', { assumes: ['door.excuse', 'tense.argue'], excludes: ['door.apologise'] }))).toEqual([]);
		expect(checkScenarioGraph(withClaims('resolved-end', { assumes: ['kitchen.diagnose'], excludes: ['tense.argue'] }))).toEqual([]);
	});

	it('names a path that reaches the ending without a reply it says was made', () => {
		// "You apologised at the door" — but excuse → ask → diagnose also ends here.
		expect(messages(withClaims('resolved-end', { assumes: ['door.apologise'] }))).toEqual([
			'ending resolved-end says reply door.apologise was made, but this path reaches it without it: door [excuse] → tense [ask] → kitchen [diagnose] → resolved-end'
		]);
	});

	it('names a path that makes a reply the ending says was not made', () => {
		expect(messages(withClaims('escalated-end', { excludes: ['door.excuse'] }))).toEqual([
			'ending escalated-end says reply door.excuse was not made, but this path makes it and reaches the ending: door [excuse] → tense [ask] → kitchen [escalate] → escalated-end'
		]);
	});

	it('refuses claims about replies that do not exist, and claims on a node that is not an ending', () => {
		expect(messages(withClaims('resolved-end', { assumes: ['door.shout'], excludes: ['hall.listen'] }))).toEqual([
			'ending resolved-end assumes reply door.shout, which does not exist',
			'ending resolved-end excludes reply hall.listen, which does not exist'
		]);
		expect(messages(withClaims('kitchen', { assumes: ['door.apologise'] }))).toEqual([
			'node kitchen is not an ending: only an ending says which replies led to it (assumes, excludes)'
		]);
	});
});

import { describe, expect, it } from 'vitest';
import { choiceOfToken, choose, debrief, localize, presentNode, replyTokens, scorePercent, startRun } from './run';
import type { RunState } from './run';
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
function diamond(): Pick<Scenario, 'start' | 'nodes' | 'passMark'> {
	return {
		start: 'door',
		passMark: 70,
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

/** The diamond with some Chinese texts, a speaker and an ending summary. */
function localized() {
	const s = diamond();
	const door = nodeOf(s, 'door');
	const apologise = door.choices.find((c) => c.id === 'apologise');
	if (!apologise) throw new Error('no apologise');
	door.speaker = { en: 'Mrs Li', 'zh-CN': '李女士' };
	door.mood = 'angry';
	door.line = { en: 'You were supposed to come yesterday!', 'zh-CN': '你们昨天就该来了！' };
	apologise.text = { en: 'I am sorry', 'zh-CN': '很抱歉' };
	apologise.feedback = { en: 'Owning the delay calms her.' };
	nodeOf(s, 'resolved-end').summary = { en: 'Fixed.', 'zh-CN': '修好了。' };
	return s;
}

/** Plays choices one by one, failing the test on a refused one. */
function play(s: ReturnType<typeof diamond>, ...choiceIds: string[]): RunState {
	let state = startRun(s);
	for (const id of choiceIds) {
		const r = choose(s, state, id);
		if (!r.ok) throw new Error(`choice ${id} refused: ${r.error}`);
		state = r.state;
	}
	return state;
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		for (const v of Object.values(value)) deepFreeze(v);
		Object.freeze(value);
	}
	return value;
}

describe('startRun', () => {
	it('starts at start with every competency at 0', () => {
		expect(startRun(diamond())).toEqual({
			nodeId: 'door',
			path: [],
			scores: { listening: 0, empathy: 0, problemSolving: 0, professionalism: 0, productAccuracy: 0 },
			outcome: null
		});
	});

	it('is finished at once when start is terminal', () => {
		expect(startRun({ start: 'z', nodes: [end('z', 'lost')] }).outcome).toBe('lost');
	});
});

describe('choose', () => {
	it('applies a choice of the current node without mutating the state', () => {
		const s = diamond();
		const before = deepFreeze(startRun(s));
		const r = choose(s, before, 'excuse');
		expect(r).toEqual({
			ok: true,
			state: {
				nodeId: 'tense',
				path: [{ nodeId: 'door', choiceId: 'excuse' }],
				scores: { listening: 1, empathy: -1, problemSolving: 0, professionalism: 0, productAccuracy: 0 },
				outcome: null
			}
		});
		expect(before.nodeId).toBe('door');
		expect(before.path).toEqual([]);
	});

	it('refuses a choice id of another node', () => {
		const s = diamond();
		expect(choose(s, startRun(s), 'listen')).toEqual({ ok: false, error: 'unknown-choice' });
		expect(choose(s, startRun(s), 'nope')).toEqual({ ok: false, error: 'unknown-choice' });
	});

	it('sets the outcome on reaching a terminal node, then refuses further choices', () => {
		const s = diamond();
		const state = play(s, 'excuse', 'argue');
		expect(state.outcome).toBe('lost');
		expect(state.nodeId).toBe('lost-end');
		expect(state.scores.professionalism).toBe(-2);
		expect(choose(s, state, 'argue')).toEqual({ ok: false, error: 'finished' });
	});

	it('refuses choices on a state marked finished', () => {
		const s = diamond();
		expect(choose(s, { ...startRun(s), outcome: 'escalated' }, 'apologise')).toEqual({ ok: false, error: 'finished' });
	});
});

describe('debrief', () => {
	it('reviews the best path in the wanted locale, falling back per text', () => {
		const s = localized();
		const d = debrief(s, play(s, 'apologise', 'listen', 'diagnose'), 'zh-CN', 'en');
		expect(d.steps[0]).toEqual({
			nodeId: 'door',
			speaker: '李女士',
			mood: 'angry',
			line: '你们昨天就该来了！',
			choice: { id: 'apologise', text: '很抱歉', feedback: 'Owning the delay calms her.', scores: { empathy: 2, professionalism: 1 } }
		});
		expect(d.steps.map((st) => st.choice.id)).toEqual(['apologise', 'listen', 'diagnose']);
		expect(d.steps[1]).not.toHaveProperty('speaker');
		expect(d.end).toEqual({ nodeId: 'resolved-end', line: 'line resolved-end', outcome: 'resolved', summary: '修好了。' });
		expect(d.total).toEqual({ got: 10, best: 10 });
		expect(d.percent).toBe(100);
		expect(d.passed).toBe(true);
	});

	it('compares scores with the best per competency', () => {
		const s = diamond();
		const d = debrief(s, play(s, 'excuse', 'ask', 'diagnose'), 'en', 'en');
		expect(d.scores).toEqual({
			listening: { got: 2, best: 2 },
			empathy: { got: -1, best: 2 },
			problemSolving: { got: 4, best: 4 },
			professionalism: { got: 0, best: 1 },
			productAccuracy: { got: 2, best: 2 }
		});
		expect(d.total).toEqual({ got: 7, best: 10 });
		expect(d.percent).toBe(70);
		expect(d.passed).toBe(true);
		expect(d.end).not.toHaveProperty('summary');
	});

	it('fails below the pass mark', () => {
		const s = diamond();
		const d = debrief(s, play(s, 'apologise', 'listen', 'escalate'), 'en', 'en');
		expect(d.percent).toBe(60);
		expect(d.passed).toBe(false);
	});

	it('clamps a negative total to 0 percent', () => {
		const s = diamond();
		const d = debrief(s, play(s, 'excuse', 'argue'), 'en', 'en');
		expect(d.total).toEqual({ got: -2, best: 10 });
		expect(d.percent).toBe(0);
		expect(d.end?.outcome).toBe('lost');
	});

	it('never passes an unfinished run', () => {
		const s = { ...diamond(), passMark: 10 };
		const d = debrief(s, play(s, 'apologise', 'listen'), 'en', 'en');
		expect(d.percent).toBe(50);
		expect(d.end).toBeNull();
		expect(d.passed).toBe(false);
	});

	it('leaves out steps that no longer match the scenario', () => {
		const s = diamond();
		const state = play(s, 'apologise', 'listen');
		const d = debrief(s, { ...state, path: [...state.path, { nodeId: 'kitchen', choiceId: 'gone' }] }, 'en', 'en');
		expect(d.steps.map((st) => st.choice.id)).toEqual(['apologise', 'listen']);
	});
});

describe('scorePercent', () => {
	it('rounds to one decimal and clamps to 0–100', () => {
		expect(scorePercent(2, 3, 0)).toBe(66.7);
		expect(scorePercent(-5, 10, -5)).toBe(0);
		expect(scorePercent(12, 10, 0)).toBe(100);
	});

	it('places the run between worst and best when no path scores above 0', () => {
		expect(scorePercent(-2, 0, -8)).toBe(75);
		expect(scorePercent(-3, -3, -3)).toBe(100);
	});
});

describe('localize', () => {
	it('takes the locale, else the fallback, else any text, else empty', () => {
		expect(localize({ en: 'a', 'zh-CN': 'b' }, 'zh-CN', 'en')).toBe('b');
		expect(localize({ en: 'a' }, 'zh-CN', 'en')).toBe('a');
		expect(localize({ 'zh-CN': 'b' }, 'en', 'en')).toBe('b');
		expect(localize({}, 'en', 'zh-CN')).toBe('');
	});
});

describe('presentNode', () => {
	/** Distinctive deltas that must never reach the browser. */
	function secretive(): Pick<Scenario, 'start' | 'nodes'> {
		return {
			start: 'door',
			nodes: [
				node('door', [choice('kind', 'fine-end', { empathy: 7 }), choice('rude', 'bad-end', { professionalism: -3 })], {
					speaker: { en: 'Mr Wang' }
				}),
				end('fine-end', 'resolved'),
				end('bad-end', 'lost')
			]
		};
	}

	it('shows line and choice texts only', () => {
		const view = presentNode(localized(), 'door', 'zh-CN', 'en');
		expect(view).toEqual({
			id: 'door',
			speaker: '李女士',
			mood: 'angry',
			line: '你们昨天就该来了！',
			choices: [
				{ id: 'apologise', text: '很抱歉' },
				{ id: 'excuse', text: 'say excuse' }
			],
			terminal: false
		});
	});

	it('leaks no scores, feedback or next', () => {
		const s = secretive();
		const json = JSON.stringify(s.nodes.map((n) => presentNode(s, n.id, 'en', 'en')));
		for (const key of ['scores', 'feedback', 'next']) expect(json).not.toContain(`"${key}"`);
		expect(json).not.toMatch(/7|-3/);
		expect(json).not.toContain('about kind');
		expect(JSON.stringify(presentNode(s, 'door', 'en', 'en'))).not.toMatch(/fine-end|bad-end/);
	});

	it('marks terminal nodes with their outcome', () => {
		expect(presentNode(diamond(), 'lost-end', 'en', 'en')).toEqual({
			id: 'lost-end',
			mood: 'neutral',
			line: 'line lost-end',
			choices: [],
			terminal: true,
			outcome: 'lost'
		});
	});

	it('is null for an unknown node', () => {
		expect(presentNode(diamond(), 'attic', 'en', 'en')).toBeNull();
	});
});

describe('replies per run', () => {
	const s = {
		start: 'q',
		nodes: [node('q', ['best', 'defensive', 'cold', 'promise'].map((id) => choice(id, 'end'))), end('end', 'resolved')]
	};
	it('shows each run its own order behind tokens, and maps a token back on the server only', () => {
		const orders = new Set<string>();
		for (let i = 0; i < 40; i++) {
			const seed = `run-${i}`;
			const shown = presentNode(s, 'q', 'en', 'en', seed)!;
			expect(shown.choices.map((c) => c.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
			orders.add(shown.choices.map((c) => c.text).join('|'));
			// Deterministic for a run.
			expect(presentNode(s, 'q', 'en', 'en', seed)!.choices).toEqual(shown.choices);
			for (const c of shown.choices) expect(`say ${choiceOfToken(s, 'q', seed, c.id)}`).toBe(c.text);
		}
		expect(orders.size).toBeGreaterThan(10);
		// The best reply is not always first.
		expect([...orders].filter((o) => o.startsWith('say best')).length).toBeLessThan(20);
		expect(choiceOfToken(s, 'q', 'run-1', 'best')).toBeNull();
		expect(choiceOfToken(s, 'q', 'run-1', 'r9')).toBeNull();
		expect(choiceOfToken(s, 'nowhere', 'run-1', 'r1')).toBeNull();
		expect(replyTokens(nodeOf(s, 'end'), 'x')).toEqual([]);
	});
});

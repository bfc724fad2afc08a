import { describe, expect, it } from 'vitest';
import { checkContent } from './check.ts';
import { gradeAttempt } from '../server/assessment/grade.ts';
import { presentQuestion } from '../server/assessment/draw.ts';
import type { Question, Response } from '../server/assessment/types.ts';
import { choose, replyTokens, scorePercent, startRun } from '../server/scenario/run.ts';
import { bestScores, indexNodes, sumScores, worstTotal } from '../server/scenario/graph.ts';
import type { Scenario } from '../server/scenario/types.ts';

/**
 * A "test-wise" technician who knows nothing: always the longest option or reply, or always the
 * first one shown. Every shipped quiz, exam and scenario must fail them: a certification is worth
 * what its assessments measure.
 */

const { graded, problems } = await checkContent(process.cwd());
const chars = (t: Partial<Record<string, string>>) => [...(t.en ?? Object.values(t)[0] ?? '')].length;
type Strategy = 'longest' | 'first';

function answer(q: Question, strategy: Strategy, seed: string): Response | undefined {
	const shown = presentQuestion(q, seed, true, 'en', 'en');
	const pick = <T extends { text: Partial<Record<string, string>> }>(items: T[]) =>
		strategy === 'first' ? items[0]! : items.reduce((a, b) => (chars(b.text) > chars(a.text) ? b : a));
	switch (q.type) {
		case 'single': {
			const order = shown.options!.map((o) => q.options.find((x) => x.id === o.id)!);
			return { type: 'single', optionId: pick(order).id };
		}
		case 'multiple': {
			const order = shown.options!.map((o) => q.options.find((x) => x.id === o.id)!);
			return { type: 'multiple', optionIds: [pick(order).id] };
		}
		case 'truefalse':
			return { type: 'truefalse', value: true };
		case 'ordering':
			return { type: 'ordering', itemIds: shown.items!.map((i) => i.id) };
		default:
			// Numbers, words and matches cannot be guessed from the look of the options.
			return undefined;
	}
}

function playScenario(s: Scenario, strategy: Strategy, seed: string): number {
	const byId = indexNodes(s.nodes);
	let state = startRun(s);
	for (let turn = 0; turn < 50 && state.outcome === null; turn++) {
		const node = byId.get(state.nodeId)!;
		const shown = replyTokens(node, seed).map((r) => node.choices.find((c) => c.id === r.choiceId)!);
		const reply = strategy === 'first' ? shown[0]! : shown.reduce((a, b) => (chars(b.text) > chars(a.text) ? b : a));
		const next = choose(s, state, reply.id);
		if (!next.ok) break;
		state = next.state;
	}
	return scorePercent(sumScores(state.scores), bestScores(s).total, worstTotal(s));
}

describe('a test-wise technician who knows nothing', () => {
	it('reads valid shipped content', () => {
		expect(problems).toEqual([]);
		expect(graded.quizzes.length).toBeGreaterThan(10);
		expect(graded.scenarios.length).toBeGreaterThanOrEqual(3);
	});

	for (const quiz of graded.quizzes) {
		it(`fails ${quiz.courseSlug}/${quiz.id} (${quiz.kind}) by always taking the longest or the first option`, () => {
			for (const strategy of ['longest', 'first'] as const) {
				for (const seed of ['a', 'b', 'c']) {
					const answers = Object.fromEntries(quiz.questions.flatMap((q) => {
						const r = answer(q, strategy, seed);
						return r ? [[q.id, r]] : [];
					}));
					const { percent } = gradeAttempt(quiz.questions, answers);
					expect(percent, `${strategy}, seed ${seed}`).toBeLessThan(quiz.passMark);
				}
			}
		});
	}

	for (const scenario of graded.scenarios) {
		it(`fails ${scenario.courseSlug}/${scenario.id} by always taking the longest or the first reply`, () => {
			for (const strategy of ['longest', 'first'] as const) {
				for (const seed of ['run-a', 'run-b', 'run-c', 'run-d']) expect(playScenario(scenario, strategy, seed), `${strategy}, ${seed}`).toBeLessThan(scenario.passMark);
			}
		});
	}
});

import type { Quiz } from '../server/assessment/types.ts';
import type { Scenario } from '../server/scenario/types.ts';
import { checkScenarioGraph, indexNodes, isTerminal, sumScores } from '../server/scenario/graph.ts';
import type { ContentLocale } from './schema.ts';

/**
 * Item-writing checks: what lets a technician who knows nothing pass by test-wiseness. They are
 * warnings (the file still publishes), each at its file and line:
 * - a keyed option is the one longest option in more than 40 % of a file's choice questions,
 *   or the best reply is the longest in more than 35 % of a scenario's decision nodes;
 * - the keyed option is always at the same position in a file, or an option is "all / none of
 *   the above" (以上都对 / 以上都不对 …);
 * - a practice question is nearly the same text as a question of the course's exam;
 * - a scenario node offers fewer than 3 replies, or replies whose lengths differ by more than 2×.
 */

export interface Warning {
	file: string;
	line: number;
	message: string;
}

export const LONGEST_KEY_LIMIT = 0.4;
export const LONGEST_BEST_REPLY_LIMIT = 0.35;
const NEAR_COPY = 0.75;
const ABOVE = /\b(all|none|both|neither) of the (above|options)\b|以上(都|全|皆)?(对|是|正确|不对|不是|错误|都不)|上述(都|全|皆)/i;

type LineOf = (id: string) => number;
const LOCALES: ContentLocale[] = ['en', 'zh-CN'];
const length = (text: Partial<Record<ContentLocale, string>>, locale: ContentLocale) => [...(text[locale] ?? '')].length;
const pct = (n: number) => `${Math.round(n * 100)} %`;

/** Whether `i` is the single longest of `lengths` (ties are not "the longest"). */
function uniqueLongest(lengths: number[], i: number): boolean {
	return lengths.every((l, j) => j === i || l < lengths[i]!);
}

export function quizWarnings(quiz: Quiz, lineOf: LineOf): Warning[] {
	const out: Warning[] = [];
	const choice = quiz.questions.filter((q) => q.type === 'single' || q.type === 'multiple');
	const locales = LOCALES.filter((l) => choice.some((q) => q.prompt[l]));
	const longest = choice.filter((q) =>
		locales.some((l) => {
			const lengths = q.options.map((o) => length(o.text, l));
			return q.options.some((o, i) => o.correct && uniqueLongest(lengths, i));
		})
	);
	if (choice.length && longest.length / choice.length > LONGEST_KEY_LIMIT) {
		out.push({
			file: quiz.file,
			line: 1,
			message: `a keyed option is the longest option in ${longest.length} of ${choice.length} choice questions (${pct(longest.length / choice.length)}, more than ${pct(LONGEST_KEY_LIMIT)}): ${longest.map((q) => q.id).join(', ')}`
		});
	}
	const singles = quiz.questions.filter((q) => q.type === 'single' && q.options.length >= 3);
	if (singles.length >= 3) {
		const positions = new Set(singles.map((q) => (q.type === 'single' ? q.options.findIndex((o) => o.correct) : -1)));
		if (positions.size === 1) out.push({ file: quiz.file, line: 1, message: `the keyed option is option ${[...positions][0]! + 1} in every single-choice question` });
	}
	for (const q of choice) {
		const above = q.options.find((o) => Object.values(o.text).some((t) => ABOVE.test(t ?? '')));
		if (above) out.push({ file: quiz.file, line: lineOf(q.id), message: `question ${q.id}: an option like "all / none of the above" (${above.id}) rewards test-wiseness; name the right answers instead` });
	}
	return out;
}

/** Word (latin) and character (CJK) tokens of a text, for near-copy detection. */
function tokens(text: string): Set<string> {
	const words = text.toLowerCase().match(/[a-z0-9]+|[\u4e00-\u9fff]/g) ?? [];
	const grams = new Set<string>();
	for (let i = 0; i + 1 < words.length; i++) grams.add(`${words[i]} ${words[i + 1]}`);
	return grams;
}

/** Dice similarity of word bigrams (1: the same text). */
export function similarity(a: string, b: string): number {
	const x = tokens(a);
	const y = tokens(b);
	if (!x.size || !y.size) return 0;
	let both = 0;
	for (const g of x) if (y.has(g)) both++;
	return (2 * both) / (x.size + y.size);
}

/** Practice questions that are nearly an exam question of the same course. */
export function nearCopyWarnings(practice: Quiz, exams: Quiz[], lineOf: LineOf): Warning[] {
	const out: Warning[] = [];
	for (const q of practice.questions) {
		for (const exam of exams) {
			const twin = exam.questions.find((e) => LOCALES.some((l) => q.prompt[l] && e.prompt[l] && similarity(q.prompt[l]!, e.prompt[l]!) >= NEAR_COPY));
			if (twin) {
				out.push({ file: practice.file, line: lineOf(q.id), message: `question ${q.id} is nearly the same as ${twin.id} of the exam ${exam.id}: practise the rule on another situation` });
				break;
			}
		}
	}
	return out;
}

export function scenarioWarnings(s: Scenario, lineOf: LineOf): Warning[] {
	if (checkScenarioGraph(s).length) return [];
	const out: Warning[] = [];
	const byId = indexNodes(s.nodes);
	// Best total reachable from each node, for "the best reply" of every node (on the best path or not).
	const memo = new Map<string, number>();
	const bestFrom = (id: string): number => {
		if (memo.has(id)) return memo.get(id)!;
		const node = byId.get(id)!;
		const value = isTerminal(node) ? 0 : Math.max(...node.choices.map((c) => sumScores(c.scores) + bestFrom(c.next)));
		memo.set(id, value);
		return value;
	};
	const decisions = s.nodes.filter((n) => !isTerminal(n));
	const longestBest: string[] = [];
	for (const node of decisions) {
		const values = node.choices.map((c) => sumScores(c.scores) + bestFrom(c.next));
		const top = Math.max(...values);
		const best = node.choices.map((_, i) => i).filter((i) => Math.abs(values[i]! - top) < 1e-9);
		for (const locale of LOCALES.filter((l) => node.line[l])) {
			const lengths = node.choices.map((c) => length(c.text, locale));
			if (best.some((i) => uniqueLongest(lengths, i)) && node.choices.length > 1) {
				longestBest.push(node.id);
				break;
			}
		}
		if (node.choices.length < 3) out.push({ file: s.file, line: lineOf(node.id), message: `node ${node.id} offers ${node.choices.length} ${node.choices.length === 1 ? 'reply' : 'replies'}: give 3 or 4 plausible ones` });
		for (const locale of LOCALES) {
			const lengths = node.choices.map((c) => length(c.text, locale)).filter((l) => l > 0);
			if (lengths.length >= 2 && Math.max(...lengths) > 2 * Math.min(...lengths)) {
				out.push({ file: s.file, line: lineOf(node.id), message: `node ${node.id}: its replies differ in length by more than 2× (${Math.min(...lengths)} to ${Math.max(...lengths)} characters, ${locale})` });
				break;
			}
		}
	}
	if (decisions.length && longestBest.length / decisions.length > LONGEST_BEST_REPLY_LIMIT) {
		out.push({
			file: s.file,
			line: 1,
			message: `the best reply is the longest in ${longestBest.length} of ${decisions.length} decision nodes (${pct(longestBest.length / decisions.length)}, more than ${pct(LONGEST_BEST_REPLY_LIMIT)}): ${longestBest.join(', ')}`
		});
	}
	return out;
}

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The answer keys of a quiz file, read from disk by the test (never from the app): the browser
 * test plays a technician who knows the right answers.
 */
export interface KeyedQuestion {
	id: string;
	type: string;
	options?: Array<{ id: string; correct?: boolean; text: { en: string } }>;
	items?: Array<{ id: string; text: { en: string } }>;
	pairs?: Array<{ id: string; left: { en: string }; right: { en: string } }>;
	answer?: number | boolean;
	accept?: string[];
	explanation?: { en: string; 'zh-CN'?: string };
}

export function readQuiz(course: string, quiz: string): Map<string, KeyedQuestion> {
	const text = readFileSync(`content/courses/${course}/${quiz}.quiz.md`, 'utf8');
	const body = text.split(/^---$/m).slice(2).join('---');
	const questions = parse(body) as KeyedQuestion[];
	return new Map(questions.map((q) => [q.id, q]));
}

/** Every explanation and option explanation text of a quiz: none may reach the browser during an exam. */
export function secretTexts(questions: Map<string, KeyedQuestion>): string[] {
	const out: string[] = [];
	for (const q of questions.values()) {
		if (q.explanation) out.push(...Object.values(q.explanation));
		for (const o of q.options ?? []) {
			const e = (o as { explanation?: Record<string, string> }).explanation;
			if (e) out.push(...Object.values(e));
		}
	}
	return out.filter((t) => t.length > 15);
}

/** Feedback texts of a scenario file: none may reach the browser before the debrief. */
export function scenarioFeedback(course: string, scenario: string): string[] {
	const text = readFileSync(`content/courses/${course}/${scenario}.scenario.md`, 'utf8');
	const nodes = parse(text.split(/^---$/m).slice(2).join('---')) as Array<{ choices?: Array<{ feedback: Record<string, string> }> }>;
	return nodes.flatMap((n) => (n.choices ?? []).flatMap((c) => Object.values(c.feedback))).filter((t) => t.length > 15);
}

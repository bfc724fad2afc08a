import type { z } from 'zod';
import type { ContentLocale } from './schema.ts';
import { questionSchema, quizSettingsSchema, scenarioNodeSchema, scenarioSettingsSchema } from './graded-schema.ts';
import type { Question, Quiz } from '../server/assessment/types.ts';
import type { Scenario } from '../server/scenario/types.ts';
import { checkScenarioGraph } from '../server/scenario/graph.ts';

type Report = (line: number, message: string) => void;
type LineOf = (path: PropertyKey[]) => number;

interface Split {
	settings: unknown;
	settingsLineOf: LineOf;
	body: unknown;
	bodyLineOf: LineOf;
}

function issueMessage(issue: z.core.$ZodIssue): string {
	if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
	const where = issue.path.length ? issue.path.join('.') : 'value';
	const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
	return missing ? `${where} is required` : `${where} ${issue.message}`;
}

function validate<T>(schema: z.ZodType<T>, data: unknown, lineOf: LineOf, prefix: PropertyKey[], report: Report, label: string): T | null {
	const result = schema.safeParse(data);
	if (result.success) return result.data;
	for (const issue of result.error.issues) {
		const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
		report(lineOf([...prefix, ...path]), `${label}: ${issueMessage(issue)}`);
	}
	return null;
}

/** Every text given per locale must have each of the course's locales. */
function checkLocales(value: unknown, locales: ContentLocale[], lineOf: LineOf, path: PropertyKey[], report: Report) {
	if (!value || typeof value !== 'object') return;
	if (Array.isArray(value)) {
		value.forEach((v, i) => checkLocales(v, locales, lineOf, [...path, i], report));
		return;
	}
	const keys = Object.keys(value);
	const isText = keys.length > 0 && keys.every((k) => k === 'en' || k === 'zh-CN') && Object.values(value).every((v) => typeof v === 'string');
	if (isText) {
		for (const locale of locales)
			if (!(locale in value)) report(lineOf(path), `${path.filter((p) => typeof p === 'string').at(-1) ?? 'text'} has no ${locale} text, but the course is written in ${locale}`);
		return;
	}
	for (const [k, v] of Object.entries(value)) checkLocales(v, locales, lineOf, [...path, k], report);
}

function duplicates(ids: string[]): string[] {
	const seen = new Set<string>();
	return ids.filter((i) => (seen.has(i) ? true : (seen.add(i), false)));
}

/** Checks a quiz or exam file and returns it when valid. */
export function checkQuiz(
	id: string,
	file: string,
	split: Split,
	course: { slug: string; locales: ContentLocale[]; lessons: string[]; pictureExists?: (target: string) => boolean },
	report: Report
): Quiz | null {
	const settings = validate(quizSettingsSchema, split.settings, split.settingsLineOf, [], report, 'frontmatter');
	if (!Array.isArray(split.body) || !split.body.length) {
		report(split.bodyLineOf([]), 'the body must be a YAML list of questions ("- id: …")');
		return null;
	}
	const questions: Question[] = [];
	split.body.forEach((raw, i) => {
		const q = validate(questionSchema, raw, split.bodyLineOf, [i], report, `question ${(raw as { id?: string })?.id ?? i + 1}`);
		if (!q) return;
		const line = split.bodyLineOf([i]);
		const inner =
			'options' in q ? q.options.map((o) => o.id) : 'items' in q ? q.items.map((o) => o.id) : 'pairs' in q ? q.pairs.map((o) => o.id) : [];
		for (const d of new Set(duplicates(inner))) report(line, `question ${q.id}: the id "${d}" is used twice inside it`);
		if (q.type === 'text') for (const a of q.accept) if (!a.trim()) report(line, `question ${q.id}: an accepted answer is empty`);
		if (q.picture && course.pictureExists && !course.pictureExists(q.picture)) report(split.bodyLineOf([i, 'picture']), `question ${q.id}: picture ${q.picture} does not exist`);
		checkLocales(raw, course.locales, split.bodyLineOf, [i], report);
		questions.push(q as Question);
	});
	for (const d of new Set(duplicates(questions.map((q) => q.id)))) {
		const index = (split.body as Array<{ id?: string }>).findLastIndex((q) => q?.id === d);
		report(split.bodyLineOf([index]), `the question id "${d}" is used twice`);
	}
	if (!settings) return null;
	checkLocales(split.settings, course.locales, split.settingsLineOf, [], report);
	for (const lesson of settings.lessons)
		if (!course.lessons.includes(lesson)) report(split.settingsLineOf(['lessons']), `lessons: the course has no lesson "${lesson}"`);
	settings.draw.forEach((d, i) => {
		const pool = questions.filter((q) => q.tags.includes(d.tag)).length;
		if (pool === 0) report(split.settingsLineOf(['draw', i]), `draw: no question is tagged "${d.tag}"`);
		else if (d.count > pool) report(split.settingsLineOf(['draw', i]), `draw: asks for ${d.count} questions tagged "${d.tag}", but only ${pool} have that tag`);
	});
	for (const tag of Object.keys(settings.topics))
		if (!questions.some((q) => q.tags.includes(tag))) report(split.settingsLineOf(['topics', tag]), `topics: no question is tagged "${tag}"`);
	if (settings.kind === 'exam' && settings.review === 'explanations')
		report(split.settingsLineOf(['review']), 'review: an exam shows the score only (review: score), so its questions stay unknown');
	return { ...settings, id, courseSlug: course.slug, questions, file };
}

/** Checks a scenario file: fields, languages, and the graph (reachable, ends, no dangling links). */
export function checkScenario(
	id: string,
	file: string,
	split: Split,
	course: { slug: string; locales: ContentLocale[] },
	report: Report
): Scenario | null {
	const settings = validate(scenarioSettingsSchema, split.settings, split.settingsLineOf, [], report, 'frontmatter');
	if (!Array.isArray(split.body) || !split.body.length) {
		report(split.bodyLineOf([]), 'the body must be a YAML list of nodes ("- id: …")');
		return null;
	}
	const nodes: Scenario['nodes'] = [];
	split.body.forEach((raw, i) => {
		const node = validate(scenarioNodeSchema, raw, split.bodyLineOf, [i], report, `node ${(raw as { id?: string })?.id ?? i + 1}`);
		if (!node) return;
		checkLocales(raw, course.locales, split.bodyLineOf, [i], report);
		nodes.push(node as Scenario['nodes'][number]);
	});
	if (!settings || nodes.length !== split.body.length) return null;
	checkLocales(split.settings, course.locales, split.settingsLineOf, [], report);
	const indexOf = (nodeId: string | null) => (nodeId ? nodes.findIndex((n) => n.id === nodeId) : -1);
	const graphProblems = checkScenarioGraph({ start: settings.start, nodes });
	for (const p of graphProblems) {
		const i = indexOf(p.nodeId);
		const line = i < 0 ? split.settingsLineOf(['start']) : p.choiceId ? split.bodyLineOf([i, 'choices', Math.max(0, nodes[i]!.choices.findIndex((c) => c.id === p.choiceId))]) : split.bodyLineOf([i]);
		report(line, p.message);
	}
	if (graphProblems.length) return null;
	return { ...settings, id, courseSlug: course.slug, nodes, file };
}

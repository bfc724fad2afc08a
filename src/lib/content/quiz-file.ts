import { parse, stringify } from 'yaml';
import type { z } from 'zod';
import { questionSchema, quizSettingsSchema } from './graded-schema.ts';
import { CONTENT_LOCALES, type ContentLocale } from './schema.ts';

/**
 * A quiz file as the studio edits it: settings (the frontmatter) and a list of questions, read and
 * written as plain data. Every change goes through the same checker as a hand-written file, so
 * the studio can never publish what `content:check` would refuse.
 */

export type QuestionInput = z.input<typeof questionSchema>;
export type QuizSettingsInput = z.input<typeof quizSettingsSchema>;
type Plain = Record<string, unknown>;

export interface QuizFile {
	settings: Plain;
	questions: Plain[];
}

const SPLIT = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
export const QUIZ_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The settings and questions of a quiz file, or null when it is not readable YAML in that shape. */
export function readQuizFile(text: string): QuizFile | null {
	const m = SPLIT.exec(text);
	if (!m) return null;
	try {
		const settings: unknown = parse(m[1]!);
		const body: unknown = parse(m[2]!);
		if (!isPlain(settings)) return null;
		if (body === null || body === undefined) return { settings, questions: [] };
		if (!Array.isArray(body) || !body.every(isPlain)) return null;
		return { settings, questions: body };
	} catch {
		return null;
	}
}

/** A quiz file's text: frontmatter, then one list item per question with a blank line between. */
export function writeQuizFile(file: QuizFile): string {
	const head = stringify(file.settings, { lineWidth: 0, flowCollectionPadding: false });
	const body = file.questions.map((q) => stringify([q], { lineWidth: 0, flowCollectionPadding: false })).join('\n');
	return `---\n${head}---\n${body}`;
}

/** Lines (1-based, inclusive) of each question in a quiz file's text, by id. */
export function questionLines(text: string): Map<string, { from: number; to: number }> {
	const lines = text.split('\n');
	const starts: Array<{ id: string; line: number }> = [];
	let body = false;
	let dashes = 0;
	lines.forEach((line, i) => {
		if (!body) {
			if (line.trim() === '---' && ++dashes === 2) body = true;
			return;
		}
		const m = /^- id: *['"]?([^'"\s#]+)/.exec(line);
		if (m) starts.push({ id: m[1]!, line: i + 1 });
	});
	return new Map(starts.map((s, i) => [s.id, { from: s.line, to: (starts[i + 1]?.line ?? lines.length + 1) - 1 }]));
}

/** `base`, or `base-2`, `base-3`… : the first not in `used` (ids stay within 60 characters). */
export function uniqueId(base: string, used: ReadonlySet<string>): string {
	const root = base.slice(0, 56).replace(/-+$/, '') || 'q';
	if (!used.has(root)) return root;
	for (let n = 2; ; n++) if (!used.has(`${root}-${n}`)) return `${root}-${n}`;
}

const idOf = (q: Plain) => String(q.id ?? '');

export function findQuestion(file: QuizFile, id: string): Plain | undefined {
	return file.questions.find((q) => idOf(q) === id);
}

/** Moves a question one place up or down; null when it cannot move. */
export function moveQuestion(file: QuizFile, id: string, direction: 'up' | 'down'): QuizFile | null {
	const i = file.questions.findIndex((q) => idOf(q) === id);
	const j = direction === 'up' ? i - 1 : i + 1;
	if (i < 0 || j < 0 || j >= file.questions.length) return null;
	const questions = [...file.questions];
	[questions[i], questions[j]] = [questions[j]!, questions[i]!];
	return { ...file, questions };
}

/** A copy of a question just after it, with a new id; null when there is no such question. */
export function duplicateQuestion(file: QuizFile, id: string): { file: QuizFile; id: string } | null {
	const i = file.questions.findIndex((q) => idOf(q) === id);
	if (i < 0) return null;
	const newId = uniqueId(`${id}-copy`, new Set(file.questions.map(idOf)));
	const questions = [...file.questions];
	questions.splice(i + 1, 0, { ...structuredClone(file.questions[i]!), id: newId });
	return { file: { ...file, questions }, id: newId };
}

export function removeQuestion(file: QuizFile, id: string): QuizFile | null {
	const questions = file.questions.filter((q) => idOf(q) !== id);
	return questions.length === file.questions.length ? null : { ...file, questions };
}

/**
 * Puts a question in place of `replacing` (an edit, possibly renaming it), or at the end when
 * `replacing` is null. Returns an error message when the id is taken by another question.
 */
export function putQuestion(file: QuizFile, replacing: string | null, question: Plain): QuizFile | { error: string } {
	const id = idOf(question);
	if (id !== replacing && file.questions.some((q) => idOf(q) === id)) return { error: `the id "${id}" is already used by another question` };
	if (replacing === null) return { ...file, questions: [...file.questions, question] };
	const i = file.questions.findIndex((q) => idOf(q) === replacing);
	if (i < 0) return { error: `there is no question "${replacing}"` };
	const questions = [...file.questions];
	questions[i] = question;
	return { ...file, questions };
}

/** Appends imported questions, renaming any whose id is taken. */
export function appendQuestions(file: QuizFile, questions: Plain[]): QuizFile {
	const used = new Set(file.questions.map(idOf));
	const added = questions.map((q) => {
		const id = uniqueId(idOf(q), used);
		used.add(id);
		return { ...q, id };
	});
	return { ...file, questions: [...file.questions, ...added] };
}

/** Questions per tag, for the draw rules' pool sizes. */
export function poolSizes(file: QuizFile): Map<string, number> {
	const sizes = new Map<string, number>();
	for (const q of file.questions) for (const tag of Array.isArray(q.tags) ? q.tags : []) sizes.set(String(tag), (sizes.get(String(tag)) ?? 0) + 1);
	return sizes;
}

// ——— Forms ———————————————————————————————————————————————————————————————————————————————

export type Fields = Record<string, string | string[]>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

const field = (f: Fields, name: string): string => {
	const v = f[name];
	return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).replace(/\r\n?/g, '\n').trim();
};

/** Texts per language from `<prefix>.en` and `<prefix>.zh-CN`; undefined when all are empty. */
function localized(f: Fields, prefix: string): Partial<Record<ContentLocale, string>> | undefined {
	const out: Partial<Record<ContentLocale, string>> = {};
	for (const locale of CONTENT_LOCALES) {
		const text = field(f, `${prefix}.${locale}`);
		if (text) out[locale] = text;
	}
	return Object.keys(out).length ? out : undefined;
}

/** Row numbers used by fields `<list>.<n>.…`, in order. */
function rows(f: Fields, list: string): number[] {
	const numbers = new Set<number>();
	for (const key of Object.keys(f)) {
		const m = new RegExp(`^${list}\\.(\\d{1,2})\\.`).exec(key);
		if (m) numbers.add(Number(m[1]));
	}
	return [...numbers].sort((a, b) => a - b);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Ids for rows: their own when valid and unique, else the first free of a, b, c… (or prefix1, prefix2…). */
function rowIds(given: string[], prefix: string | null): string[] {
	const used = new Set<string>();
	const out = given.map((id) => (QUIZ_ID.test(id) && !used.has(id) ? (used.add(id), id) : ''));
	return out.map((id) => {
		if (id) return id;
		for (let n = 0; ; n++) {
			const candidate = prefix === null && n < LETTERS.length ? LETTERS[n]! : `${prefix ?? 'o'}${n + 1}`;
			if (!used.has(candidate)) return used.add(candidate), candidate;
		}
	});
}

function number(text: string): number | null {
	if (!text) return null;
	const n = Number(text.replace(',', '.'));
	return Number.isFinite(n) ? n : null;
}

/** The message of each schema issue, by the form field it concerns. */
function schemaErrors(error: z.ZodError): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? issue.path.join('.') : 'form';
		errors[key] ??= issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message;
	}
	return errors;
}

/**
 * A question from the question editor's fields. Empty rows are left out; row ids are kept when
 * valid (statistics and attempts follow them) and made up otherwise. The result is checked with
 * the quiz file schema, so what is saved is a question the checker accepts (languages aside,
 * which the draft's problems show until both are written).
 */
export function questionFromFields(f: Fields): FormResult<Plain> {
	const errors: Record<string, string> = {};
	const type = field(f, 'type');
	const id = field(f, 'id');
	const points = number(field(f, 'points') || '1');
	if (points === null) errors.points = 'must be a number';
	const tags = field(f, 'tags')
		.split(/[\s,，]+/)
		.filter(Boolean);
	const prompt = localized(f, 'prompt');
	if (!prompt) errors.prompt = 'write the question in at least one language';
	const q: Plain = { id, type, tags, points: points ?? 1, prompt: prompt ?? {} };
	const explanation = localized(f, 'explanation');
	if (explanation) q.explanation = explanation;
	const picture = field(f, 'picture');
	if (picture) q.picture = picture;
	switch (type) {
		case 'single':
		case 'multiple': {
			const present = rows(f, 'options').filter((n) => localized(f, `options.${n}.text`));
			const ids = rowIds(present.map((n) => field(f, `options.${n}.id`)), null);
			const correct = type === 'single' ? field(f, 'correct') : null;
			q.options = present.map((n, i) => {
				const option: Plain = { id: ids[i], text: localized(f, `options.${n}.text`), correct: type === 'single' ? correct === String(n) : field(f, `options.${n}.correct`) !== '' };
				const note = localized(f, `options.${n}.explanation`);
				if (note) option.explanation = note;
				return option;
			});
			if (type === 'multiple') q.scoring = field(f, 'scoring') || 'all-or-nothing';
			break;
		}
		case 'truefalse': {
			const answer = field(f, 'answer');
			if (answer !== 'true' && answer !== 'false') errors.answer = 'choose True or False';
			q.answer = answer === 'true';
			break;
		}
		case 'ordering': {
			const present = rows(f, 'items').filter((n) => localized(f, `items.${n}.text`));
			const ids = rowIds(present.map((n) => field(f, `items.${n}.id`)), 'i');
			q.scoring = field(f, 'scoring') || 'all-or-nothing';
			q.items = present.map((n, i) => ({ id: ids[i], text: localized(f, `items.${n}.text`) }));
			break;
		}
		case 'matching': {
			const present = rows(f, 'pairs').filter((n) => localized(f, `pairs.${n}.left`) || localized(f, `pairs.${n}.right`));
			const ids = rowIds(present.map((n) => field(f, `pairs.${n}.id`)), 'p');
			q.pairs = present.map((n, i) => ({ id: ids[i], left: localized(f, `pairs.${n}.left`) ?? {}, right: localized(f, `pairs.${n}.right`) ?? {} }));
			const distractors = rows(f, 'distractors')
				.map((n) => localized(f, `distractors.${n}`))
				.filter((d) => d !== undefined);
			if (distractors.length) q.distractors = distractors;
			break;
		}
		case 'numeric': {
			const answer = number(field(f, 'answer'));
			const tolerance = number(field(f, 'tolerance') || '0');
			if (answer === null) errors.answer = 'must be a number';
			if (tolerance === null) errors.tolerance = 'must be a number';
			q.answer = answer ?? 0;
			q.tolerance = tolerance ?? 0;
			const unit = field(f, 'unit');
			if (unit) q.unit = unit;
			break;
		}
		case 'text': {
			q.accept = field(f, 'accept')
				.split('\n')
				.map((a) => a.trim())
				.filter(Boolean);
			const pattern = field(f, 'pattern');
			if (pattern) q.pattern = pattern;
			break;
		}
		default:
			errors.type = 'choose a question type';
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	const checked = questionSchema.safeParse(q);
	if (!checked.success) return { ok: false, errors: schemaErrors(checked.error) };
	return { ok: true, value: q };
}

/** Quiz settings from the settings form: the frontmatter a quiz file holds. */
export function settingsFromFields(f: Fields, previous: Plain = {}): FormResult<Plain> {
	const errors: Record<string, string> = {};
	const int = (name: string, fallback = 0) => {
		const text = field(f, name);
		if (!text) return fallback;
		const n = Number(text);
		if (!Number.isInteger(n)) errors[name] = 'must be a whole number';
		return n;
	};
	const lessons = ([] as string[]).concat(f.lessons ?? []).filter(Boolean);
	const draw = rows(f, 'draw')
		.filter((n) => field(f, `draw.${n}.tag`))
		.map((n) => ({ tag: field(f, `draw.${n}.tag`), count: int(`draw.${n}.count`, 1) }));
	// Topic titles: `topics.<tag>.<locale>`; a tag with no title in any language is left out.
	const topics: Record<string, Partial<Record<ContentLocale, string>>> = {};
	for (const key of Object.keys(f)) {
		const m = /^topics\.([a-z0-9]+(?:-[a-z0-9]+)*)\.(?:en|zh-CN)$/.exec(key);
		const text = m ? localized(f, `topics.${m[1]}`) : undefined;
		if (m && text) topics[m[1]!] = text;
	}
	const settings: Plain = {
		title: localized(f, 'title') ?? {},
		kind: field(f, 'kind'),
		passMark: number(field(f, 'passMark')) ?? NaN,
		timeLimitMinutes: int('timeLimitMinutes'),
		attempts: int('attempts'),
		cooldownMinutes: int('cooldownMinutes'),
		review: field(f, 'review'),
		shuffleQuestions: field(f, 'shuffleQuestions') !== '',
		shuffleOptions: field(f, 'shuffleOptions') !== '',
		required: field(f, 'required') !== '',
		lessons,
		draw,
		topics
	};
	if (Number.isNaN(settings.passMark)) errors.passMark = 'must be a number from 0 to 100';
	if (Object.keys(errors).length) return { ok: false, errors };
	const checked = quizSettingsSchema.safeParse(settings);
	if (!checked.success) return { ok: false, errors: schemaErrors(checked.error) };
	// Fields the form does not show (none today) are kept as they were.
	return { ok: true, value: { ...previous, ...settings } };
}

/** A new quiz file: its settings and no questions yet. */
export function newQuizFile(input: { kind: 'practice' | 'exam'; title: Partial<Record<ContentLocale, string>> }): string {
	const exam = input.kind === 'exam';
	return writeQuizFile({
		settings: {
			title: input.title,
			kind: input.kind,
			passMark: exam ? 80 : 70,
			timeLimitMinutes: exam ? 30 : 0,
			attempts: exam ? 3 : 0,
			cooldownMinutes: exam ? 60 : 0,
			review: exam ? 'score' : 'explanations',
			shuffleQuestions: true,
			shuffleOptions: true,
			required: exam,
			lessons: [],
			draw: []
		},
		questions: []
	});
}

/** The question editor's fields for a question: the inverse of {@link questionFromFields}. */
export function questionToFields(q: Plain): Record<string, string> {
	const out: Record<string, string> = { id: String(q.id ?? ''), type: String(q.type ?? ''), points: String(q.points ?? 1) };
	out.tags = Array.isArray(q.tags) ? q.tags.join(', ') : '';
	const texts = (prefix: string, value: unknown) => {
		if (!isPlain(value)) return;
		for (const locale of CONTENT_LOCALES) if (typeof value[locale] === 'string') out[`${prefix}.${locale}`] = value[locale];
	};
	texts('prompt', q.prompt);
	texts('explanation', q.explanation);
	if (typeof q.picture === 'string') out.picture = q.picture;
	const list = (name: string) => (Array.isArray(q[name]) ? (q[name] as unknown[]).filter(isPlain) : []);
	list('options').forEach((o, i) => {
		out[`options.${i}.id`] = String(o.id ?? '');
		texts(`options.${i}.text`, o.text);
		texts(`options.${i}.explanation`, o.explanation);
		if (o.correct === true) {
			if (q.type === 'single') out.correct = String(i);
			else out[`options.${i}.correct`] = 'on';
		}
	});
	list('items').forEach((item, i) => {
		out[`items.${i}.id`] = String(item.id ?? '');
		texts(`items.${i}.text`, item.text);
	});
	list('pairs').forEach((pair, i) => {
		out[`pairs.${i}.id`] = String(pair.id ?? '');
		texts(`pairs.${i}.left`, pair.left);
		texts(`pairs.${i}.right`, pair.right);
	});
	list('distractors').forEach((d, i) => texts(`distractors.${i}`, d));
	if (typeof q.scoring === 'string') out.scoring = q.scoring;
	if (q.type === 'truefalse') out.answer = String(q.answer === true);
	if (q.type === 'numeric') {
		out.answer = String(q.answer ?? '');
		out.tolerance = String(q.tolerance ?? 0);
		if (typeof q.unit === 'string') out.unit = q.unit;
	}
	if (Array.isArray(q.accept)) out.accept = q.accept.join('\n');
	if (typeof q.pattern === 'string') out.pattern = q.pattern;
	return out;
}

export { rowCount } from './editor-fields.ts';

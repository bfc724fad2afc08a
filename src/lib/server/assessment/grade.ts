import { matchingRightColumn, orderingStart } from './draw';
import type { Question, QuestionScore, Response } from './types';

/** ASCII punctuation and symbols: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** Any Unicode punctuation (covers CJK ，。！？、；：“”‘’（）《》【】…—·). */
const UNICODE_PUNCTUATION = /\p{P}/gu;

/**
 * Normalises free text for comparison (rule: "compared ignoring case, spaces and punctuation"):
 * NFKC (full-width → half-width), lower-case, punctuation removed (ASCII and Unicode/CJK),
 * runs of whitespace collapsed to one space, trimmed. `" T.D.S. "` → `"tds"`,
 * `"总溶解固体。"` → `"总溶解固体"`.
 */
export function normalizeText(s: string): string {
	return s
		.normalize('NFKC')
		.toLowerCase()
		.replace(ASCII_PUNCTUATION, '')
		.replace(UNICODE_PUNCTUATION, '')
		.replace(/\s+/gu, ' ')
		.trim();
}

/** Rounds to 4 decimals (scores). */
function round4(x: number): number {
	return Math.round(x * 1e4) / 1e4;
}

function clamp01(x: number): number {
	return Math.min(1, Math.max(0, x));
}

function isPermutation(given: readonly string[], ids: readonly string[]): boolean {
	if (given.length !== ids.length) return false;
	const known = new Set(ids);
	const seen = new Set<string>();
	for (const id of given) {
		if (!known.has(id) || seen.has(id)) return false;
		seen.add(id);
	}
	return true;
}

/** The text rule: the normalised answer equals a normalised `accept` entry, or matches `pattern`. */
function textMatches(accept: readonly string[], pattern: string | undefined, value: string): boolean {
	const given = normalizeText(value);
	if (given === '') return false;
	if (accept.some((a) => normalizeText(a) === given)) return true;
	if (pattern === undefined || pattern === '') return false;
	try {
		return new RegExp(pattern, 'iu').test(given);
	} catch {
		return false;
	}
}

/**
 * The share of the question earned, 0–1, before points. Responses of another type, or naming
 * ids that are not the question's, earn 0.
 */
function fraction(q: Question, r: Response): number {
	switch (q.type) {
		case 'single': {
			if (r.type !== 'single') return 0;
			return q.options.find((o) => o.id === r.optionId)?.correct === true ? 1 : 0;
		}
		case 'multiple': {
			if (r.type !== 'multiple') return 0;
			const byId = new Map(q.options.map((o) => [o.id, o]));
			const chosen = new Set(r.optionIds);
			if (chosen.size !== r.optionIds.length || r.optionIds.some((id) => !byId.has(id))) return 0;
			const nCorrect = q.options.filter((o) => o.correct).length;
			const nWrong = q.options.length - nCorrect;
			const hits = r.optionIds.filter((id) => byId.get(id)?.correct === true).length;
			const misses = chosen.size - hits;
			if (q.scoring === 'all-or-nothing') return hits === nCorrect && misses === 0 ? 1 : 0;
			if (nCorrect === 0) return 0;
			return clamp01(hits / nCorrect - (nWrong > 0 ? misses / nWrong : 0));
		}
		case 'truefalse':
			return r.type === 'truefalse' && r.value === q.answer ? 1 : 0;
		case 'ordering': {
			if (r.type !== 'ordering') return 0;
			const ids = q.items.map((item) => item.id);
			if (ids.length === 0 || !isPermutation(r.itemIds, ids)) return 0;
			const inPlace = ids.filter((id, i) => r.itemIds[i] === id).length;
			if (q.scoring === 'all-or-nothing') return inPlace === ids.length ? 1 : 0;
			return inPlace / ids.length;
		}
		case 'matching': {
			if (r.type !== 'matching' || q.pairs.length === 0) return 0;
			const right = q.pairs.filter((p) => Object.hasOwn(r.matches, p.id) && r.matches[p.id] === p.id).length;
			return right / q.pairs.length;
		}
		case 'numeric':
			if (r.type !== 'numeric' || !Number.isFinite(r.value)) return 0;
			return Math.abs(r.value - q.answer) <= q.tolerance + 1e-9 ? 1 : 0;
		case 'text':
			return r.type === 'text' && textMatches(q.accept, q.pattern, r.value) ? 1 : 0;
	}
}

/**
 * Grades one question (rules of the "Graded quizzes and exams" key table):
 * unanswered or a response of another type → 0; single: the chosen option is correct;
 * multiple all-or-nothing: exactly the correct set; multiple partial: +1/nCorrect per correct
 * option chosen, −1/nWrong per wrong option chosen, clamped to [0, 1]; truefalse; ordering
 * all-or-nothing: exact order, partial: share of items in their place; matching: share of left
 * items matched to their own pair; numeric: |value − answer| ≤ tolerance (+1e-9), non-finite →
 * 0; text: normalised answer equals a normalised `accept` entry or matches `pattern` (flags `iu`).
 * Score = share × points, rounded to 4 decimals; `correct` when the whole share was earned
 * (score === max for any question worth points).
 */
export function gradeQuestion(q: Question, r: Response | undefined): QuestionScore {
	const share = r === undefined ? 0 : fraction(q, r);
	return { questionId: q.id, score: round4(share * q.points), max: q.points, correct: share === 1 };
}

export interface AttemptGrade {
	items: QuestionScore[];
	score: number;
	max: number;
	/** 0–100, one decimal. */
	percent: number;
	/** Per tag: sum of the scores and of the points of the questions carrying it. */
	byTag: Record<string, { score: number; max: number }>;
}

/**
 * Grades an attempt: every question through {@link gradeQuestion} with its response (keyed by
 * question id), totals rounded to 4 decimals, percent = score / max × 100 rounded to one
 * decimal (0 when max is 0), and the per-topic result by tag (each question counted once per
 * distinct tag).
 */
export function gradeAttempt(questions: Question[], responses: Record<string, Response>): AttemptGrade {
	const items: QuestionScore[] = [];
	const tags = new Map<string, { score: number; max: number }>();
	let score = 0;
	let max = 0;
	for (const q of questions) {
		const item = gradeQuestion(q, Object.hasOwn(responses, q.id) ? responses[q.id] : undefined);
		items.push(item);
		score += item.score;
		max += item.max;
		for (const tag of new Set(q.tags)) {
			const total = tags.get(tag) ?? { score: 0, max: 0 };
			total.score += item.score;
			total.max += item.max;
			tags.set(tag, total);
		}
	}
	score = round4(score);
	max = round4(max);
	const percent = max > 0 ? Math.min(100, Math.max(0, Math.round((score / max) * 1000) / 10)) : 0;
	const byTag = Object.fromEntries(
		[...tags].map(([tag, total]) => [tag, { score: round4(total.score), max: round4(total.max) }])
	);
	return { items, score, max, percent, byTag };
}

/** Pass rule: the attempt passes when its percent is at least the quiz's pass mark. */
export function isPassed(percent: number, passMark: number): boolean {
	return percent >= passMark;
}

/** Message for ids, field names or values that are not the question's (forged input). */
export const FOREIGN_ANSWER = 'This answer does not belong to the question.';
/** Message for an ordering left as it was shown, without saying it is the answer. */
export const ORDER_UNTOUCHED = 'Put the items in order (they start in a random order), or tick "This order is my answer".';
/** Message for a missing or empty answer. */
export const NO_ANSWER = 'No answer was given.';

const NUMERIC_MAX = 30;
const TEXT_MAX = 500;
/** Digits with at most one decimal separator ('.' or ','), optional sign, no exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

type Raw = Record<string, string | string[]>;
type Parsed = Response | { error: string };

/** One value of a single-valued field: a string, or an array of exactly one string. */
function one(raw: Raw, name: string): string | { error: string } | undefined {
	if (!Object.hasOwn(raw, name)) return undefined;
	const value = raw[name];
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
	if (Array.isArray(value) && value.length === 0) return undefined;
	return { error: 'Send one value for this answer.' };
}

/** All values of a multi-valued field: a string counts as one value. */
function many(raw: Raw, name: string): string[] | { error: string } {
	if (!Object.hasOwn(raw, name)) return [];
	const value = raw[name];
	if (typeof value === 'string') return [value];
	if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
	return { error: FOREIGN_ANSWER };
}

/**
 * Turns the submitted form fields for ONE question into a `Response`, or `{ error }` for
 * missing, malformed or forged input (rule: only ids of this question are accepted).
 *
 * Form field conventions (`raw` holds the question's fields; a field may be a string or an array
 * of strings):
 * - single: `choice` = option id.
 * - multiple: `choice` = option ids (one value per ticked box; no duplicates).
 * - truefalse: `choice` = `'true'` | `'false'`.
 * - ordering: `order` = item ids in the order given; must be a permutation of the item ids. With a
 *   `seed`, the order as it started counts only with `orderConfirmed=yes` (an untouched question
 *   is not answered).
 * - matching: one field `match.<leftPairId>` per left item, value = the id of the right entry as
 *   presented. Pass the attempt's `seed`: the browser sees opaque right ids (`r1`, `r2`, …, see
 *   `matchingRightColumn`), which are turned back into pair ids here. Without `seed` the values
 *   must be pair ids (tests, trusted callers). Every left must be matched, each right used once.
 * - numeric: `value` = decimal string, at most 30 characters; `,` or `.` as decimal separator;
 *   full-width digits are accepted (NFKC); no thousands separators.
 * - text: `value` = the answer, at most 500 characters (stored trimmed).
 * Fields of other question types are ignored.
 */
export function parseResponse(q: Question, raw: Raw, seed?: string): Parsed {
	switch (q.type) {
		case 'single': {
			const choice = one(raw, 'choice');
			if (typeof choice === 'object') return choice;
			if (choice === undefined || choice === '') return { error: NO_ANSWER };
			if (!q.options.some((o) => o.id === choice)) return { error: FOREIGN_ANSWER };
			return { type: 'single', optionId: choice };
		}
		case 'multiple': {
			const choice = many(raw, 'choice');
			if (!Array.isArray(choice)) return choice;
			if (choice.length === 0) return { error: NO_ANSWER };
			const ids = new Set(q.options.map((o) => o.id));
			if (choice.some((id) => !ids.has(id))) return { error: FOREIGN_ANSWER };
			if (new Set(choice).size !== choice.length) return { error: 'Choose each option at most once.' };
			return { type: 'multiple', optionIds: [...choice] };
		}
		case 'truefalse': {
			const choice = one(raw, 'choice');
			if (typeof choice === 'object') return choice;
			if (choice === undefined || choice === '') return { error: NO_ANSWER };
			if (choice !== 'true' && choice !== 'false') return { error: FOREIGN_ANSWER };
			return { type: 'truefalse', value: choice === 'true' };
		}
		case 'ordering': {
			const order = many(raw, 'order');
			if (!Array.isArray(order)) return order;
			if (order.length === 0) return { error: NO_ANSWER };
			const ids = q.items.map((item) => item.id);
			const known = new Set(ids);
			if (order.some((id) => !known.has(id))) return { error: FOREIGN_ANSWER };
			if (!isPermutation(order, ids)) return { error: 'Put every item in the order exactly once.' };
			// An order left as it started is no answer, unless the person says it is theirs.
			if (seed !== undefined && one(raw, 'orderConfirmed') !== 'yes' && orderingStart(q, seed).every((item, i) => item.id === order[i])) return { error: ORDER_UNTOUCHED };
			return { type: 'ordering', itemIds: [...order] };
		}
		case 'matching': {
			const left = new Set(q.pairs.map((p) => p.id));
			const rightIds = new Map<string, string>(
				seed === undefined
					? [...q.pairs.map((p) => [p.id, p.id] as [string, string]), ...(q.distractors ?? []).map((_, i) => [`~${i}`, `~${i}`] as [string, string])]
					: matchingRightColumn(q, seed).map(({ token, pairId }) => [token, pairId])
			);
			const matches: Array<[string, string]> = [];
			const used = new Set<string>();
			for (const key of Object.keys(raw)) {
				if (!key.startsWith('match.')) continue;
				const leftId = key.slice('match.'.length);
				if (!left.has(leftId)) return { error: FOREIGN_ANSWER };
				const value = one(raw, key);
				if (typeof value === 'object') return value;
				if (value === undefined || value === '') continue;
				const pairId = rightIds.get(value);
				if (pairId === undefined) return { error: FOREIGN_ANSWER };
				if (used.has(pairId)) return { error: 'Use each answer only once.' };
				used.add(pairId);
				matches.push([leftId, pairId]);
			}
			if (matches.length === 0) return { error: NO_ANSWER };
			if (used.size !== left.size) return { error: 'Match every item.' };
			// fromEntries defines own properties, so no id can reach the prototype.
			return { type: 'matching', matches: Object.fromEntries(matches) };
		}
		case 'numeric': {
			const value = one(raw, 'value');
			if (typeof value === 'object') return value;
			if (value === undefined || value.trim() === '') return { error: NO_ANSWER };
			if (value.length > NUMERIC_MAX) return { error: `Enter a number of at most ${NUMERIC_MAX} characters.` };
			const text = value.normalize('NFKC').trim().replace(/^\u2212/, '-');
			if (!DECIMAL.test(text)) return { error: 'Enter a number, such as 1.5 or 1,5.' };
			const number = Number(text.replace(',', '.'));
			if (!Number.isFinite(number)) return { error: 'Enter a number, such as 1.5 or 1,5.' };
			return { type: 'numeric', value: number };
		}
		case 'text': {
			const value = one(raw, 'value');
			if (typeof value === 'object') return value;
			if (value === undefined || value.trim() === '') return { error: NO_ANSWER };
			if (value.length > TEXT_MAX) return { error: `Keep the answer to at most ${TEXT_MAX} characters.` };
			return { type: 'text', value: value.trim() };
		}
	}
}

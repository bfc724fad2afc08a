import type { ContentLocale } from '$lib/content/schema';
import type { Localized, Question, QuestionType, QuizSettings } from './types';

/**
 * Hashes a string to an unsigned 32-bit integer (FNV-1a over UTF-16 code units, followed by a
 * murmur3-style finaliser so that seeds differing in one character give unrelated streams).
 */
export function hashSeed(seed: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < seed.length; i++) {
		h ^= seed.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/**
 * Seeded PRNG (mulberry32) from a string seed: the same seed always gives the same sequence of
 * numbers in [0, 1). Not for secrets — only for reproducible draws and shuffles.
 */
export function seededRandom(seed: string): () => number {
	let a = hashSeed(seed);
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates shuffle driven by `random`; returns a new array and leaves `items` untouched. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const out = items.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		const tmp = out[i] as T;
		out[i] = out[j] as T;
		out[j] = tmp;
	}
	return out;
}

/**
 * Per-attempt question draw. With `draw` empty every question is used. Otherwise each draw
 * entry, in turn, picks `count` distinct questions at random among those carrying its tag and
 * not already picked by an earlier entry (if fewer are left, it takes all that remain). The
 * drawn questions keep the quiz's original order unless `shuffleQuestions`, in which case the
 * whole drawn list is shuffled. Deterministic for a seed; which questions are drawn does not
 * depend on `shuffleQuestions` (the two use separate random streams).
 */
export function drawQuestions(
	quiz: Pick<QuizSettings, 'draw' | 'shuffleQuestions'> & { questions: Question[] },
	seed: string
): Question[] {
	let drawn: Question[];
	if (quiz.draw.length === 0) {
		drawn = quiz.questions.slice();
	} else {
		const random = seededRandom(`${seed}:draw`);
		const picked = new Set<number>();
		for (const entry of quiz.draw) {
			const pool: number[] = [];
			quiz.questions.forEach((q, index) => {
				if (!picked.has(index) && q.tags.includes(entry.tag)) pool.push(index);
			});
			const count = Math.max(0, Math.floor(entry.count));
			for (const index of shuffle(pool, random).slice(0, count)) picked.add(index);
		}
		drawn = quiz.questions.filter((_, index) => picked.has(index));
	}
	return quiz.shuffleQuestions ? shuffle(drawn, seededRandom(`${seed}:order`)) : drawn;
}

/** A labelled entry of a presented question (option, ordering item, matching column entry). */
export interface PublicChoice {
	id: string;
	text: string;
}

/** A question as sent to the browser: texts in one language, no key, no explanations. */
export interface PublicQuestion {
	id: string;
	type: QuestionType;
	points: number;
	prompt: string;
	/** An uploaded picture shown with the prompt. */
	picture?: string;
	/** single, multiple. */
	options?: PublicChoice[];
	/** ordering: in any order, the correct one included. */
	items?: PublicChoice[];
	/** matching: the left column, ids are the pair ids (form fields `match.<id>`). */
	left?: PublicChoice[];
	/** matching: the shuffled right column; ids are opaque tokens, see {@link matchingRightColumn}. */
	right?: PublicChoice[];
	/** numeric. */
	unit?: string;
}

/** Picks a text in `locale`, else in `fallbackLocale`, else the empty string. */
export function localize(text: Localized | undefined, locale: ContentLocale, fallbackLocale: ContentLocale): string {
	return text?.[locale] ?? text?.[fallbackLocale] ?? '';
}

/**
 * Shuffles, and if the shuffle left two items or more in their original order, rotates by one
 * so that no item stays in place: a presented list never gives the answer away.
 */
function shuffleAway<T>(items: readonly T[], random: () => number): T[] {
	const out = shuffle(items, random);
	if (out.length >= 2 && out.every((item, i) => item === items[i])) out.push(out.shift() as T);
	return out;
}

/**
 * Where an ordering question's items start for `seed`: any permutation, the right one included
 * (ruling one out would leak a little of the answer). An order left as it started counts as an
 * answer only when the person says so (see `parseResponse`).
 */
export function orderingStart(q: Extract<Question, { type: 'ordering' }>, seed: string) {
	return shuffle(q.items, seededRandom(`${seed}:${q.id}:items`));
}

/**
 * The right column of a matching question as presented for `seed`: pair ids in display order,
 * each with the opaque token the browser sees as its id (`r1`, `r2`, … in display order).
 * Right ids are NOT the pair ids — left ids are, so equal ids would give the matching away.
 * `parseResponse(q, raw, seed)` uses this to turn tokens back into pair ids; the seed must stay
 * on the server.
 */
export function matchingRightColumn(
	q: Extract<Question, { type: 'matching' }>,
	seed: string
): Array<{ token: string; pairId: string }> {
	// Distractors get ids no pair can have (`~0`, `~1`…), so choosing one is never right.
	const entries = [...q.pairs.map((p) => p.id), ...(q.distractors ?? []).map((_, i) => `~${i}`)];
	const order = shuffleAway(entries, seededRandom(`${seed}:${q.id}:right`));
	return order.map((pairId, i) => ({ token: `r${i + 1}`, pairId }));
}

/**
 * The public form of a question for one attempt (rule: the browser never receives the key).
 * Built field by field — no `correct`, `answer`, `accept`, `pattern`, `tolerance`, `explanation`
 * or tags. Options are shuffled when `shuffleOptions`; ordering items are always shuffled (any
 * permutation, the correct one included); the matching right column is always shuffled and
 * carries opaque ids. Texts are in `locale`, else `fallbackLocale`. Deterministic for a seed and
 * independent of the question's position in the attempt.
 */
export function presentQuestion(
	q: Question,
	seed: string,
	shuffleOptions: boolean,
	locale: ContentLocale,
	fallbackLocale: ContentLocale
): PublicQuestion {
	const t = (text: Localized) => localize(text, locale, fallbackLocale);
	const out: PublicQuestion = { id: q.id, type: q.type, points: q.points, prompt: t(q.prompt) };
	if (q.picture) out.picture = q.picture;
	switch (q.type) {
		case 'single':
		case 'multiple': {
			const options = shuffleOptions ? shuffle(q.options, seededRandom(`${seed}:${q.id}:options`)) : q.options;
			out.options = options.map((o) => ({ id: o.id, text: t(o.text) }));
			break;
		}
		case 'ordering':
			out.items = orderingStart(q, seed).map((item) => ({
				id: item.id,
				text: t(item.text)
			}));
			break;
		case 'matching': {
			const rights = new Map<string, Localized>([...q.pairs.map((p) => [p.id, p.right] as const), ...(q.distractors ?? []).map((d, i) => [`~${i}`, d] as const)]);
			out.left = q.pairs.map((p) => ({ id: p.id, text: t(p.left) }));
			out.right = matchingRightColumn(q, seed).map(({ token, pairId }) => ({
				id: token,
				text: t(rights.get(pairId) ?? {})
			}));
			break;
		}
		case 'numeric':
			if (q.unit !== undefined) out.unit = q.unit;
			break;
		case 'truefalse':
		case 'text':
			break;
	}
	return out;
}

/** How many questions an attempt of this quiz serves. */
export function drawnCount(quiz: Pick<QuizSettings, 'draw'> & { questions: Question[] }): number {
	return drawQuestions({ ...quiz, shuffleQuestions: false }, 'count').length;
}

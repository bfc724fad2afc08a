import type { ContentLocale } from '$lib/content/schema';
import type { Question, Response } from './types';
import { m } from '../../paraglide/messages.js';
import { matchingRightColumn, presentQuestion, type PublicQuestion } from './draw';

/** A saved answer as the form shows it again (matching answers use the opaque right-column ids). */
export type PublicAnswer =
	| { choice: string[] }
	| { order: string[] }
	| { match: Record<string, string> }
	| { value: string };

export function publicAnswer(q: Question, r: Response | undefined, seed: string): PublicAnswer | null {
	if (!r) return null;
	switch (r.type) {
		case 'single':
			return { choice: [r.optionId] };
		case 'multiple':
			return { choice: r.optionIds };
		case 'truefalse':
			return { choice: [String(r.value)] };
		case 'ordering':
			return { order: r.itemIds };
		case 'matching': {
			if (q.type !== 'matching') return null;
			const tokens = new Map(matchingRightColumn(q, seed).map((c) => [c.pairId, c.token]));
			return { match: Object.fromEntries(Object.entries(r.matches).map(([left, right]) => [left, tokens.get(right) ?? ''])) };
		}
		case 'numeric':
			// Plain decimal notation: String(1e-7) would give an exponent the form does not accept back.
			return { value: r.value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) };
		case 'text':
			return { value: r.value };
	}
}

/** The questions of an attempt as the browser may see them: no keys, no explanations. */
export function presentAttempt(questions: Question[], seed: string, shuffleOptions: boolean, locale: ContentLocale, fallback: ContentLocale): PublicQuestion[] {
	return questions.map((q) => presentQuestion(q, seed, shuffleOptions, locale, fallback));
}

/** Reads a posted answer's fields (text only, valid UTF-8); repeated names become lists. */
export async function readAnswerFields(request: Request): Promise<{ fields: Record<string, string | string[]> } | { error: string }> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		return { error: 'The answer could not be read.' };
	}
	// No prototype: a field named "__proto__" stays an ordinary, ignored field.
	const fields: Record<string, string | string[]> = Object.create(null);
	for (const key of new Set(form.keys())) {
		const values = form.getAll(key);
		if (values.some((v) => typeof v !== 'string')) return { error: 'Answers are text, not files.' };
		const texts = values as string[];
		if (texts.some((t) => t.includes('\uFFFD'))) return { error: 'This answer is not valid UTF-8 text.' };
		if (texts.some((t) => t.includes('\u0000'))) return { error: m.form_nul() };
		if (key.length > 100 || key.includes('\uFFFD')) return { error: 'This answer does not belong to the question.' };
		fields[key] = texts.length === 1 && key !== 'order' ? texts[0]! : texts;
	}
	return { fields };
}

import type { ContentLocale } from '$lib/content/schema';
import { localize } from './draw';
import { gradeQuestion } from './grade';
import { m } from '../../paraglide/messages.js';
import type { Localized, Question, Response } from './types';

export interface ReviewItem {
	id: string;
	prompt: string;
	yourAnswer: string;
	rightAnswer: string;
	correct: boolean;
	score: number;
	max: number;
	explanation: string;
	/** Explanations of the options the technician chose (practice review). */
	notes: string[];
}

/**
 * The per-question review of a practice attempt: answers, the right answers and explanations.
 * Only for quizzes whose review policy is "explanations"; exams show the score and topics only.
 */
export function reviewItems(questions: Question[], answers: Record<string, Response>, locale: ContentLocale, fallback: ContentLocale): ReviewItem[] {
	const t = (text: Parameters<typeof localize>[0]) => localize(text, locale, fallback);
	return questions.map((q) => {
		const r = answers[q.id];
		const graded = gradeQuestion(q, r);
		let yourAnswer = '—';
		let rightAnswer = '';
		const notes: string[] = [];
		switch (q.type) {
			case 'single':
			case 'multiple': {
				const chosen = r?.type === 'single' ? [r.optionId] : r?.type === 'multiple' ? r.optionIds : [];
				const picked = q.options.filter((o) => chosen.includes(o.id));
				if (picked.length) yourAnswer = picked.map((o) => t(o.text)).join('; ');
				rightAnswer = q.options.filter((o) => o.correct).map((o) => t(o.text)).join('; ');
				for (const o of picked) if (o.explanation) notes.push(t(o.explanation));
				break;
			}
			case 'truefalse': {
				// The words, as on the question: a correct "False" is not a cross beside "right".
				const word = (value: boolean) => (value ? m.attempt_true({}, { locale }) : m.attempt_false({}, { locale }));
				if (r?.type === 'truefalse') yourAnswer = word(r.value);
				rightAnswer = word(q.answer);
				break;
			}
			case 'ordering': {
				const byId = new Map(q.items.map((i) => [i.id, t(i.text)]));
				if (r?.type === 'ordering') yourAnswer = r.itemIds.map((id) => byId.get(id) ?? '?').join(' → ');
				rightAnswer = q.items.map((i) => t(i.text)).join(' → ');
				break;
			}
			case 'matching': {
				const rights = new Map([...q.pairs.map((p) => [p.id, p.right] as const), ...(q.distractors ?? []).map((d, i) => [`~${i}`, d] as const)]);
				if (r?.type === 'matching')
					yourAnswer = q.pairs.map((p) => `${t(p.left)} = ${r.matches[p.id] ? t(rights.get(r.matches[p.id]!) ?? {}) : '—'}`).join('; ');
				rightAnswer = q.pairs.map((p) => `${t(p.left)} = ${t(p.right)}`).join('; ');
				break;
			}
			case 'numeric':
				if (r?.type === 'numeric') yourAnswer = `${r.value}${q.unit ? ' ' + q.unit : ''}`;
				rightAnswer = `${q.answer}${q.unit ? ' ' + q.unit : ''}${q.tolerance ? ` (± ${q.tolerance})` : ''}`;
				break;
			case 'text':
				if (r?.type === 'text') yourAnswer = r.value;
				rightAnswer = q.accept[0] ?? '';
				break;
		}
		return { id: q.id, prompt: t(q.prompt), yourAnswer, rightAnswer, correct: graded.correct, score: graded.score, max: graded.max, explanation: q.explanation ? t(q.explanation) : '', notes };
	});
}

/** A topic's title in `locale`: the quiz's own title for the tag, else the tag made readable. */
export function topicTitle(title: Localized | undefined, tag: string, locale: ContentLocale, fallback: ContentLocale): string {
	const text = title ? localize(title, locale, fallback) : '';
	return text || tag.charAt(0).toUpperCase() + tag.slice(1).replace(/-/g, ' ');
}

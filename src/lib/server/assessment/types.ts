import type { ContentLocale } from '$lib/content/schema';

/** Text in each of the course's languages. */
export type Localized = Partial<Record<ContentLocale, string>>;

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'ordering', 'matching', 'numeric', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

interface QuestionBase {
	/** Stable across edits: statistics follow the id, not the position. */
	id: string;
	type: QuestionType;
	tags: string[];
	points: number;
	prompt: Localized;
	/** Shown after answering, per the review policy. */
	explanation?: Localized;
	/** An uploaded picture shown with the prompt (`/media/<sha256>.<ext>`). */
	picture?: string;
}

export interface Option {
	id: string;
	text: Localized;
	correct: boolean;
	explanation?: Localized;
}

export interface SingleQuestion extends QuestionBase {
	type: 'single';
	options: Option[];
}
export interface MultipleQuestion extends QuestionBase {
	type: 'multiple';
	/** all-or-nothing: full points only for exactly the right set; partial: +1/right, −penalty/wrong, floor 0. */
	scoring: 'all-or-nothing' | 'partial';
	options: Option[];
}
export interface TrueFalseQuestion extends QuestionBase {
	type: 'truefalse';
	answer: boolean;
}
export interface OrderingQuestion extends QuestionBase {
	type: 'ordering';
	/** In the correct order. */
	items: Array<{ id: string; text: Localized }>;
	/** all-or-nothing, or partial: share of items in their right place. */
	scoring: 'all-or-nothing' | 'partial';
}
export interface MatchingQuestion extends QuestionBase {
	type: 'matching';
	/** Each left item matches the right item on the same pair. */
	pairs: Array<{ id: string; left: Localized; right: Localized }>;
	/** Extra right-column answers that match no left item. */
	distractors?: Localized[];
}
export interface NumericQuestion extends QuestionBase {
	type: 'numeric';
	answer: number;
	/** Absolute tolerance: |given − answer| ≤ tolerance is right. */
	tolerance: number;
	unit?: string;
}
export interface TextQuestion extends QuestionBase {
	type: 'text';
	/** Accepted answers, compared after normalising (case, width, spaces, punctuation). */
	accept: string[];
	/** Optional regular expression tested against the normalised answer. */
	pattern?: string;
}

export type Question =
	| SingleQuestion
	| MultipleQuestion
	| TrueFalseQuestion
	| OrderingQuestion
	| MatchingQuestion
	| NumericQuestion
	| TextQuestion;

/** A technician's response, as stored per question. */
export type Response =
	| { type: 'single'; optionId: string }
	| { type: 'multiple'; optionIds: string[] }
	| { type: 'truefalse'; value: boolean }
	| { type: 'ordering'; itemIds: string[] }
	| { type: 'matching'; matches: Record<string, string> }
	| { type: 'numeric'; value: number }
	| { type: 'text'; value: string };

export interface QuestionScore {
	questionId: string;
	score: number;
	max: number;
	correct: boolean;
}

export interface QuizSettings {
	id: string;
	courseSlug: string;
	title: Localized;
	kind: 'practice' | 'exam';
	/** Percent needed to pass. */
	passMark: number;
	/** Minutes; 0 = untimed. */
	timeLimitMinutes: number;
	/** 0 = unlimited. */
	attempts: number;
	cooldownMinutes: number;
	/** explanations: feedback per question after submitting; score: score and per-topic result only. */
	review: 'explanations' | 'score';
	shuffleQuestions: boolean;
	shuffleOptions: boolean;
	/** Questions drawn per attempt from tagged pools; empty = every question. */
	draw: Array<{ tag: string; count: number }>;
	/** Passing it is needed to complete the course. */
	required: boolean;
	/** Lessons this quiz covers (shown with it). */
	lessons: string[];
	/** Titles of tags, shown as topics in results. */
	topics?: Record<string, Localized>;
}

export interface Quiz extends QuizSettings {
	questions: Question[];
	/** Key of the source file, for error messages. */
	file: string;
}

import type { z } from 'zod';
import type { questionSchema } from '../graded-schema.ts';
import type { ContentLocale } from '../schema.ts';

/**
 * Question-bank interchange (GIFT, Moodle XML, Aiken): what a parser returns and what a writer
 * takes. Questions are in the shape a quiz file holds (the input of `questionSchema`), so an
 * imported bank is checked by the same rules as a hand-written quiz.
 */

/** A question as written in a quiz file. */
export type BankQuestion = z.input<typeof questionSchema>;

export type BankFormat = 'gift' | 'moodle-xml' | 'aiken';

/** A question of the file that has no equivalent here, or could not be read. Never dropped silently. */
export interface SkippedQuestion {
	/** The question's name in the file (`::name::`, `<name>`), else its first words. */
	name: string;
	/** 1-based line of the question's start in the file. */
	line: number;
	reason: string;
}

/** A picture embedded in the file (Moodle XML `<file encoding="base64">`). */
export interface BankPicture {
	/** The question (its id in `questions`) the picture belongs to. */
	question: string;
	/** The file name given in the file. */
	name: string;
	bytes: Uint8Array;
}

export interface ParsedBank {
	format: BankFormat;
	questions: BankQuestion[];
	skipped: SkippedQuestion[];
	pictures: BankPicture[];
	/** 1-based line where each question starts, parallel to `questions` (when the parser knows it). */
	questionLines?: number[];
	/** Questions imported with something adapted or dropped on the way; `reason` says what. */
	changed?: SkippedQuestion[];
}

export interface ParseOptions {
	/** The language the file's texts are written in; they are stored under this locale. */
	locale: ContentLocale;
	/** Question ids already used in the quiz the bank goes into: new ids avoid them. */
	usedIds?: ReadonlySet<string>;
}

/** The whole file is refused (malformed, unsafe, too large): nothing is imported. */
export class BankError extends Error {
	constructor(
		message: string,
		readonly line: number | null = null
	) {
		super(line ? `line ${line}: ${message}` : message);
		this.name = 'BankError';
	}
}

/** Largest bank file accepted, in bytes. */
export const MAX_BANK_BYTES = 5 * 1024 * 1024;

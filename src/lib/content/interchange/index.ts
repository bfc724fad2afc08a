import type { z } from 'zod';
import { questionSchema } from '../graded-schema.ts';
import type { ContentLocale } from '../schema.ts';
import { looksLikeAiken, parseAiken } from './aiken.ts';
import { decodeBank } from './decode.ts';
import { parseGift, writeGift } from './gift.ts';
import { parseMoodleXml, writeMoodleXml } from './moodle-xml.ts';
import type { BankFormat, ParseOptions, ParsedBank, SkippedQuestion } from './types.ts';

export { BankError, MAX_BANK_BYTES } from './types.ts';
export type { BankFormat, BankPicture, BankQuestion, ParseOptions, ParsedBank, SkippedQuestion } from './types.ts';

/** A question as a quiz holds it once read (defaults applied): what the writers take. */
export type QuizQuestion = z.output<typeof questionSchema>;

const PARSERS: Record<BankFormat, (text: string, options: ParseOptions) => ParsedBank> = {
	gift: parseGift,
	'moodle-xml': parseMoodleXml,
	aiken: parseAiken
};

/** Moodle XML when the text opens like XML; Aiken when every block has lettered options and an ANSWER line; else GIFT. */
export function detectFormat(text: string): BankFormat {
	const start = text.replace(/^\uFEFF/, '').trimStart();
	if (/^<(?:\?xml|quiz\b|!DOCTYPE|!--)/i.test(start)) return 'moodle-xml';
	return looksLikeAiken(start) ? 'aiken' : 'gift';
}

/**
 * The questions of an uploaded bank file, in whichever format it is. The file is refused whole
 * (BankError) when it cannot be read; a question that cannot be used is skipped with its reason,
 * including any that fails the quiz-file schema, so nothing invalid reaches a quiz file.
 */
export function parseBank(bytes: Uint8Array, options: ParseOptions): ParsedBank {
	const text = decodeBank(bytes);
	return keepValid(PARSERS[detectFormat(text)](text, options));
}

function keepValid(bank: ParsedBank): ParsedBank {
	const kept: ParsedBank = { ...bank, questions: [], skipped: [...bank.skipped], questionLines: [] };
	bank.questions.forEach((question, i) => {
		const line = bank.questionLines?.[i] ?? 0;
		const result = questionSchema.safeParse(question);
		if (result.success) {
			kept.questions.push(question);
			kept.questionLines?.push(line);
			return;
		}
		kept.skipped.push({ name: question.id || '(no id)', line, reason: schemaMessage(result.error) });
	});
	const ids = new Set(kept.questions.map((q) => q.id));
	kept.pictures = bank.pictures.filter((p) => ids.has(p.question));
	kept.skipped.sort((a: SkippedQuestion, b: SkippedQuestion) => a.line - b.line);
	return kept;
}

const schemaMessage = (error: z.ZodError) =>
	error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');

export interface WriteBankOptions {
	locale: ContentLocale;
	/** Moodle XML only: the category path the questions go into. */
	category?: string;
	/** Moodle XML only: bytes of the questions' pictures by address, embedded in the file. */
	pictures?: ReadonlyMap<string, Uint8Array>;
}

/** A bank file of the questions in one language. */
export function writeBank(questions: readonly QuizQuestion[], format: 'gift' | 'moodle-xml', options: WriteBankOptions): string {
	return format === 'gift' ? writeGift(questions, { locale: options.locale }) : writeMoodleXml(questions, options);
}

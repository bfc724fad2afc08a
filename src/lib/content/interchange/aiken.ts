import { createIdClaimer, kebabId } from './moodle-xml.ts';
import { BankError, type BankQuestion, type ParseOptions, type ParsedBank, type SkippedQuestion } from './types.ts';

/**
 * The Aiken format (https://docs.moodle.org/en/Aiken_format): one-answer questions as plain text.
 *
 *     Which part removes chlorine?
 *     A. PP cartridge
 *     B) Carbon cartridge
 *     ANSWER: B
 *
 * Moodle refuses the whole file when one block is malformed; here only that question is skipped,
 * with its line and reason, and the others are imported. A file with no option or ANSWER line at
 * all is not Aiken and is refused (BankError). Texts are plain: nothing is read as markup.
 */

const OPTION = /^([A-Z])[.)][ \t]+(\S.*)$/;
/** Any line starting with the word ANSWER is meant as the answer line, even if it is written wrong. */
const ANSWER_LINE = /^ANSWER\b/;
const ANSWER = /^ANSWER[ \t]*:[ \t]*([A-Za-z])[ \t]*$/;
const MAX_OPTIONS = 8;
const ID_LENGTH = 40;

interface Block {
	line: number;
	prompt: string[];
	options: Array<{ label: string; text: string; line: number }>;
	answer?: { value: string; line: number };
	/** The first thing wrong in the block, with its line. */
	problem?: string;
}

/** Every block (blank-line separated) has lettered options and an ANSWER line. */
export function looksLikeAiken(text: string): boolean {
	const blocks = text
		.split(/\n[ \t]*\n/)
		.map((b) => b.split('\n').map((l) => l.trim()))
		.filter((b) => b.some(Boolean));
	return blocks.length > 0 && blocks.every((b) => b.some((l) => OPTION.test(l)) && b.some((l) => ANSWER_LINE.test(l)));
}

export function parseAiken(text: string, options: ParseOptions): ParsedBank {
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	if (!lines.some((l) => OPTION.test(l.trim()) || ANSWER_LINE.test(l.trim()))) {
		throw new BankError('this is not an Aiken file: no option line ("A. …") and no "ANSWER: …" line was found');
	}
	const bank: ParsedBank = { format: 'aiken', questions: [], skipped: [], pictures: [], questionLines: [] };
	const claim = createIdClaimer(options.usedIds);
	for (const block of splitBlocks(lines)) {
		const result = readBlock(block);
		if ('reason' in result) {
			bank.skipped.push(skip(block, result.reason));
			continue;
		}
		const prompt = block.prompt.join('\n');
		const ids = createIdClaimer();
		bank.questions.push({
			id: claim(kebabId(block.prompt[0] ?? '', ID_LENGTH)),
			type: 'single',
			tags: [],
			points: 1,
			prompt: { [options.locale]: prompt },
			options: block.options.map((o) => ({ id: ids(o.label.toLowerCase()), text: { [options.locale]: o.text }, correct: o.label === result.right }))
		} satisfies BankQuestion);
		bank.questionLines?.push(block.line);
	}
	return bank;
}

function skip(block: Block, reason: string): SkippedQuestion {
	const words = (block.prompt[0] ?? block.options[0]?.text ?? '').split(/\s+/).slice(0, 8).join(' ');
	return { name: words.length > 60 ? `${words.slice(0, 59)}…` : words || '(no question text)', line: block.line, reason };
}

/**
 * Lines into questions: an ANSWER line ends one; so does a blank line or a new text line after
 * the options (that question then lacks its ANSWER line). Blank lines before the options are ignored.
 */
function splitBlocks(lines: string[]): Block[] {
	const blocks: Block[] = [];
	let block: Block | null = null;
	const close = () => {
		if (block) blocks.push(block);
		block = null;
	};
	lines.forEach((raw, i) => {
		const line = raw.trim();
		const n = i + 1;
		if (!line) {
			if (block?.options.length) close();
			return;
		}
		const option = OPTION.exec(line);
		if (!option && !ANSWER_LINE.test(line) && block?.options.length) close();
		block ??= { line: n, prompt: [], options: [] };
		if (option) {
			if (!block.prompt.length) block.problem ??= `line ${n}: the option comes before any question text`;
			block.options.push({ label: option[1]!, text: option[2]!.trim(), line: n });
		} else if (ANSWER_LINE.test(line)) {
			block.answer = { value: line, line: n };
			close();
		} else {
			block.prompt.push(line);
		}
	});
	close();
	return blocks;
}

/** The right option's label, or why the block is not a valid question. */
function readBlock(block: Block): { right: string } | { reason: string } {
	const reason = (text: string) => ({ reason: text });
	if (block.problem) return reason(block.problem);
	if (!block.options.length) return reason(block.answer ? `line ${block.answer.line}: the ANSWER line has no options before it` : 'it has no options ("A. …")');
	if (!block.answer) return reason(`it has no ANSWER line after its options (line ${block.options.at(-1)!.line})`);
	const misplaced = block.options.findIndex((o, i) => o.label !== String.fromCharCode(65 + i));
	if (misplaced >= 0) {
		const o = block.options[misplaced]!;
		return reason(`line ${o.line}: option ${o.label} should be ${String.fromCharCode(65 + misplaced)}; options are lettered A, B, C… in order`);
	}
	if (block.options.length < 2) return reason('it has 1 option; at least 2 are needed');
	if (block.options.length > MAX_OPTIONS) return reason(`it has ${block.options.length} options; at most ${MAX_OPTIONS} are allowed here`);
	const answer = ANSWER.exec(block.answer.value);
	if (!answer) return reason(`line ${block.answer.line}: write the answer line as "ANSWER: B" (one option letter)`);
	const right = answer[1]!.toUpperCase();
	if (!block.options.some((o) => o.label === right)) {
		return reason(`line ${block.answer.line}: the answer ${right} is not one of the options (A–${block.options.at(-1)!.label})`);
	}
	return { right };
}

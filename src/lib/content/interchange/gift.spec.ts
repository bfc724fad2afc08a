import fs from 'node:fs';
import fc from 'fast-check';
import { parse as parseWithGiftPegjs } from 'gift-pegjs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { questionSchema } from '../graded-schema.ts';
import { CONTENT_LOCALES, type ContentLocale } from '../schema.ts';
import { htmlToText, parseGift, slugify, writeGift, type GiftQuestion } from './gift.ts';
import { BankError, type ParsedBank } from './types.ts';
import { refusal } from './fixtures/refusal.ts';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const en = { locale: 'en' } as const;

function parse(text: string, options: { locale?: ContentLocale; usedIds?: ReadonlySet<string> } = {}): ParsedBank {
	return parseGift(text, { locale: options.locale ?? 'en', usedIds: options.usedIds });
}

/** The only question of a one-question bank. */
function one(text: string): GiftQuestion {
	const bank = parse(text);
	expect(bank.skipped).toEqual([]);
	expect(bank.questions).toHaveLength(1);
	return bank.questions[0] as GiftQuestion;
}


const reasons = (bank: ParsedBank) => (bank.changed ?? []).map((c) => c.reason);

describe('parseGift: choice questions', () => {
	it('reads a single choice with answer feedback and general feedback', () => {
		expect(one('::Pre-carbon:: Which stage removes chlorine? {\n=Pre-carbon#Right.\n~PP#Catches sand.\n####Carbon adsorbs chlorine.\n}')).toEqual({
			id: 'pre-carbon',
			type: 'single',
			tags: [],
			points: 1,
			prompt: { en: 'Which stage removes chlorine?' },
			explanation: { en: 'Carbon adsorbs chlorine.' },
			options: [
				{ id: 'a', text: { en: 'Pre-carbon' }, correct: true, explanation: { en: 'Right.' } },
				{ id: 'b', text: { en: 'PP' }, correct: false, explanation: { en: 'Catches sand.' } }
			]
		});
	});

	it('makes a multiple choice of several positive weights, partial when a weight is between 0 and 100 %', () => {
		const q = one('Which does a TDS pen miss? {~%50%Bacteria ~%50%Lead ~%-100%Salts}');
		expect(q).toMatchObject({ type: 'multiple', scoring: 'partial' });
		expect(q.type === 'multiple' && q.options.map((o) => o.correct)).toEqual([true, true, false]);
	});

	it('scores partial when a weight is negative, all-or-nothing when every weight is 0 or 100 %', () => {
		expect(one('Q {~%100%a ~%-50%b}')).toMatchObject({ type: 'multiple', scoring: 'partial' });
		expect(one('Q {~%100%a ~b ~%100%c}')).toMatchObject({ type: 'multiple', scoring: 'all-or-nothing' });
	});

	it('needs the one 100 % answer written with = for a single choice', () => {
		expect(one('Q {~%100%a ~b}')).toMatchObject({ type: 'multiple', scoring: 'all-or-nothing' });
		expect(one('Q {=%100%a ~b}')).toMatchObject({ type: 'single' });
	});

	it('reports what changes when Moodle would grade otherwise', () => {
		const twoRight = parse('::two:: Q {=a =b ~c}');
		expect(twoRight.questions[0]).toMatchObject({ type: 'multiple', scoring: 'all-or-nothing' });
		expect(reasons(twoRight)).toEqual(['Moodle asks for one choice here; it becomes a multiple-answer question with 2 right answers']);
		const penalty = parse('::penalty:: Q {=a ~%-50%b ~c}');
		expect(penalty.questions[0]).toMatchObject({ type: 'single' });
		expect(penalty.changed).toEqual([{ name: 'penalty', line: 1, reason: 'negative weights are dropped: a wrong choice scores 0 here' }]);
	});

	it('takes =%0% as a wrong answer', () => {
		expect(one('Q {=%0%a ~%100%b}')).toMatchObject({ type: 'multiple', options: [{ correct: false }, { correct: true }] });
	});

	it('gives options the ids a, b, c… and questions 1 point', () => {
		const q = one('Q {=a ~b ~c ~d}');
		expect(q.points).toBe(1);
		expect(q.type === 'single' && q.options.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
	});

	it('turns a missing-word question into a prompt with a gap', () => {
		expect(one('The pre-carbon removes {=chlorine ~sand ~salt} before the membrane.')).toMatchObject({
			type: 'single',
			prompt: { en: 'The pre-carbon removes _____ before the membrane.' }
		});
		expect(one('A TDS pen misses {~%50%bacteria ~%50%lead ~salts} in water.')).toMatchObject({
			type: 'multiple',
			prompt: { en: 'A TDS pen misses _____ in water.' }
		});
	});

	it('keeps a gap before closing punctuation, but not after a finished sentence', () => {
		expect(one('Chlorine is removed by the {=pre-carbon ~PP}.').prompt).toEqual({ en: 'Chlorine is removed by the _____.' });
		expect(one('Which removes chlorine? {=pre-carbon ~PP}.').prompt).toEqual({ en: 'Which removes chlorine?' });
	});
});

describe('parseGift: true/false', () => {
	it.each(['T', 'TRUE', 'true', 't', 'True', ' TRUE '])('reads {%s} as true', (spelling) => {
		expect(one(`Q {${spelling}}`)).toEqual({ id: 'q-1', type: 'truefalse', tags: [], points: 1, prompt: { en: 'Q' }, answer: true });
	});

	it.each(['F', 'FALSE', 'false', 'f'])('reads {%s} as false', (spelling) => {
		expect(one(`Q {${spelling}}`)).toMatchObject({ type: 'truefalse', answer: false });
	});

	it('keeps the general feedback as the explanation, else the feedback for a wrong answer', () => {
		expect(one('Q {FALSE#Carbon fails unseen.#Well done.}').explanation).toEqual({ en: 'Carbon fails unseen.' });
		const bank = parse('::q:: Q {F#wrong#right####Why.}');
		expect(bank.questions[0]?.explanation).toEqual({ en: 'Why.' });
		expect(reasons(bank)).toEqual(['feedback for a right or wrong answer is dropped: only one explanation is kept']);
	});
});

describe('parseGift: matching', () => {
	it('reads pairs, and right-hand answers with no left as distractors', () => {
		expect(one('::stages:: Match each stage with its job. {\n=PP -> Catches sand\n=Carbon -> Removes chlorine\n= -> Adds minerals\n}')).toEqual({
			id: 'stages',
			type: 'matching',
			tags: [],
			points: 1,
			prompt: { en: 'Match each stage with its job.' },
			pairs: [
				{ id: 'p1', left: { en: 'PP' }, right: { en: 'Catches sand' } },
				{ id: 'p2', left: { en: 'Carbon' }, right: { en: 'Removes chlorine' } }
			],
			distractors: [{ en: 'Adds minerals' }]
		});
	});

	it('decodes escapes on both sides of ->', () => {
		const q = one('Q {=a\\:b -> c\\:d\\=e =f -> g\\#h}');
		expect(q.type === 'matching' && q.pairs.map((p) => [p.left.en, p.right.en])).toEqual([
			['a:b', 'c:d=e'],
			['f', 'g#h']
		]);
	});
});

describe('parseGift: numeric', () => {
	it('reads an answer with a tolerance', () => {
		expect(one('Rejection rate? {#94:1}')).toMatchObject({ type: 'numeric', answer: 94, tolerance: 1 });
	});

	it('reads a range as its middle and half its width', () => {
		expect(one('Q {#1..5}')).toMatchObject({ answer: 3, tolerance: 2 });
		expect(one('Pi to 3 decimals? {#3.141..3.142}')).toMatchObject({ answer: 3.1415, tolerance: 0.0005 });
	});

	it('reads negative numbers, decimals and exponents', () => {
		expect(one('Q {#-3}')).toMatchObject({ answer: -3, tolerance: 0 });
		expect(one('Q {#.5:0.1}')).toMatchObject({ answer: 0.5, tolerance: 0.1 });
		expect(one('Q {#1.2e3:5e1}')).toMatchObject({ answer: 1200, tolerance: 50 });
	});

	it('keeps the first 100 % answer and reports the others', () => {
		const bank = parse('::born:: Year? {#\n=%50%1821:1#Close.\n=1822:0#Right.\n=1823\n}');
		expect(bank.questions[0]).toMatchObject({ answer: 1822, tolerance: 0 });
		expect(reasons(bank)).toEqual([
			'the answer 1821 ± 1 (50 %) is dropped: one answer is kept',
			'the answer 1823 ± 0 (100 %) is dropped: one answer is kept',
			'feedback on single answers is dropped'
		]);
	});

	it('accepts feedback for any other answer, and the =%0%* catch-all', () => {
		const wrong = parse('::q5:: A number from 1 to 5? {#3:2~#Completely wrong}');
		expect(wrong.questions[0]).toMatchObject({ answer: 3, tolerance: 2 });
		expect(reasons(wrong)).toEqual(['the feedback for any other answer is dropped']);
		const star = parse('::star:: Q {#=4 =%0%*#No.}');
		expect(star.questions[0]).toMatchObject({ answer: 4, tolerance: 0 });
		expect(reasons(star)).toEqual(['the catch-all answer * and its feedback are dropped']);
	});

	it('accepts feedback on a single answer', () => {
		expect(one('Q {#1..5 #Anything from 1 to 5.}')).toMatchObject({ answer: 3, tolerance: 2 });
	});
});

describe('parseGift: short answer', () => {
	it('reads accepted answers', () => {
		expect(one('::tds:: What does TDS stand for? {=total dissolved solids =total dissolved solid}')).toEqual({
			id: 'tds',
			type: 'text',
			tags: [],
			points: 1,
			prompt: { en: 'What does TDS stand for?' },
			accept: ['total dissolved solids', 'total dissolved solid']
		});
	});

	it('takes a lone answer without = as accepted, as Moodle does', () => {
		expect(one('Q {RO membrane}')).toMatchObject({ type: 'text', accept: ['RO membrane'] });
	});

	it('reports partial-credit and catch-all answers instead of accepting them', () => {
		const bank = parse('::animal:: Which? {\n=Frog#Good!\n=%50%Cat#Cats.\n=%0%*#Wrong.\n}');
		expect(bank.questions[0]).toMatchObject({ accept: ['Frog'] });
		expect(reasons(bank)).toEqual([
			'the partly right answer "Cat" (50 %) is not accepted here',
			'the catch-all answer * and its feedback are dropped',
			'feedback on single answers is dropped'
		]);
	});

	it('keeps Moodle wildcards as a pattern', () => {
		expect(one('Q {=*carbon}')).toMatchObject({ accept: ['*carbon'], pattern: '^.*carbon$' });
	});

	it('fills a gap in the middle of a sentence', () => {
		expect(one('Two plus two equals {=four =4}.')).toMatchObject({ type: 'text', prompt: { en: 'Two plus two equals _____.' } });
	});
});

describe('parseGift: layout, comments and names', () => {
	it('needs no blank line between questions', () => {
		const bank = parse('::one:: Q1 {T}\n::two:: Q2 {F}\nQ3 {=a ~b}\n// note\n::four:: Q4 {#1}');
		expect(bank.questions.map((q) => q.id)).toEqual(['one', 'two', 'q-1', 'four']);
		expect(bank.questionLines).toEqual([1, 2, 3, 5]);
	});

	it('reads a question over several lines, with blank lines inside its answer block', () => {
		const bank = parse('::long::\nWhich stage\nremoves chlorine? {\n\n=carbon\n\n~PP\n}\n\n::next:: Q {T}');
		expect(bank.questions[0]).toMatchObject({ prompt: { en: 'Which stage removes chlorine?' }, options: [{ text: { en: 'carbon' } }, { text: { en: 'PP' } }] });
		expect(bank.questionLines).toEqual([1, 10]);
	});

	it('ignores // comment lines, even inside an answer block, but not // inside a text', () => {
		const q = one('// a comment\n::c:: See http://example.com {\n// which one?\n=a\n  // not this\n~b\n}');
		expect(q).toMatchObject({ prompt: { en: 'See http://example.com' }, options: [{ text: { en: 'a' } }, { text: { en: 'b' } }] });
	});

	it('slugifies names into ids', () => {
		expect(one("::Jesus' hometown (Short answer ex.):: Q {T}").id).toBe('jesus-hometown-short-answer-ex');
		expect(one('::Änderung № 5:: Q {T}').id).toBe('anderung-no-5');
		expect(one('::time\\: 10\\:30:: Q {T}').id).toBe('time-10-30');
		expect(one(`::${'very long name '.repeat(10)}:: Q {T}`).id).toBe('very-long-name-very-long-name-very-long-name-very-long-name');
		expect(slugify('-- a -- b --')).toBe('a-b');
	});

	it('numbers questions with no latin name q-1, q-2…', () => {
		expect(parse('::滤芯:: Q {T}\n\nQ {F}\n\n::::Q {T}').questions.map((q) => q.id)).toEqual(['q-1', 'q-2', 'q-3']);
	});

	it('keeps ids unique against the quiz and each other', () => {
		const bank = parse('::Pump:: A {T}\n\n::pump:: B {T}\n\n::PUMP:: C {T}\n\nD {T}', { usedIds: new Set(['pump', 'q-1']) });
		expect(bank.questions.map((q) => q.id)).toEqual(['pump-2', 'pump-3', 'pump-4', 'q-2']);
		const long = `::${'x'.repeat(70)}:: A {T}\n\n::${'x'.repeat(60)}:: B {T}`;
		expect(parse(long).questions.map((q) => q.id)).toEqual(['x'.repeat(60), `${'x'.repeat(58)}-2`]);
	});

	it('puts texts under the chosen locale', () => {
		expect(parse('Q {T}', { locale: 'zh-CN' }).questions[0]?.prompt).toEqual({ 'zh-CN': 'Q' });
	});
});

describe('parseGift: escapes and formats', () => {
	it('decodes every escape', () => {
		const q = one('::e:: a\\:b \\=c \\~d \\#e \\{f\\} g\\\\h line\\nbreak {=x\\~y#fb\\: \\#1 ~z}');
		expect(q.prompt).toEqual({ en: 'a:b =c ~d #e {f} g\\h line\nbreak' });
		expect(q.type === 'single' && q.options[0]).toEqual({ id: 'a', text: { en: 'x~y' }, correct: true, explanation: { en: 'fb: #1' } });
	});

	it('reads an unescaped colon, a lone backslash and \\\\n as text', () => {
		expect(one('Ratio 2:1 at C:\\ drive, \\\\n? {T}').prompt).toEqual({ en: 'Ratio 2:1 at C:\\ drive, \\n?' });
	});

	it('joins wrapped lines with a space', () => {
		expect(one('Match the countries\n   with their capitals. {T}').prompt).toEqual({ en: 'Match the countries with their capitals.' });
	});

	it('reduces [html] to plain text: no tags, entities decoded, <br> and <p> as line breaks', () => {
		const q = one('[html]<p>Is <b>chlorine</b> &amp; rust &lt;safe&gt;?</p><p>Think&nbsp;&#8212; then answer.<br/>Line&#x21;</p><script>alert(1)</script> {T}');
		expect(q.prompt).toEqual({ en: 'Is chlorine & rust <safe>?\nThink — then answer.\nLine!' });
	});

	it('reduces HTML in the default format, keeps [plain] and [markdown] as written', () => {
		expect(one('Is <b>this</b> bold? {T}').prompt).toEqual({ en: 'Is this bold?' });
		expect(one('[plain]Is <b>this</b> bold? {T}').prompt).toEqual({ en: 'Is <b>this</b> bold?' });
		expect(one('[markdown]Is **this** bold? {T}').prompt).toEqual({ en: 'Is **this** bold?' });
		expect(one('[moodle]Pressure < 2 bar and > 1 bar? {T}').prompt).toEqual({ en: 'Pressure < 2 bar and > 1 bar?' });
	});

	it('applies the question format to answers unless an answer has its own', () => {
		const q = one('[html]Q {=<i>yes</i>#<b>good</b> ~[plain]<i>no</i>}');
		expect(q.type === 'single' && q.options.map((o) => [o.text.en, o.explanation?.en])).toEqual([
			['yes', 'good'],
			['<i>no</i>', undefined]
		]);
	});

	it('leaves no markup in any HTML', () => {
		expect(htmlToText('<div onclick="x()"><img src=x onerror=alert(1)>Text<!-- hidden --></div><style>p{}</style>')).toBe('Text');
	});
});

describe('parseGift: categories and tags', () => {
	it('tags each following question with the last segment of the category', () => {
		const bank = parse('$CATEGORY: $course$/top/RO purifier/Filter stages\n\n::a:: Q {T}\n\n$CATEGORY: $course$/top/TDS\n::b:: Q {T}\n\n$CATEGORY: $course$/top\n\n::c:: Q {T}');
		expect(bank.questions.map((q) => q.tags)).toEqual([['filter-stages'], ['tds'], []]);
	});

	it('reads a/b//c as the segment b/c', () => {
		expect(parse('$CATEGORY: a/Air//water\n\nQ {T}').questions[0]?.tags).toEqual(['air-water']);
	});

	it('adds Moodle [tag:…] comments, up to 10 tags', () => {
		const tags = Array.from({ length: 12 }, (_, i) => `[tag:Topic ${i + 1}]`).join(' ');
		const bank = parse(`$CATEGORY: Pumps\n\n// ${tags}\n::q:: Q {T}`);
		expect(bank.questions[0]?.tags).toEqual(['pumps', ...Array.from({ length: 9 }, (_, i) => `topic-${i + 1}`)]);
		expect(reasons(bank)).toEqual(['only the first 10 tags are kept']);
	});
});

describe('parseGift: skipped questions', () => {
	it('lists what has no equivalent here, or breaks our limits, with name, line and reason', () => {
		const bank = parse(fixture('gift-skipped.gift'));
		expect(bank.questions).toEqual([]);
		expect(bank.skipped).toEqual([
			{ name: 'Visit report', line: 3, reason: 'essay questions have no equivalent here' },
			{ name: 'Welcome to the RO purifier bank. Read each', line: 5, reason: 'descriptions (text without an answer block) are not questions here' },
			{ name: 'Cloze', line: 7, reason: 'several answer blocks in one question (cloze) have no equivalent here' },
			{ name: 'Year in text', line: 9, reason: 'a number answer in the middle of the text (cloze) has no equivalent here' },
			{ name: 'Too many', line: 11, reason: 'the question has more than 8 options' },
			{ name: 'No right answer', line: 16, reason: 'a choice question needs a right answer, and no answer has a positive weight' },
			{ name: 'Half only', line: 18, reason: 'no short answer earns full marks' }
		]);
	});

	it('skips questions our schema refuses, and gives the reason', () => {
		expect(parse('::lonely:: Q {~a ~%100%b}\n\n{=a ~b}\n\n::one:: Q {~%100%only}').skipped).toEqual([
			{ name: 'question at line 3', line: 3, reason: 'the question text must not be empty' },
			{ name: 'one', line: 5, reason: 'the question needs at least 2 options' }
		]);
		expect(parse('::pairs:: Q {=a -> b}').skipped).toEqual([{ name: 'pairs', line: 1, reason: 'the question needs at least 2 pairs' }]);
	});

	it('skips essays with general feedback and in-text answers of other types', () => {
		const bank = parse('::e:: Essay {####Say it well.}\n\n::tf:: The sun {T} rises.\n\n::m:: Pairs {=a -> b =c -> d} here.');
		expect(bank.skipped.map((s) => [s.name, s.reason])).toEqual([
			['e', 'essay questions have no equivalent here'],
			['tf', 'a true/false answer in the middle of the text (cloze) has no equivalent here'],
			['m', 'a matching answer in the middle of the text (cloze) has no equivalent here']
		]);
	});

	it('does not spend ids on skipped questions', () => {
		expect(parse('Essay {}\n\nQ {T}').questions.map((q) => q.id)).toEqual(['q-1']);
	});
});

describe('parseGift: malformed files', () => {
	it.each([
		['an unclosed {', '::a:: Q {T}\n\n::b:: Q {\n=a\n~b\n\n::c:: Q {F}', 3, 'this { is not closed before the next {'],
		['an unclosed { at the end', '::a:: Q {T}\n\n::b:: Q {\n=a\n~b\n', 3, 'this { is never closed with }'],
		['a } with no {', '::a:: Q {T}\n\n::b:: Q =a ~b}', 3, 'this } closes no {'],
		['a number that is not one', '::n:: Q {#\n=94\n=%50%abc\n}', 3, '"abc" is not a number'],
		['a tolerance that is not a number', '::n:: Q {#94:x}', 1, '"x" is not a number'],
		['an empty numeric block', '\n::n:: Q {#}', 2, 'a numeric answer block needs a number after #'],
		['a weight beyond 100 %', '::w:: Q {\n=a\n~%150%b\n}', 3, 'the weight %150% is not between -100 % and 100 %'],
		['an unclosed name', '::name Q {T}', 1, 'the question name is not closed with ::'],
		['a matching answer without ->', '::m:: Q {\n=a -> b\n=c\n}', 3, 'each answer of a matching question needs ->'],
		['binary garbage', 'PK\u0003\u0004\u0000\u0000garbage', 1, 'the file has control characters'],
		['a broken serviceready comment', '::a:: Q {T}\n\n// serviceready: {"points":\n::b:: Q {T}', 3, 'the serviceready: comment is not valid JSON'],
		['a serviceready comment of the wrong shape', '// serviceready: {"points":"two"}\n::b:: Q {T}', 1, 'the serviceready: comment is not valid']
	])('refuses %s, naming the line', (_, text, line, message) => {
		const error = refusal(() => parseGift(text, en));
		expect(error.line).toBe(line);
		expect(error.message).toContain(message);
	});

	it('refuses the whole file, not the bad question only', () => {
		expect(() => parseGift(`${fixture('gift-service-bank.gift')}\n\n::bad:: Q {=a ~b`, en)).toThrow(BankError);
	});

	it('refuses a file over 5 MB', () => {
		expect(refusal(() => parseGift('x'.repeat(5 * 1024 * 1024 + 1), en)).message).toBe('the file is larger than 5 MB');
	});
});

describe('parseGift: sample files', () => {
	it('reads the test questions of gift-pegjs', () => {
		const bank = parse(fixture('gift-pegjs-examples.gift'));
		expect(bank.questions.map((q) => [q.id, q.type])).toEqual([
			['q-1', 'single'],
			['q-2', 'single'],
			['q-3', 'truefalse'],
			['q-4', 'text'],
			['q-5', 'numeric'],
			['q-6', 'matching'],
			['grant-s-tomb', 'single'],
			['q-7', 'multiple'],
			['jesus-hometown-short-answer-ex', 'text'],
			['numerical-example', 'numeric'],
			['moodle-activities', 'matching'],
			['colours', 'multiple'],
			['gift-control-characters', 'single'],
			['gift-range-of-non-escaped-symbols', 'truefalse'],
			['q5', 'numeric'],
			['shortanswer', 'text'],
			['q1', 'truefalse']
		]);
		expect(bank.questionLines).toEqual([8, 10, 12, 14, 16, 18, 25, 31, 36, 43, 51, 60, 68, 80, 88, 91, 98]);
		expect(bank.skipped).toEqual([{ name: 'Q8', line: 85, reason: 'essay questions have no equivalent here' }]);
		const byId = (id: string) => bank.questions.find((q) => q.id === id);
		expect(byId('moodle-activities')).toMatchObject({
			prompt: { en: 'Match the activity to the description.' },
			distractors: [{ en: 'Chat' }]
		});
		expect(byId('gift-control-characters')).toMatchObject({
			options: [{ text: { en: '~' } }, { text: { en: '=' } }, { text: { en: '#' } }, { text: { en: '{' } }, { text: { en: '}' } }, { text: { en: ':' } }, { text: { en: '\\' }, correct: true }]
		});
		expect(byId('gift-range-of-non-escaped-symbols')?.prompt).toEqual({
			en: 'Here\'s a question that has symbols inside, such as `-=[];\',./~!@#$%^&*()_+{}|:"<>?'
		});
		expect(byId('q-6')?.prompt).toEqual({ en: 'Match the following countries with their corresponding capitals.' });
		expect(byId('q1')?.explanation).toEqual({ en: "This is, of course, a Hitchiker's Guide to the Galaxy reference." });
	});

	it('reads a hand-written service bank', () => {
		const bank = parse(fixture('gift-service-bank.gift'));
		expect(bank.skipped).toEqual([]);
		expect(bank.changed).toEqual([]);
		expect(bank.questions[0]).toEqual({
			id: 'pre-filter-job',
			type: 'single',
			tags: ['filter-stages'],
			points: 1,
			prompt: { en: 'Which stage removes chlorine before it reaches the membrane?' },
			explanation: { en: 'Chlorine damages the membrane — the pre-carbon protects it.\nReplace it on time.' },
			options: [
				{ id: 'a', text: { en: 'PP sediment cartridge' }, correct: false, explanation: { en: 'It catches sand and rust, not chlorine.' } },
				{ id: 'b', text: { en: 'Pre-carbon cartridge' }, correct: true, explanation: { en: 'Right: carbon adsorbs chlorine.' } },
				{ id: 'c', text: { en: 'Post carbon' }, correct: false, explanation: { en: 'That one only polishes the taste.' } }
			]
		});
		expect(bank.questions.slice(1).map((q) => [q.id, q.type, q.tags])).toEqual([
			['stage-order', 'matching', ['filter-stages']],
			['rejection-rate', 'numeric', ['tds-and-testing', 'measuring']],
			['tds-blind-spots', 'multiple', ['tds-and-testing']],
			['pen-on-tap-water', 'truefalse', ['tds-and-testing']],
			['tds-meaning', 'text', ['tds-and-testing']]
		]);
	});

	it('reads a Chinese bank', () => {
		const bank = parse(fixture('gift-zh.gift'), { locale: 'zh-CN' });
		expect(bank.skipped).toEqual([]);
		expect(bank.questions).toEqual([
			{
				id: 'q-1',
				type: 'single',
				tags: [],
				points: 1,
				prompt: { 'zh-CN': '水最先流经哪一级滤芯？' },
				explanation: { 'zh-CN': '先拦颗粒，再去余氯，最后由膜精细过滤。' },
				options: [
					{ id: 'a', text: { 'zh-CN': 'PP 棉滤芯' }, correct: true, explanation: { 'zh-CN': '对：先拦截泥沙和铁锈。' } },
					{ id: 'b', text: { 'zh-CN': 'RO 膜' }, correct: false, explanation: { 'zh-CN': '膜在第三级。' } },
					{ id: 'c', text: { 'zh-CN': '后置活性炭' }, correct: false, explanation: { 'zh-CN': '它在最后，改善口感。' } }
				]
			},
			{
				id: 'q-2',
				type: 'truefalse',
				tags: [],
				points: 1,
				prompt: { 'zh-CN': '前置活性炭外观干净，就可以远远超出标称周期使用。' },
				explanation: { 'zh-CN': '从外面看不出活性炭什么时候失去除氯能力。' },
				answer: false
			},
			{ id: 'q-3', type: 'numeric', tags: [], points: 1, prompt: { 'zh-CN': '纯水 1.2 L、浓水 0.6 L，净水产水率是百分之多少？' }, answer: 66.7, tolerance: 1.5 },
			{ id: 'tds', type: 'text', tags: [], points: 1, prompt: { 'zh-CN': 'TDS 的中文全称是什么？' }, accept: ['溶解性总固体', '总溶解固体'] },
			{
				id: 'q-4',
				type: 'matching',
				tags: [],
				points: 1,
				prompt: { 'zh-CN': '把滤芯和作用对应起来。' },
				pairs: [
					{ id: 'p1', left: { 'zh-CN': 'PP 棉' }, right: { 'zh-CN': '拦截泥沙' } },
					{ id: 'p2', left: { 'zh-CN': '前置活性炭' }, right: { 'zh-CN': '去除余氯' } },
					{ id: 'p3', left: { 'zh-CN': 'RO 膜' }, right: { 'zh-CN': '去除溶解盐类' } }
				],
				distractors: [{ 'zh-CN': '杀灭细菌' }]
			}
		]);
	});
});

const base = { tags: [], points: 1 };
const sample: GiftQuestion[] = [
	{
		...base,
		id: 'carbon',
		type: 'single',
		prompt: { en: 'Which stage removes chlorine?', 'zh-CN': '哪一级去除余氯？' },
		explanation: { en: 'Carbon: it adsorbs {chlorine}.' },
		options: [
			{ id: 'pp', text: { en: 'PP' }, correct: false, explanation: { en: 'Catches sand #1' } },
			{ id: 'carbon', text: { en: 'Pre-carbon' }, correct: true }
		]
	},
	{
		...base,
		id: 'blind-spots',
		type: 'multiple',
		scoring: 'partial',
		prompt: { en: 'A TDS pen misses…' },
		options: [
			{ id: 'a', text: { en: 'Bacteria' }, correct: true },
			{ id: 'b', text: { en: 'Lead' }, correct: true },
			{ id: 'c', text: { en: 'Organics' }, correct: true },
			{ id: 'd', text: { en: 'Salts' }, correct: false },
			{ id: 'e', text: { en: 'Hardness' }, correct: false }
		]
	},
	{
		...base,
		id: 'all-or-nothing',
		type: 'multiple',
		scoring: 'all-or-nothing',
		prompt: { en: 'Pick both.' },
		options: [
			{ id: 'a', text: { en: 'One' }, correct: true },
			{ id: 'b', text: { en: 'Two' }, correct: true },
			{ id: 'c', text: { en: 'Three' }, correct: false }
		]
	},
	{ ...base, id: 'looks-clean', type: 'truefalse', points: 2, tags: ['filters'], prompt: { en: 'Clean carbon\nlasts forever.' }, answer: false, explanation: { en: 'No.' } },
	{
		...base,
		id: 'flow',
		type: 'ordering',
		scoring: 'partial',
		prompt: { en: 'Order the stages.' },
		items: [
			{ id: 'pp', text: { en: 'PP' } },
			{ id: 'carbon', text: { en: 'Carbon' } },
			{ id: 'ro', text: { en: 'RO' } }
		]
	},
	{
		...base,
		id: 'jobs',
		type: 'matching',
		prompt: { en: 'Match.' },
		pairs: [
			{ id: 'p1', left: { en: 'PP' }, right: { en: 'Sand' } },
			{ id: 'p2', left: { en: 'Carbon' }, right: { en: 'Chlorine' } }
		],
		distractors: [{ en: 'Bacteria' }]
	},
	{ ...base, id: 'recovery', type: 'numeric', prompt: { en: 'Recovery, in %?' }, answer: 66.7, tolerance: 1.5, unit: '%' },
	{ ...base, id: 'tds', type: 'text', prompt: { en: 'TDS?' }, accept: ['total dissolved solids', '%TDS'], pattern: '^total\\s+dissolved' }
];

describe('writeGift', () => {
	const written = writeGift(sample, en);

	it('writes Moodle GIFT, with one serviceready comment for what GIFT cannot say', () => {
		expect(written).toBe(
			[
				'// serviceready: {"ids":["pp","carbon"]}',
				'::carbon::Which stage removes chlorine? {',
				'\t~PP#Catches sand \\#1',
				'\t=Pre-carbon',
				'\t####Carbon\\: it adsorbs \\{chlorine\\}.',
				'}',
				'',
				'// serviceready: {"scoring":"partial"}',
				'::blind-spots::A TDS pen misses… {',
				'\t~%33.33333%Bacteria',
				'\t~%33.33333%Lead',
				'\t~%33.33333%Organics',
				'\t~%-50%Salts',
				'\t~%-50%Hardness',
				'}',
				'',
				'// serviceready: {"scoring":"all-or-nothing"}',
				'::all-or-nothing::Pick both. {',
				'\t~%50%One',
				'\t~%50%Two',
				'\t~%-100%Three',
				'}',
				'',
				'// serviceready: {"points":2,"tags":["filters"]}',
				'::looks-clean::Clean carbon\\nlasts forever. {FALSE####No.}',
				'',
				'// serviceready: {"type":"ordering","scoring":"partial","ids":["pp","carbon","ro"]}',
				'::flow::Order the stages. {',
				'\t=1 -> PP',
				'\t=2 -> Carbon',
				'\t=3 -> RO',
				'}',
				'',
				'::jobs::Match. {',
				'\t=PP -> Sand',
				'\t=Carbon -> Chlorine',
				'\t= -> Bacteria',
				'}',
				'',
				'// serviceready: {"unit":"%"}',
				'::recovery::Recovery, in %? {#66.7:1.5}',
				'',
				'// serviceready: {"pattern":"^total\\\\s+dissolved"}',
				'::tds::TDS? {',
				'\t=total dissolved solids',
				'\t=[plain]%TDS',
				'}',
				''
			].join('\n')
		);
	});

	it('reads back as the same questions', () => {
		const enOnly = sample.map((q) => (q.id === 'carbon' ? { ...q, prompt: { en: 'Which stage removes chlorine?' } } : q));
		expect(parseGift(written, en).questions).toEqual(enOnly);
		expect(parseGift(written, en).changed).toEqual([]);
	});

	it('is valid GIFT for another parser (gift-pegjs)', () => {
		expect(parseWithGiftPegjs(written)).toHaveLength(sample.length);
	});

	it('falls back to another language for a text missing in this one, but not for explanations', () => {
		const zh = writeGift([sample[0] as GiftQuestion], { locale: 'zh-CN' });
		expect(zh).toContain('::carbon::哪一级去除余氯？ {\n\t~PP\n\t=Pre-carbon\n}');
	});

	it('writes [plain] before texts that would read as a format or as HTML', () => {
		const q: GiftQuestion = { ...base, id: 'x', type: 'truefalse', prompt: { en: '[html] and <b> are literal & fine' }, answer: true };
		const gift = writeGift([q], en);
		expect(gift).toBe('::x::[plain][html] and <b> are literal & fine {TRUE}\n');
		expect(parseGift(gift, en).questions).toEqual([q]);
	});
});

/** Texts a question bank may hold: GIFT's specials, HTML-like text, CJK, line breaks. */
const text = fc
	.string({
		unit: fc.oneof(fc.constantFrom(...':#={}~\\n[]<>&%/*-_ .', '\n', '滤', '，', '\t', '->'), fc.string({ minLength: 1, maxLength: 1 })),
		minLength: 1,
		maxLength: 30
	})
	.map((s) => s.trim())
	.filter((s) => s !== '');

describe('writeGift then parseGift', () => {
	it('keeps any text of a choice question', () => {
		fc.assert(
			fc.property(text, text, text, text, text, (prompt, right, wrong, feedback, explanation) => {
				const q: GiftQuestion = {
					...base,
					id: 'q',
					type: 'single',
					prompt: { en: prompt },
					explanation: { en: explanation },
					options: [
						{ id: 'a', text: { en: right }, correct: true, explanation: { en: feedback } },
						{ id: 'b', text: { en: wrong }, correct: false }
					]
				};
				expect(parseGift(writeGift([q], en), en).questions).toEqual([q]);
			}),
			{ numRuns: 300 }
		);
	});

	it('keeps any accepted answer without GIFT-ambiguous -> or *', () => {
		const answer = text.filter((s) => !s.includes('->') && !s.includes('*'));
		fc.assert(
			fc.property(text, fc.array(answer, { minLength: 1, maxLength: 4 }), (prompt, accept) => {
				const q: GiftQuestion = { ...base, id: 'q', type: 'text', prompt: { en: prompt }, accept };
				expect(parseGift(writeGift([q], en), en).questions).toEqual([q]);
			}),
			{ numRuns: 200 }
		);
	});
});

type Localized = Partial<Record<ContentLocale, string>>;

function isLocalized(value: unknown): value is Localized {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const keys = Object.keys(value);
	return keys.length > 0 && keys.every((k) => (CONTENT_LOCALES as readonly string[]).includes(k));
}

/** The question with the texts of one language only (a text missing in it is left out). */
function inLocale<T>(value: T, locale: ContentLocale): T {
	if (Array.isArray(value)) return value.map((v: unknown) => inLocale(v, locale)) as T;
	if (typeof value !== 'object' || value === null) return value;
	const entries = Object.entries(value).flatMap(([key, v]): Array<[string, unknown]> => {
		if (!isLocalized(v)) return [[key, inLocale(v, locale)]];
		return v[locale] === undefined ? [] : [[key, { [locale]: v[locale] }]];
	});
	return Object.fromEntries(entries) as T;
}

function quizQuestions(path: string): GiftQuestion[] {
	const source = fs.readFileSync(path, 'utf8');
	const body = /^---\r?\n[\s\S]*?\r?\n---\r?\n([\s\S]*)$/.exec(source)?.[1];
	if (body === undefined) throw new Error(`${path} has no frontmatter`);
	return (parseYaml(body) as unknown[]).map((q) => questionSchema.parse(q));
}

const quizFiles = fs
	.readdirSync('content/courses')
	.flatMap((course) =>
		fs
			.readdirSync(`content/courses/${course}`)
			.filter((file) => file.endsWith('.quiz.md'))
			.map((file) => `content/courses/${course}/${file}`)
	);

describe('round trip over the shipped quizzes', () => {
	it('finds the quizzes', () => {
		expect(quizFiles.length).toBeGreaterThan(5);
	});

	describe.each(CONTENT_LOCALES)('%s', (locale) => {
		it.each(quizFiles)('%s', (path) => {
			const questions = quizQuestions(path);
			const gift = writeGift(questions, { locale });
			const bank = parseGift(gift, { locale });
			expect(bank.skipped).toEqual([]);
			expect(bank.changed).toEqual([]);
			expect(bank.questions).toEqual(inLocale(questions, locale));
			expect(parseWithGiftPegjs(gift)).toHaveLength(questions.length);
		});
	});
});

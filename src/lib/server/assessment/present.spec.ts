import { describe, expect, it } from 'vitest';
import { matchingRightColumn, presentQuestion } from './draw';
import { parseResponse } from './grade';
import { presentAttempt, publicAnswer, readAnswerFields, type PublicAnswer } from './present';
import type {
	MatchingQuestion,
	MultipleQuestion,
	NumericQuestion,
	OrderingQuestion,
	Question,
	Response,
	SingleQuestion,
	TextQuestion,
	TrueFalseQuestion
} from './types';

const single: SingleQuestion = {
	id: 'first-step',
	type: 'single',
	tags: ['secret-tag-arrival'],
	points: 2,
	prompt: { en: 'What do you do first?', 'zh-CN': '首先做什么？' },
	explanation: { en: 'Greeting sets the tone of the visit.', 'zh-CN': '问候定下拜访的基调。' },
	options: [
		{ id: 'greet', text: { en: 'Greet the customer', 'zh-CN': '问候客户' }, correct: true, explanation: { en: 'Yes, always greet first.', 'zh-CN': '对，总是先问候。' } },
		{ id: 'tools', text: { en: 'Unpack the tools', 'zh-CN': '拆开工具' }, correct: false, explanation: { en: 'Tools come after the greeting.' } },
		{ id: 'shoes', text: { en: 'Put on shoe covers' }, correct: false }
	]
};

const multiple: MultipleQuestion = {
	id: 'signs',
	type: 'multiple',
	tags: ['faults'],
	points: 1,
	scoring: 'partial',
	prompt: { en: 'Signs of a clogged membrane?' },
	explanation: { en: 'Clogging lowers flow and raises TDS.' },
	options: [
		{ id: 'flow', text: { en: 'Low flow' }, correct: true, explanation: { en: 'Flow drops when the membrane clogs.' } },
		{ id: 'high-tds', text: { en: 'High TDS' }, correct: true },
		{ id: 'noise', text: { en: 'Loud noise' }, correct: false, explanation: { en: 'Noise points at the booster pump.' } },
		{ id: 'leak', text: { en: 'A leak' }, correct: false }
	]
};

const truefalse: TrueFalseQuestion = {
	id: 'flush',
	type: 'truefalse',
	tags: [],
	points: 1,
	prompt: { en: 'Flush a new filter before use.' },
	explanation: { en: 'Carbon fines must be rinsed out.' },
	answer: true
};

const ordering: OrderingQuestion = {
	id: 'steps',
	type: 'ordering',
	tags: [],
	points: 4,
	scoring: 'all-or-nothing',
	prompt: { en: 'Order the steps.' },
	explanation: { en: 'Listen before you solve.' },
	items: [
		{ id: 'listen', text: { en: 'Listen' } },
		{ id: 'apologise', text: { en: 'Apologise' } },
		{ id: 'solve', text: { en: 'Solve' } },
		{ id: 'confirm', text: { en: 'Confirm' } }
	]
};

const matching: MatchingQuestion = {
	id: 'terms',
	type: 'matching',
	tags: [],
	points: 3,
	prompt: { en: 'Match the terms.' },
	explanation: { en: 'These abbreviations appear on every work order.' },
	pairs: [
		{ id: 'ro', left: { en: 'RO' }, right: { en: 'Reverse osmosis' } },
		{ id: 'uf', left: { en: 'UF' }, right: { en: 'Ultrafiltration' } },
		{ id: 'ppm', left: { en: 'ppm' }, right: { en: 'Parts per million' } },
		{ id: 'pp', left: { en: 'PP' }, right: { en: 'Polypropylene sediment filter' } }
	]
};

const numeric: NumericQuestion = {
	id: 'pressure',
	type: 'numeric',
	tags: [],
	points: 1,
	prompt: { en: 'Minimum inlet pressure?' },
	explanation: { en: 'Below this the membrane cannot work.' },
	answer: 0.1375,
	tolerance: 0.0125,
	unit: 'MPa'
};

const text: TextQuestion = {
	id: 'tds-name',
	type: 'text',
	tags: [],
	points: 1,
	prompt: { en: 'What does the abbreviation on the meter stand for?' },
	explanation: { en: 'The meter reads dissolved minerals.' },
	accept: ['Total dissolved solids', '总溶解固体'],
	pattern: '^t\\.?d\\.?s$'
};

const all: Question[] = [single, multiple, truefalse, ordering, matching, numeric, text];

const seeds = Array.from({ length: 25 }, (_, i) => `attempt-${i}`);

/** Turns a public answer back into the form fields the browser would post for it. */
function toFields(answer: PublicAnswer): Record<string, string | string[]> {
	if ('choice' in answer) return { choice: answer.choice };
	// A saved order is shown with "This order is my answer" ticked, so it is sent again as the answer.
	if ('order' in answer) return { order: answer.order, orderConfirmed: 'yes' };
	if ('value' in answer) return { value: answer.value };
	return Object.fromEntries(Object.entries(answer.match).map(([left, token]) => [`match.${left}`, token]));
}

function roundTrip(q: Question, r: Response, seed: string) {
	const answer = publicAnswer(q, r, seed);
	expect(answer).not.toBeNull();
	return parseResponse(q, toFields(answer!), seed);
}

describe('publicAnswer', () => {
	it('is null when nothing was saved', () => {
		for (const q of all) expect(publicAnswer(q, undefined, 'seed')).toBeNull();
	});

	it('gives the form values of each type', () => {
		expect(publicAnswer(single, { type: 'single', optionId: 'tools' }, 's')).toEqual({ choice: ['tools'] });
		expect(publicAnswer(multiple, { type: 'multiple', optionIds: ['noise', 'flow'] }, 's')).toEqual({ choice: ['noise', 'flow'] });
		expect(publicAnswer(truefalse, { type: 'truefalse', value: false }, 's')).toEqual({ choice: ['false'] });
		expect(publicAnswer(truefalse, { type: 'truefalse', value: true }, 's')).toEqual({ choice: ['true'] });
		expect(publicAnswer(ordering, { type: 'ordering', itemIds: ['solve', 'listen', 'apologise', 'confirm'] }, 's')).toEqual({
			order: ['solve', 'listen', 'apologise', 'confirm']
		});
		expect(publicAnswer(numeric, { type: 'numeric', value: -2.5 }, 's')).toEqual({ value: '-2.5' });
		// Very small and very large values come back in plain notation, which the form accepts again.
		for (const value of [1e-7, 1e21]) {
			const shown = publicAnswer(numeric, { type: 'numeric', value }, 's') as { value: string };
			expect(shown.value).not.toMatch(/e/i);
			expect(parseResponse(numeric, shown)).toEqual({ type: 'numeric', value });
		}
		expect(publicAnswer(text, { type: 'text', value: 'TDS' }, 's')).toEqual({ value: 'TDS' });
	});

	it('matching: maps each chosen pair id to its opaque right-column token for the seed', () => {
		const r: Response = { type: 'matching', matches: { ro: 'uf', uf: 'ro', ppm: 'ppm', pp: 'pp' } };
		for (const seed of seeds) {
			const column = matchingRightColumn(matching, seed);
			const tokenOf = (pairId: string) => column.find((c) => c.pairId === pairId)!.token;
			const answer = publicAnswer(matching, r, seed);
			expect(answer).toEqual({ match: { ro: tokenOf('uf'), uf: tokenOf('ro'), ppm: tokenOf('ppm'), pp: tokenOf('pp') } });
			// The tokens are those the browser was shown, never pair ids.
			const shown = presentQuestion(matching, seed, true, 'en', 'en').right!.map((c) => c.id);
			const values = Object.values((answer as { match: Record<string, string> }).match);
			for (const token of values) {
				expect(shown).toContain(token);
				expect(matching.pairs.map((p) => p.id)).not.toContain(token);
			}
		}
	});

	it('matching: the tokens depend on the seed', () => {
		const r: Response = { type: 'matching', matches: { ro: 'ro', uf: 'uf', ppm: 'ppm', pp: 'pp' } };
		const distinct = new Set(seeds.map((seed) => JSON.stringify(publicAnswer(matching, r, seed))));
		expect(distinct.size).toBeGreaterThan(1);
	});

	it('matching: an unknown pair id gives an empty value, and a non-matching question gives null', () => {
		expect(publicAnswer(matching, { type: 'matching', matches: { ro: 'forged' } }, 's')).toEqual({ match: { ro: '' } });
		expect(publicAnswer(single, { type: 'matching', matches: { ro: 'ro' } }, 's')).toBeNull();
	});

	describe('round trip through parseResponse with the same seed', () => {
		const cases: Array<[string, Question, Response[]]> = [
			['single', single, [{ type: 'single', optionId: 'greet' }, { type: 'single', optionId: 'tools' }, { type: 'single', optionId: 'shoes' }]],
			[
				'multiple',
				multiple,
				[
					{ type: 'multiple', optionIds: ['flow'] },
					{ type: 'multiple', optionIds: ['noise', 'flow', 'leak'] },
					{ type: 'multiple', optionIds: ['flow', 'high-tds', 'noise', 'leak'] }
				]
			],
			['truefalse', truefalse, [{ type: 'truefalse', value: true }, { type: 'truefalse', value: false }]],
			[
				'ordering',
				ordering,
				[
					{ type: 'ordering', itemIds: ['listen', 'apologise', 'solve', 'confirm'] },
					{ type: 'ordering', itemIds: ['confirm', 'solve', 'apologise', 'listen'] }
				]
			],
			[
				'matching',
				matching,
				[
					{ type: 'matching', matches: { ro: 'ro', uf: 'uf', ppm: 'ppm', pp: 'pp' } },
					{ type: 'matching', matches: { ro: 'uf', uf: 'ppm', ppm: 'pp', pp: 'ro' } },
					{ type: 'matching', matches: { ro: 'pp', uf: 'ro', ppm: 'uf', pp: 'ppm' } }
				]
			],
			[
				'numeric',
				numeric,
				[
					{ type: 'numeric', value: 0.1375 },
					{ type: 'numeric', value: -3 },
					{ type: 'numeric', value: 0 },
					{ type: 'numeric', value: 12345.678 },
					{ type: 'numeric', value: 0.1 + 0.2 }
				]
			],
			[
				'text',
				text,
				[
					{ type: 'text', value: 'Total dissolved solids' },
					{ type: 'text', value: '总溶解固体' },
					{ type: 'text', value: 'a, b & "c" <d>' }
				]
			]
		];

		for (const [name, q, responses] of cases) {
			it(name, () => {
				for (const seed of seeds) for (const r of responses) expect(roundTrip(q, r, seed)).toEqual(r);
			});
		}

		it('matching with a different seed does not give the same response back for every seed', () => {
			const r: Response = { type: 'matching', matches: { ro: 'ro', uf: 'uf', ppm: 'ppm', pp: 'pp' } };
			const answer = publicAnswer(matching, r, 'attempt-0')!;
			const results = seeds.slice(1).map((seed) => parseResponse(matching, toFields(answer), seed));
			expect(results.some((x) => JSON.stringify(x) !== JSON.stringify(r))).toBe(true);
		});
	});
});

describe('presentAttempt', () => {
	it('presents every question in the given order, as presentQuestion does', () => {
		for (const shuffleOptions of [true, false]) {
			const out = presentAttempt(all, 'seed-1', shuffleOptions, 'zh-CN', 'en');
			expect(out.map((q) => q.id)).toEqual(all.map((q) => q.id));
			expect(out).toEqual(all.map((q) => presentQuestion(q, 'seed-1', shuffleOptions, 'zh-CN', 'en')));
		}
		expect(presentAttempt([], 'seed-1', true, 'en', 'en')).toEqual([]);
	});

	it('uses the locale with the fallback', () => {
		const [q] = presentAttempt([single], 'seed-1', false, 'zh-CN', 'en');
		expect(q!.prompt).toBe('首先做什么？');
		expect(q!.options).toEqual([
			{ id: 'greet', text: '问候客户' },
			{ id: 'tools', text: '拆开工具' },
			{ id: 'shoes', text: 'Put on shoe covers' }
		]);
	});

	it('is deterministic for a seed', () => {
		expect(presentAttempt(all, 'seed-x', true, 'en', 'en')).toEqual(presentAttempt(all, 'seed-x', true, 'en', 'en'));
	});

	describe('security: the browser never receives the key', () => {
		const secrets = [
			'"correct"',
			'"answer"',
			'"accept"',
			'"pattern"',
			'"tolerance"',
			'"explanation"',
			String(numeric.answer),
			String(numeric.tolerance),
			...text.accept,
			text.pattern!,
			// Every explanation text, of questions and options, in every language.
			...all.flatMap((q) => [
				...Object.values(q.explanation ?? {}),
				...('options' in q ? q.options.flatMap((o) => Object.values(o.explanation ?? {})) : [])
			])
		];

		it('the fixture has explanations in both languages and on options', () => {
			expect(secrets).toContain('问候定下拜访的基调。');
			expect(secrets).toContain('Noise points at the booster pump.');
			expect(secrets.length).toBeGreaterThan(20);
		});

		for (const locale of ['en', 'zh-CN'] as const) {
			for (const shuffleOptions of [true, false]) {
				it(`contains none of the keys or explanations (${locale}, shuffleOptions ${shuffleOptions})`, () => {
					for (const seed of seeds.slice(0, 5)) {
						const json = JSON.stringify(presentAttempt(all, seed, shuffleOptions, locale, 'en'));
						expect(json).toContain('"first-step"');
						for (const secret of secrets) {
							expect(json).not.toContain(secret);
							// As it would appear inside a JSON string (escaped backslashes and quotes).
							expect(json).not.toContain(JSON.stringify(secret).slice(1, -1));
						}
						expect(json).not.toContain('secret-tag-arrival');
						expect(json).not.toContain('"tags"');
					}
				});
			}
		}

		it('gives the matching right column opaque ids, not pair ids', () => {
			const [q] = presentAttempt([matching], 'seed-1', true, 'en', 'en');
			const pairIds = matching.pairs.map((p) => p.id);
			expect(q!.left!.map((c) => c.id)).toEqual(pairIds);
			for (const c of q!.right!) expect(pairIds).not.toContain(c.id);
		});
	});
});

const BOUNDARY = '----spec-boundary-7f3a9c';

function formRequest(form: FormData): Request {
	return new Request('http://localhost/answer', { method: 'POST', body: form });
}

function form(entries: Array<[string, string | Blob]>): FormData {
	const data = new FormData();
	for (const [name, value] of entries) data.append(name, value);
	return data;
}

function rawRequest(contentType: string | null, body: BodyInit): Request {
	return new Request('http://localhost/answer', {
		method: 'POST',
		headers: contentType === null ? {} : { 'content-type': contentType },
		body
	});
}

/** A multipart body with one text field whose value bytes are given as-is. */
function multipartBytes(name: string, value: number[]): Uint8Array<ArrayBuffer> {
	const enc = new TextEncoder();
	return new Uint8Array([
		...enc.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
		...value,
		...enc.encode(`\r\n--${BOUNDARY}--\r\n`)
	]);
}

describe('readAnswerFields', () => {
	it('reads single values as strings', async () => {
		expect(await readAnswerFields(formRequest(form([['choice', 'greet'], ['value', '总溶解固体']])))).toEqual({
			fields: { choice: 'greet', value: '总溶解固体' }
		});
	});

	it('turns repeated names into arrays, in order', async () => {
		expect(
			await readAnswerFields(formRequest(form([['choice', 'flow'], ['value', 'x'], ['choice', 'noise'], ['choice', 'leak']])))
		).toEqual({ fields: { choice: ['flow', 'noise', 'leak'], value: 'x' } });
	});

	it('always gives order as an array', async () => {
		expect(await readAnswerFields(formRequest(form([['order', 'listen']])))).toEqual({ fields: { order: ['listen'] } });
		expect(await readAnswerFields(formRequest(form([['order', 'solve'], ['order', 'listen']])))).toEqual({
			fields: { order: ['solve', 'listen'] }
		});
	});

	it('keeps empty values and matching field names', async () => {
		expect(await readAnswerFields(formRequest(form([['match.ro', 'r2'], ['match.uf', ''], ['value', '']])))).toEqual({
			fields: { 'match.ro': 'r2', 'match.uf': '', value: '' }
		});
	});

	it('gives no fields for an empty form', async () => {
		expect(await readAnswerFields(formRequest(new FormData()))).toEqual({ fields: {} });
	});

	it('reads URL-encoded bodies too', async () => {
		expect(await readAnswerFields(rawRequest('application/x-www-form-urlencoded', 'choice=a&choice=b&value=1%2C5'))).toEqual({
			fields: { choice: ['a', 'b'], value: '1,5' }
		});
	});

	it('does not let a field named __proto__ change the prototype', async () => {
		for (const body of ['__proto__=x&choice=a', '__proto__=x&__proto__=y&choice=a']) {
			const result = await readAnswerFields(rawRequest('application/x-www-form-urlencoded', body));
			expect('fields' in result).toBe(true);
			const fields = (result as { fields: Record<string, unknown> }).fields;
			expect(fields.choice).toBe('a');
			// The object has no prototype at all: "__proto__" is only an ordinary (ignored) field.
			expect(Object.getPrototypeOf(fields)).toBe(null);
			expect((fields as Record<number, unknown>)[0]).toBeUndefined();
		}
	});

	it('refuses a file', async () => {
		const withFile = form([['value', 'x']]);
		withFile.append('upload', new Blob(['data'], { type: 'text/plain' }), 'answer.txt');
		expect(await readAnswerFields(formRequest(withFile))).toEqual({ error: expect.any(String) });
		// Also when the file shares its name with a text value.
		const mixed = form([['choice', 'flow']]);
		mixed.append('choice', new Blob(['data']), 'x.bin');
		expect(await readAnswerFields(formRequest(mixed))).toEqual({ error: expect.any(String) });
	});

	it('refuses a U+FFFD character in a value', async () => {
		expect(await readAnswerFields(formRequest(form([['value', 'ab\uFFFDc']])))).toEqual({ error: expect.any(String) });
		expect(await readAnswerFields(formRequest(form([['choice', 'ok'], ['choice', '\uFFFD']])))).toEqual({ error: expect.any(String) });
	});

	it('refuses invalid UTF-8 (decoded to U+FFFD)', async () => {
		expect(await readAnswerFields(rawRequest('application/x-www-form-urlencoded', 'value=%FF'))).toEqual({ error: expect.any(String) });
		expect(await readAnswerFields(rawRequest('application/x-www-form-urlencoded', 'value=%E6%80'))).toEqual({
			error: expect.any(String)
		});
		const invalid = multipartBytes('value', [0x61, 0xff, 0x62]);
		expect(await readAnswerFields(rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, invalid))).toEqual({
			error: expect.any(String)
		});
	});

	it('accepts valid multi-byte UTF-8 sent as raw bytes', async () => {
		const valid = multipartBytes('value', [...new TextEncoder().encode('总溶解固体')]);
		expect(await readAnswerFields(rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, valid))).toEqual({
			fields: { value: '总溶解固体' }
		});
	});

	it('refuses a body that cannot be read as a form', async () => {
		expect(await readAnswerFields(rawRequest('application/json', '{"choice":"a"}'))).toEqual({ error: expect.any(String) });
		expect(await readAnswerFields(rawRequest('text/plain', 'choice=a'))).toEqual({ error: expect.any(String) });
		expect(await readAnswerFields(rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, 'not a multipart body'))).toEqual({
			error: expect.any(String)
		});
	});

	it('refuses a body that was already read', async () => {
		const request = formRequest(form([['choice', 'a']]));
		await request.text();
		expect(await readAnswerFields(request)).toEqual({ error: expect.any(String) });
	});

	it('refuses names longer than 100 characters, accepts 100', async () => {
		expect(await readAnswerFields(formRequest(form([['x'.repeat(101), 'a']])))).toEqual({ error: expect.any(String) });
		expect(await readAnswerFields(formRequest(form([['choice', 'a'], [`match.${'y'.repeat(95)}`, 'r1']])))).toEqual({
			error: expect.any(String)
		});
		expect(await readAnswerFields(formRequest(form([['x'.repeat(100), 'a']])))).toEqual({ fields: { ['x'.repeat(100)]: 'a' } });
	});

	it('gives distinct messages for files, invalid text and forged names', async () => {
		const withFile = new FormData();
		withFile.append('upload', new Blob(['data']), 'a.txt');
		const file = await readAnswerFields(formRequest(withFile));
		const fffd = await readAnswerFields(formRequest(form([['value', '\uFFFD']])));
		const long = await readAnswerFields(formRequest(form([['z'.repeat(101), 'a']])));
		const unreadable = await readAnswerFields(rawRequest('application/json', '{}'));
		const messages = [file, fffd, long, unreadable].map((r) => ('error' in r ? r.error : null));
		expect(messages.every((m) => typeof m === 'string' && m.length > 0)).toBe(true);
		expect(new Set(messages).size).toBe(4);
	});
});

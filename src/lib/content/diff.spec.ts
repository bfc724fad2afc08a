import { describe, expect, it } from 'vitest';
import { diffVersions, summarizeDiff, type FileDiff } from './diff.ts';

const lines = (...l: string[]) => l.join('\n') + '\n';

const LESSON_V1 = lines(
	'---',
	'title: Descaling the boiler',
	'minutes: 10',
	'---',
	'',
	'# Descaling the boiler',
	'',
	'1. Switch off the machine and unplug it.',
	'2. Let the boiler cool for 30 minutes.',
	'3. Fill the tank with descaler solution.',
	'4. Run the descaling programme.',
	'5. Rinse twice with clean water.',
	'',
	'> Wear gloves: descaler irritates the skin.'
);

const LESSON_ZH = lines(
	'---',
	'title: 锅炉除垢',
	'minutes: 10',
	'---',
	'',
	'# 锅炉除垢',
	'',
	'1. 关闭机器并拔下电源插头。',
	'2. 让锅炉冷却 30 分钟。',
	'3. 在水箱中加入除垢溶液。'
);

function only(diffs: FileDiff[]): FileDiff {
	expect(diffs).toHaveLength(1);
	const [diff] = diffs;
	if (!diff) throw new Error('no diff');
	return diff;
}

describe('diffVersions', () => {
	it('omits files that did not change and sorts the rest by path', () => {
		const before = {
			'02-descale/01-steps.en.svx': LESSON_V1,
			'course.md': 'title: Boilers\n',
			'01-intro/01-welcome.en.svx': 'Hello\n'
		};
		const after = {
			'course.md': 'title: Boilers and pumps\n',
			'02-descale/01-steps.en.svx': LESSON_V1,
			'01-intro/01-welcome.en.svx': 'Hello, technicians\n'
		};
		const diffs = diffVersions(before, after);
		expect(diffs.map((d) => d.path)).toEqual(['01-intro/01-welcome.en.svx', 'course.md']);
		expect(diffs.every((d) => d.status === 'changed')).toBe(true);
	});

	it('returns nothing for identical versions', () => {
		expect(diffVersions({ 'a.md': LESSON_V1 }, { 'a.md': LESSON_V1 })).toEqual([]);
		expect(diffVersions({}, {})).toEqual([]);
	});

	it('shows a changed step with three lines of context and 1-based line numbers', () => {
		const after = LESSON_V1.replace(
			'2. Let the boiler cool for 30 minutes.',
			'2. Let the boiler cool for 45 minutes.'
		);
		const diff = only(diffVersions({ 'steps.en.svx': LESSON_V1 }, { 'steps.en.svx': after }));
		expect(diff).toMatchObject({ status: 'changed', added: 1, removed: 1 });
		expect(diff.hunks).toHaveLength(1);
		const [hunk] = diff.hunks;
		expect(hunk).toEqual({
			oldStart: 6,
			newStart: 6,
			lines: [
				{ kind: 'same', text: '# Descaling the boiler', oldLine: 6, newLine: 6 },
				{ kind: 'same', text: '', oldLine: 7, newLine: 7 },
				{ kind: 'same', text: '1. Switch off the machine and unplug it.', oldLine: 8, newLine: 8 },
				{ kind: 'del', text: '2. Let the boiler cool for 30 minutes.', oldLine: 9, newLine: null },
				{ kind: 'add', text: '2. Let the boiler cool for 45 minutes.', oldLine: null, newLine: 9 },
				{ kind: 'same', text: '3. Fill the tank with descaler solution.', oldLine: 10, newLine: 10 },
				{ kind: 'same', text: '4. Run the descaling programme.', oldLine: 11, newLine: 11 },
				{ kind: 'same', text: '5. Rinse twice with clean water.', oldLine: 12, newLine: 12 }
			]
		});
	});

	it('splits distant changes into separate hunks and keeps line numbers after an insertion', () => {
		const after = LESSON_V1.replace('minutes: 10', 'minutes: 12').replace(
			'> Wear gloves',
			'> Wear gloves and goggles'
		);
		const diff = only(diffVersions({ 'a.md': LESSON_V1 }, { 'a.md': after }, 1));
		expect(diff.hunks.map((h) => [h.oldStart, h.newStart])).toEqual([
			[2, 2],
			[13, 13]
		]);
		expect(diff.hunks[0]?.lines.map((l) => l.kind)).toEqual(['same', 'del', 'add', 'same']);

		const inserted = LESSON_V1.replace(
			'4. Run the descaling programme.\n',
			'4. Run the descaling programme.\n4a. Wait until the pump stops.\n'
		);
		const [hunk] = only(diffVersions({ 'a.md': LESSON_V1 }, { 'a.md': inserted }, 0)).hunks;
		// A hunk with no old lines names the old line it follows.
		expect(hunk).toEqual({
			oldStart: 11,
			newStart: 12,
			lines: [{ kind: 'add', text: '4a. Wait until the pump stops.', oldLine: null, newLine: 12 }]
		});
	});

	it('merges changes whose gap is at most twice the context', () => {
		const before = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
		const after = lines('A', 'b', 'c', 'd', 'e', 'f', 'g', 'H');
		expect(diffVersions({ f: before }, { f: after }, 3)[0]?.hunks).toHaveLength(1);
		expect(diffVersions({ f: before }, { f: after }, 2)[0]?.hunks).toHaveLength(2);
	});

	it('diffs Chinese lesson text line by line', () => {
		const after = LESSON_ZH.replace('让锅炉冷却 30 分钟。', '让锅炉冷却 45 分钟。') + '4. 运行除垢程序。\n';
		const diff = only(diffVersions({ 'steps.zh.svx': LESSON_ZH }, { 'steps.zh.svx': after }));
		expect(diff).toMatchObject({ added: 2, removed: 1 });
		const changed = diff.hunks.flatMap((h) => h.lines).filter((l) => l.kind !== 'same');
		expect(changed).toEqual([
			{ kind: 'del', text: '2. 让锅炉冷却 30 分钟。', oldLine: 9, newLine: null },
			{ kind: 'add', text: '2. 让锅炉冷却 45 分钟。', oldLine: null, newLine: 9 },
			{ kind: 'add', text: '4. 运行除垢程序。', oldLine: null, newLine: 11 }
		]);
	});

	it('shows a renamed file as removed and added', () => {
		const diffs = diffVersions(
			{ '02-descale/01-steps.en.svx': LESSON_V1 },
			{ '02-descale/01-descaling.en.svx': LESSON_V1 }
		);
		expect(diffs.map((d) => [d.path, d.status, d.added, d.removed])).toEqual([
			['02-descale/01-descaling.en.svx', 'added', 14, 0],
			['02-descale/01-steps.en.svx', 'removed', 0, 14]
		]);
		const [added, removed] = diffs;
		expect(added?.hunks).toHaveLength(1);
		expect(added?.hunks[0]).toMatchObject({ oldStart: 0, newStart: 1 });
		expect(added?.hunks[0]?.lines[0]).toEqual({ kind: 'add', text: '---', oldLine: null, newLine: 1 });
		expect(added?.hunks[0]?.lines.at(-1)).toEqual({
			kind: 'add',
			text: '> Wear gloves: descaler irritates the skin.',
			oldLine: null,
			newLine: 14
		});
		expect(removed?.hunks).toHaveLength(1);
		expect(removed?.hunks[0]).toMatchObject({ oldStart: 1, newStart: 0 });
		expect(removed?.hunks[0]?.lines.every((l) => l.kind === 'del' && l.newLine === null)).toBe(true);
	});

	it('shows a change of whitespace only', () => {
		const after = LESSON_V1.replace('3. Fill the tank', '3.  Fill the tank').replace(
			'5. Rinse twice with clean water.',
			'5. Rinse twice with clean water.  '
		);
		const diff = only(diffVersions({ 'a.md': LESSON_V1 }, { 'a.md': after }));
		expect(diff).toMatchObject({ status: 'changed', added: 2, removed: 2 });
		const added = diff.hunks.flatMap((h) => h.lines).filter((l) => l.kind === 'add');
		expect(added.map((l) => l.text)).toEqual([
			'3.  Fill the tank with descaler solution.',
			'5. Rinse twice with clean water.  '
		]);
	});

	it('treats an empty previous version as every file added', () => {
		const diffs = diffVersions({}, { 'steps.zh.svx': LESSON_ZH, 'course.md': 'title: 锅炉\n' });
		expect(diffs.map((d) => [d.path, d.status])).toEqual([
			['course.md', 'added'],
			['steps.zh.svx', 'added']
		]);
		expect(summarizeDiff(diffs)).toEqual({ files: 2, added: 11, removed: 0 });
	});

	it('diffs a file that was empty before', () => {
		const diff = only(diffVersions({ 'notes.md': '' }, { 'notes.md': '# Notes\n\nFirst draft.\n' }));
		expect(diff).toMatchObject({ status: 'changed', added: 3, removed: 0 });
		expect(diff.hunks).toEqual([
			{
				oldStart: 0,
				newStart: 1,
				lines: [
					{ kind: 'add', text: '# Notes', oldLine: null, newLine: 1 },
					{ kind: 'add', text: '', oldLine: null, newLine: 2 },
					{ kind: 'add', text: 'First draft.', oldLine: null, newLine: 3 }
				]
			}
		]);
	});

	it('lists an added empty file with no hunks', () => {
		expect(diffVersions({}, { 'empty.md': '' })).toEqual([
			{ path: 'empty.md', status: 'added', hunks: [], added: 0, removed: 0 }
		]);
	});

	it('ignores a missing final newline and CRLF line endings without artefact lines', () => {
		const noFinalNewline = LESSON_V1.slice(0, -1);
		expect(diffVersions({ 'a.md': LESSON_V1 }, { 'a.md': noFinalNewline })).toEqual([]);
		expect(diffVersions({ 'a.md': LESSON_V1 }, { 'a.md': LESSON_V1.replace(/\n/g, '\r\n') })).toEqual(
			[]
		);

		const diff = only(
			diffVersions({ 'a.md': noFinalNewline }, { 'a.md': LESSON_V1 + 'Done.\n' })
		);
		const all = diff.hunks.flatMap((h) => h.lines);
		expect(all.some((l) => l.text.startsWith('\\'))).toBe(false);
		expect(all.filter((l) => l.kind !== 'same')).toEqual([
			{ kind: 'add', text: 'Done.', oldLine: null, newLine: 15 }
		]);
	});

	it('keeps a blank last line that is really there', () => {
		const diff = only(diffVersions({ 'a.md': 'one\n' }, { 'a.md': 'one\n\n' }));
		expect(diff.hunks[0]?.lines).toEqual([
			{ kind: 'same', text: 'one', oldLine: 1, newLine: 1 },
			{ kind: 'add', text: '', oldLine: null, newLine: 2 }
		]);
	});

	it('refuses a context that is not a whole number', () => {
		expect(() => diffVersions({}, {}, -1)).toThrow(/context/);
	});
});

describe('summarizeDiff', () => {
	it('totals files and lines', () => {
		const diffs = diffVersions(
			{ 'a.md': lines('one', 'two'), 'b.md': lines('gone') },
			{ 'a.md': lines('one', '二', 'three'), 'c.md': lines('new') }
		);
		expect(summarizeDiff(diffs)).toEqual({ files: 3, added: 3, removed: 2 });
		expect(summarizeDiff([])).toEqual({ files: 0, added: 0, removed: 0 });
	});
});

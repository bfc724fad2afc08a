import { diffArrays } from 'diff';

export interface DiffLine {
	kind: 'same' | 'add' | 'del';
	text: string;
	oldLine: number | null;
	newLine: number | null;
}

export interface DiffHunk {
	/** 1-based; for a hunk with no old lines, the old line it follows (0 at the top), as in unified diffs. */
	oldStart: number;
	/** 1-based; for a hunk with no new lines, the new line it follows (0 at the top), as in unified diffs. */
	newStart: number;
	lines: DiffLine[];
}

export interface FileDiff {
	path: string;
	status: 'added' | 'removed' | 'changed';
	hunks: DiffHunk[];
	added: number;
	removed: number;
}

const DEFAULT_CONTEXT = 3;

/**
 * Compares two published versions of a course file by file, sorted by path.
 * Files are compared as lines: a missing final newline and CRLF line endings are not
 * changes a reader can see, so they neither produce a "\ No newline" line nor make a
 * file count as changed. A rename shows as the old path removed and the new one added.
 */
export function diffVersions(
	before: Record<string, string>,
	after: Record<string, string>,
	context: number = DEFAULT_CONTEXT
): FileDiff[] {
	if (!Number.isInteger(context) || context < 0) {
		throw new Error(`Diff context must be a whole number of lines, got ${context}`);
	}
	const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(comparePaths);
	const diffs: FileDiff[] = [];
	for (const path of paths) {
		const oldText = Object.hasOwn(before, path) ? before[path] : undefined;
		const newText = Object.hasOwn(after, path) ? after[path] : undefined;
		const diff = diffFile(path, oldText, newText, context);
		if (diff) diffs.push(diff);
	}
	return diffs;
}

export function summarizeDiff(diffs: FileDiff[]): { files: number; added: number; removed: number } {
	let added = 0;
	let removed = 0;
	for (const diff of diffs) {
		added += diff.added;
		removed += diff.removed;
	}
	return { files: diffs.length, added, removed };
}

function diffFile(
	path: string,
	oldText: string | undefined,
	newText: string | undefined,
	context: number
): FileDiff | null {
	if (oldText === undefined && newText === undefined) return null;
	if (oldText === undefined) {
		const lines = splitLines(newText ?? '').map(
			(text, i): DiffLine => ({ kind: 'add', text, oldLine: null, newLine: i + 1 })
		);
		return {
			path,
			status: 'added',
			hunks: lines.length ? [{ oldStart: 0, newStart: 1, lines }] : [],
			added: lines.length,
			removed: 0
		};
	}
	if (newText === undefined) {
		const lines = splitLines(oldText).map(
			(text, i): DiffLine => ({ kind: 'del', text, oldLine: i + 1, newLine: null })
		);
		return {
			path,
			status: 'removed',
			hunks: lines.length ? [{ oldStart: 1, newStart: 0, lines }] : [],
			added: 0,
			removed: lines.length
		};
	}

	const lines = compareLines(splitLines(oldText), splitLines(newText));
	const added = lines.filter((l) => l.kind === 'add').length;
	const removed = lines.filter((l) => l.kind === 'del').length;
	if (added === 0 && removed === 0) return null;
	return { path, status: 'changed', hunks: groupHunks(lines, context), added, removed };
}

/** Lines without their terminators; a final newline does not start an extra empty line. */
function splitLines(text: string): string[] {
	if (text === '') return [];
	const lines = text.replace(/\r\n/g, '\n').split('\n');
	if (lines[lines.length - 1] === '') lines.pop();
	return lines;
}

function compareLines(oldLines: string[], newLines: string[]): DiffLine[] {
	const out: DiffLine[] = [];
	let oldLine = 1;
	let newLine = 1;
	for (const change of diffArrays(oldLines, newLines)) {
		for (const text of change.value) {
			if (change.added) {
				out.push({ kind: 'add', text, oldLine: null, newLine: newLine++ });
			} else if (change.removed) {
				out.push({ kind: 'del', text, oldLine: oldLine++, newLine: null });
			} else {
				out.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
			}
		}
	}
	return out;
}

/** Keeps `context` unchanged lines around each change; changes closer than 2 × context share a hunk. */
function groupHunks(lines: DiffLine[], context: number): DiffHunk[] {
	const ranges: Array<{ from: number; to: number }> = [];
	lines.forEach((line, i) => {
		if (line.kind === 'same') return;
		const from = Math.max(0, i - context);
		const to = Math.min(lines.length - 1, i + context);
		const last = ranges[ranges.length - 1];
		if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
		else ranges.push({ from, to });
	});

	return ranges.map(({ from, to }) => {
		const hunkLines = lines.slice(from, to + 1);
		return {
			oldStart: startOf(lines, from, hunkLines, 'oldLine'),
			newStart: startOf(lines, from, hunkLines, 'newLine'),
			lines: hunkLines
		};
	});
}

function startOf(
	all: DiffLine[],
	from: number,
	hunkLines: DiffLine[],
	side: 'oldLine' | 'newLine'
): number {
	const first = hunkLines.find((l) => l[side] !== null)?.[side];
	if (first != null) return first;
	// No lines on this side: name the line the hunk follows, as unified diffs do.
	for (let i = from - 1; i >= 0; i--) {
		const n = all[i]?.[side];
		if (n != null) return n;
	}
	return 0;
}

function comparePaths(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ContentFiles, Problem } from '../../content/check.ts';
import { readZip, splitTextAndBinary, withoutJunk, writeZip, type ZipEntries, type ZipProblem } from './zip.ts';

/**
 * Content trees crossing the store's edge: a folder or a zip read for an import, and an export
 * written as a folder or a zip, both in the content/ format. Files are read as bytes, so text
 * that is not UTF-8 is a problem at its line rather than replacement characters in a lesson.
 */

export interface ContentTree {
	files: ContentFiles;
	/** `media/<sha256>.<ext>` → bytes. */
	pictures: Map<string, Uint8Array>;
}

export type TreeRead = { ok: true; tree: ContentTree } | { ok: false; problems: Problem[] };

/** Reads a content folder (`content/`, or one written by an export); `label` starts every problem's file. */
export function readContentFolder(dir: string, label: string): TreeRead {
	const entries: ZipEntries = new Map();
	const problems: Problem[] = [];
	const walk = (sub: string) => {
		for (const name of readdirSync(path.join(dir, sub)).sort()) {
			const rel = sub ? `${sub}/${name}` : name;
			const stat = lstatSync(path.join(dir, rel));
			if (stat.isDirectory()) walk(rel);
			else if (stat.isFile()) entries.set(rel, readFileSync(path.join(dir, rel)));
			else problems.push({ file: `${label}/${rel}`, line: 1, message: stat.isSymbolicLink() ? 'is a symbolic link; only regular files are accepted' : 'is not a regular file' });
		}
	};
	walk('');
	const split = splitTree(entries, label);
	return problems.length ? { ok: false, problems: [...problems, ...(split.ok ? [] : split.problems)] } : split;
}

/** Reads an uploaded or exported zip; nothing of it is used when it has a problem. */
export function readContentZip(bytes: Uint8Array, label: string): TreeRead {
	const zip = readZip(bytes, label);
	if (!zip.entries) return { ok: false, problems: zip.problems.map((p) => inZip(p, label)) };
	return splitTree(zip.entries, label);
}

/**
 * Zip problems name the entry (or the zip itself) and use line 0 for "the whole file"; here every
 * problem names its file under the label, and a whole file is line 1, as the checker says it.
 */
function inZip(p: ZipProblem, label: string): Problem {
	return { file: p.file === label ? label : `${label}/${p.file}`, line: Math.max(1, p.line), message: p.message };
}

/** Text decoded strictly; pictures kept as bytes and accepted only under media/, where nothing else goes. */
function splitTree(entries: ZipEntries, label: string): TreeRead {
	const split = splitTextAndBinary(withoutJunk(entries), label);
	const problems = split.problems.map((p) => inZip(p, label));
	for (const name of split.binary.keys()) {
		if (!name.startsWith('media/')) problems.push({ file: `${label}/${name}`, line: 1, message: 'pictures go in media/ (lessons show them as /media/<name>)' });
	}
	for (const name of split.text.keys()) {
		if (name.startsWith('media/')) problems.push({ file: `${label}/${name}`, line: 1, message: 'only pictures (.png, .jpg, .webp) go in media/' });
	}
	if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line) };
	return { ok: true, tree: { files: split.text, pictures: split.binary } };
}

/** Every file of a tree as bytes, by path: what a zip or a folder holds. */
export function treeEntries(tree: ContentTree): ZipEntries {
	const encoder = new TextEncoder();
	const entries: ZipEntries = new Map();
	for (const [file, text] of tree.files) entries.set(file, encoder.encode(text));
	for (const [file, bytes] of tree.pictures) entries.set(file, bytes);
	return entries;
}

/** The same tree always gives the same bytes (see writeZip). */
export function contentZip(tree: ContentTree): Uint8Array {
	return writeZip(treeEntries(tree));
}

/**
 * Writes a tree into a folder, creating it. Nothing is removed: files of the format that the tree
 * does not hold are returned (`stale`), since importing the folder again would bring them back.
 */
export function writeContentFolder(dir: string, tree: ContentTree): { written: string[]; stale: string[] } {
	if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${dir} is a file, not a folder`);
	const entries = treeEntries(tree);
	for (const [file, bytes] of entries) {
		const full = path.join(dir, ...file.split('/'));
		mkdirSync(path.dirname(full), { recursive: true });
		writeFileSync(full, bytes);
	}
	const stale: string[] = [];
	const walk = (sub: string) => {
		const at = path.join(dir, sub);
		if (!existsSync(at)) return;
		for (const name of readdirSync(at).sort()) {
			const rel = `${sub}/${name}`;
			if (lstatSync(path.join(dir, rel)).isDirectory()) walk(rel);
			else if (!entries.has(rel)) stale.push(rel);
		}
	};
	for (const top of ['courses', 'certifications', 'media']) walk(top);
	return { written: [...entries.keys()], stale: stale.filter((f) => !/(^|\/)README\.md$/.test(f)) };
}

/** Writes a file whole or not at all: a reader never sees half a zip. */
export function writeFileAtomically(file: string, bytes: Uint8Array): void {
	mkdirSync(path.dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, bytes);
	renameSync(temporary, file);
}

// `npm run content:export -- <dir|file.zip>` writes everything published in the content/ format;
// `npm run content:import -- <dir|file.zip> [--note "…"]` checks a tree and publishes each package
// that changed as a new version, or changes nothing and prints every problem as file:line: message.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Problem } from '../lib/content/check';
import type { Db } from '../lib/server/db';
import { contentZip, readContentFolder, readContentZip, writeContentFolder, writeFileAtomically, type ContentTree } from '../lib/server/content/tree';

const USAGE = `Usage:
  npm run content:export -- <folder|file.zip>
  npm run content:import -- <folder|file.zip> [--note "What changed"]

Both use DATABASE_URL, or the embedded database in DATA_DIR (stop the app first: only one
process may open it). An import publishes each course or certification that changed as a new
version; when any file has a problem, it prints them all and changes nothing.`;

function usage(message: string): never {
	console.error(`Error: ${message}\n\n${USAGE}`);
	process.exit(2);
}

/** The command as given, or the usage and exit code 2 before anything is opened. */
function parseCommand(argv: string[]): { command: 'import' | 'export'; target: string; label: string; isZip: boolean; note: string | undefined } {
	const [command, ...rest] = argv;
	if (command !== 'import' && command !== 'export') usage(command ? `unknown command "${command}"` : 'name a command: import or export');
	let parsed;
	try {
		parsed = parseArgs({ args: rest, options: { note: { type: 'string' } }, allowPositionals: true, strict: true });
	} catch (e) {
		usage((e as Error).message);
	}
	const { values, positionals } = parsed;
	if (positionals.length !== 1) usage(positionals.length ? `name one path only (got ${positionals.length})` : `name the folder or .zip to ${command === 'import' ? 'import' : 'write'}`);
	// npm runs scripts in the project folder; a relative path means one from where the command was typed.
	const from = process.env.INIT_CWD || process.cwd();
	const target = path.resolve(from, positionals[0]!);
	const label = path.relative(from, target).split(path.sep).join('/') || '.';
	const isZip = /\.zip$/i.test(target);
	if (command === 'export' && values.note !== undefined) usage('--note belongs to import');
	if (values.note !== undefined && !values.note.trim()) usage('--note needs some text');
	const exists = existsSync(target);
	if (command === 'export' && exists && statSync(target).isDirectory() === isZip) {
		usage(isZip ? `${label} is a folder; name a .zip file to write` : `${label} is a file; name a folder, or a path ending in .zip`);
	}
	if (command === 'import' && !exists) usage(`${label} does not exist`);
	if (command === 'import' && statSync(target).isDirectory() === isZip) usage(isZip ? `${label} is a folder, not a zip` : `${label} is neither a folder nor a .zip file`);
	return { command, target, label, isZip, note: values.note?.trim() };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function printProblems(problems: Problem[]): void {
	// As formatProblems prints them; the checker's module is loaded only once the database is needed.
	for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
	console.error(`\n${plural(problems.length, 'problem')}; nothing was published.`);
}

async function exportTo(db: Db, { target, label, isZip }: ReturnType<typeof parseCommand>): Promise<number> {
	const { exportContent } = await import('../lib/server/content/store');
	const tree = await exportContent(db);
	const courses = new Set([...tree.files.keys()].filter((f) => f.startsWith('courses/')).map((f) => f.split('/')[1]));
	const certifications = [...tree.files.keys()].filter((f) => f.startsWith('certifications/')).length;
	const what = `${plural(tree.files.size + tree.pictures.size, 'file')} (${plural(courses.size, 'course')}, ${plural(certifications, 'certification')}, ${plural(tree.pictures.size, 'picture')})`;
	if (isZip) {
		writeFileAtomically(target, contentZip(tree));
		console.log(`Wrote ${label}: ${what}.`);
		return 0;
	}
	const { stale } = writeContentFolder(target, tree);
	console.log(`Wrote ${what} to ${label}/.`);
	if (stale.length) {
		console.warn(`Left as they were, though not published (importing the folder would publish them again):`);
		for (const file of stale) console.warn(`  ${label}/${file}`);
	}
	return 0;
}

async function importFrom(db: Db, tree: ContentTree, { target, label, note }: ReturnType<typeof parseCommand>): Promise<number> {
	const { importContent } = await import('../lib/server/content/store');
	const result = await importContent(db, tree, { authorId: null, note: note ?? `Imported from ${path.basename(target)}`, label });
	if (!result.ok) {
		printProblems(result.problems);
		return 1;
	}
	for (const p of result.published) console.log(`Published ${p.kind} ${p.key} as version ${p.version}.`);
	console.log(
		result.published.length
			? `${plural(result.published.length, 'package')} published, ${result.unchanged.length} unchanged.`
			: `Nothing to publish: ${plural(result.unchanged.length, 'package')} as published.`
	);
	return 0;
}

const args = parseCommand(process.argv.slice(2));
// An import is read and decoded before the database is opened: a broken zip opens nothing.
const read = args.command === 'import' ? (args.isZip ? readContentZip(new Uint8Array(readFileSync(args.target)), args.label) : readContentFolder(args.target, args.label)) : null;
if (read && !read.ok) {
	printProblems(read.problems);
	process.exit(1);
}
if (read && !read.tree.files.size) {
	printProblems([{ file: args.label, line: 1, message: 'holds no content: a content folder has courses/<nn>-<course>/ and certifications/' }]);
	process.exit(1);
}

// Loaded only now: a usage error or a broken zip answers at once, without the checker or a database.
const { createDb } = await import('../lib/server/db');
const { importShippedContent } = await import('../lib/server/content/store');
const handle = await createDb({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || undefined });
try {
	await handle.migrate();
	await importShippedContent(handle.db);
	process.exitCode = read ? await importFrom(handle.db, read.tree, args) : await exportTo(handle.db, args);
} finally {
	await handle.close();
}

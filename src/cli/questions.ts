// `npm run questions:import -- <file> --course <slug> --quiz <id> [--lang en|zh-CN] [--json]` adds a
// GIFT, Moodle XML or Aiken bank (format found from the content) to the draft of a quiz, created
// when missing, for a trainer to review and publish in the studio.
// `npm run questions:export -- --course <slug> --quiz <id> --format gift|moodle-xml [--lang …]`
// writes the quiz (its draft when there is one, else the published version) to standard output.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `Usage:
  npm run questions:import -- <file> --course <slug> --quiz <id> [--lang en|zh-CN] [--json]
  npm run questions:export -- --course <slug> --quiz <id> --format gift|moodle-xml [--lang en|zh-CN]

Both use DATABASE_URL, or the embedded database in DATA_DIR (stop the app first: only one
process may open it). --lang is the language of the file's texts (default en). An import goes
into the quiz's draft; a file with an error imports nothing. With --json the last line of the
output is {"imported": n, "skipped": [{"name", "line", "reason"}]}.`;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function usage(message: string): never {
	console.error(`Error: ${message}\n\n${USAGE}`);
	process.exit(2);
}

interface Command {
	command: 'import' | 'export';
	file: string | null;
	label: string;
	course: string;
	quiz: string;
	format: 'gift' | 'moodle-xml';
	locale: 'en' | 'zh-CN';
	json: boolean;
}

function parseCommand(argv: string[]): Command {
	const [command, ...rest] = argv;
	if (command !== 'import' && command !== 'export') usage(command ? `unknown command "${command}"` : 'name a command: import or export');
	let parsed;
	try {
		parsed = parseArgs({
			args: rest,
			options: { course: { type: 'string' }, quiz: { type: 'string' }, format: { type: 'string' }, lang: { type: 'string' }, json: { type: 'boolean' } },
			allowPositionals: true,
			strict: true
		});
	} catch (e) {
		usage((e as Error).message);
	}
	const { values, positionals } = parsed;
	for (const name of ['course', 'quiz'] as const) {
		if (!values[name]) usage(`--${name} is required`);
		if (!ID.test(values[name]) || values[name].length > 60) usage(`--${name} must be a kebab-case id (a-z, 0-9, -)`);
	}
	const locale = values.lang ?? 'en';
	if (locale !== 'en' && locale !== 'zh-CN') usage('--lang must be en or zh-CN');
	if (command === 'export') {
		if (positionals.length) usage('export writes to standard output; it takes no file');
		if (values.json) usage('--json belongs to import');
		if (values.format !== 'gift' && values.format !== 'moodle-xml') usage('--format must be gift or moodle-xml');
		return { command, file: null, label: '', course: values.course!, quiz: values.quiz!, format: values.format, locale, json: false };
	}
	if (values.format !== undefined) usage('--format belongs to export (an import finds the format from the file)');
	if (positionals.length !== 1) usage(positionals.length ? `name one file only (got ${positionals.length})` : 'name the file to import');
	// npm runs scripts in the project folder; a relative path means one from where the command was typed.
	const from = process.env.INIT_CWD || process.cwd();
	const file = path.resolve(from, positionals[0]!);
	const label = path.relative(from, file).split(path.sep).join('/');
	if (!existsSync(file)) usage(`${label} does not exist`);
	if (!statSync(file).isFile()) usage(`${label} is not a file`);
	return { command, file, label, course: values.course!, quiz: values.quiz!, format: 'gift', locale, json: values.json === true };
}

const args = parseCommand(process.argv.slice(2));
// A file too large or in the wrong encoding is refused before a database is opened.
const bytes = args.file ? new Uint8Array(readFileSync(args.file)) : null;
if (bytes) {
	const { decodeBank } = await import('../lib/content/interchange/decode');
	const { BankError } = await import('../lib/content/interchange/types');
	try {
		decodeBank(bytes);
	} catch (e) {
		if (!(e instanceof BankError)) throw e;
		console.error(`${args.label}: ${e.message}\nNothing was imported.`);
		if (args.json) console.log(JSON.stringify({ imported: 0, skipped: [], error: e.message }));
		process.exit(1);
	}
}

const { createDb } = await import('../lib/server/db');
const { importShippedContent, refreshContent } = await import('../lib/server/content/store');
const { importBank, exportBank } = await import('../lib/server/content/bank');
const handle = await createDb({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || undefined });
try {
	await handle.migrate();
	await importShippedContent(handle.db);
	await refreshContent(handle.db);
	if (bytes) {
		const result = await importBank(handle.db, { slug: args.course, quiz: args.quiz, bytes, locale: args.locale, userId: null, revision: null, create: true });
		if (!result.ok) {
			console.error(`${args.label}: ${result.message}\nNothing was imported.`);
			if (args.json) console.log(JSON.stringify({ imported: 0, skipped: [], error: result.message }));
			process.exitCode = 1;
		} else {
			const { report } = result;
			console.log(`${args.label} (${report.format}): ${report.imported} question${report.imported === 1 ? '' : 's'} added to the draft of ${args.course}/${args.quiz}.`);
			if (report.pictures) console.log(`${report.pictures} picture${report.pictures === 1 ? '' : 's'} stored.`);
			if (report.skipped.length) {
				console.log(`Not imported (${report.skipped.length}):`);
				for (const s of report.skipped) console.log(`  ${args.label}:${s.line}: ${s.name}: ${s.reason}`);
			}
			if (report.imported) console.log(`Review and publish it in the studio: /studio/courses/${args.course}/quizzes/${args.quiz}`);
			if (args.json) console.log(JSON.stringify({ imported: report.imported, skipped: report.skipped.map(({ name, line, reason }) => ({ name, line, reason })) }));
		}
	} else {
		const result = await exportBank(handle.db, { slug: args.course, quiz: args.quiz, format: args.format, locale: args.locale });
		if (!result.ok) {
			console.error(`Error: ${result.message}`);
			process.exitCode = 1;
		} else process.stdout.write(result.text);
	}
} finally {
	await handle.close();
}

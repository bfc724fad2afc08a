import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import {
	CONTENT_LOCALES,
	courseSchema,
	lessonSchema,
	type ContentIndex,
	type ContentLocale,
	type CourseEntry,
	type LessonEntry
} from './schema.ts';
import { checkQuiz, checkScenario } from './graded.ts';
import { nearCopyWarnings, quizWarnings, scenarioWarnings } from './item-writing.ts';
import { questionLines } from './quiz-file.ts';
import { checkCertification } from './certification.ts';
import { checkLessonBody, type BodyFacts } from './lesson-body.ts';
import { renderLesson } from './render.ts';
import type { CertificationDefinition } from '../server/certification/types.ts';
import type { Quiz } from '../server/assessment/types.ts';
import type { Scenario } from '../server/scenario/types.ts';

export interface Problem {
	/** Relative to the project root, with forward slashes. */
	file: string;
	line: number;
	message: string;
}

export interface CheckResult {
	index: ContentIndex;
	/** Quizzes, exams and scenarios with their keys and scores: for the server only. */
	graded: { quizzes: Quiz[]; scenarios: Scenario[]; certifications: Array<CertificationDefinition & { summary: Record<string, string> }> };
	problems: Problem[];
	/** Item-writing warnings (test-wiseness): shown, but nothing is refused for them. */
	warnings: Problem[];
	/** Every file read, for watchers. */
	files: string[];
	/** Lessons printed as HTML by file (with `render`). */
	rendered: Record<string, string>;
}

const COURSE_DIR = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
const LESSON_FILE = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.([A-Za-z-]+)\.svx$/;
/** Graded items: `<id>.quiz.md` and `<id>.scenario.md`, read by the server only. */
const GRADED_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.(quiz|scenario)\.md$/;
const OTHER_KNOWN = /\.(quiz|scenario)\.md$/;

export function formatProblems(problems: Problem[]): string {
	return problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
}

interface Parsed {
	data: unknown;
	/** Line of the body's first line. */
	bodyLine: number;
	body: string;
	lineOf(pathInData: PropertyKey[]): number;
	problems: Array<{ line: number; message: string }>;
}

interface ParsedYaml {
	data: unknown;
	lineOf(pathInData: PropertyKey[]): number;
	problems: Array<{ line: number; message: string }>;
}

/**
 * Parses YAML that starts at `firstLine` of its file, remembering where each key and list item
 * sits so that a problem found later (by a schema) can be reported at its line.
 */
export function parseYaml(text: string, firstLine: number, label: string): ParsedYaml {
	const counter = new LineCounter();
	const doc: Document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
	const problems = doc.errors.map((e) => ({ line: firstLine + counter.linePos(e.pos[0]).line - 1, message: `${label}: ${e.message.split('\n')[0]}` }));
	const lineOf = (keyPath: PropertyKey[]): number => {
		let node: unknown = doc.contents;
		let line = 1;
		const rangeOf = (n: unknown) => (n as { range?: [number, number, number] } | null)?.range;
		const first = rangeOf(node);
		if (first) line = counter.linePos(first[0]).line;
		for (const key of keyPath) {
			if (isMap(node)) {
				const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
				if (!pair) break;
				const range = rangeOf(pair.key);
				if (range) line = counter.linePos(range[0]).line;
				node = pair.value;
			} else if (isSeq(node)) {
				const item = node.items[Number(key)];
				if (item === undefined) break;
				const range = rangeOf(item);
				if (range) line = counter.linePos(range[0]).line;
				node = item;
			} else break;
		}
		return firstLine + line - 1;
	};
	return { data: problems.length ? null : (doc.toJS() ?? null), lineOf, problems };
}

/** Splits `---` frontmatter from the body and parses the YAML, remembering where each key sits. */
function parseFrontmatter(source: string): Parsed {
	const lines = source.split(/\r?\n/);
	if (lines[0]?.trim() !== '---') {
		return { data: null, body: source, bodyLine: 1, lineOf: () => 1, problems: [{ line: 1, message: 'missing frontmatter: the file must start with a line "---"' }] };
	}
	const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
	if (end < 0) {
		return { data: null, body: '', bodyLine: lines.length, lineOf: () => 1, problems: [{ line: 1, message: 'frontmatter is not closed by a line "---"' }] };
	}
	const yaml = parseYaml(lines.slice(1, end).join('\n'), 2, 'frontmatter');
	return {
		data: yaml.problems.length ? null : (yaml.data ?? {}),
		body: lines.slice(end + 1).join('\n'),
		bodyLine: end + 2,
		lineOf: yaml.lineOf,
		problems: yaml.problems
	};
}

function schemaProblems(parsed: Parsed, schema: z.ZodType): { data: unknown; problems: Array<{ line: number; message: string }> } {
	if (parsed.data === null) return { data: null, problems: parsed.problems };
	const result = schema.safeParse(parsed.data);
	if (result.success) return { data: result.data, problems: [] };
	return {
		data: null,
		problems: result.error.issues.map((issue) => {
			if (issue.code === 'unrecognized_keys') {
				return { line: parsed.lineOf([...issue.path, issue.keys[0]!]), message: `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} in frontmatter` };
			}
			const where = issue.path.length ? issue.path.join('.') : 'frontmatter';
			const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
			return { line: parsed.lineOf(issue.path), message: missing ? `${where} is required` : `${where} ${issue.message}` };
		})
	};
}

/** Pictures: shipped ones under /images/ (in static/), uploaded ones under /media/ (in the store). */
function missingPictures(links: BodyFacts['links'], exists: (target: string) => boolean, report: (line: number, message: string) => void) {
	for (const link of links) {
		if (!link.target.startsWith('/images/') && !link.target.startsWith('/media/')) continue;
		let name: string;
		try {
			name = decodeURIComponent(link.target.split(/[?#]/)[0]!);
		} catch {
			report(link.line, `picture ${link.target} is not a valid address`);
			continue;
		}
		if (name.split('/').includes('..') || !exists(name)) {
			report(link.line, link.target.startsWith('/media/') ? `picture ${link.target} has not been uploaded` : `picture ${link.target} does not exist (expected static${link.target})`);
		}
	}
}

/** The text files of a content tree, by path relative to it: `courses/01-home-visit/course.md`. */
export type ContentFiles = Map<string, string>;

export interface CheckOptions {
	/** Put before each file name in problems: `content` gives `content/courses/…`. */
	label?: string;
	/** Whether a picture address (`/images/…` or `/media/…`) exists. */
	pictureExists?: (target: string) => boolean;
	/** Print every lesson as HTML (for publishing); off for a plain check. */
	render?: boolean;
	/**
	 * Files that were checked when they were published: lesson bodies are not parsed again (the
	 * store keeps their HTML), so the index of everything published builds in milliseconds.
	 */
	trusted?: boolean;
	/** With `trusted`: the lessons whose bodies are still checked (and printed), e.g. the one being edited. */
	checkBodies?: (file: string) => boolean;
}

/** Shipped pictures live in static/images. */
export function staticPictures(staticDir: string): (target: string) => boolean {
	return (target) => {
		if (!target.startsWith('/images/')) return false;
		const file = path.join(staticDir, target);
		return file.startsWith(path.join(staticDir, 'images') + path.sep) && existsSync(file);
	};
}

/** Reads a content folder into memory: text files, and pictures under media/ as bytes. */
export function readContentDir(dir: string): { files: ContentFiles; pictures: Map<string, Uint8Array> } {
	const files: ContentFiles = new Map();
	const pictures = new Map<string, Uint8Array>();
	if (!existsSync(dir)) return { files, pictures };
	const walk = (sub: string) => {
		for (const name of readdirSync(path.join(dir, sub)).sort()) {
			const rel = sub ? `${sub}/${name}` : name;
			const full = path.join(dir, rel);
			if (statSync(full).isDirectory()) walk(rel);
			else if (rel.startsWith('media/')) pictures.set(rel, readFileSync(full));
			else files.set(rel, readFileSync(full, 'utf8'));
		}
	};
	walk('');
	return { files, pictures };
}

/**
 * Builds the content index and checks every course and lesson of a project folder's content/.
 * The index holds only what is valid; a caller that finds problems must refuse to serve.
 */
export async function checkContent(root: string, options: { contentDir?: string; staticDir?: string; render?: boolean } = {}): Promise<CheckResult> {
	const contentDir = options.contentDir ?? path.join(root, 'content');
	const staticDir = options.staticDir ?? path.join(root, 'static');
	const { files, pictures } = readContentDir(contentDir);
	const shipped = staticPictures(staticDir);
	const label = path.relative(root, contentDir).split(path.sep).join('/') || '.';
	const result = await checkFiles(files, { label, render: options.render, pictureExists: (t) => shipped(t) || pictures.has(t.slice(1)) });
	result.files = result.files.map((f) => path.join(contentDir, f));
	return result;
}

const KNOWN_TOP = new Set(['README.md']);

/**
 * The one checker: over an in-memory set of files (from disk, a zip, the store or the studio's
 * drafts), with every problem at its file and line. Nothing with a problem is ever published.
 */
export async function checkFiles(input: ContentFiles, options: CheckOptions = {}): Promise<CheckResult> {
	const label = options.label ?? 'content';
	const exists = options.pictureExists ?? (() => false);
	const problems: Problem[] = [];
	const files: string[] = [];
	const rendered: Record<string, string> = {};
	const rel = (file: string) => (label === '.' ? file : `${label}/${file}`);
	const courses: CourseEntry[] = [];
	const links: Array<{ file: string; line: number; target: string }> = [];
	const graded: CheckResult['graded'] = { quizzes: [], scenarios: [], certifications: [] };

	const courseDirs = new Map<string, string[]>();
	const certFiles: string[] = [];
	for (const file of [...input.keys()].sort()) {
		const parts = file.split('/');
		if (parts[0] === 'courses' && parts.length === 3) {
			const names = courseDirs.get(parts[1]!) ?? [];
			names.push(parts[2]!);
			courseDirs.set(parts[1]!, names);
		} else if (parts[0] === 'certifications' && parts.length === 2) {
			certFiles.push(parts[1]!);
		} else if (!(parts.length === 1 && KNOWN_TOP.has(file)) && !(parts.length === 2 && parts[1] === 'README.md')) {
			problems.push({ file: rel(file), line: 1, message: 'not part of the content format: files go in courses/<nn>-<course>/, certifications/ or media/' });
		}
	}

	const seenCourse = new Map<string, string>();
	for (const [dirName, names] of courseDirs) {
		const dir = `courses/${dirName}`;
		const courseFile = `${dir}/course.md`;
		const m = COURSE_DIR.exec(dirName);
		if (!m) {
			problems.push({ file: rel(dir), line: 1, message: 'course folders are named <nn>-<slug> in lower case, e.g. 01-home-visit' });
			continue;
		}
		const [, orderText, slug] = m as unknown as [string, string, string];
		if (seenCourse.has(slug)) {
			problems.push({ file: rel(courseFile), line: 1, message: `duplicate course slug "${slug}" (also ${seenCourse.get(slug)})` });
			continue;
		}
		seenCourse.set(slug, rel(dir));
		if (!input.has(courseFile)) {
			problems.push({ file: rel(courseFile), line: 1, message: 'missing course.md' });
			continue;
		}
		files.push(courseFile);
		const parsedCourse = parseFrontmatter(input.get(courseFile)!);
		const checked = schemaProblems(parsedCourse, courseSchema);
		for (const p of checked.problems) problems.push({ file: rel(courseFile), ...p });
		const meta = checked.data as z.infer<typeof courseSchema> | null;

		const lessons = new Map<string, LessonEntry>();
		const orderOwner = new Map<number, string>();
		for (const name of names) {
			const file = `${dir}/${name}`;
			if (name === 'course.md' || OTHER_KNOWN.test(name)) continue;
			const lm = LESSON_FILE.exec(name);
			if (!lm) {
				problems.push({ file: rel(file), line: 1, message: 'lesson files are named <nn>-<slug>.<locale>.svx, e.g. 01-before-you-arrive.en.svx' });
				continue;
			}
			const [, lessonOrderText, lessonSlug, locale] = lm as unknown as [string, string, string, string];
			const order = Number(lessonOrderText);
			if (!(CONTENT_LOCALES as readonly string[]).includes(locale)) {
				problems.push({ file: rel(file), line: 1, message: `unknown locale "${locale}"; use ${CONTENT_LOCALES.join(' or ')}` });
				continue;
			}
			if (meta && !meta.locales.includes(locale as ContentLocale)) {
				problems.push({ file: rel(file), line: 1, message: `written in ${locale}, but course.md locales lists only ${meta.locales.join(', ')}` });
			}
			const owner = orderOwner.get(order);
			if (owner && owner !== lessonSlug) {
				problems.push({ file: rel(file), line: 1, message: `two lessons are numbered ${lessonOrderText}: "${owner}" and "${lessonSlug}"` });
				continue;
			}
			orderOwner.set(order, lessonSlug);
			const entry = lessons.get(lessonSlug) ?? { slug: lessonSlug, order, versions: {} };
			if (entry.order !== order) {
				problems.push({ file: rel(file), line: 1, message: `duplicate lesson slug "${lessonSlug}" under another number` });
				continue;
			}
			files.push(file);
			const parsed = parseFrontmatter(input.get(file)!);
			const lessonChecked = schemaProblems(parsed, lessonSchema);
			const report = (line: number, message: string) => problems.push({ file: rel(file), line, message });
			for (const p of lessonChecked.problems) report(p.line, p.message);
			if (!parsed.body.trim()) report(parsed.bodyLine, 'the lesson has no text');
			const skipBody = options.trusted && (options.checkBodies ? !options.checkBodies(file) : !options.render);
			const facts: BodyFacts = skipBody ? { problems: [], links: [] } : await checkLessonBody(parsed.body, parsed.bodyLine);
			for (const p of facts.problems) report(p.line, p.message);
			missingPictures(facts.links, exists, report);
			for (const link of facts.links) links.push({ file: rel(file), ...link });
			if (options.render && facts.tree) rendered[file] = renderLesson(facts.tree, { locale: locale as ContentLocale, idPrefix: `${slug}-${lessonSlug}` });
			if (lessonChecked.data) {
				entry.versions[locale as ContentLocale] = { ...(lessonChecked.data as z.infer<typeof lessonSchema>), file };
			}
			lessons.set(lessonSlug, entry);
		}
		if (!meta) continue;
		for (const lesson of lessons.values()) {
			for (const locale of meta.locales) {
				const expected = rel(`${dir}/${String(lesson.order).padStart(2, '0')}-${lesson.slug}.${locale}.svx`);
				if (!lesson.versions[locale] && !problems.some((p) => p.file === expected)) {
					const twin = Object.values(lesson.versions)[0]?.file;
					problems.push({ file: twin ? rel(twin) : rel(dir), line: 1, message: `missing ${locale} version: add ${String(lesson.order).padStart(2, '0')}-${lesson.slug}.${locale}.svx (course.md lists ${locale})` });
				}
			}
		}
		if (!lessons.size) problems.push({ file: rel(courseFile), line: 1, message: 'the course has no lessons' });

		const gradedIds = new Set<string>();
		for (const name of names) {
			if (!OTHER_KNOWN.test(name)) continue;
			const file = `${dir}/${name}`;
			const report = (line: number, message: string) => problems.push({ file: rel(file), line, message });
			const gm = GRADED_FILE.exec(name);
			if (!gm) {
				report(1, 'quiz and scenario files are named <id>.quiz.md or <id>.scenario.md with a kebab-case id');
				continue;
			}
			const [, gradedId, kind] = gm as unknown as [string, string, 'quiz' | 'scenario'];
			if (gradedIds.has(gradedId)) {
				report(1, `the id "${gradedId}" is used by another quiz or scenario of this course`);
				continue;
			}
			gradedIds.add(gradedId);
			files.push(file);
			const parsed = parseFrontmatter(input.get(file)!);
			for (const p of parsed.problems) report(p.line, p.message);
			if (parsed.data === null) continue;
			const body = parseYaml(parsed.body, parsed.bodyLine, 'body');
			for (const p of body.problems) report(p.line, p.message);
			if (body.problems.length) continue;
			if (!meta) continue;
			const split = { settings: parsed.data, settingsLineOf: parsed.lineOf, body: body.data, bodyLineOf: body.lineOf };
			const courseFacts = { slug, locales: meta.locales, lessons: [...lessons.keys()], pictureExists: exists };
			if (kind === 'quiz') {
				const quiz = checkQuiz(gradedId, file, split, courseFacts, report);
				if (quiz) graded.quizzes.push(quiz);
			} else {
				const scenario = checkScenario(gradedId, file, split, courseFacts, report);
				if (scenario) graded.scenarios.push(scenario);
			}
		}
		if (!meta) continue;
		courses.push({
			slug,
			order: Number(orderText),
			dir: dirName,
			...meta,
			lessons: [...lessons.values()].sort((a, b) => a.order - b.order)
		});
	}

	// Internal links resolve against the whole index.
	for (const link of links) {
		const target = link.target.split(/[?#]/)[0]!;
		if (!/^\/learn\/courses(\/|$)/.test(target)) continue;
		const [, , , courseSlug, lessonSlug, extra] = target.split('/');
		if (!courseSlug && lessonSlug === undefined) continue; // the catalog itself
		const course = courses.find((c) => c.slug === courseSlug);
		if (!courseSlug || !course || extra !== undefined || (lessonSlug && !course.lessons.some((l) => l.slug === lessonSlug))) {
			problems.push({ file: link.file, line: link.line, message: `broken link ${link.target}: no such ${lessonSlug ? 'lesson' : 'course'}` });
		}
	}

	// Certifications name courses, quizzes and scenarios: checked once those are known.
	const known = {
		courses: new Set(courses.map((c) => c.slug)),
		quizzes: new Set(graded.quizzes.map((q) => `${q.courseSlug}/${q.id}`)),
		scenarios: new Set(graded.scenarios.map((s) => `${s.courseSlug}/${s.id}`))
	};
	for (const name of certFiles) {
		const file = `certifications/${name}`;
		if (name === 'README.md') continue;
		const report = (line: number, message: string) => problems.push({ file: rel(file), line, message });
		const idMatch = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/.exec(name);
		if (!idMatch) {
			report(1, 'certification files are named <id>.md with a kebab-case id');
			continue;
		}
		files.push(file);
		const parsed = parseFrontmatter(input.get(file)!);
		for (const p of parsed.problems) report(p.line, p.message);
		if (parsed.data === null) continue;
		const def = checkCertification(idMatch[1]!, parsed.data, parsed.lineOf, known, report);
		if (def) graded.certifications.push(def);
	}

	problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
	const warnings = itemWritingWarnings(graded, (file) => input.get(file) ?? '', rel);
	return { index: { courses: courses.sort((a, b) => a.order - b.order) }, graded, problems, warnings, files, rendered };
}

/** The item-writing warnings of every quiz and scenario checked, at their file and line. */
function itemWritingWarnings(graded: CheckResult['graded'], textOf: (file: string) => string, rel: (file: string) => string): Problem[] {
	const lineOf = (file: string) => {
		const lines = questionLines(textOf(file));
		return (id: string) => lines.get(id)?.from ?? 1;
	};
	const out = [
		...graded.quizzes.flatMap((q) => quizWarnings(q, lineOf(q.file))),
		...graded.quizzes
			.filter((q) => q.kind === 'practice')
			.flatMap((q) => nearCopyWarnings(q, graded.quizzes.filter((e) => e.kind === 'exam' && e.courseSlug === q.courseSlug), lineOf(q.file))),
		...graded.scenarios.flatMap((s) => scenarioWarnings(s, lineOf(s.file)))
	];
	return out.map((w) => ({ ...w, file: rel(w.file) })).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

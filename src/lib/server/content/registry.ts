import { checkFiles, type CheckResult, type ContentFiles } from '../../content/check.ts';
import type { ContentIndex } from '../../content/schema.ts';

/**
 * What this process serves: the newest published version of every package, as one index.
 * Built from the store (see store.ts) and swapped whole when a publish is seen, so a request
 * reads one consistent set. Kept on globalThis so the dev server's module reloads share it.
 */
export interface PublishedPackage {
	id: number;
	kind: 'course' | 'certification';
	key: string;
	version: number;
	files: Record<string, string>;
	rendered: Record<string, string>;
	createdAt: Date;
}

export interface ContentSnapshot {
	/** The newest content_version id: a publish anywhere makes it grow. */
	stamp: number;
	index: ContentIndex;
	graded: CheckResult['graded'];
	/** Lesson HTML by file path. */
	rendered: Record<string, string>;
	packages: Array<Omit<PublishedPackage, 'files' | 'rendered'> & { paths: string[] }>;
}

const EMPTY: ContentSnapshot = {
	stamp: -1,
	index: { courses: [] },
	graded: { quizzes: [], scenarios: [], certifications: [] },
	rendered: {},
	packages: []
};

const shared = globalThis as typeof globalThis & { __serviceReadyContent?: ContentSnapshot };

export function currentContent(): ContentSnapshot {
	return shared.__serviceReadyContent ?? EMPTY;
}

export function setContent(snapshot: ContentSnapshot): void {
	shared.__serviceReadyContent = snapshot;
}

/** Everything published, as one set of files (the content/ format). */
export function mergeFiles(packages: Array<Pick<PublishedPackage, 'files'>>): ContentFiles {
	const files: ContentFiles = new Map();
	for (const p of packages) for (const [path, text] of Object.entries(p.files)) files.set(path, text);
	return files;
}

/**
 * The index of what is published. The files were checked when they were published, so lesson
 * bodies are not parsed again; a course's version is the store's version number.
 */
export async function buildSnapshot(packages: PublishedPackage[], stamp: number, material: Array<{ key: string; version: number }> = []): Promise<ContentSnapshot> {
	const result = await checkFiles(mergeFiles(packages), { trusted: true, pictureExists: () => true });
	const versions = new Map(packages.filter((p) => p.kind === 'course').map((p) => [p.key, p.version]));
	const relearn = new Map(material.map((m) => [m.key, m.version]));
	for (const course of result.index.courses) {
		course.version = versions.get(course.slug) ?? course.version;
		if (relearn.has(course.slug)) course.relearnVersion = relearn.get(course.slug);
	}
	const rendered: Record<string, string> = {};
	for (const p of packages) Object.assign(rendered, p.rendered);
	return {
		stamp,
		index: result.index,
		graded: result.graded,
		rendered,
		packages: packages.map(({ files, rendered: _r, ...rest }) => ({ ...rest, paths: Object.keys(files) }))
	};
}

import { stringify } from 'yaml';
import type { Executor } from '../db/types.ts';
import { CONTENT_LOCALES, type Category, type ContentLocale, type CourseFrontmatter } from '../../content/schema.ts';
import { parseYaml } from '../../content/check.ts';
import { readCertificationFile } from '../../content/certification-file.ts';
import { draftsSummary } from './drafts.ts';
import { publishedPackages } from './store.ts';

/** What the studio lists: every course, published or only drafted, with its state. */
export interface StudioCourse {
	slug: string;
	title: string;
	published: number | null;
	draft: boolean;
	updatedAt: Date | null;
}

/** A course's title from its course.md, in the trainer's language when written. */
export function courseTitle(courseMd: string | undefined, locale: ContentLocale, fallback: string): string {
	const settings = courseSettings(courseMd ?? '');
	return settings?.title[locale] ?? settings?.title.en ?? settings?.title['zh-CN'] ?? fallback;
}

export async function studioCourses(db: Executor, locale: ContentLocale): Promise<StudioCourse[]> {
	return studioPackages(db, 'course', (files, key) => courseTitle(Object.entries(files).find(([f]) => f.endsWith('/course.md'))?.[1], locale, key));
}

/** Every certification, published or only drafted, with its state. */
export async function studioCertifications(db: Executor, locale: ContentLocale): Promise<StudioCourse[]> {
	return studioPackages(db, 'certification', (files, key) => {
		const title = readCertificationFile(Object.values(files)[0] ?? '')?.title as Record<string, string> | undefined;
		return title?.[locale] ?? title?.en ?? key;
	});
}

async function studioPackages(db: Executor, kind: 'course' | 'certification', titleOf: (files: Record<string, string>, key: string) => string): Promise<StudioCourse[]> {
	const [published, drafts] = await Promise.all([publishedPackages(db), draftsSummary(db)]);
	const out = new Map<string, StudioCourse>();
	for (const p of published.filter((x) => x.kind === kind)) {
		out.set(p.key, { slug: p.key, title: titleOf(p.files, p.key), published: p.version, draft: false, updatedAt: p.createdAt });
	}
	for (const d of drafts.filter((x) => x.kind === kind)) {
		const row = out.get(d.key) ?? { slug: d.key, title: d.key, published: null, draft: true, updatedAt: null };
		row.draft = true;
		row.updatedAt = new Date(d.updatedAt);
		out.set(d.key, row);
	}
	return [...out.values()].sort((a, b) => a.title.localeCompare(b.title));
}

/** A course's settings: the frontmatter of its course.md. */
export type CourseSettings = CourseFrontmatter;

/** The settings in a course.md (its frontmatter), or null when it cannot be read. */
export function courseSettings(courseMd: string): CourseSettings | null {
	const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(courseMd);
	if (!m) return null;
	const parsed = parseYaml(m[1]!, 2, 'frontmatter');
	if (parsed.problems.length || typeof parsed.data !== 'object' || !parsed.data) return null;
	const d = parsed.data as Partial<CourseSettings>;
	return {
		title: d.title ?? {},
		summary: d.summary ?? {},
		category: (d.category ?? 'product') as Category,
		productLines: d.productLines ?? [],
		minutes: Number(d.minutes ?? 0),
		locales: (d.locales ?? []).filter((l): l is ContentLocale => (CONTENT_LOCALES as readonly string[]).includes(l)),
		version: Number(d.version ?? 1)
	};
}

/** Writes course.md from settings; the text after the frontmatter (if any) is kept. */
export function writeCourseMd(settings: CourseSettings, previous = ''): string {
	const rest = /^---\r?\n[\s\S]*?\r?\n---\r?\n?([\s\S]*)$/.exec(previous)?.[1] ?? '';
	const yaml = stringify(
		{
			title: settings.title,
			summary: settings.summary,
			category: settings.category,
			productLines: settings.productLines,
			minutes: settings.minutes,
			locales: settings.locales,
			version: settings.version
		},
		{ lineWidth: 0, flowCollectionPadding: false }
	);
	return `---\n${yaml}---\n${rest}`;
}

/** A lesson file's first text: frontmatter and one paragraph, valid for the checker. */
export function newLessonFile(title: string, locale: ContentLocale): string {
	const summary = locale === 'en' ? 'What this lesson teaches.' : '本课要点。';
	const body = locale === 'en' ? 'Write the lesson here.' : '在这里写课程内容。';
	return `---\ntitle: ${JSON.stringify(title)}\nsummary: ${JSON.stringify(summary)}\nminutes: 5\n---\n\n${body}\n`;
}

export const LESSON_PATH = /^courses\/(\d{2,3})-([a-z0-9-]+)\/(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.(en|zh-CN)\.svx$/;

/** The lessons of a draft, in order, with their file per language. */
export function draftLessons(paths: string[]): Array<{ slug: string; order: number; files: Partial<Record<ContentLocale, string>> }> {
	const lessons = new Map<string, { slug: string; order: number; files: Partial<Record<ContentLocale, string>> }>();
	for (const path of paths) {
		const m = LESSON_PATH.exec(path);
		if (!m) continue;
		const slug = m[4]!;
		const lesson = lessons.get(slug) ?? { slug, order: Number(m[3]), files: {} };
		lesson.files[m[5] as ContentLocale] = path;
		lessons.set(slug, lesson);
	}
	return [...lessons.values()].sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

/** The course folder of a draft (`courses/01-home-visit`). */
export function courseDir(paths: string[]): string | null {
	const course = paths.find((p) => /^courses\/[^/]+\/course\.md$/.test(p));
	return course ? course.slice(0, -'/course.md'.length) : null;
}

/** New numbers for lessons in the given order: 01, 02, … Only files whose number changes are renamed. */
export function renumber(dir: string, order: Array<{ slug: string; order: number; files: Partial<Record<ContentLocale, string>> }>) {
	const renames: Array<{ from: string; to: string }> = [];
	order.forEach((lesson, i) => {
		const nn = String(i + 1).padStart(2, '0');
		for (const [locale, from] of Object.entries(lesson.files)) {
			const to = `${dir}/${nn}-${lesson.slug}.${locale}.svx`;
			if (from !== to) renames.push({ from: from!, to });
		}
	});
	return renames;
}

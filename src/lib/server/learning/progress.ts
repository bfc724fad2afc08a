import type { ContentLocale, CourseEntry, LessonEntry } from '$lib/content/schema';

export interface ProgressFact {
	courseSlug: string;
	lessonSlug: string;
	openedAt: Date;
	completedAt: Date | null;
}

export interface CourseProgress {
	total: number;
	done: number;
	percent: number;
	/** Every lesson done and every required quiz passed. */
	complete: boolean;
	/** Required quizzes not yet passed. */
	examsPending: string[];
	started: boolean;
	completedAt: Date | null;
	/** Where "continue" leads: the last lesson opened if unfinished, else the first unfinished lesson. */
	next: string | null;
	lastOpenedAt: Date | null;
}

/**
 * A course is complete when all its lessons are done and its required quizzes passed. Lessons
 * that were removed from the course no longer count; lessons added later make a completed course
 * incomplete again until read.
 */
export function courseProgress(
	course: Pick<CourseEntry, 'slug' | 'lessons'>,
	facts: ProgressFact[],
	exams: { required: string[]; passed: string[] } = { required: [], passed: [] }
): CourseProgress {
	const mine = facts.filter((f) => f.courseSlug === course.slug);
	const bySlug = new Map(mine.map((f) => [f.lessonSlug, f]));
	const slugs = course.lessons.map((l) => l.slug);
	const doneFacts = slugs.map((s) => bySlug.get(s)).filter((f): f is ProgressFact => Boolean(f?.completedAt));
	const total = slugs.length;
	const done = doneFacts.length;
	const examsPending = exams.required.filter((id) => !exams.passed.includes(id));
	const complete = total > 0 && done === total && examsPending.length === 0;
	const opened = mine.filter((f) => slugs.includes(f.lessonSlug)).sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime());
	const last = opened[0];
	let next: string | null = null;
	if (done < total) {
		next = last && !last.completedAt ? last.lessonSlug : (slugs.find((s) => !bySlug.get(s)?.completedAt) ?? null);
	}
	return {
		total,
		done,
		percent: total ? Math.round((done / total) * 100) : 0,
		complete,
		examsPending,
		started: opened.length > 0,
		completedAt: complete ? new Date(Math.max(...doneFacts.map((f) => f.completedAt!.getTime()))) : null,
		next,
		lastOpenedAt: last?.openedAt ?? null
	};
}

/**
 * Whether opening a lesson must be written down: not when it is already the reader's most recently
 * opened lesson of all, since writing the time again would change no order that depends on it
 * ("continue where you left off", courses in progress). Reading a lesson again and again, or
 * reloading it, then costs no write. A tie with another lesson is written, to settle the order.
 */
export function needsOpenedMark(facts: ProgressFact[], courseSlug: string, lessonSlug: string): boolean {
	const own = facts.find((f) => f.courseSlug === courseSlug && f.lessonSlug === lessonSlug);
	if (!own) return true;
	const at = own.openedAt.getTime();
	return facts.some((f) => f !== own && f.openedAt.getTime() >= at);
}

export type DueState = 'done' | 'overdue' | 'due-soon' | 'on-track';

const DUE_SOON_MS = 7 * 24 * 60 * 60 * 1000;

/** Overdue once the due instant has passed without completion; "due soon" within 7 days. */
export function dueState(dueAt: Date, completedAt: Date | null, now: Date): DueState {
	if (completedAt) return 'done';
	const left = dueAt.getTime() - now.getTime();
	if (left < 0) return 'overdue';
	return left <= DUE_SOON_MS ? 'due-soon' : 'on-track';
}

/**
 * Which written version of a lesson to show: the reader's language when the lesson has it, else
 * the course's main language (the reader then shows a notice).
 */
export function pickVersion(
	course: Pick<CourseEntry, 'locales'>,
	lesson: Pick<LessonEntry, 'versions'>,
	wanted: ContentLocale
): { locale: ContentLocale; fallback: boolean } | null {
	if (lesson.versions[wanted]) return { locale: wanted, fallback: false };
	const other = [...course.locales, 'en', 'zh-CN'].find((l) => lesson.versions[l as ContentLocale]) as ContentLocale | undefined;
	return other ? { locale: other, fallback: true } : null;
}

/** Course text in the reader's language, else the main language. */
export function localized(text: Partial<Record<ContentLocale, string>>, locales: ContentLocale[], wanted: ContentLocale): string {
	return text[wanted] ?? text[locales[0]!] ?? Object.values(text)[0] ?? '';
}

import type { ContentLocale, CourseEntry } from '$lib/content/schema';
import { courseProgress, dueState, localized, type DueState, type ProgressFact } from './progress';

export interface CourseCard {
	slug: string;
	title: string;
	summary: string;
	category: CourseEntry['category'];
	productLines: CourseEntry['productLines'];
	minutes: number;
	lessons: number;
	done: number;
	percent: number;
	complete: boolean;
	started: boolean;
	next: string | null;
	/** The course is not written in the reader's language. */
	otherLanguage: boolean;
	dueAt: string | null;
	due: DueState | null;
	/** When the course was completed (its last lesson done and its required exams passed). */
	completedAt: string | null;
	lastOpenedAt: number;
}

/** What a technician sees of a course in lists: title in their language, progress and due state. */
export function courseCard(
	course: CourseEntry,
	facts: ProgressFact[],
	assignment: { dueAt: Date } | undefined,
	locale: ContentLocale,
	now: Date,
	exams: { required: string[]; passed: string[] } = { required: [], passed: [] }
): CourseCard {
	const p = courseProgress(course, facts, exams);
	return {
		slug: course.slug,
		title: localized(course.title, course.locales, locale),
		summary: localized(course.summary, course.locales, locale),
		category: course.category,
		productLines: course.productLines,
		minutes: course.minutes,
		lessons: p.total,
		done: p.done,
		percent: p.percent,
		complete: p.complete,
		started: p.started,
		next: p.next,
		otherLanguage: !course.locales.includes(locale),
		dueAt: assignment ? assignment.dueAt.toISOString() : null,
		due: assignment ? dueState(assignment.dueAt, p.completedAt, now) : null,
		completedAt: p.complete && p.completedAt ? p.completedAt.toISOString() : null,
		lastOpenedAt: p.lastOpenedAt?.getTime() ?? 0
	};
}

/** "My learning": assigned courses by due date (overdue first), then in progress, then completed. */
export function myLearning(cards: CourseCard[]) {
	const assigned = cards.filter((c) => c.dueAt && !c.complete).sort((a, b) => a.dueAt!.localeCompare(b.dueAt!));
	const inProgress = cards.filter((c) => !c.dueAt && c.started && !c.complete).sort((a, b) => b.lastOpenedAt - a.lastOpenedAt);
	const completed = cards.filter((c) => c.complete);
	return { assigned, inProgress, completed };
}

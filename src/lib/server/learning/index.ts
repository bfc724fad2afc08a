import type { Executor } from '../db/types';
import type { ContentLocale } from '$lib/content/schema';
import { listCourses } from '../content';
import { assignmentsOf, progressOf } from './queries';
import { courseCard, type CourseCard } from './catalog';

/** Every course as a card for one technician: two queries, whatever the number of courses. */
export async function cardsFor(db: Executor, userId: string, locale: ContentLocale, now = new Date()): Promise<CourseCard[]> {
	const [facts, assignments] = await Promise.all([progressOf(db, userId), assignmentsOf(db, userId)]);
	const due = new Map(assignments.map((a) => [a.courseSlug, a]));
	return listCourses().map((course) => courseCard(course, facts, due.get(course.slug), locale, now));
}

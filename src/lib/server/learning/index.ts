import type { Executor } from '../db/types';
import type { ContentLocale } from '$lib/content/schema';
import { listCourses } from '../content';
import { assignmentsOf, progressOf } from './queries';
import { courseCard, type CourseCard } from './catalog';
import { passedQuizzes } from '../assessment/attempts';
import { requiredQuizzes } from '../assessment/catalog';

/** The exam facts of one course for the completion rule: what it requires, what was passed. */
export function examsOf(courseSlug: string, passed: Set<string>) {
	const required = requiredQuizzes(courseSlug);
	return { required, passed: required.filter((id) => passed.has(`${courseSlug}/${id}`)) };
}

/** Every course as a card for one technician: three queries, whatever the number of courses. */
export async function cardsFor(db: Executor, userId: string, locale: ContentLocale, now = new Date()): Promise<CourseCard[]> {
	const [facts, assignments, passed] = await Promise.all([progressOf(db, userId), assignmentsOf(db, userId), passedQuizzes(db, userId)]);
	const due = new Map(assignments.map((a) => [a.courseSlug, a]));
	return listCourses().map((course) => courseCard(course, facts, due.get(course.slug), locale, now, examsOf(course.slug, passed)));
}

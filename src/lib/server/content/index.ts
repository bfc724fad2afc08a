import type { CourseEntry, LessonEntry } from '$lib/content/schema';
import { currentContent } from './registry';

/** The published courses this process serves (see store.ts for how they are kept fresh). */
export function listCourses(): CourseEntry[] {
	return currentContent().index.courses;
}

export function findCourse(slug: string): CourseEntry | undefined {
	return currentContent().index.courses.find((c) => c.slug === slug);
}

export function findLesson(course: CourseEntry, slug: string): LessonEntry | undefined {
	return course.lessons.find((l) => l.slug === slug);
}

/** A published lesson's HTML, printed when it was published (see src/lib/content/render.ts). */
export function lessonHtml(file: string): string | undefined {
	return currentContent().rendered[file];
}

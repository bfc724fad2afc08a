import index from 'virtual:content-index';
import type { CourseEntry, LessonEntry } from '$lib/content/schema';

/** The content index, built and checked once at build time (see src/lib/content/vite-plugin.ts). */
export function listCourses(): CourseEntry[] {
	return index.courses;
}

const bySlug = new Map(index.courses.map((c) => [c.slug, c]));

export function findCourse(slug: string): CourseEntry | undefined {
	return bySlug.get(slug);
}

export function findLesson(course: CourseEntry, slug: string): LessonEntry | undefined {
	return course.lessons.find((l) => l.slug === slug);
}

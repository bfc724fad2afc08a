import { describe, expect, it } from 'vitest';
import type { ContentLocale, LessonEntry } from '../../content/schema';
import { courseProgress, dueState, localized, needsOpenedMark, pickVersion, type ProgressFact } from './progress';

const DAY = 24 * 60 * 60 * 1000;

function lesson(slug: string, order: number, locales: ContentLocale[] = ['en']): LessonEntry {
	const versions: LessonEntry['versions'] = {};
	for (const locale of locales) {
		versions[locale] = { title: slug, summary: slug, minutes: 5, file: `/content/courses/01-c/${order}-${slug}.${locale}.svx` };
	}
	return { slug, order, versions };
}

const course = { slug: 'c', lessons: [lesson('a', 1), lesson('b', 2), lesson('c', 3)] };

function fact(lessonSlug: string, openedAt: string, completedAt: string | null = null, courseSlug = 'c'): ProgressFact {
	return { courseSlug, lessonSlug, openedAt: new Date(openedAt), completedAt: completedAt ? new Date(completedAt) : null };
}

describe('courseProgress', () => {
	it('reports nothing started without facts', () => {
		expect(courseProgress(course, [])).toEqual({
			total: 3,
			done: 0,
			percent: 0,
			complete: false,
			examsPending: [],
			started: false,
			completedAt: null,
			next: 'a',
			lastOpenedAt: null
		});
	});

	it('waits for every required exam once the lessons are done', () => {
		const all = ['a', 'b', 'c'].map((l) => fact(l, '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z'));
		const pending = courseProgress(course, all, { required: ['final', 'drill'], passed: ['drill'] });
		expect(pending).toMatchObject({ done: 3, percent: 100, complete: false, examsPending: ['final'], next: null });
		expect(courseProgress(course, all, { required: ['final'], passed: ['final'] })).toMatchObject({ complete: true, examsPending: [] });
		expect(courseProgress(course, all.slice(0, 2), { required: ['final'], passed: ['final'] })).toMatchObject({ complete: false, next: 'c' });
	});

	it('counts the lessons done so far', () => {
		const p = courseProgress(course, [fact('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z')]);
		expect(p.total).toBe(3);
		expect(p.done).toBe(1);
		expect(p.percent).toBe(33);
		expect(p.complete).toBe(false);
		expect(p.started).toBe(true);
		expect(p.completedAt).toBeNull();
		expect(p.next).toBe('b');
		expect(p.lastOpenedAt).toEqual(new Date('2026-01-01T10:00:00Z'));
	});

	it('rounds the percentage', () => {
		const p = courseProgress(course, [
			fact('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z'),
			fact('b', '2026-01-01T11:00:00Z', '2026-01-01T11:10:00Z')
		]);
		expect(p.done).toBe(2);
		expect(p.percent).toBe(67);
	});

	it('is complete when every lesson is done, at the latest completion', () => {
		const p = courseProgress(course, [
			fact('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z'),
			fact('c', '2026-01-03T10:00:00Z', '2026-01-05T09:00:00Z'),
			fact('b', '2026-01-02T10:00:00Z', '2026-01-02T10:10:00Z')
		]);
		expect(p.complete).toBe(true);
		expect(p.done).toBe(3);
		expect(p.percent).toBe(100);
		expect(p.completedAt).toEqual(new Date('2026-01-05T09:00:00Z'));
		expect(p.next).toBeNull();
		expect(p.lastOpenedAt).toEqual(new Date('2026-01-03T10:00:00Z'));
	});

	it('ignores facts of other courses', () => {
		const p = courseProgress(course, [
			fact('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z', 'other'),
			fact('b', '2026-01-01T10:00:00Z', null, 'other')
		]);
		expect(p.done).toBe(0);
		expect(p.started).toBe(false);
		expect(p.next).toBe('a');
		expect(p.lastOpenedAt).toBeNull();
	});

	it('does not count lessons removed from the course', () => {
		const p = courseProgress({ slug: 'c', lessons: [lesson('a', 1), lesson('b', 2)] }, [
			fact('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z'),
			fact('b', '2026-01-02T10:00:00Z', '2026-01-02T10:10:00Z'),
			fact('gone', '2026-01-09T10:00:00Z', '2026-01-09T10:10:00Z')
		]);
		expect(p.total).toBe(2);
		expect(p.done).toBe(2);
		expect(p.complete).toBe(true);
		// The removed lesson's later completion and opening do not count.
		expect(p.completedAt).toEqual(new Date('2026-01-02T10:10:00Z'));
		expect(p.lastOpenedAt).toEqual(new Date('2026-01-02T10:00:00Z'));
	});

	it('is not started when only removed lessons were opened', () => {
		const p = courseProgress(course, [fact('gone', '2026-01-09T10:00:00Z')]);
		expect(p.started).toBe(false);
		expect(p.next).toBe('a');
	});

	it('becomes incomplete when a lesson is added after completion', () => {
		const facts = [fact('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z'), fact('b', '2026-01-02T10:00:00Z', '2026-01-02T10:10:00Z')];
		expect(courseProgress({ slug: 'c', lessons: [lesson('a', 1), lesson('b', 2)] }, facts).complete).toBe(true);
		const p = courseProgress({ slug: 'c', lessons: [lesson('a', 1), lesson('new', 2), lesson('b', 3)] }, facts);
		expect(p.complete).toBe(false);
		expect(p.completedAt).toBeNull();
		expect(p.done).toBe(2);
		expect(p.total).toBe(3);
		expect(p.next).toBe('new');
	});

	it('continues with the last opened lesson when it is unfinished', () => {
		const p = courseProgress(course, [
			fact('a', '2026-01-01T10:00:00Z'),
			fact('c', '2026-01-03T10:00:00Z'),
			fact('b', '2026-01-02T10:00:00Z', '2026-01-02T10:10:00Z')
		]);
		expect(p.next).toBe('c');
		expect(p.lastOpenedAt).toEqual(new Date('2026-01-03T10:00:00Z'));
	});

	it('continues with the first unfinished lesson when the last opened one is done', () => {
		const p = courseProgress(course, [
			fact('b', '2026-01-01T10:00:00Z'),
			fact('c', '2026-01-03T10:00:00Z', '2026-01-03T10:10:00Z'),
			fact('a', '2026-01-02T10:00:00Z', '2026-01-02T10:10:00Z')
		]);
		expect(p.next).toBe('b');
	});

	it('is never complete without lessons', () => {
		const p = courseProgress({ slug: 'c', lessons: [] }, [fact('a', '2026-01-01T10:00:00Z', '2026-01-01T10:10:00Z')]);
		expect(p).toMatchObject({ total: 0, done: 0, percent: 0, complete: false, completedAt: null, next: null, started: false });
	});
});

describe('dueState', () => {
	const due = new Date('2026-03-10T23:59:59Z');

	it('is done once completed, even after the due date', () => {
		expect(dueState(due, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z'))).toBe('done');
		expect(dueState(due, new Date('2026-04-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'))).toBe('done');
	});

	it('is overdue once the due instant has passed', () => {
		expect(dueState(due, null, new Date(due.getTime() + 1))).toBe('overdue');
		expect(dueState(due, null, new Date('2026-04-01T00:00:00Z'))).toBe('overdue');
	});

	it('is due soon at the due instant and within 7 days before it, inclusive', () => {
		expect(dueState(due, null, due)).toBe('due-soon');
		expect(dueState(due, null, new Date(due.getTime() - DAY))).toBe('due-soon');
		expect(dueState(due, null, new Date(due.getTime() - 7 * DAY))).toBe('due-soon');
	});

	it('is on track more than 7 days ahead', () => {
		expect(dueState(due, null, new Date(due.getTime() - 7 * DAY - 1))).toBe('on-track');
		expect(dueState(due, null, new Date('2026-01-01T00:00:00Z'))).toBe('on-track');
	});
});

describe('pickVersion', () => {
	const both = { locales: ['en', 'zh-CN'] as ContentLocale[] };

	it('takes the wanted locale when the lesson has it', () => {
		expect(pickVersion(both, lesson('a', 1, ['en', 'zh-CN']), 'zh-CN')).toEqual({ locale: 'zh-CN', fallback: false });
		expect(pickVersion(both, lesson('a', 1, ['en', 'zh-CN']), 'en')).toEqual({ locale: 'en', fallback: false });
	});

	it("falls back to the course's main locale", () => {
		expect(pickVersion({ locales: ['en'] }, lesson('a', 1, ['en']), 'zh-CN')).toEqual({ locale: 'en', fallback: true });
		expect(pickVersion({ locales: ['zh-CN'] }, lesson('a', 1, ['zh-CN']), 'en')).toEqual({ locale: 'zh-CN', fallback: true });
	});

	it('uses any existing version when the listed locales have none', () => {
		expect(pickVersion({ locales: ['en'] }, lesson('a', 1, ['zh-CN']), 'en')).toEqual({ locale: 'zh-CN', fallback: true });
	});

	it('is null when the lesson has no version', () => {
		expect(pickVersion(both, { versions: {} }, 'en')).toBeNull();
	});
});

describe('localized', () => {
	it('takes the wanted locale', () => {
		expect(localized({ en: 'Hello', 'zh-CN': '你好' }, ['en', 'zh-CN'], 'zh-CN')).toBe('你好');
	});

	it('falls back to the main locale', () => {
		expect(localized({ en: 'Hello', 'zh-CN': '你好' }, ['zh-CN', 'en'], 'en')).toBe('Hello');
		expect(localized({ 'zh-CN': '你好', en: 'Hello' }, ['en', 'zh-CN'], 'en')).toBe('Hello');
		expect(localized({ en: 'Hello', 'zh-CN': '你好' }, ['zh-CN'], 'en')).toBe('Hello');
		expect(localized({ 'zh-CN': '你好' }, ['zh-CN'], 'en')).toBe('你好');
	});

	it('falls back to any text, then to empty', () => {
		expect(localized({ 'zh-CN': '你好' }, ['en'], 'en')).toBe('你好');
		expect(localized({}, ['en'], 'zh-CN')).toBe('');
	});
});

describe('needsOpenedMark', () => {
	const at = (min: number) => new Date(Date.UTC(2026, 10, 23, 9, min));
	const fact = (courseSlug: string, lessonSlug: string, opened: number): ProgressFact => ({ courseSlug, lessonSlug, openedAt: at(opened), completedAt: null });

	it('writes the first opening of a lesson', () => {
		expect(needsOpenedMark([], 'c', 'a')).toBe(true);
		expect(needsOpenedMark([fact('c', 'b', 1)], 'c', 'a')).toBe(true);
	});

	it('writes nothing when the lesson is already the last one opened, in any course', () => {
		expect(needsOpenedMark([fact('c', 'a', 5), fact('c', 'b', 1), fact('d', 'a', 4)], 'c', 'a')).toBe(false);
	});

	it('writes when another lesson was opened since, in the same course or another', () => {
		expect(needsOpenedMark([fact('c', 'a', 1), fact('c', 'b', 5)], 'c', 'a')).toBe(true);
		expect(needsOpenedMark([fact('c', 'a', 1), fact('d', 'a', 5)], 'c', 'a')).toBe(true);
	});

	it('does not confuse lessons of the same name in different courses', () => {
		expect(needsOpenedMark([fact('d', 'a', 9)], 'c', 'a')).toBe(true);
	});

	it('writes on a tie, so that the order is settled', () => {
		expect(needsOpenedMark([fact('c', 'a', 3), fact('c', 'b', 3)], 'c', 'a')).toBe(true);
	});
});

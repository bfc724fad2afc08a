import { describe, expect, it } from 'vitest';
import type { ContentLocale, CourseEntry, LessonEntry } from '../../content/schema';
import { courseCard, myLearning, type CourseCard } from './catalog';
import type { ProgressFact } from './progress';

const now = new Date('2026-03-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function lesson(slug: string, order: number): LessonEntry {
	return { slug, order, versions: { en: { title: slug, summary: slug, minutes: 5, file: `/content/courses/01-x/0${order}-${slug}.en.svx` } } };
}

function course(slug: string, locales: ContentLocale[] = ['en', 'zh-CN'], lessons = ['a', 'b']): CourseEntry {
	return {
		slug,
		order: 1,
		dir: `content/courses/01-${slug}`,
		title: { en: `Title ${slug}`, 'zh-CN': `标题 ${slug}` },
		summary: { en: `Summary ${slug}`, 'zh-CN': `摘要 ${slug}` },
		category: 'product',
		productLines: ['water-purifier'],
		minutes: 30,
		locales,
		version: 1,
		lessons: lessons.map((s, i) => lesson(s, i + 1))
	};
}

function fact(courseSlug: string, lessonSlug: string, openedAt: Date, completedAt: Date | null = null): ProgressFact {
	return { courseSlug, lessonSlug, openedAt, completedAt };
}

describe('courseCard', () => {
	it('shows an untouched, unassigned course', () => {
		expect(courseCard(course('pump'), [], undefined, 'en', now)).toEqual({
			slug: 'pump',
			title: 'Title pump',
			summary: 'Summary pump',
			category: 'product',
			productLines: ['water-purifier'],
			minutes: 30,
			lessons: 2,
			done: 0,
			percent: 0,
			complete: false,
			started: false,
			next: 'a',
			otherLanguage: false,
			dueAt: null,
			due: null,
			completedAt: null,
			lastOpenedAt: 0
		});
	});

	it('gives the completion date of a completed assigned course, not only its due date', () => {
		const done = [fact('pump', 'a', new Date('2026-02-20T08:00:00Z'), new Date('2026-02-20T08:05:00Z')), fact('pump', 'b', new Date('2026-02-21T08:00:00Z'), new Date('2026-02-21T09:30:00Z'))];
		const card = courseCard(course('pump'), done, { dueAt: new Date('2026-12-10T00:00:00Z') }, 'en', now);
		expect(card).toMatchObject({ complete: true, due: 'done', dueAt: '2026-12-10T00:00:00.000Z', completedAt: '2026-02-21T09:30:00.000Z' });
	});

	it("uses the reader's language", () => {
		const card = courseCard(course('pump'), [], undefined, 'zh-CN', now);
		expect(card.title).toBe('标题 pump');
		expect(card.summary).toBe('摘要 pump');
		expect(card.otherLanguage).toBe(false);
	});

	it('flags a course not written in the reader’s language and shows its main language', () => {
		const c = { ...course('pump', ['en']), title: { en: 'Only English' }, summary: { en: 'English summary' } };
		const card = courseCard(c, [], undefined, 'zh-CN', now);
		expect(card.otherLanguage).toBe(true);
		expect(card.title).toBe('Only English');
		expect(card.summary).toBe('English summary');
		expect(courseCard(c, [], undefined, 'en', now).otherLanguage).toBe(false);
	});

	it('carries progress and the last opening time', () => {
		const opened = new Date('2026-02-20T08:00:00Z');
		const card = courseCard(course('pump'), [fact('pump', 'a', opened, new Date('2026-02-20T08:05:00Z'))], undefined, 'en', now);
		expect(card).toMatchObject({ lessons: 2, done: 1, percent: 50, complete: false, started: true, next: 'b', lastOpenedAt: opened.getTime() });
	});

	it('shows the due date and state of an assignment', () => {
		const dueAt = new Date(now.getTime() + 3 * DAY);
		const card = courseCard(course('pump'), [], { dueAt }, 'en', now);
		expect(card.dueAt).toBe(dueAt.toISOString());
		expect(card.due).toBe('due-soon');
		expect(courseCard(course('pump'), [], { dueAt: new Date(now.getTime() - DAY) }, 'en', now).due).toBe('overdue');
		expect(courseCard(course('pump'), [], { dueAt: new Date(now.getTime() + 30 * DAY) }, 'en', now).due).toBe('on-track');
	});

	it('is done when the assigned course was completed, even late', () => {
		const facts = [
			fact('pump', 'a', new Date('2026-02-25T08:00:00Z'), new Date('2026-02-25T08:05:00Z')),
			fact('pump', 'b', new Date('2026-02-26T08:00:00Z'), new Date('2026-02-26T08:05:00Z'))
		];
		const card = courseCard(course('pump'), facts, { dueAt: new Date('2026-02-01T23:59:59Z') }, 'en', now);
		expect(card.complete).toBe(true);
		expect(card.due).toBe('done');
	});
});

function card(slug: string, patch: Partial<CourseCard>): CourseCard {
	return { ...courseCard(course(slug), [], undefined, 'en', now), ...patch };
}

describe('myLearning', () => {
	it('sorts assigned courses by due date, earliest (overdue) first', () => {
		const cards = [
			card('later', { dueAt: '2026-04-01T23:59:59.000Z', due: 'on-track' }),
			card('overdue', { dueAt: '2026-02-01T23:59:59.000Z', due: 'overdue' }),
			card('soon', { dueAt: '2026-03-03T23:59:59.000Z', due: 'due-soon', started: true, lastOpenedAt: 5 })
		];
		const { assigned, inProgress, completed } = myLearning(cards);
		expect(assigned.map((c) => c.slug)).toEqual(['overdue', 'soon', 'later']);
		// An assigned course in progress is listed once, under assigned.
		expect(inProgress).toEqual([]);
		expect(completed).toEqual([]);
	});

	it('moves completed assigned courses to completed', () => {
		const cards = [
			card('done-assigned', { dueAt: '2026-02-01T23:59:59.000Z', due: 'done', complete: true, started: true }),
			card('open-assigned', { dueAt: '2026-03-20T23:59:59.000Z', due: 'on-track' }),
			card('done-free', { complete: true, started: true, lastOpenedAt: 10 })
		];
		const { assigned, inProgress, completed } = myLearning(cards);
		expect(assigned.map((c) => c.slug)).toEqual(['open-assigned']);
		expect(inProgress).toEqual([]);
		expect(completed.map((c) => c.slug)).toEqual(['done-assigned', 'done-free']);
	});

	it('sorts courses in progress by last opened, most recent first, and leaves out unstarted ones', () => {
		const cards = [
			card('old', { started: true, lastOpenedAt: 1_000 }),
			card('untouched', {}),
			card('recent', { started: true, lastOpenedAt: 3_000 }),
			card('middle', { started: true, lastOpenedAt: 2_000 })
		];
		const { assigned, inProgress, completed } = myLearning(cards);
		expect(assigned).toEqual([]);
		expect(inProgress.map((c) => c.slug)).toEqual(['recent', 'middle', 'old']);
		expect(completed).toEqual([]);
	});

	it('groups cards built from real progress', () => {
		const facts = [
			fact('free', 'a', new Date('2026-02-27T08:00:00Z')),
			fact('finished', 'a', new Date('2026-02-10T08:00:00Z'), new Date('2026-02-10T08:05:00Z')),
			fact('finished', 'b', new Date('2026-02-11T08:00:00Z'), new Date('2026-02-11T08:05:00Z'))
		];
		const cards = [
			courseCard(course('finished'), facts, { dueAt: new Date('2026-03-05T23:59:59Z') }, 'en', now),
			courseCard(course('free'), facts, undefined, 'en', now),
			courseCard(course('todo'), facts, { dueAt: new Date('2026-03-04T23:59:59Z') }, 'en', now),
			courseCard(course('catalog-only'), facts, undefined, 'en', now)
		];
		const { assigned, inProgress, completed } = myLearning(cards);
		expect(assigned.map((c) => c.slug)).toEqual(['todo']);
		expect(inProgress.map((c) => c.slug)).toEqual(['free']);
		expect(completed.map((c) => c.slug)).toEqual(['finished']);
	});
});

import { describe, expect, it } from 'vitest';
import type { LessonEntry } from '../../content/schema';
import {
	attemptLines,
	certificationEvents,
	certificationHistories,
	courseLines,
	runLines,
	transcriptOf,
	transcriptRows,
	TRANSCRIPT_CSV_HEADER,
	type AttemptFact,
	type CycleFact,
	type LearnerFacts,
	type RunFact,
	type TranscriptContent
} from './transcript';

const DAY = 86_400_000;
const now = new Date('2026-06-01T12:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

const lessons = (slugs: string[]): LessonEntry[] => slugs.map((slug, i) => ({ slug, order: i + 1, versions: {} }));

const content: TranscriptContent = {
	courses: [
		{ slug: 'home-visit', title: { en: 'Home visit', 'zh-CN': '上门服务' }, locales: ['en', 'zh-CN'], lessons: lessons(['a', 'b']) },
		{ slug: 'complaints', title: { en: 'Complaints' }, locales: ['en'], lessons: lessons(['x', 'y']) },
		{ slug: 'ro', title: { en: 'RO purifier' }, locales: ['en'], lessons: lessons(['r']) }
	],
	requiredQuizzes: (slug) => (slug === 'complaints' ? ['final-exam'] : []),
	scenario: (course, id) => (course === 'complaints' && id === 'leak' ? { title: { en: 'Leaking purifier' }, best: { listening: 4, empathy: 6 } } : null),
	certifications: [
		{ id: 'complaint-handling', title: { en: 'Complaint handling', 'zh-CN': '投诉处理' }, renewalWindowDays: 30 },
		{ id: 'home-visit-service', title: { en: 'Home visit service' }, renewalWindowDays: 30 }
	]
};

function attempt(patch: Partial<AttemptFact>): AttemptFact {
	return {
		id: 'a1',
		courseSlug: 'complaints',
		quizId: 'final-exam',
		number: 1,
		kind: 'exam',
		title: { en: 'Final exam', 'zh-CN': '结业考试' },
		contentVersion: 3,
		startedAt: at(-5),
		submittedAt: at(-5),
		autoSubmitted: false,
		score: 8.3333,
		maxScore: 10,
		percent: 83.3333,
		passed: true,
		...patch
	};
}

function run(patch: Partial<RunFact>): RunFact {
	return {
		id: 'r1',
		courseSlug: 'complaints',
		scenarioId: 'leak',
		contentVersion: 2,
		outcome: 'resolved',
		percent: 75,
		passed: true,
		scores: { listening: 3, empathy: 4.25 },
		startedAt: at(-3),
		finishedAt: at(-3),
		...patch
	};
}

function cycle(patch: Partial<CycleFact> & Pick<CycleFact, 'id'>): CycleFact {
	return {
		certificationId: 'complaint-handling',
		level: 1,
		grantedAt: at(-400),
		expiresAt: at(-35),
		revokedAt: null,
		revokeReason: null,
		renewedFromId: null,
		grantedBy: null,
		grantedByName: null,
		revokedByName: null,
		...patch
	};
}

const noFacts: LearnerFacts = { progress: [], assignments: [], attempts: [], runs: [], cycles: [] };

describe('courseLines', () => {
	it('lists assigned courses by due date, then courses started on their own by last activity', () => {
		const lines = courseLines(
			content,
			{
				...noFacts,
				assignments: [
					{ courseSlug: 'ro', dueAt: at(20) },
					{ courseSlug: 'home-visit', dueAt: at(-1) }
				],
				progress: [{ courseSlug: 'complaints', lessonSlug: 'x', openedAt: at(-10), completedAt: null }],
				runs: [run({ courseSlug: 'gone-course', finishedAt: at(-1) })]
			},
			'zh-CN',
			now
		);
		expect(lines.map((l) => [l.slug, l.title, l.assigned, l.due, l.stage])).toEqual([
			['home-visit', '上门服务', true, 'overdue', 'not started'],
			['ro', 'RO purifier', true, 'on-track', 'not started'],
			['complaints', 'Complaints', false, null, 'started']
		]);
	});

	it('completes a course when its lessons are done and its required exam passed, dated by the later of the two', () => {
		const progress = ['x', 'y'].map((lessonSlug, i) => ({ courseSlug: 'complaints', lessonSlug, openedAt: at(-10 + i), completedAt: at(-10 + i) }));
		const [line] = courseLines(content, { ...noFacts, progress, attempts: [attempt({ passed: false, submittedAt: at(-8) }), attempt({ id: 'a2', number: 2, submittedAt: at(-4) })] }, 'en', now);
		expect(line).toMatchObject({ slug: 'complaints', stage: 'finished', done: 2, total: 2, percent: 100, completedAt: at(-4).toISOString() });
		const [unpassed] = courseLines(content, { ...noFacts, progress, attempts: [attempt({ passed: false })] }, 'en', now);
		expect(unpassed).toMatchObject({ stage: 'started', completedAt: null, done: 2 });
	});

	it('keeps an assignment to a course that is no longer published, under its slug', () => {
		const [line] = courseLines(content, { ...noFacts, assignments: [{ courseSlug: 'old', dueAt: at(3) }] }, 'en', now);
		expect(line).toMatchObject({ slug: 'old', title: 'old', total: 0, due: 'due-soon', stage: 'not started' });
	});
});

describe('attemptLines and runLines', () => {
	it('lists submitted attempts newest first with the served title and version; open attempts are left out', () => {
		const lines = attemptLines(content, [attempt({}), attempt({ id: 'a2', number: 2, submittedAt: at(-1) }), attempt({ id: 'a3', number: 3, submittedAt: null, score: null })], 'zh-CN');
		expect(lines.map((l) => [l.id, l.title, l.version, l.courseTitle])).toEqual([
			['a2', '结业考试', 3, 'Complaints'],
			['a1', '结业考试', 3, 'Complaints']
		]);
	});

	it('gives each competency of a play against the most one play can earn, and unfinished plays too', () => {
		const lines = runLines(content, [run({}), run({ id: 'r2', outcome: null, finishedAt: null, percent: null, passed: null, startedAt: at(-1) }), run({ id: 'r3', scenarioId: 'gone' })], 'en', ['listening', 'empathy']);
		expect(lines.map((l) => l.id)).toEqual(['r2', 'r1', 'r3']);
		expect(lines[1]).toMatchObject({ title: 'Leaking purifier', outcome: 'resolved', competencies: [{ competency: 'listening', got: 3, best: 4 }, { competency: 'empathy', got: 4.25, best: 6 }] });
		expect(lines[2]).toMatchObject({ title: 'gone', competencies: [{ competency: 'listening', got: 3, best: null }, { competency: 'empathy', got: 4.25, best: null }] });
		expect(Object.keys(lines[0]!)).not.toContain('path');
	});
});

describe('certificationEvents', () => {
	it('tells granted, renewed, upgraded, revoked with the reason and expired, newest first', () => {
		const cycles = [
			cycle({ id: 'c1', grantedAt: at(-800), expiresAt: at(-435) }),
			cycle({ id: 'c2', grantedAt: at(-300), expiresAt: at(65), grantedBy: 't1', grantedByName: 'Grace Lin' }),
			cycle({ id: 'c3', renewedFromId: 'c2', grantedAt: at(-200), expiresAt: at(65), level: 2 }),
			cycle({ id: 'c4', renewedFromId: 'c3', level: 2, grantedAt: at(-10), expiresAt: at(430), revokedAt: at(-2), revokeReason: 'Customer complaint upheld', revokedByName: 'Grace Lin' })
		];
		const events = certificationEvents(cycles, now);
		expect(events.map((e) => [e.cycleId, e.kind, e.level, e.at.slice(0, 10)])).toEqual([
			['c4', 'revoked', 2, at(-2).toISOString().slice(0, 10)],
			['c4', 'renewed', 2, at(-10).toISOString().slice(0, 10)],
			['c3', 'upgraded', 2, at(-200).toISOString().slice(0, 10)],
			['c2', 'granted', 1, at(-300).toISOString().slice(0, 10)],
			['c1', 'expired', 1, at(-435).toISOString().slice(0, 10)],
			['c1', 'granted', 1, at(-800).toISOString().slice(0, 10)]
		]);
		expect(events[0]).toMatchObject({ reason: 'Customer complaint upheld', byName: 'Grace Lin', byHand: true });
		expect(events[2]).toMatchObject({ fromLevel: 1 });
		expect(events[3]).toMatchObject({ byHand: true, byName: 'Grace Lin', expiresAt: at(65).toISOString() });
		expect(events[5]).toMatchObject({ byHand: false, byName: null });
	});

	it('does not call a cycle expired when it was revoked first, has not ended yet, or was carried on', () => {
		expect(certificationEvents([cycle({ id: 'c1', revokedAt: at(-100), revokeReason: 'x' })], now).map((e) => e.kind)).toEqual(['revoked', 'granted']);
		expect(certificationEvents([cycle({ id: 'c1', expiresAt: at(1) })], now).map((e) => e.kind)).toEqual(['granted']);
		expect(certificationEvents([cycle({ id: 'c1' }), cycle({ id: 'c2', renewedFromId: 'c1', grantedAt: at(-40), expiresAt: at(330) })], now).map((e) => e.kind)).toEqual(['renewed', 'granted']);
	});

	it('gives each certification ever held its standing, titled in the reader\'s language, and keeps one whose definition is gone', () => {
		const histories = certificationHistories(content, [cycle({ id: 'c1', expiresAt: at(100), grantedAt: at(-10) }), cycle({ id: 'c9', certificationId: 'retired' })], 'zh-CN', now);
		expect(histories.map((h) => [h.id, h.title, h.standing.status, h.events.length])).toEqual([
			['complaint-handling', '投诉处理', 'active', 1],
			['retired', 'retired', 'expired', 2]
		]);
	});
});

describe('transcriptRows', () => {
	it('writes one row per course, attempt, play and certification event, each kind filling its columns', () => {
		const t = transcriptOf(
			content,
			{
				progress: [{ courseSlug: 'complaints', lessonSlug: 'x', openedAt: at(-10), completedAt: at(-10) }],
				assignments: [{ courseSlug: 'complaints', dueAt: new Date('2026-06-30T15:59:00Z') }],
				attempts: [attempt({ autoSubmitted: true })],
				runs: [run({})],
				cycles: [cycle({ id: 'c1', revokedAt: at(-100), revokeReason: 'Shared the exam, "copied"', revokedByName: '张伟' })]
			},
			'en',
			now,
			['listening', 'empathy']
		);
		const rows = transcriptRows({ displayName: '李娜', email: 'li.na@example.com' }, t);
		expect(TRANSCRIPT_CSV_HEADER).toHaveLength(17);
		for (const row of rows) expect(row).toHaveLength(TRANSCRIPT_CSV_HEADER.length);
		expect(rows.map((r) => r.slice(0, 2))).toEqual(Array(5).fill(['李娜', 'li.na@example.com']));
		expect(rows.map((r) => r.slice(2))).toEqual([
			['course', 'complaints', null, 'Complaints', null, null, '2026-06-30', null, 'started', 1, 2, 50, null, null, 'assigned'],
			['attempt', 'complaints', 'final-exam', 'Final exam', 3, at(-5).toISOString(), null, null, 'exam', 8.3, 10, 83.3, 'yes', null, 'attempt 1, auto-submitted'],
			['scenario', 'complaints', 'leak', 'Leaking purifier', 2, at(-3).toISOString(), null, null, 'resolved', null, null, 75, 'yes', null, 'listening 3/4; empathy 4.3/6'],
			['certification', null, 'complaint-handling', 'Complaint handling', null, at(-400).toISOString(), null, at(-35).toISOString(), 'granted', null, null, null, null, 1, 'automatic'],
			['certification', null, 'complaint-handling', 'Complaint handling', null, at(-100).toISOString(), null, null, 'revoked', null, null, null, null, 1, 'revoked by 张伟; reason: Shared the exam, "copied"']
		]);
	});
});

import { describe, expect, it } from 'vitest';
import type { LessonEntry } from '../../content/schema';
import type { ReportRow } from './queries';
import { reportLines } from './report';

const now = new Date('2026-03-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function lessons(n: number): LessonEntry[] {
	return Array.from({ length: n }, (_, i) => ({ slug: `l${i + 1}`, order: i + 1, versions: {} }));
}

function row(patch: Partial<ReportRow>): ReportRow {
	return {
		userId: 'u1',
		displayName: 'Anna Lee',
		email: 'anna@example.com',
		teamName: 'North',
		fromTeam: null,
		dueAt: new Date(now.getTime() + 30 * DAY),
		done: 0,
		lastOpenedAt: null,
		completedAt: null,
		...patch
	};
}

describe('reportLines', () => {
	it('keeps the row and adds total, percent, due state and stage', () => {
		const r = row({});
		expect(reportLines({ lessons: lessons(3) }, [r], now)).toEqual([{ ...r, total: 3, percent: 0, state: 'on-track', stage: 'not started' }]);
	});

	it('shows a started assignee with a rounded percentage', () => {
		const [line] = reportLines({ lessons: lessons(3) }, [row({ done: 1, lastOpenedAt: new Date('2026-02-20T08:00:00Z') })], now);
		expect(line).toMatchObject({ total: 3, percent: 33, stage: 'started', state: 'on-track' });
	});

	it('counts an opened lesson as started even with nothing done', () => {
		const [line] = reportLines({ lessons: lessons(4) }, [row({ lastOpenedAt: new Date('2026-02-20T08:00:00Z') })], now);
		expect(line).toMatchObject({ percent: 0, stage: 'started' });
	});

	it('shows a finished assignee as done, even when late', () => {
		const completedAt = new Date('2026-02-25T08:00:00Z');
		const [line] = reportLines(
			{ lessons: lessons(2) },
			[row({ done: 2, lastOpenedAt: completedAt, completedAt, dueAt: new Date('2026-02-01T23:59:59Z') })],
			now
		);
		expect(line).toMatchObject({ total: 2, percent: 100, stage: 'finished', state: 'done' });
	});

	it('shows overdue and due-soon assignees', () => {
		const lines = reportLines(
			{ lessons: lessons(2) },
			[row({ userId: 'late', dueAt: new Date(now.getTime() - DAY) }), row({ userId: 'soon', dueAt: new Date(now.getTime() + 2 * DAY) })],
			now
		);
		expect(lines.map((l) => [l.userId, l.state])).toEqual([
			['late', 'overdue'],
			['soon', 'due-soon']
		]);
	});

	it('keeps the order of the rows', () => {
		const lines = reportLines({ lessons: lessons(1) }, [row({ userId: 'b' }), row({ userId: 'a' }), row({ userId: 'c' })], now);
		expect(lines.map((l) => l.userId)).toEqual(['b', 'a', 'c']);
	});

	it('gives 0 percent for a course without lessons', () => {
		const [line] = reportLines({ lessons: [] }, [row({})], now);
		expect(line).toMatchObject({ total: 0, percent: 0 });
	});

	it('is empty without assignees', () => {
		expect(reportLines({ lessons: lessons(2) }, [], now)).toEqual([]);
	});
});

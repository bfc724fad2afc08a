import type { CourseEntry } from '$lib/content/schema';
import { dueState, type DueState } from './progress';
import type { ReportRow } from './queries';

export interface ReportLine extends ReportRow {
	total: number;
	percent: number;
	state: DueState;
	/** Not started, started, or finished. */
	stage: 'not started' | 'started' | 'finished';
}

/** The trainer's view of one course: each assignee's progress and due state. */
export function reportLines(course: Pick<CourseEntry, 'lessons'>, rows: ReportRow[], now: Date): ReportLine[] {
	const total = course.lessons.length;
	return rows.map((r) => ({
		...r,
		total,
		percent: total ? Math.round((r.done / total) * 100) : 0,
		state: dueState(r.dueAt, r.completedAt, now),
		stage: r.completedAt ? 'finished' : r.lastOpenedAt ? 'started' : 'not started'
	}));
}

import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findCourse } from '$lib/server/content';
import { courseReport } from '$lib/server/learning/queries';
import { reportLines } from '$lib/server/learning/report';
import { toCsv, withBom } from '$lib/server/learning/csv';
import { m } from '$lib/paraglide/messages.js';
import { formatDay } from '$lib/format';

export const GET: RequestHandler = async ({ locals, params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const lines = reportLines(course, await courseReport(locals.db, course), new Date());
	const csv = toCsv([
		['name', 'email', 'team', 'lessons_done', 'lessons_total', 'percent', 'due', 'status', 'last_opened', 'completed'],
		...lines.map((l) => [
			l.displayName,
			l.email,
			l.teamName,
			l.done,
			l.total,
			l.percent,
			// Due dates are calendar days in the organisation's zone, as on the page.
			formatDay(l.dueAt, locals.user?.organisationTimeZone ?? 'UTC'),
			l.state === 'overdue' ? 'overdue' : l.stage,
			l.lastOpenedAt?.toISOString() ?? null,
			l.completedAt?.toISOString() ?? null
		])
	]);
	return new Response(withBom(csv), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${course.slug}-progress.csv"`
		}
	});
};

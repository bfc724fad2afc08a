import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { findCourse } from '$lib/server/content';
import { courseReport } from '$lib/server/learning/queries';
import { reportLines } from '$lib/server/learning/report';
import { localized } from '$lib/server/learning/progress';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const lines = reportLines(course, await courseReport(locals.db, course), new Date());
	return {
		course: { slug: course.slug, title: localized(course.title, course.locales, locals.locale), lessons: course.lessons.length },
		lines: lines.map((l) => ({ ...l, dueAt: l.dueAt.toISOString(), lastOpenedAt: l.lastOpenedAt?.toISOString() ?? null, completedAt: l.completedAt?.toISOString() ?? null })),
		counts: {
			finished: lines.filter((l) => l.stage === 'finished').length,
			started: lines.filter((l) => l.stage === 'started').length,
			notStarted: lines.filter((l) => l.stage === 'not started').length,
			overdue: lines.filter((l) => l.state === 'overdue').length
		}
	};
};

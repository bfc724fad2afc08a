import type { PageServerLoad } from './$types';
import { allQuizzes, allScenarios } from '$lib/server/assessment/catalog';
import { localize } from '$lib/server/assessment/draw';
import { quizOverview, scenarioOverview } from '$lib/server/assessment/results';
import { findCourse } from '$lib/server/content';

export const load: PageServerLoad = async ({ locals }) => {
	const [quizStats, runStats] = await Promise.all([quizOverview(locals.db), scenarioOverview(locals.db)]);
	const courseTitle = (slug: string) => {
		const c = findCourse(slug);
		return c ? localize(c.title, locals.locale, c.locales[0]!) : slug;
	};
	return {
		quizzes: allQuizzes().map((q) => {
			const s = quizStats.find((x) => x.courseSlug === q.courseSlug && x.quizId === q.id);
			return {
				courseSlug: q.courseSlug,
				course: courseTitle(q.courseSlug),
				id: q.id,
				title: localize(q.title, locals.locale, findCourse(q.courseSlug)?.locales[0] ?? 'en'),
				kind: q.kind,
				attempts: s?.attempts ?? 0,
				passRate: s?.attempts ? Math.round((s.passed / s.attempts) * 1000) / 10 : null,
				mean: s?.mean ?? null
			};
		}),
		scenarios: allScenarios().map((sc) => {
			const s = runStats.find((x) => x.courseSlug === sc.courseSlug && x.scenarioId === sc.id);
			return {
				courseSlug: sc.courseSlug,
				course: courseTitle(sc.courseSlug),
				id: sc.id,
				title: localize(sc.title, locals.locale, findCourse(sc.courseSlug)?.locales[0] ?? 'en'),
				runs: s?.runs ?? 0,
				passRate: s?.finished ? Math.round((s.passed / s.finished) * 1000) / 10 : null
			};
		})
	};
};

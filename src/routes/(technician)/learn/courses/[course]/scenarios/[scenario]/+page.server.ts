import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { findCourse } from '$lib/server/content';
import { findScenario } from '$lib/server/assessment/catalog';
import { localize } from '$lib/server/assessment/draw';
import { runsOf, startOrResumeRun } from '$lib/server/scenario/runs';

function locate(params: { course: string; scenario: string }) {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const scenario = findScenario(course.slug, params.scenario);
	if (!scenario) error(404, m.scenario_no_such());
	return { course, scenario };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const { course, scenario } = locate(params);
	const runs = await runsOf(locals.db, locals.user.id, scenario);
	const fallback = course.locales[0]!;
	return {
		course: { slug: course.slug, title: localize(course.title, locals.locale, fallback) },
		scenario: { id: scenario.id, title: localize(scenario.title, locals.locale, fallback), summary: localize(scenario.summary, locals.locale, fallback), passMark: scenario.passMark },
		runs: runs.map((r) => ({ id: r.id, startedAt: r.startedAt.toISOString(), finished: Boolean(r.finishedAt), percent: r.percent, passed: r.passed, outcome: r.outcome })),
		open: runs.find((r) => !r.finishedAt)?.id ?? null
	};
};

export const actions = {
	start: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const { scenario } = locate(params);
		const run = await startOrResumeRun(locals.db, locals.user.id, scenario, locals.locale);
		redirect(303, `/learn/runs/${run.id}`);
	}
} satisfies Actions;

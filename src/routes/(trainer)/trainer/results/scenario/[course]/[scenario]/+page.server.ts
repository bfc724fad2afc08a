import { bestScores } from '$lib/server/scenario/graph';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { findScenario } from '$lib/server/assessment/catalog';
import { localize } from '$lib/server/assessment/draw';
import { findCourse } from '$lib/server/content';
import { choiceDistribution, competencyAverages, outcomeMix, type RunRecord } from '$lib/server/scenario/analysis';
import { runsOfScenario } from '$lib/server/scenario/runs';
import { scenarioPlayers } from '$lib/server/assessment/results';

export const load: PageServerLoad = async ({ locals, params }) => {
	const course = findCourse(params.course);
	if (!course) error(404, m.error_no_course());
	const scenario = findScenario(course.slug, params.scenario);
	if (!scenario) error(404, m.scenario_no_such());
	const fallback = course.locales[0]!;
	const t = (text: Parameters<typeof localize>[0]) => localize(text, locals.locale, fallback);
	const [stored, players] = await Promise.all([runsOfScenario(locals.db, scenario), scenarioPlayers(locals.db, course.slug, scenario.id)]);
	const runs = stored.map((r) => ({ path: r.path, outcome: r.outcome, scores: r.scores }) as RunRecord);
	const finished = runs.filter((r) => r.outcome);
	return {
		course: { slug: course.slug, title: t(course.title) },
		scenario: { id: scenario.id, title: t(scenario.title), passMark: scenario.passMark },
		runs: runs.length,
		players,
		finished: finished.length,
		nodes: choiceDistribution(scenario, runs)
			.filter((n) => n.choices.length)
			.map((n) => ({ ...n, line: t(n.line), choices: n.choices.map((c) => ({ ...c, text: t(c.text) })) })),
		outcomes: outcomeMix(runs),
		competencies: competencyAverages(runs),
		// The scale of each average: the most a single play can earn in that competency.
		competencyBest: bestScores(scenario).perCompetency
	};
};

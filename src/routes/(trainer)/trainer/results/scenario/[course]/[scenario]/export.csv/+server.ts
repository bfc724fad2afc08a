import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findScenario } from '$lib/server/assessment/catalog';
import { runRows } from '$lib/server/assessment/results';
import { toCsv, withBom } from '$lib/server/learning/csv';
import { COMPETENCIES } from '$lib/server/scenario/types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const scenario = findScenario(params.course, params.scenario);
	if (!scenario) error(404, 'There is no such scenario.');
	const rows = await runRows(locals.db, scenario.courseSlug, scenario.id);
	const csv = toCsv([
		['name', 'email', 'started', 'finished', 'outcome', 'percent', 'passed', 'path', ...COMPETENCIES],
		...rows.map((r) => [
			r.name,
			r.email,
			r.startedAt.toISOString(),
			r.finishedAt?.toISOString() ?? null,
			r.outcome,
			r.percent,
			r.passed === null ? null : r.passed ? 'yes' : 'no',
			r.path.map((s) => `${s.nodeId}:${s.choiceId}`).join(' > '),
			...COMPETENCIES.map((c) => (r.scores as Record<string, number>)[c] ?? 0)
		])
	]);
	return new Response(withBom(csv), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${scenario.courseSlug}-${scenario.id}-plays.csv"` }
	});
};

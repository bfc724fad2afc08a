import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findQuiz } from '$lib/server/assessment/catalog';
import { attemptRows } from '$lib/server/assessment/results';
import { toCsv, withBom } from '$lib/server/learning/csv';

export const GET: RequestHandler = async ({ locals, params }) => {
	const quiz = findQuiz(params.course, params.quiz);
	if (!quiz) error(404, 'There is no such quiz.');
	const rows = await attemptRows(locals.db, quiz.courseSlug, quiz.id);
	const csv = toCsv([
		['name', 'email', 'attempt', 'started', 'submitted', 'auto_submitted', 'score', 'max_score', 'percent', 'passed'],
		...rows.map((r) => [
			r.name,
			r.email,
			r.number,
			r.startedAt.toISOString(),
			r.submittedAt?.toISOString() ?? null,
			r.autoSubmitted ? 'yes' : 'no',
			r.score,
			r.maxScore,
			r.percent,
			r.passed === null ? null : r.passed ? 'yes' : 'no'
		])
	]);
	return new Response(withBom(csv), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${quiz.courseSlug}-${quiz.id}-attempts.csv"` }
	});
};

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { scenarioState } from '$lib/server/content/scenario-studio';
import { choose, localize, scorePercent, startRun } from '$lib/server/scenario/run';
import { indexNodes, sumScores } from '$lib/server/scenario/graph';
import type { ContentLocale } from '$lib/content/schema';
import { m } from '$lib/paraglide/messages.js';

/**
 * Play-test: the trainer walks the draft conversation with every score shown as it is earned.
 * The path is the page address (`?path=reply.reply…`), so it works without JavaScript, can be
 * shared and stepped back; nothing is recorded.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const state = await scenarioState(locals.db, params.course, params.scenario);
	const locale = (locals.locale ?? 'en') as ContentLocale;
	const s = state.checked;
	const title = localize((state.data?.settings.title ?? {}) as Record<string, string>, locale, 'en') || params.scenario;
	if (!s || !state.scores) return { slug: params.course, scenario: params.scenario, title, problems: state.problems, path: state.path, play: null };
	const t = (text: Parameters<typeof localize>[0] | undefined) => localize(text ?? {}, locale, 'en');
	const ids = (url.searchParams.get('path') ?? '').split('.').filter(Boolean);
	if (ids.length > 100) error(400, m.studio_play_bad_path());
	const byId = indexNodes(s.nodes);
	let run = startRun(s);
	const steps: Array<{ line: string; mood: string; reply: string; feedback: string; scores: Record<string, number>; best: boolean }> = [];
	for (const id of ids) {
		const node = byId.get(run.nodeId)!;
		const next = choose(s, run, id);
		if (!next.ok) error(400, m.studio_play_bad_path());
		const choice = node.choices.find((c) => c.id === id)!;
		steps.push({ line: t(node.line), mood: node.mood, reply: t(choice.text), feedback: t(choice.feedback), scores: { ...choice.scores }, best: state.best.get(node.id)?.has(id) ?? false });
		run = next.state;
	}
	const node = byId.get(run.nodeId)!;
	const got = sumScores(run.scores);
	const prefix = ids.length ? `${ids.join('.')}.` : '';
	return {
		slug: params.course,
		scenario: params.scenario,
		title,
		problems: [],
		path: state.path,
		play: {
			steps,
			current: { id: node.id, line: t(node.line), speaker: node.speaker ? t(node.speaker) : '', mood: node.mood, outcome: node.outcome ?? null, summary: t(node.summary) },
			replies: node.outcome ? [] : node.choices.map((c) => ({ id: c.id, text: t(c.text), scores: { ...c.scores }, best: state.best.get(node.id)?.has(c.id) ?? false, href: `?path=${prefix}${c.id}` })),
			back: ids.length ? `?path=${ids.slice(0, -1).join('.')}` : null,
			totals: run.scores,
			got,
			best: state.scores.total,
			percent: node.outcome ? scorePercent(got, state.scores.total, state.scores.worst) : null,
			passMark: s.passMark
		}
	};
};

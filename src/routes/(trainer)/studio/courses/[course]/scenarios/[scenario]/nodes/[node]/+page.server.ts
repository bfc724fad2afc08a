import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readFields } from '$lib/server/forms';
import { changeScenario, scenarioState } from '$lib/server/content/scenario-studio';
import { nodeFromFields, nodeToFields, putNode, repliesLeadingTo } from '$lib/content/scenario-file';
import { questionLines } from '$lib/content/quiz-file';
import { localize } from '$lib/server/assessment/draw';
import type { Localized } from '$lib/server/assessment/types';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const state = await scenarioState(locals.db, params.course, params.scenario);
	const node = state.data?.nodes.find((n) => n.id === params.node);
	if (!node) error(404, m.studio_no_node({ id: params.node }));
	const range = questionLines(state.text).get(params.node);
	const best = state.best.get(params.node);
	return {
		slug: params.course,
		scenario: params.scenario,
		scenarioTitle: localize((state.data!.settings.title ?? {}) as Localized, getLocale(), 'en') || params.scenario,
		node: params.node,
		fields: nodeToFields(node),
		/** Replies on some path to this node: what an ending's text may say was or was not done. */
		replies: repliesLeadingTo(state.data!, params.node).map((r) => ({ ref: r.ref, nodeId: r.nodeId, text: localize(r.text as Localized, getLocale(), 'en') })),
		nodeIds: state.data!.nodes.map((n) => String(n.id ?? '')).filter((id) => id !== params.node),
		best: best ? [...best] : [],
		revision: state.revision,
		saved: url.searchParams.has('saved'),
		problems: range ? state.problems.filter((p) => p.line >= range.from && p.line <= range.to).map((p) => ({ line: p.line, message: p.message })) : [],
		path: state.path
	};
};

export const actions = {
	save: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const read = await readFields(request);
		if (!read.ok) return fail(read.status, { message: read.message, errors: read.errors, values: read.values });
		const revision = typeof read.raw.revision === 'string' && /^\d{1,9}$/.test(read.raw.revision) ? Number(read.raw.revision) : null;
		if (revision === null) return fail(400, { message: m.studio_save_bad(), errors: {}, values: { ...read.values } });
		const built = nodeFromFields(read.raw);
		if (!built.ok) return fail(400, { message: m.form_correct_fields(), errors: built.errors, values: { ...read.values } });
		const saved = await changeScenario(locals.db, { slug: params.course, scenario: params.scenario, revision, userId: locals.user.id }, (file) => putNode(file, params.node, built.value));
		if (!saved.ok) return fail(saved.status, { message: saved.message, errors: {}, values: { ...read.values } });
		redirect(303, `/studio/courses/${params.course}/scenarios/${params.scenario}/nodes/${String(built.value.id)}?saved`);
	}
} satisfies Actions;

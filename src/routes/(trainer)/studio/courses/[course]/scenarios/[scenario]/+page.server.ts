import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readFields, type RawFields } from '$lib/server/forms';
import { changeScenario, scenarioState } from '$lib/server/content/scenario-studio';
import { layoutScenario, nodeFromFields, putNode, removeNode, scenarioSettingsFromFields } from '$lib/content/scenario-file';
import { scenarioNodeSchema } from '$lib/content/graded-schema';
import { localize } from '$lib/server/assessment/draw';
import type { Localized } from '$lib/server/assessment/types';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const state = await scenarioState(locals.db, params.course, params.scenario);
	const locale = getLocale();
	const settings = state.data?.settings ?? {};
	const nodes = state.data?.nodes ?? [];
	const layout = layoutScenario({ start: String(settings.start ?? ''), nodes }, state.best);
	const text = (v: unknown) => localize((v ?? {}) as Localized, locale, 'en');
	return {
		slug: params.course,
		scenario: params.scenario,
		path: state.path,
		title: text(settings.title) || params.scenario,
		settings: { title: (settings.title ?? {}) as Localized, summary: (settings.summary ?? {}) as Localized, passMark: Number(settings.passMark ?? 70), start: String(settings.start ?? '') },
		unreadable: state.data === null,
		layout,
		nodes: nodes.map((n) => ({
			id: String(n.id ?? ''),
			line: text(n.line),
			outcome: typeof n.outcome === 'string' ? n.outcome : null,
			replies: Array.isArray(n.choices) ? n.choices.length : 0
		})),
		problems: state.problems.map((p) => ({ line: p.line, message: p.message })),
		warnings: state.warnings.map((w) => ({ line: w.line, message: w.message })),
		scores: state.scores,
		revision: state.revision,
		published: state.course.published?.files[state.path] !== undefined
	};
};

const revisionOf = (raw: RawFields) => (typeof raw.revision === 'string' && /^\d{1,9}$/.test(raw.revision) ? Number(raw.revision) : null);
const NODE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A conversation node as first added: its id, mood and line, replies still to write. */
function nodeWithoutReplies(raw: RawFields): Record<string, unknown> | null {
	const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
	const line = Object.fromEntries(
		[
			['en', text('line.en')],
			['zh-CN', text('line.zh-CN')]
		].filter(([, t]) => t)
	);
	const node = { id: text('id'), mood: text('mood') || 'neutral', line, choices: [] };
	return Object.keys(line).length && scenarioNodeSchema.safeParse(node).success ? node : null;
}

async function edit(event: { request: Request; locals: App.Locals; params: { course: string; scenario: string } }, action: string, build: (raw: RawFields) => Parameters<typeof changeScenario>[2] | { errors: Record<string, string> }) {
	const { request, locals, params } = event;
	if (!locals.user) error(401, m.error_sign_in_again());
	const read = await readFields(request);
	if (!read.ok) return fail(read.status, { [action]: { message: read.message, errors: read.errors } });
	const revision = revisionOf(read.raw);
	if (revision === null) return fail(400, { [action]: { message: m.studio_save_bad(), errors: {} } });
	const how = build(read.raw);
	if (typeof how !== 'function') return fail(400, { [action]: { message: m.form_correct_fields(), errors: how.errors } });
	const saved = await changeScenario(locals.db, { slug: params.course, scenario: params.scenario, revision, userId: locals.user.id }, how);
	if (!saved.ok) return fail(saved.status, { [action]: { message: saved.message, errors: {} } });
	return { [action]: { done: true } };
}

export const actions = {
	settings: (event) =>
		edit(event, 'settings', (raw) => {
			const result = scenarioSettingsFromFields(raw);
			if (!result.ok) return { errors: result.errors };
			return (file) => ({ ...file, settings: { ...file.settings, ...result.value } });
		}),
	addNode: async (event) => {
		let added = '';
		const result = await edit(event, 'addNode', (raw) => {
			const ending = typeof raw.outcome === 'string' && raw.outcome !== '';
			const built = ending ? nodeFromFields(raw) : null;
			// A new conversation node has no replies yet: the checker lists it until they are written.
			const node = built ? (built.ok ? built.value : null) : nodeWithoutReplies(raw);
			if (!node) return { errors: built && !built.ok ? built.errors : { line: m.studio_node_line() } };
			added = String(node.id);
			return (file) => putNode(file, null, node);
		});
		if ('addNode' in result && (result.addNode as { done?: boolean }).done) redirect(303, `/studio/courses/${event.params.course}/scenarios/${event.params.scenario}/nodes/${added}`);
		return result;
	},
	removeNode: (event) =>
		edit(event, 'nodes', (raw) => {
			const id = typeof raw.node === 'string' ? raw.node : '';
			if (!NODE_ID.test(id)) return { errors: { node: m.studio_save_bad() } };
			return (file) => removeNode(file, id);
		})
} satisfies Actions;


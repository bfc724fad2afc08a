import { error, fail, redirect } from '@sveltejs/kit';
import { certifyIfDue } from '$lib/server/certification';
import { earnedSince } from '$lib/server/certification/queries';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { findCourse } from '$lib/server/content';
import { findScenario } from '$lib/server/assessment/catalog';
import { scenarioAtVersion } from '$lib/server/content/store';
import { localize } from '$lib/server/assessment/draw';
import { chooseInRun, findRun, stateOf } from '$lib/server/scenario/runs';
import { choiceOfToken, debrief, presentNode } from '$lib/server/scenario/run';
import { ServiceError } from '$lib/server/errors';

async function locate(locals: App.Locals, id: string) {
	if (!locals.user) error(401, m.error_sign_in_again());
	let run;
	try {
		run = await findRun(locals.db, locals.user.id, id);
	} catch (e) {
		if (e instanceof ServiceError) error(404, m.scenario_no_such());
		throw e;
	}
	// Played and debriefed on the version it started on, even after a new one is published.
	const current = findCourse(run.courseSlug)?.version;
	const scenario =
		run.contentVersion !== null && run.contentVersion !== current
			? await scenarioAtVersion(locals.db, run.courseSlug, run.scenarioId, run.contentVersion)
			: findScenario(run.courseSlug, run.scenarioId);
	if (!scenario) error(404, m.scenario_no_such());
	return { run, scenario, fallback: findCourse(run.courseSlug)?.locales[0] ?? 'en' };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const { run, scenario, fallback } = await locate(locals, params.id);
	const locale = locals.locale;
	const head = {
		id: run.id,
		courseSlug: run.courseSlug,
		scenarioId: run.scenarioId,
		title: localize(scenario.title, locale, fallback),
		step: run.path.length
	};
	if (run.finishedAt) {
		// Only now, at the end, do feedback and scores reach the browser.
		const result = debrief(scenario, stateOf(run), locale, fallback);
		const earned = result.passed ? await earnedSince(locals.db, locals.user!.id, run.finishedAt, locale) : [];
		return { run: head, finished: true as const, debrief: result, earned };
	}
	// During play: what was said so far (lines and the replies chosen), never feedback or scores.
	const transcript = run.path.map((step) => {
		const node = presentNode(scenario, step.nodeId, locale, fallback);
		return { nodeId: step.nodeId, speaker: node?.speaker, mood: node?.mood ?? 'neutral', line: node?.line ?? '', reply: node?.choices.find((c) => c.id === step.choiceId)?.text ?? '' };
	});
	// Replies in this run's own order, behind tokens the server maps back (the run's id is the seed).
	return { run: head, finished: false as const, transcript, node: presentNode(scenario, run.nodeId, locale, fallback, run.id) };
};

export const actions = {
	choose: async ({ locals, params, request }) => {
		const { run, scenario } = await locate(locals, params.id);
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			return fail(400, { message: 'The reply could not be read.' });
		}
		const choice = form.get('choice');
		const step = form.get('step');
		if (typeof choice !== 'string' || typeof step !== 'string' || !/^\d{1,3}$/.test(step) || choice.length > 60)
			return fail(400, { message: 'That reply is not one of the choices here.' });
		// A token of this run's current node; anything else is refused by chooseInRun as not a choice here.
		const choiceId = choiceOfToken(scenario, run.nodeId, run.id, choice) ?? `token:${choice}`;
		try {
			const updated = await chooseInRun(locals.db, scenario, run, choiceId, Number(step), locals.locale);
			if (updated.finishedAt) await certifyIfDue(locals.db, run.userId);
		} catch (e) {
			if (e instanceof ServiceError) return fail(e.status, { message: e.message });
			throw e;
		}
		redirect(303, `/learn/runs/${run.id}`);
	}
} satisfies Actions;

import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deleteWebhook, deliveriesOf, findWebhook, sendTestEvent, setWebhookActive } from '$lib/server/notify/webhooks';
import { isCursor } from '$lib/server/notify/outbox';
import { SWEEPS, wakeSweep } from '$lib/server/notify/jobs';
import { refusal } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

const PAGE = 25;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const before = url.searchParams.get('before') ?? undefined;
	if (before !== undefined && !isCursor(before)) error(400, m.webhook_bad_before());
	const [hook, log] = await Promise.all([findWebhook(locals.db, params.id), deliveriesOf(locals.db, params.id, { before, limit: PAGE })]);
	if (!hook) error(404, m.webhook_missing());
	return { hook, log, paged: before !== undefined };
};

export const actions = {
	activate: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		try {
			await setWebhookActive(locals.db, params.id, true, locals.user.id);
			// Deliveries that waited while it was inactive go out now.
			await wakeSweep(SWEEPS.webhooks);
			return { done: m.webhook_activated() };
		} catch (e) {
			return refusal(e, 'active');
		}
	},
	deactivate: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		try {
			await setWebhookActive(locals.db, params.id, false, locals.user.id);
			return { done: m.webhook_deactivated() };
		} catch (e) {
			return refusal(e, 'active');
		}
	},
	test: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		try {
			await sendTestEvent(locals.db, params.id);
			await wakeSweep(SWEEPS.webhooks);
			return { done: m.webhook_test_queued() };
		} catch (e) {
			return refusal(e, 'test');
		}
	},
	delete: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		try {
			await deleteWebhook(locals.db, params.id, locals.user.id);
		} catch (e) {
			return refusal(e, 'delete');
		}
		redirect(303, '/admin/webhooks?deleted=1');
	}
} satisfies Actions;

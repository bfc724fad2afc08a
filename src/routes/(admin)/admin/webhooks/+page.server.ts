import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { WEBHOOK_EVENTS } from '$lib/server/notify/events';
import { createWebhook, listWebhooks } from '$lib/server/notify/webhooks';
import { MAX_WEBHOOK_URL } from '$lib/server/notify/webhook-url';
import { DEFAULT_TOLERANCE_SECONDS } from '$lib/server/notify/signature';
import { readForm, refusal } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, url }) => {
	return {
		webhooks: await listWebhooks(locals.db),
		events: WEBHOOK_EVENTS,
		deleted: url.searchParams.get('deleted') === '1',
		toleranceSeconds: DEFAULT_TOLERANCE_SECONDS
	};
};

/** Only the shape here; createWebhook checks the address and the events and names the field. */
const createSchema = z.object({
	url: z.string().max(MAX_WEBHOOK_URL + 100, { error: () => m.webhook_url_too_long({ max: MAX_WEBHOOK_URL }) }),
	events: z.array(z.string().max(60, { error: () => m.webhook_events_unknown() })).max(20, { error: () => m.webhook_events_unknown() })
});

export const actions = {
	create: async ({ request, locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, createSchema, { arrays: ['events'] });
		if (!form.ok) return fail(form.status, { action: 'create', errors: form.errors, values: form.values, message: form.message });
		try {
			const created = await createWebhook(locals.db, form.data, locals.user.id);
			return { action: 'create', created: { id: created.id, url: created.url, secret: created.secret } };
		} catch (e) {
			return refusal(e, 'create', { url: form.data.url, events: form.data.events.join(',') });
		}
	}
} satisfies Actions;

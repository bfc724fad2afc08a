import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isCursor, listOutbox, outboxKinds } from '$lib/server/notify/outbox';
import { SWEEPS, wakeSweep } from '$lib/server/notify/jobs';
import { m } from '$lib/paraglide/messages.js';

const PAGE = 30;

export const load: PageServerLoad = async ({ locals, url }) => {
	const kind = url.searchParams.get('kind') ?? '';
	const before = url.searchParams.get('before') ?? undefined;
	if (before !== undefined && !isCursor(before)) error(400, m.outbox_bad_before());
	const kinds = await outboxKinds(locals.db);
	if (kind && !kinds.includes(kind)) error(400, m.outbox_bad_kind({ value: kind.slice(0, 40) }));
	const page = await listOutbox(locals.db, { kind: kind || undefined, before, limit: PAGE });
	return { ...page, kinds, kind, paged: before !== undefined };
};

export const actions = {
	/** Runs the reminder scan now (in whichever process takes the job) instead of at the next 5 minutes. */
	check: async ({ locals }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		if (!(await wakeSweep(SWEEPS.reminders))) return fail(503, { message: m.outbox_check_unavailable() });
		return { checked: m.outbox_check_queued() };
	}
} satisfies Actions;

import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { isRole, ROLES } from '$lib/server/auth/roles';
import { inviteUser, listTeams, listUsers } from '$lib/server/users';
import { email, optionalUuid, readForm, refusal, roles, text } from '$lib/server/forms';
import { deliverInvitation } from '$lib/server/invite-link';
import { m } from '$lib/paraglide/messages.js';

const STATUSES = ['all', 'active', 'pending', 'inactive'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const roleParam = url.searchParams.get('role') ?? '';
	const statusParam = url.searchParams.get('status') ?? 'all';
	const teamParam = url.searchParams.get('team') ?? '';
	if (roleParam && !isRole(roleParam)) error(400, m.error_unknown_role({ value: roleParam.slice(0, 40) }));
	if (!(STATUSES as readonly string[]).includes(statusParam)) error(400, m.error_unknown_status({ value: statusParam.slice(0, 40) }));
	const teams = await listTeams(locals.db, { includeArchived: true });
	if (teamParam && !teams.some((t) => t.id === teamParam)) error(400, m.error_unknown_team());
	const users = await listUsers(locals.db, {
		q: q || undefined,
		role: roleParam && isRole(roleParam) ? roleParam : undefined,
		teamId: teamParam || undefined
	});
	const status = statusParam as (typeof STATUSES)[number];
	const shown = users.filter((u) =>
		status === 'all' ? true : status === 'inactive' ? !u.active : status === 'pending' ? u.active && u.pending : u.active && !u.pending
	);
	return { users: shown, teams, roles: ROLES, filter: { q, role: roleParam, status, team: teamParam } };
};

const inviteSchema = z.object({
	email: email(),
	displayName: text(100, () => m.field_name()),
	roles: roles().refine((r) => r.length > 0, { error: () => m.form_roles_none() }),
	teamId: optionalUuid(() => m.field_team())
});

export const actions = {
	invite: async ({ request, locals, url }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, inviteSchema, { arrays: ['roles'] });
		if (!form.ok) return fail(form.status, { errors: form.errors, values: form.values, message: form.message });
		try {
			const invited = await inviteUser(locals.db, form.data, locals.user.id);
			const link = deliverInvitation(url.origin, invited.user.email, invited.token, invited.expiresAt);
			return { invited: { email: invited.user.email, link, expiresAt: invited.expiresAt.toISOString() } };
		} catch (e) {
			return refusal(e, 'invite', { email: form.data.email, displayName: form.data.displayName });
		}
	}
} satisfies Actions;

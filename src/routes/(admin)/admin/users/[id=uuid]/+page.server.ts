import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { ROLES } from '$lib/server/auth/roles';
import { countSessions, getUser, listTeams, reinviteUser, setActive, setRoles, setTeam } from '$lib/server/users';
import { auditOf } from '$lib/server/audit';
import { teamsManagedBy } from '$lib/server/teams';
import { optionalUuid, readForm, refusal, roles } from '$lib/server/forms';
import { deliverInvitation } from '$lib/server/invite-link';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const [target, teams, history, sessions, leads] = await Promise.all([
		getUser(locals.db, params.id),
		listTeams(locals.db, { includeArchived: true }),
		auditOf(locals.db, 'user', params.id, 50, locals.locale),
		countSessions(locals.db, params.id),
		teamsManagedBy(locals.db, params.id)
	]);
	if (!target) error(404, m.user_no_id());
	return { target, teams, history, sessions, leads, roles: ROLES, self: locals.user?.id === params.id };
};


const rolesSchema = z.object({ roles: roles() });
const teamSchema = z.object({ teamId: optionalUuid(() => m.field_team()) });
// Deactivating signs the person out everywhere: the admin confirms it in the form (works without JavaScript).
const deactivateSchema = z.object({ confirm: z.literal('yes', { error: () => m.user_deactivate_confirm_needed() }) });

export const actions = {
	roles: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, rolesSchema, { arrays: ['roles'] });
		if (!form.ok) return fail(form.status, { action: 'roles', errors: form.errors, message: form.message });
		try {
			const result = await setRoles(locals.db, params.id, form.data.roles, locals.user.id);
			return { action: 'roles', saved: result.changed ? m.user_roles_saved() : m.user_roles_unchanged() };
		} catch (e) {
			return refusal(e, 'roles');
		}
	},
	team: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, teamSchema);
		if (!form.ok) return fail(form.status, { action: 'team', errors: form.errors, message: form.message });
		try {
			await setTeam(locals.db, params.id, form.data.teamId, locals.user.id);
			return { action: 'team', saved: m.user_team_saved() };
		} catch (e) {
			return refusal(e, 'team');
		}
	},
	deactivate: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, deactivateSchema);
		if (!form.ok) return fail(form.status, { action: 'active', errors: form.errors, message: form.message });
		try {
			await setActive(locals.db, params.id, false, locals.user.id);
			return { action: 'active', saved: m.user_deactivated() };
		} catch (e) {
			return refusal(e, 'active');
		}
	},
	reactivate: async ({ locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		try {
			await setActive(locals.db, params.id, true, locals.user.id);
			return { action: 'active', saved: m.user_reactivated() };
		} catch (e) {
			return refusal(e, 'active');
		}
	},
	reinvite: async ({ locals, params, url }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		try {
			const issued = await reinviteUser(locals.db, params.id, locals.user.id);
			const link = deliverInvitation(url.origin, issued.user.email, issued.token, issued.expiresAt);
			return { action: 'reinvite', saved: m.user_reinvited(), link };
		} catch (e) {
			return refusal(e, 'reinvite');
		}
	}
} satisfies Actions;

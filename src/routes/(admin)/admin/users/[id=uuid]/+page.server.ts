import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { ROLES } from '$lib/server/auth/roles';
import { countSessions, getUser, listTeams, reinviteUser, setActive, setRoles, setTeam } from '$lib/server/users';
import { auditOf } from '$lib/server/audit';
import { optionalUuid, readForm, refusal, roles } from '$lib/server/forms';
import { deliverInvitation } from '$lib/server/invite-link';

export const load: PageServerLoad = async ({ locals, params }) => {
	const [target, teams, history, sessions] = await Promise.all([
		getUser(locals.db, params.id),
		listTeams(locals.db),
		auditOf(locals.db, 'user', params.id),
		countSessions(locals.db, params.id)
	]);
	if (!target) error(404, 'No user with this id.');
	return { target, teams, history, sessions, roles: ROLES, self: locals.user?.id === params.id };
};


const rolesSchema = z.object({ roles: roles() });
const teamSchema = z.object({ teamId: optionalUuid('Team') });

export const actions = {
	roles: async ({ request, locals, params }) => {
		if (!locals.user) error(401, 'Sign in again.');
		const form = await readForm(request, rolesSchema, { arrays: ['roles'] });
		if (!form.ok) return fail(form.status, { action: 'roles', errors: form.errors, message: form.message });
		try {
			const result = await setRoles(locals.db, params.id, form.data.roles, locals.user.id);
			return { action: 'roles', saved: result.changed ? 'Roles saved.' : 'Roles unchanged.' };
		} catch (e) {
			return refusal(e, 'roles');
		}
	},
	team: async ({ request, locals, params }) => {
		if (!locals.user) error(401, 'Sign in again.');
		const form = await readForm(request, teamSchema);
		if (!form.ok) return fail(form.status, { action: 'team', errors: form.errors, message: form.message });
		try {
			await setTeam(locals.db, params.id, form.data.teamId, locals.user.id);
			return { action: 'team', saved: 'Team saved.' };
		} catch (e) {
			return refusal(e, 'team');
		}
	},
	deactivate: async ({ locals, params }) => {
		if (!locals.user) error(401, 'Sign in again.');
		try {
			await setActive(locals.db, params.id, false, locals.user.id);
			return { action: 'active', saved: 'Deactivated. Every session of this user has ended.' };
		} catch (e) {
			return refusal(e, 'active');
		}
	},
	reactivate: async ({ locals, params }) => {
		if (!locals.user) error(401, 'Sign in again.');
		try {
			await setActive(locals.db, params.id, true, locals.user.id);
			return { action: 'active', saved: 'Reactivated. The user can sign in again.' };
		} catch (e) {
			return refusal(e, 'active');
		}
	},
	reinvite: async ({ locals, params, url }) => {
		if (!locals.user) error(401, 'Sign in again.');
		try {
			const issued = await reinviteUser(locals.db, params.id, locals.user.id);
			const link = deliverInvitation(url.origin, issued.user.email, issued.token, issued.expiresAt);
			return { action: 'reinvite', saved: 'A new invitation link was made; the previous one no longer works.', link };
		} catch (e) {
			return refusal(e, 'reinvite');
		}
	}
} satisfies Actions;

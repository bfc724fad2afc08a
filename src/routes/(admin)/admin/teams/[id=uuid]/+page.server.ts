import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import {
	addMember,
	getTeamDetail,
	linkManager,
	organisationTimeZone,
	personSchema,
	removeMember,
	setTeamArchived,
	teamExists,
	teamSchema,
	unlinkManager,
	updateTeam
} from '$lib/server/teams';
import { auditOf } from '$lib/server/audit';
import { readForm, refusal } from '$lib/server/forms';
import { timeZoneNames } from '$lib/time-zone';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, params }) => {
	const [detail, history, organisationZone] = await Promise.all([
		getTeamDetail(locals.db, params.id),
		auditOf(locals.db, 'team', params.id, 50, locals.locale),
		organisationTimeZone(locals.db)
	]);
	if (!detail) error(404, m.team_not_found());
	return { ...detail, history, organisationZone, zones: timeZoneNames() };
};

/** Every action names the team in its address: an unknown one is 404 before the form is read. */
async function signedInOnTeam({ locals, params }: RequestEvent) {
	if (!locals.user) error(401, m.error_sign_in_again());
	if (!(await teamExists(locals.db, params.id))) error(404, m.team_not_found());
	return locals.user.id;
}

type PersonChange = (db: App.Locals['db'], teamId: string, userId: string, actorId: string) => Promise<{ person: { displayName: string } }>;

/** The member and manager actions: one person picked, one change, its confirmation. */
function personAction(action: string, change: PersonChange, saved: (name: string) => string) {
	return async (event: RequestEvent) => {
		const actorId = await signedInOnTeam(event);
		const form = await readForm(event.request, personSchema);
		if (!form.ok) return fail(form.status, { action, errors: form.errors, message: form.message });
		try {
			const result = await change(event.locals.db, event.params.id, form.data.userId, actorId);
			return { action, saved: saved(result.person.displayName) };
		} catch (e) {
			return refusal(e, action);
		}
	};
}

export const actions = {
	update: async (event) => {
		const actorId = await signedInOnTeam(event);
		const form = await readForm(event.request, teamSchema);
		if (!form.ok) return fail(form.status, { action: 'update', errors: form.errors, values: form.values, message: form.message });
		try {
			const result = await updateTeam(event.locals.db, event.params.id, form.data, actorId);
			return { action: 'update', saved: result.changed ? m.team_saved() : m.team_unchanged() };
		} catch (e) {
			return refusal(e, 'update', form.data);
		}
	},
	archive: async (event) => {
		const actorId = await signedInOnTeam(event);
		await setTeamArchived(event.locals.db, event.params.id, true, actorId);
		return { action: 'archive', saved: m.team_archived_saved() };
	},
	unarchive: async (event) => {
		const actorId = await signedInOnTeam(event);
		await setTeamArchived(event.locals.db, event.params.id, false, actorId);
		return { action: 'archive', saved: m.team_unarchived_saved() };
	},
	addMember: personAction('addMember', addMember, (name) => m.team_member_added({ name })),
	removeMember: personAction('removeMember', removeMember, (name) => m.team_member_removed({ name })),
	linkManager: personAction('linkManager', linkManager, (name) => m.team_manager_linked({ name })),
	unlinkManager: personAction('unlinkManager', unlinkManager, (name) => m.team_manager_unlinked({ name }))
} satisfies Actions;

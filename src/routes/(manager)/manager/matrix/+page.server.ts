import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { managerMatrix, SOON_CHOICES } from '$lib/server/dispatch/matrix-view';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const { scope, filters, definitions, rows } = await managerMatrix(locals.db, locals.user.id, url.searchParams);
	return {
		teams: scope.teams,
		filters,
		soonChoices: [...SOON_CHOICES],
		certifications: definitions.map((d) => ({ id: d.id, title: d.title[locals.locale] ?? d.title.en ?? d.id, levels: d.levels })),
		rows: rows.map((r) => ({ technicianId: r.technician.technicianId, name: r.technician.name, teamName: r.technician.teamName, cells: r.cells })),
		query: url.searchParams.toString()
	};
};

import type { PageServerLoad } from './$types';
import { listTeams, userCounts } from '$lib/server/users';
import { listAudit } from '$lib/server/audit';

export const load: PageServerLoad = async ({ locals }) => {
	const [counts, teams, audit] = await Promise.all([
		userCounts(locals.db),
		listTeams(locals.db),
		listAudit(locals.db, { limit: 10, locale: locals.locale })
	]);
	return { counts, teams, audit };
};

import type { PageServerLoad } from './$types';
import { listTeams, listUsers } from '$lib/server/users';

export const load: PageServerLoad = async ({ locals }) => {
	const [teams, technicians] = await Promise.all([
		listTeams(locals.db),
		listUsers(locals.db, { role: 'technician' })
	]);
	return { teams, technicians };
};

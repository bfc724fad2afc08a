import type { PageServerLoad } from './$types';
import { listUsers } from '$lib/server/users';
import { technicianCounts } from '$lib/server/teams';

export const load: PageServerLoad = async ({ locals }) => {
	const [counts, technicians] = await Promise.all([technicianCounts(locals.db), listUsers(locals.db, { role: 'technician' })]);
	return { counts, technicians };
};

import type { LayoutServerLoad } from './$types';
import { ROLES, type Role } from '$lib/server/auth/roles';

/** Each role's pages in the main navigation, in role order. */
const NAV: Record<Role, Array<{ key: string; href: string }>> = {
	technician: [
		{ key: 'nav_my_learning', href: '/learn' },
		{ key: 'nav_courses', href: '/learn/courses' },
		{ key: 'nav_certifications', href: '/learn/certifications' }
	],
	trainer: [
		{ key: 'nav_training', href: '/trainer' },
		{ key: 'nav_studio', href: '/studio' },
		{ key: 'nav_assignments', href: '/trainer/assignments' },
		{ key: 'nav_results', href: '/trainer/results' },
		{ key: 'nav_trainer_certifications', href: '/trainer/certifications' }
	],
	manager: [
		{ key: 'nav_team', href: '/manager' },
		{ key: 'nav_jobs', href: '/manager/jobs' },
		{ key: 'nav_job_types', href: '/manager/job-types' },
		{ key: 'nav_matrix', href: '/manager/matrix' }
	],
	admin: [
		{ key: 'nav_admin', href: '/admin' },
		{ key: 'nav_users', href: '/admin/users' }
	]
};

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		user: user && {
			displayName: user.displayName,
			email: user.email,
			roles: user.roles,
			locale: user.locale
		},
		/** The zones every date and time on the page is formatted in (see $lib/format). */
		zones: user ? { viewer: user.timeZone, organisation: user.organisationTimeZone } : null,
		nav: user ? ROLES.filter((r) => user.roles.includes(r)).flatMap((r) => NAV[r]) : []
	};
};

import type { LayoutServerLoad } from './$types';
import { ROLE_HOME } from '$lib/server/auth/roles';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		user: user && {
			displayName: user.displayName,
			email: user.email,
			roles: user.roles,
			locale: user.locale
		},
		nav: user ? user.roles.map((role) => ({ role, href: ROLE_HOME[role] })) : []
	};
};

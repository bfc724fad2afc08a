export const ROLES = ['technician', 'trainer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where each role starts after signing in; the first role a user holds in this order wins. */
export const ROLE_HOME: Record<Role, string> = {
	technician: '/learn',
	trainer: '/trainer',
	manager: '/manager',
	admin: '/admin'
};

export const ROLE_LABEL: Record<Role, string> = {
	technician: 'Technician',
	trainer: 'Trainer',
	manager: 'Service manager',
	admin: 'Admin'
};

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function homeFor(roles: readonly Role[]): string {
	const first = ROLES.find((r) => roles.includes(r));
	return first ? ROLE_HOME[first] : '/profile';
}

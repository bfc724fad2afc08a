import type { Role } from './roles';

export type Access =
	| { kind: 'public' }
	| { kind: 'signed-in' }
	| { kind: 'role'; role: Role }
	| { kind: 'machine' };

/**
 * The one table of who may open what. It is enforced in `hooks.server.ts` for pages, form
 * actions and endpoints alike: layout loads alone would not guard actions or `+server.ts`.
 * The longest matching prefix wins; anything not listed needs a signed-in user.
 */
export const ACCESS_RULES: ReadonlyArray<readonly [prefix: string, access: Access]> = [
	['/login', { kind: 'public' }],
	['/invite', { kind: 'public' }],
	['/verify', { kind: 'public' }],
	['/health', { kind: 'public' }],
	['/logout', { kind: 'public' }],
	['/language', { kind: 'public' }],
	['/learn', { kind: 'role', role: 'technician' }],
	['/trainer', { kind: 'role', role: 'trainer' }],
	['/manager', { kind: 'role', role: 'manager' }],
	['/admin', { kind: 'role', role: 'admin' }],
	['/api/v1', { kind: 'machine' }],
	['/profile', { kind: 'signed-in' }]
];

function matches(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(prefix + '/');
}

/** SvelteKit's own assets and the favicon are always public. */
const ALWAYS_PUBLIC = ['/_app', '/favicon.png', '/robots.txt'];

export function accessFor(pathname: string): Access {
	// The root only sends people on: to their home page, or to sign in.
	if (pathname === '/') return { kind: 'public' };
	if (ALWAYS_PUBLIC.some((p) => matches(pathname, p))) return { kind: 'public' };
	let best: readonly [string, Access] | undefined;
	for (const rule of ACCESS_RULES) {
		if (matches(pathname, rule[0]) && (!best || rule[0].length > best[0].length)) best = rule;
	}
	return best ? best[1] : { kind: 'signed-in' };
}

export type Decision =
	| { outcome: 'allow' }
	| { outcome: 'sign-in' }
	| { outcome: 'forbidden'; role: Role }
	| { outcome: 'machine' };

/** What to do with a request for `pathname` from a user holding `roles` (null when anonymous). */
export function decideAccess(pathname: string, roles: readonly Role[] | null): Decision {
	const access = accessFor(pathname);
	switch (access.kind) {
		case 'public':
			return { outcome: 'allow' };
		case 'machine':
			return { outcome: 'machine' };
		case 'signed-in':
			return roles ? { outcome: 'allow' } : { outcome: 'sign-in' };
		case 'role':
			if (!roles) return { outcome: 'sign-in' };
			return roles.includes(access.role) ? { outcome: 'allow' } : { outcome: 'forbidden', role: access.role };
	}
}

/**
 * Where to go after signing in: only a path on this site, never `//evil.example` or a scheme,
 * so the login form cannot be used as an open redirect.
 */
export function safeNext(next: string | null | undefined): string | null {
	if (!next || next.length > 2000) return null;
	if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	if (/[\u0000-\u001f]/.test(next)) return null;
	return next;
}

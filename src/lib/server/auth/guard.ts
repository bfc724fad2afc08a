import type { Role } from './roles';

export type Access =
	| { kind: 'public' }
	| { kind: 'signed-in' }
	| { kind: 'role'; role: Role }
	| { kind: 'machine' };

/**
 * The one table of who may open what, keyed by SvelteKit route id: the folder of the route under
 * `src/routes`, (group) segments included, e.g. `/(admin)/admin/users/[id=uuid]`. It is enforced in
 * `hooks.server.ts` on `event.route.id`, the route that will actually run, so no spelling of a
 * path (percent-encoding, dot segments, doubled slashes) can reach a route under another rule.
 * A rule covers its route id and every route below it. A route that no rule covers is refused to
 * everyone (fail closed); a unit test walks the route tree so that such a route cannot ship.
 */
export const ACCESS_RULES: ReadonlyArray<readonly [routeId: string, access: Access]> = [
	['/(public)', { kind: 'public' }],
	['/health', { kind: 'public' }],
	['/(technician)/learn', { kind: 'role', role: 'technician' }],
	['/(trainer)/trainer', { kind: 'role', role: 'trainer' }],
	['/(trainer)/studio', { kind: 'role', role: 'trainer' }],
	['/(manager)/manager', { kind: 'role', role: 'manager' }],
	['/(admin)/admin', { kind: 'role', role: 'admin' }],
	['/api/v1', { kind: 'machine' }],
	['/(app)/profile', { kind: 'signed-in' }],
	['/(app)/media', { kind: 'signed-in' }]
];

/** The root only sends people on (to their home page, or to sign in): it alone is matched exactly. */
const ROOT_ROUTE = '/';

function covers(routeId: string, rule: string): boolean {
	return routeId === rule || routeId.startsWith(rule + '/');
}

/** The access rule of a route id; `null` when no rule covers it, which refuses everyone. */
export function accessFor(routeId: string): Access | null {
	if (routeId === ROOT_ROUTE) return { kind: 'public' };
	let best: readonly [string, Access] | undefined;
	for (const rule of ACCESS_RULES) {
		if (covers(routeId, rule[0]) && (!best || rule[0].length > best[0].length)) best = rule;
	}
	return best ? best[1] : null;
}

export type Decision =
	| { outcome: 'allow' }
	| { outcome: 'sign-in' }
	| { outcome: 'forbidden'; role: Role }
	| { outcome: 'machine' }
	| { outcome: 'unlisted' };

/**
 * What to do with a request that SvelteKit routed to `routeId`, from a user holding `roles` (null
 * when anonymous). A request that matches no route (`routeId` null) runs nothing but the 404
 * page, so it is let through to get that page; a route without a rule is refused.
 */
export function decideAccess(routeId: string | null, roles: readonly Role[] | null): Decision {
	if (routeId === null) return { outcome: 'allow' };
	const access = accessFor(routeId);
	if (!access) return { outcome: 'unlisted' };
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

const LOCAL = 'http://local.invalid';

/**
 * Where to go after signing in: only a path on this site, never `//evil.example` or a scheme,
 * so the login form cannot be used as an open redirect. It comes back percent-encoded as the URL
 * parser writes it (`/learn/课程` → `/learn/%E8%AF%BE%E7%A8%8B`), so that it can always be sent in
 * a Location header, which holds only Latin-1.
 */
export function safeNext(next: string | null | undefined): string | null {
	if (!next || next.length > 2000) return null;
	if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	if (/[\u0000-\u001f\u007f]/.test(next)) return null;
	let url: URL;
	try {
		url = new URL(next, LOCAL);
	} catch {
		return null;
	}
	if (url.origin !== LOCAL) return null;
	const path = url.pathname + url.search + url.hash;
	return path.length <= 6000 ? path : null;
}

import { describe, expect, it } from 'vitest';
import { ACCESS_RULES, accessFor, decideAccess, safeNext } from './guard';
import { ROLES, type Role } from './roles';
import { walkRoutes } from '../../../../tests/e2e/route-tree';

const PUBLIC_ROUTES = ['/(public)/login', '/(public)/invite/[token]', '/(public)/verify/[code]', '/health', '/(public)/logout', '/(public)/language'];
const ROLE_ROUTES: ReadonlyArray<readonly [string, Role]> = [
	['/(technician)/learn', 'technician'],
	['/(trainer)/trainer', 'trainer'],
	['/(trainer)/studio', 'trainer'],
	['/(manager)/manager', 'manager'],
	['/(admin)/admin', 'admin']
];

/** Route ids of the app as SvelteKit forms them: the folder under src/routes, groups included. */
const routeIds = walkRoutes('src/routes').map((node) => (node.dir === '' ? '/' : `/${node.dir}`));

describe('ACCESS_RULES', () => {
	it('has exactly the expected route ids', () => {
		expect(ACCESS_RULES.map(([id]) => id).sort()).toEqual(
			['/(public)', '/health', ...ROLE_ROUTES.map(([p]) => p), '/api/v1', '/(app)/profile', '/(app)/media'].sort()
		);
	});

	it('covers every route of the tree: a route added without a rule fails here', () => {
		expect(routeIds.length).toBeGreaterThan(50);
		const uncovered = routeIds.filter((id) => accessFor(id) === null);
		expect(uncovered, `routes without an access rule in guard.ts: ${uncovered.join(', ')}`).toEqual([]);
	});

	it('puts every route of a role folder under that role', () => {
		for (const id of routeIds) {
			for (const [prefix, role] of ROLE_ROUTES) if (id.startsWith(prefix)) expect(accessFor(id), id).toEqual({ kind: 'role', role });
			if (id.startsWith('/api/')) expect(accessFor(id), id).toEqual({ kind: 'machine' });
		}
	});
});

describe('accessFor', () => {
	it('treats the root as public, and only the root exactly', () => {
		expect(accessFor('/')).toEqual({ kind: 'public' });
	});

	it.each(PUBLIC_ROUTES)('treats %s as public', (id) => {
		expect(accessFor(id)).toEqual({ kind: 'public' });
	});

	it.each(ROLE_ROUTES)('requires the right role for %s and below', (prefix, role) => {
		expect(accessFor(prefix)).toEqual({ kind: 'role', role });
		expect(accessFor(`${prefix}/some/[id=uuid]`)).toEqual({ kind: 'role', role });
	});

	it('treats the API as machine access', () => {
		expect(accessFor('/api/v1')).toEqual({ kind: 'machine' });
		expect(accessFor('/api/v1/[...rest]')).toEqual({ kind: 'machine' });
	});

	it('needs only sign-in for the profile', () => {
		expect(accessFor('/(app)/profile')).toEqual({ kind: 'signed-in' });
	});

	it.each(['/elsewhere', '/admin', '/learn', '/(admin)', '/(admin)/adminx', '/(technician)/learning', '/api/v10', '/api/v1x', '/(app)', '/(app)/profiles', '/healthz', '/(publicx)/login'])(
		'has no rule for %s, which is therefore refused',
		(id) => {
			expect(accessFor(id)).toBeNull();
		}
	);
});

describe('decideAccess', () => {
	it('lets a request that matched no route through to the 404 page', () => {
		expect(decideAccess(null, null)).toEqual({ outcome: 'allow' });
		expect(decideAccess(null, ['technician'])).toEqual({ outcome: 'allow' });
	});

	it('refuses a route without a rule to everyone, every role included (fail closed)', () => {
		for (const roles of [null, [], ['technician'], [...ROLES]] as const) {
			expect(decideAccess('/(admin)/adminx', roles)).toEqual({ outcome: 'unlisted' });
			expect(decideAccess('/elsewhere', roles)).toEqual({ outcome: 'unlisted' });
		}
	});

	describe('anonymous visitors', () => {
		it.each(['/', ...PUBLIC_ROUTES])('may open %s', (id) => {
			expect(decideAccess(id, null)).toEqual({ outcome: 'allow' });
		});

		it.each(ROLE_ROUTES.map(([p]) => p))('are sent to sign in for %s', (prefix) => {
			expect(decideAccess(prefix, null)).toEqual({ outcome: 'sign-in' });
			expect(decideAccess(`${prefix}/x`, null)).toEqual({ outcome: 'sign-in' });
		});

		it('are sent to sign in for the profile', () => {
			expect(decideAccess('/(app)/profile', null)).toEqual({ outcome: 'sign-in' });
		});

		it('are handed to machine authentication for the API', () => {
			expect(decideAccess('/api/v1/jobs', null)).toEqual({ outcome: 'machine' });
		});
	});

	describe.each(ROLES)('a user who is only %s', (role) => {
		const roles: Role[] = [role];

		it('may open public routes and the profile', () => {
			for (const id of ['/', ...PUBLIC_ROUTES, '/(app)/profile']) {
				expect(decideAccess(id, roles)).toEqual({ outcome: 'allow' });
			}
		});

		it.each(ROLE_ROUTES)('gets the right answer for %s (needs %s)', (prefix, needed) => {
			const expected = needed === role ? { outcome: 'allow' } : { outcome: 'forbidden', role: needed };
			expect(decideAccess(prefix, roles)).toEqual(expected);
			expect(decideAccess(`${prefix}/deeper/[id=uuid]`, roles)).toEqual(expected);
		});

		it('is still handed to machine authentication for the API', () => {
			expect(decideAccess('/api/v1/jobs', roles)).toEqual({ outcome: 'machine' });
		});
	});

	it('lets a signed-in user without roles open only sign-in pages', () => {
		expect(decideAccess('/(app)/profile', [])).toEqual({ outcome: 'allow' });
		expect(decideAccess('/(technician)/learn', [])).toEqual({ outcome: 'forbidden', role: 'technician' });
		expect(decideAccess('/(admin)/admin', [])).toEqual({ outcome: 'forbidden', role: 'admin' });
	});

	it('lets a user with several roles into each of their areas and no other', () => {
		const roles: Role[] = ['trainer', 'manager'];
		expect(decideAccess('/(trainer)/trainer/results', roles)).toEqual({ outcome: 'allow' });
		expect(decideAccess('/(manager)/manager/matrix', roles)).toEqual({ outcome: 'allow' });
		expect(decideAccess('/(technician)/learn', roles)).toEqual({ outcome: 'forbidden', role: 'technician' });
		expect(decideAccess('/(admin)/admin/users', roles)).toEqual({ outcome: 'forbidden', role: 'admin' });
	});

	it('lets a user with every role in everywhere', () => {
		for (const [prefix] of ROLE_ROUTES) {
			expect(decideAccess(prefix, [...ROLES])).toEqual({ outcome: 'allow' });
		}
	});
});

describe('safeNext', () => {
	it('accepts a path on this site, with its query and hash', () => {
		expect(safeNext('/learn?x=1')).toBe('/learn?x=1');
		expect(safeNext('/')).toBe('/');
		expect(safeNext('/admin/users#top')).toBe('/admin/users#top');
	});

	it('percent-encodes what a Location header cannot hold, and keeps what is already encoded', () => {
		expect(safeNext('/learn/课程')).toBe('/learn/%E8%AF%BE%E7%A8%8B');
		expect(safeNext('/learn?q=课程 x')).toBe('/learn?q=%E8%AF%BE%E7%A8%8B%20x');
		expect(safeNext('/learn/%E8%AF%BE')).toBe('/learn/%E8%AF%BE');
		expect(safeNext('/learn/\u00e9\u2028x')).toBe('/learn/%C3%A9%E2%80%A8x');
		for (const next of ['/learn/课程', '/a?b=\u{1F600}', '/\u00ff\u0100']) expect(safeNext(next)!, next).toMatch(/^[\x21-\x7e]+$/);
	});

	it('resolves dot segments, and never leaves this site by them', () => {
		expect(safeNext('/learn/../admin')).toBe('/admin');
		expect(safeNext('/../../x')).toBe('/x');
	});

	it('accepts a path of exactly 2000 characters', () => {
		const path = '/' + 'a'.repeat(1999);
		expect(safeNext(path)).toBe(path);
	});

	it('refuses a path over 2000 characters', () => {
		expect(safeNext('/' + 'a'.repeat(2000))).toBeNull();
	});

	it('refuses empty and missing values', () => {
		expect(safeNext('')).toBeNull();
		expect(safeNext(null)).toBeNull();
		expect(safeNext(undefined)).toBeNull();
	});

	it('refuses protocol-relative and backslash tricks', () => {
		expect(safeNext('//evil.example')).toBeNull();
		expect(safeNext('//evil.example/learn')).toBeNull();
		expect(safeNext('/\\evil')).toBeNull();
		expect(safeNext('/\\evil.example')).toBeNull();
	});

	it('refuses absolute URLs and relative paths', () => {
		expect(safeNext('https://x')).toBeNull();
		expect(safeNext('http://evil.example/')).toBeNull();
		expect(safeNext('javascript:alert(1)')).toBeNull();
		expect(safeNext('learn')).toBeNull();
		expect(safeNext(' /learn')).toBeNull();
	});

	it('refuses control characters anywhere', () => {
		expect(safeNext('/learn\nSet-Cookie: x=1')).toBeNull();
		expect(safeNext('/learn\r')).toBeNull();
		expect(safeNext('/\t/evil.example')).toBeNull();
		expect(safeNext('/learn\u0000')).toBeNull();
		expect(safeNext('/learn\u001f')).toBeNull();
		expect(safeNext('/learn\u007f')).toBeNull();
	});
});

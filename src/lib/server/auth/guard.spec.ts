import { describe, expect, it } from 'vitest';
import { ACCESS_RULES, accessFor, decideAccess, safeNext } from './guard';
import { ROLES, type Role } from './roles';

const PUBLIC_PREFIXES = ['/login', '/invite', '/verify', '/health', '/logout', '/language'];
const ROLE_PREFIXES: ReadonlyArray<readonly [string, Role]> = [
	['/learn', 'technician'],
	['/trainer', 'trainer'],
	['/manager', 'manager'],
	['/admin', 'admin']
];

describe('ACCESS_RULES', () => {
	it('has exactly the expected prefixes', () => {
		expect(ACCESS_RULES.map(([prefix]) => prefix).sort()).toEqual(
			[...PUBLIC_PREFIXES, ...ROLE_PREFIXES.map(([p]) => p), '/api/v1', '/profile'].sort()
		);
	});
});

describe('accessFor', () => {
	it('treats the root as public', () => {
		expect(accessFor('/')).toEqual({ kind: 'public' });
	});

	it.each(PUBLIC_PREFIXES)('treats %s and its subpaths as public', (prefix) => {
		expect(accessFor(prefix)).toEqual({ kind: 'public' });
		expect(accessFor(`${prefix}/x`)).toEqual({ kind: 'public' });
	});

	it.each(ROLE_PREFIXES)('requires the right role for %s', (prefix, role) => {
		expect(accessFor(prefix)).toEqual({ kind: 'role', role });
		expect(accessFor(`${prefix}/some/page`)).toEqual({ kind: 'role', role });
	});

	it('treats the API as machine access', () => {
		expect(accessFor('/api/v1')).toEqual({ kind: 'machine' });
		expect(accessFor('/api/v1/records')).toEqual({ kind: 'machine' });
	});

	it('treats SvelteKit assets and static files as public', () => {
		expect(accessFor('/_app/immutable/entry/start.js')).toEqual({ kind: 'public' });
		expect(accessFor('/_app/version.json')).toEqual({ kind: 'public' });
		expect(accessFor('/favicon.png')).toEqual({ kind: 'public' });
		expect(accessFor('/robots.txt')).toEqual({ kind: 'public' });
	});

	it('needs only sign-in for the profile and unlisted paths', () => {
		expect(accessFor('/profile')).toEqual({ kind: 'signed-in' });
		expect(accessFor('/profile/password')).toEqual({ kind: 'signed-in' });
		expect(accessFor('/elsewhere')).toEqual({ kind: 'signed-in' });
		expect(accessFor('/api')).toEqual({ kind: 'signed-in' });
	});

	it.each(['/learning', '/learn-more', '/adminx', '/admin.json', '/trainers', '/managerial', '/api/v10', '/api/v1x', '/_appx', '/loginx', '/healthz'])(
		'does not match the look-alike %s to a listed prefix',
		(path) => {
			expect(accessFor(path)).toEqual({ kind: 'signed-in' });
		}
	);
});

describe('decideAccess', () => {
	describe('anonymous visitors', () => {
		it.each(['/', ...PUBLIC_PREFIXES, '/_app/immutable/app.js', '/favicon.png'])('may open %s', (path) => {
			expect(decideAccess(path, null)).toEqual({ outcome: 'allow' });
		});

		it.each(ROLE_PREFIXES.map(([p]) => p))('are sent to sign in for %s', (prefix) => {
			expect(decideAccess(prefix, null)).toEqual({ outcome: 'sign-in' });
			expect(decideAccess(`${prefix}/x`, null)).toEqual({ outcome: 'sign-in' });
		});

		it('are sent to sign in for the profile and unlisted paths', () => {
			expect(decideAccess('/profile', null)).toEqual({ outcome: 'sign-in' });
			expect(decideAccess('/somewhere', null)).toEqual({ outcome: 'sign-in' });
			expect(decideAccess('/learning', null)).toEqual({ outcome: 'sign-in' });
			expect(decideAccess('/adminx', null)).toEqual({ outcome: 'sign-in' });
		});

		it('are handed to machine authentication for the API', () => {
			expect(decideAccess('/api/v1/records', null)).toEqual({ outcome: 'machine' });
		});
	});

	describe.each(ROLES)('a user who is only %s', (role) => {
		const roles: Role[] = [role];

		it('may open public paths, the profile and unlisted paths', () => {
			for (const path of ['/', ...PUBLIC_PREFIXES, '/_app/x.js', '/profile', '/elsewhere']) {
				expect(decideAccess(path, roles)).toEqual({ outcome: 'allow' });
			}
		});

		it.each(ROLE_PREFIXES)('gets the right answer for %s (needs %s)', (prefix, needed) => {
			const expected = needed === role ? { outcome: 'allow' } : { outcome: 'forbidden', role: needed };
			expect(decideAccess(prefix, roles)).toEqual(expected);
			expect(decideAccess(`${prefix}/deeper/page`, roles)).toEqual(expected);
		});

		it('may open look-alike paths, which need only sign-in', () => {
			expect(decideAccess('/learning', roles)).toEqual({ outcome: 'allow' });
			expect(decideAccess('/adminx', roles)).toEqual({ outcome: 'allow' });
		});

		it('is still handed to machine authentication for the API', () => {
			expect(decideAccess('/api/v1/records', roles)).toEqual({ outcome: 'machine' });
		});
	});

	it('lets a signed-in user without roles open only sign-in pages', () => {
		expect(decideAccess('/profile', [])).toEqual({ outcome: 'allow' });
		expect(decideAccess('/learn', [])).toEqual({ outcome: 'forbidden', role: 'technician' });
		expect(decideAccess('/admin', [])).toEqual({ outcome: 'forbidden', role: 'admin' });
	});

	it('lets a user with several roles into each of their areas and no other', () => {
		const roles: Role[] = ['trainer', 'manager'];
		expect(decideAccess('/trainer/courses', roles)).toEqual({ outcome: 'allow' });
		expect(decideAccess('/manager/team', roles)).toEqual({ outcome: 'allow' });
		expect(decideAccess('/learn', roles)).toEqual({ outcome: 'forbidden', role: 'technician' });
		expect(decideAccess('/admin/users', roles)).toEqual({ outcome: 'forbidden', role: 'admin' });
	});

	it('lets a user with every role in everywhere', () => {
		for (const [prefix] of ROLE_PREFIXES) {
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
	});
});

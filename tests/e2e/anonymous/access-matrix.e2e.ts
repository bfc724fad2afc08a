import { request, type APIRequestContext } from '@playwright/test';
import { expect, originHeaders, storageFor, test, type Role } from '../fixtures';

type Who = Role | 'anonymous';
const WHO: Who[] = ['anonymous', 'technician', 'trainer', 'manager', 'admin'];
const HOME: Record<Role, string> = { technician: '/learn', trainer: '/trainer', manager: '/manager', admin: '/admin' };

/** Expected outcome per route: a status, or `login` (303 to /login?next=…), or `home` (303 to the role's page). */
type Outcome = number | 'login' | 'home';
const ONLY = (role: Role): Record<Who, Outcome> => ({
	anonymous: 'login',
	technician: role === 'technician' ? 200 : 403,
	trainer: role === 'trainer' ? 200 : 403,
	manager: role === 'manager' ? 200 : 403,
	admin: role === 'admin' ? 200 : 403
});
const SIGNED_IN: Record<Who, Outcome> = { anonymous: 'login', technician: 200, trainer: 200, manager: 200, admin: 200 };
const EVERYONE = (o: Outcome): Record<Who, Outcome> => ({ anonymous: o, technician: o, trainer: o, manager: o, admin: o });

let userPath = '';
const ROUTES: Array<[string | (() => string), Record<Who, Outcome>]> = [
	['/', { anonymous: 303, technician: 'home', trainer: 'home', manager: 'home', admin: 'home' }],
	['/login', { anonymous: 200, technician: 'home', trainer: 'home', manager: 'home', admin: 'home' }],
	['/logout', EVERYONE(303)],
	['/language', EVERYONE(303)],
	['/invite/AAAAAAAAAAAAAAAAAAAAAAAA', EVERYONE(200)],
	['/health', EVERYONE(200)],
	['/profile', SIGNED_IN],
	['/learn', ONLY('technician')],
	['/learn/courses', ONLY('technician')],
	['/learn/certifications', ONLY('technician')],
	['/verify/AAAAAAAAAAAAAAAA', EVERYONE(404)],
	['/learn/certifications/00000000-0000-4000-8000-000000000000/certificate.pdf', { ...ONLY('technician'), technician: 404 }],
	['/learn/courses/complaints', ONLY('technician')],
	['/learn/courses/complaints/five-steps', ONLY('technician')],
	['/learn/courses/complaints/quizzes/final-exam', ONLY('technician')],
	['/learn/courses/complaints/scenarios/leaking-purifier', ONLY('technician')],
	['/learn/attempts/00000000-0000-4000-8000-000000000000', { ...ONLY('technician'), technician: 404 }],
	['/learn/runs/00000000-0000-4000-8000-000000000000', { ...ONLY('technician'), technician: 404 }],
	['/trainer', ONLY('trainer')],
	['/trainer/assignments', ONLY('trainer')],
	['/trainer/assignments/home-visit', ONLY('trainer')],
	['/trainer/assignments/home-visit/export.csv', ONLY('trainer')],
	['/trainer/results', ONLY('trainer')],
	['/trainer/results/quiz/complaints/final-exam', ONLY('trainer')],
	['/trainer/results/quiz/complaints/final-exam/export.csv', ONLY('trainer')],
	['/trainer/results/scenario/complaints/leaking-purifier', ONLY('trainer')],
	['/trainer/results/scenario/complaints/leaking-purifier/export.csv', ONLY('trainer')],
	['/trainer/certifications', ONLY('trainer')],
	['/trainer/certifications?q=li', ONLY('trainer')],
	['/trainer/certifications/00000000-0000-4000-8000-000000000000', { ...ONLY('trainer'), trainer: 404 }],
	['/manager', ONLY('manager')],
	['/manager/jobs', ONLY('manager')],
	['/manager/jobs/00000000-0000-4000-8000-000000000000', { ...ONLY('manager'), manager: 404 }],
	['/manager/job-types', ONLY('manager')],
	['/manager/job-types/00000000-0000-4000-8000-000000000000', { ...ONLY('manager'), manager: 404 }],
	['/manager/matrix', ONLY('manager')],
	['/manager/matrix?team=x&days=7&expiring=1', ONLY('manager')],
	['/manager/matrix/export.csv', ONLY('manager')],
	['/admin', ONLY('admin')],
	['/admin/users', ONLY('admin')],
	['/admin/users?role=technician&status=active', ONLY('admin')],
	[() => userPath, ONLY('admin')],
	['/admin/audit', ONLY('admin')],
	['/admin/tokens', ONLY('admin')],
	['/admin/webhooks', ONLY('admin')],
	['/admin/webhooks/00000000-0000-4000-8000-000000000000', { ...ONLY('admin'), admin: 404 }],
	['/admin/outbox', ONLY('admin')],
	['/admin/outbox?kind=certification.renewal_due', ONLY('admin')],
	['/api/v1/eligibility', EVERYONE(401)],
	['/no-such-page', { anonymous: 'login', technician: 404, trainer: 404, manager: 404, admin: 404 }]
];

const contexts = new Map<Who, APIRequestContext>();

test.beforeAll(async ({ baseURL }) => {
	for (const who of WHO) {
		contexts.set(who, await request.newContext({ baseURL, storageState: who === 'anonymous' ? undefined : storageFor(who) }));
	}
	const page = await contexts.get('admin')!.get('/admin/users?q=technician%40example.com');
	userPath = (await page.text()).match(/href="(\/admin\/users\/[0-9a-f-]{36})"/)![1]!;
});

test.afterAll(async () => {
	for (const ctx of contexts.values()) await ctx.dispose();
});

for (const who of WHO) {
	test(`every route answers ${who} as the access table says`, async () => {
		const ctx = contexts.get(who)!;
		for (const [route, expected] of ROUTES) {
			const path = typeof route === 'function' ? route() : route;
			const outcome = expected[who];
			const res = await ctx.get(path, { maxRedirects: 0, headers: { accept: 'text/html' } });
			const where = `${who} GET ${path}`;
			if (outcome === 'login') {
				expect(res.status(), where).toBe(303);
				expect(res.headers()['location'], where).toBe(`/login?next=${encodeURIComponent(path)}`);
			} else if (outcome === 'home') {
				expect(res.status(), where).toBe(303);
				expect(res.headers()['location'], where).toBe(HOME[who as Role]);
			} else {
				expect(res.status(), where).toBe(outcome);
			}
			if (outcome === 403) expect(await res.text(), where).toContain('which your account does not hold');
		}
	});
}

test('form actions and endpoints are guarded by the same table, not by page loads', async ({ baseURL }) => {
	const headers = originHeaders(baseURL);
	const form = { email: 'intruder@example.com', displayName: 'Intruder', roles: 'admin' };
	const anonymous = await contexts.get('anonymous')!.post('/admin/users?/invite', { form, headers, maxRedirects: 0 });
	expect(anonymous.status()).toBe(401);
	for (const who of ['technician', 'trainer', 'manager'] as const) {
		const res = await contexts.get(who)!.post('/admin/users?/invite', { form, headers, maxRedirects: 0 });
		expect(res.status(), who).toBe(403);
		const roles = await contexts.get(who)!.post(`${userPath}?/roles`, { form: { roles: 'admin' }, headers, maxRedirects: 0 });
		expect(roles.status(), who).toBe(403);
	}
	const list = await (await contexts.get('admin')!.get('/admin/users?q=intruder')).text();
	expect(list).toContain('No user matches.');
});

test('a cross-site form post is refused by the origin check', async () => {
	const res = await contexts.get('admin')!.post('/admin/users?/invite', {
		form: { email: 'csrf@example.com', displayName: 'CSRF', roles: 'admin' },
		headers: { origin: 'https://evil.example', accept: 'text/html' },
		maxRedirects: 0
	});
	expect(res.status()).toBe(403);
});

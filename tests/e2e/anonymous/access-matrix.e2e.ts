import http from 'node:http';
import fc from 'fast-check';
import { request, type APIRequestContext, type APIResponse, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, originHeaders, signedOutContext, signIn, storageFor, test, type Role } from '../fixtures';
import { probesOf, probeUrl, samplePath, walkRoutes, type Probe } from '../route-tree';
import { match as uuidMatcher } from '../../../src/params/uuid';
import { readQuiz, scenarioFeedback, secretTexts } from '../quiz-keys';

/**
 * The access matrix, generated from the route tree: every page GET (and its client-side data
 * request), every form action (posted empty, from this site's origin) and every endpoint method,
 * for every kind of caller. A route without an expectation below fails the test, so a new route
 * cannot be forgotten; a 2xx (or a redirect other than the expected one) where a refusal is
 * expected is a leak, and all leaks are listed at once.
 */

type Person = 'anonymous' | 'technician' | 'trainer' | 'manager' | 'other-manager' | 'admin';
type TokenSubject = 'read-token' | 'write-token' | 'revoked-token';
type Subject = Person | TokenSubject;
const PEOPLE: Person[] = ['anonymous', 'technician', 'trainer', 'manager', 'other-manager', 'admin'];
const TOKENS: TokenSubject[] = ['read-token', 'write-token', 'revoked-token'];
const SUBJECTS: Subject[] = [...PEOPLE, ...TOKENS];

/**
 * A status; `login` (303 to /login?next=<the path>); `home` (303 to the caller's home page);
 * or `→/path` (303 to exactly that place).
 */
type Outcome = number | 'login' | 'home' | `→${string}`;
/** Pages and actions: a bearer token is no session, so token callers get what anonymous gets. */
type PeopleRow = Record<Person, Outcome>;
/** The dispatch API: every caller spelled out. */
type ApiRow = Record<Subject, Outcome>;

const HOME: Record<Exclude<Person, 'anonymous'>, string> = {
	technician: '/learn',
	trainer: '/trainer',
	manager: '/manager',
	'other-manager': '/manager',
	admin: '/admin'
};

/** Sample values per param name: a route with a param not listed here fails the test. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const SAMPLES: Record<string, string> = {
	id: NO_SUCH_ID,
	course: 'complaints',
	lesson: 'five-steps',
	quiz: 'final-exam',
	question: 'instant-water-gap',
	node: 'door',
	certification: 'complaint-handling',
	format: 'gift',
	scenario: 'leaking-purifier',
	token: 'AAAAAAAAAAAAAAAAAAAAAAAA',
	code: 'AAAAAAAAAAAAAAAA',
	rest: 'no-such-endpoint',
	file: 'no-such-picture.png'
};
const MATCHERS: Record<string, (value: string) => boolean> = { uuid: (v) => uuidMatcher(v) };

const holds = (person: Person, role: Role) => (person === 'other-manager' ? role === 'manager' : person === role);
/** A page of one role: others 403, anonymous sent to sign in. */
const page = (role: Role, ok: Outcome, extra: Partial<PeopleRow> = {}): PeopleRow => ({
	...(Object.fromEntries(PEOPLE.map((p) => [p, p === 'anonymous' ? 'login' : holds(p, role) ? ok : 403])) as PeopleRow),
	...extra
});
/** A form action of one role: others 403, anonymous 401 (a post is never redirected to sign in). */
const action = (role: Role, ok: Outcome, extra: Partial<PeopleRow> = {}): PeopleRow => page(role, ok, { anonymous: 401, ...extra });
const everyone = (o: Outcome): PeopleRow => Object.fromEntries(PEOPLE.map((p) => [p, o])) as PeopleRow;
const signedIn = (ok: Outcome, anonymous: Outcome): PeopleRow => ({ ...everyone(ok), anonymous });
/** The dispatch API: people (cookies) and revoked tokens 401, the wrong scope 403. */
const api = (scope: 'eligibility:read' | 'jobs:write', ok: Outcome): ApiRow => ({
	...(Object.fromEntries(PEOPLE.map((p) => [p, 401])) as PeopleRow),
	'read-token': scope === 'eligibility:read' ? ok : 403,
	'write-token': scope === 'jobs:write' ? ok : 403,
	'revoked-token': 401
});
/** Any valid token gets `ok` (e.g. 405 for a wrong method), everyone else 401. */
const anyToken = (ok: Outcome): ApiRow => ({ ...(Object.fromEntries(PEOPLE.map((p) => [p, 401])) as PeopleRow), 'read-token': ok, 'write-token': ok, 'revoked-token': 401 });

/**
 * What each route answers, posted with an empty form where it is an action. Sample ids name
 * nothing, so the right role gets 404 where a page needs an existing record.
 */
const EXPECTED: Record<string, PeopleRow | ApiRow> = {
	'GET /': { ...signedIn('home', '→/login') },
	'GET /health': everyone(200),
	'GET /login': signedIn('home', 200),
	// An empty sign-in form is refused (400); signed in, the page then sends the user home.
	'POST /login (default)': signedIn('home', 400),
	'GET /logout': everyone('→/'),
	'POST /logout (default)': everyone('→/login'),
	'GET /language': everyone('→/'),
	// No language chosen: refused, and the page (which only redirects) sends the caller on.
	'POST /language (default)': everyone('→/'),
	'GET /invite/[token]': everyone(200),
	'POST /invite/[token] (default)': everyone(400),
	'GET /verify/[code]': everyone(404),
	'GET /profile': signedIn(200, 'login'),
	'POST /profile ?/profile': signedIn(400, 401),
	'POST /profile ?/password': signedIn(400, 401),

	'GET /learn': page('technician', 200),
	'GET /learn/courses': page('technician', 200),
	'GET /learn/courses/[course]': page('technician', 200),
	'GET /learn/courses/[course]/[lesson]': page('technician', 200),
	'POST /learn/courses/[course]/[lesson] ?/done': action('technician', 200),
	'GET /learn/courses/[course]/quizzes/[quiz]': page('technician', 200),
	'POST /learn/courses/[course]/quizzes/[quiz] ?/start': action('technician', 303),
	'GET /learn/courses/[course]/scenarios/[scenario]': page('technician', 200),
	'POST /learn/courses/[course]/scenarios/[scenario] ?/start': action('technician', 303),
	'GET /learn/attempts/[id]': page('technician', 404),
	'POST /learn/attempts/[id] ?/answer': action('technician', 404),
	'POST /learn/attempts/[id] ?/submit': action('technician', 404),
	'GET /learn/attempts/[id]/result': page('technician', 404),
	'GET /learn/runs/[id]': page('technician', 404),
	'POST /learn/runs/[id] ?/choose': action('technician', 404),
	'GET /learn/certifications': page('technician', 200),
	'GET /learn/certifications/[id]/certificate.pdf': page('technician', 404),

	'GET /trainer': page('trainer', 200),
	'GET /trainer/assignments': page('trainer', 200),
	'POST /trainer/assignments ?/assign': action('trainer', 400),
	'GET /trainer/assignments/[course]': page('trainer', 200),
	'POST /trainer/assignments/[course] ?/removeTeam': action('trainer', 400),
	'POST /trainer/assignments/[course] ?/removePerson': action('trainer', 400),
	'POST /trainer/assignments/[course] ?/redatePerson': action('trainer', 400),
	'GET /trainer/assignments/[course]/export.csv': page('trainer', 200),
	'GET /trainer/results': page('trainer', 200),
	'GET /trainer/results/quiz/[course]/[quiz]': page('trainer', 200),
	'GET /trainer/results/quiz/[course]/[quiz]/export.csv': page('trainer', 200),
	'GET /trainer/results/scenario/[course]/[scenario]': page('trainer', 200),
	'GET /trainer/results/scenario/[course]/[scenario]/export.csv': page('trainer', 200),
	'GET /trainer/certifications': page('trainer', 200),
	'GET /trainer/certifications/[id=uuid]': page('trainer', 404),
	'POST /trainer/certifications/[id=uuid] ?/grant': action('trainer', 404),
	'POST /trainer/certifications/[id=uuid] ?/revoke': action('trainer', 404),
	'GET /trainer/learners/[id=uuid]': page('trainer', 404),
	'GET /trainer/learners/[id=uuid]/transcript.csv': page('trainer', 404),

	'GET /studio': page('trainer', 200),
	'POST /studio ?/create': action('trainer', 400),
	'POST /studio ?/import': action('trainer', 400),
	'GET /studio/export.zip': page('trainer', 200),
	'GET /studio/courses/[course]': page('trainer', 200),
	'POST /studio/courses/[course] ?/settings': action('trainer', 400),
	'POST /studio/courses/[course] ?/addLesson': action('trainer', 400),
	'POST /studio/courses/[course] ?/removeLesson': action('trainer', 400),
	'POST /studio/courses/[course] ?/moveLesson': action('trainer', 400),
	'POST /studio/courses/[course] ?/publish': action('trainer', 400),
	'POST /studio/courses/[course] ?/discard': action('trainer', 200),
	'GET /studio/courses/[course]/history': page('trainer', 200),
	'POST /studio/courses/[course]/history ?/restore': action('trainer', 400),
	'GET /studio/courses/[course]/lessons/[lesson]': page('trainer', 200),
	'POST /studio/courses/[course]/lessons/[lesson] ?/save': action('trainer', 400),
	'POST /studio/courses/[course]/lessons/[lesson] ?/picture': action('trainer', 400),
	'GET /studio/courses/[course]/lessons/[lesson]/view': page('trainer', 200),
	'POST /studio/courses/[course] ?/addQuiz': action('trainer', 400),
	'GET /studio/courses/[course]/quizzes/[quiz]': page('trainer', 200),
	'POST /studio/courses/[course]/quizzes/[quiz] ?/settings': action('trainer', 400),
	'POST /studio/courses/[course]/quizzes/[quiz] ?/move': action('trainer', 400),
	'POST /studio/courses/[course]/quizzes/[quiz] ?/duplicate': action('trainer', 400),
	'POST /studio/courses/[course]/quizzes/[quiz] ?/remove': action('trainer', 400),
	'POST /studio/courses/[course]/quizzes/[quiz] ?/import': action('trainer', 400),
	'GET /studio/courses/[course]/quizzes/[quiz]/add': page('trainer', 200),
	'POST /studio/courses/[course]/quizzes/[quiz]/add ?/save': action('trainer', 400),
	'GET /studio/courses/[course]/quizzes/[quiz]/questions/[question]': page('trainer', 200),
	'POST /studio/courses/[course]/quizzes/[quiz]/questions/[question] ?/save': action('trainer', 400),
	'GET /studio/courses/[course]/quizzes/[quiz]/preview': page('trainer', 200),
	'POST /studio/courses/[course]/quizzes/[quiz]/preview ?/check': action('trainer', 404),
	'GET /studio/courses/[course]/quizzes/[quiz]/export/[format]': page('trainer', 200),
	'POST /studio/courses/[course] ?/addScenario': action('trainer', 400),
	'GET /studio/courses/[course]/scenarios/[scenario]': page('trainer', 200),
	'POST /studio/courses/[course]/scenarios/[scenario] ?/settings': action('trainer', 400),
	'POST /studio/courses/[course]/scenarios/[scenario] ?/addNode': action('trainer', 400),
	'POST /studio/courses/[course]/scenarios/[scenario] ?/removeNode': action('trainer', 400),
	'GET /studio/courses/[course]/scenarios/[scenario]/nodes/[node]': page('trainer', 200),
	'POST /studio/courses/[course]/scenarios/[scenario]/nodes/[node] ?/save': action('trainer', 400),
	'GET /studio/courses/[course]/scenarios/[scenario]/play': page('trainer', 200),
	'POST /studio ?/createCertification': action('trainer', 400),
	'GET /studio/certifications/[certification]': page('trainer', 200),
	'POST /studio/certifications/[certification] ?/save': action('trainer', 400),
	'POST /studio/certifications/[certification] ?/publish': action('trainer', 400),
	'POST /studio/certifications/[certification] ?/discard': action('trainer', 400),
	'GET /media/[file]': signedIn(404, 'login'),

	'GET /manager': page('manager', 200),
	'GET /manager/jobs': page('manager', 200),
	'POST /manager/jobs ?/create': action('manager', 400),
	'GET /manager/jobs/[id=uuid]': page('manager', 404),
	'POST /manager/jobs/[id=uuid] ?/assign': action('manager', 404),
	'POST /manager/jobs/[id=uuid] ?/unassign': action('manager', 404),
	'POST /manager/jobs/[id=uuid] ?/edit': action('manager', 404),
	'POST /manager/jobs/[id=uuid] ?/cancel': action('manager', 404),
	'GET /manager/job-types': page('manager', 200),
	'POST /manager/job-types ?/create': action('manager', 400),
	'GET /manager/job-types/[id=uuid]': page('manager', 404),
	'POST /manager/job-types/[id=uuid] ?/save': action('manager', 404),
	'POST /manager/job-types/[id=uuid] ?/archive': action('manager', 404),
	'GET /manager/matrix': page('manager', 200),
	'GET /manager/matrix/export.csv': page('manager', 200),
	// A person of no team the manager leads is not found, like an unknown id.
	'GET /manager/team/[id=uuid]': page('manager', 404),
	'GET /manager/team/[id=uuid]/transcript.csv': page('manager', 404),

	'GET /admin': page('admin', 200),
	'GET /admin/users': page('admin', 200),
	'POST /admin/users ?/invite': action('admin', 400),
	'GET /admin/users/[id=uuid]': page('admin', 404),
	'POST /admin/users/[id=uuid] ?/roles': action('admin', 404),
	'POST /admin/users/[id=uuid] ?/team': action('admin', 404),
	'POST /admin/users/[id=uuid] ?/deactivate': action('admin', 404),
	'POST /admin/users/[id=uuid] ?/reactivate': action('admin', 404),
	'POST /admin/users/[id=uuid] ?/reinvite': action('admin', 404),
	'GET /admin/teams': page('admin', 200),
	'POST /admin/teams ?/create': action('admin', 400),
	'GET /admin/teams/[id=uuid]': page('admin', 404),
	'POST /admin/teams/[id=uuid] ?/update': action('admin', 404),
	'POST /admin/teams/[id=uuid] ?/archive': action('admin', 404),
	'POST /admin/teams/[id=uuid] ?/unarchive': action('admin', 404),
	'POST /admin/teams/[id=uuid] ?/addMember': action('admin', 404),
	'POST /admin/teams/[id=uuid] ?/removeMember': action('admin', 404),
	'POST /admin/teams/[id=uuid] ?/linkManager': action('admin', 404),
	'POST /admin/teams/[id=uuid] ?/unlinkManager': action('admin', 404),
	'GET /admin/audit': page('admin', 200),
	'GET /admin/tokens': page('admin', 200),
	'POST /admin/tokens ?/create': action('admin', 400),
	'POST /admin/tokens ?/revoke': action('admin', 400),
	'GET /admin/webhooks': page('admin', 200),
	'POST /admin/webhooks ?/create': action('admin', 400),
	'GET /admin/webhooks/[id=uuid]': page('admin', 404),
	'POST /admin/webhooks/[id=uuid] ?/activate': action('admin', 404),
	'POST /admin/webhooks/[id=uuid] ?/deactivate': action('admin', 404),
	'POST /admin/webhooks/[id=uuid] ?/test': action('admin', 404),
	'POST /admin/webhooks/[id=uuid] ?/delete': action('admin', 404),
	'GET /admin/outbox': page('admin', 200),
	'POST /admin/outbox ?/check': action('admin', 200),
	'GET /admin/organisation': page('admin', 200),
	'POST /admin/organisation ?/zone': action('admin', 400),

	'GET /api/v1/openapi.json': { ...everyone(200), 'read-token': 200, 'write-token': 200, 'revoked-token': 200 },
	'POST /api/v1/openapi.json (fallback)': { ...everyone(405), 'read-token': 405, 'write-token': 405, 'revoked-token': 405 },
	'GET /api/v1/[...rest] (fallback)': anyToken(404),
	'GET /api/v1/job-types': api('eligibility:read', 200),
	'POST /api/v1/job-types (fallback)': anyToken(405),
	// Without the query it needs: refused as bad input, after the token and scope checks.
	'GET /api/v1/eligibility': api('eligibility:read', 400),
	'POST /api/v1/eligibility': api('eligibility:read', 400),
	'PUT /api/v1/eligibility (fallback)': anyToken(405),
	'GET /api/v1/job-types/[id]/eligible-technicians': api('eligibility:read', 400),
	'POST /api/v1/job-types/[id]/eligible-technicians (fallback)': anyToken(405),
	'GET /api/v1/technicians/[id]/certifications': api('eligibility:read', 404),
	'POST /api/v1/technicians/[id]/certifications (fallback)': anyToken(405),
	'POST /api/v1/jobs': api('jobs:write', 400),
	'GET /api/v1/jobs (fallback)': anyToken(405),
	'PATCH /api/v1/jobs/[id]': api('jobs:write', 400),
	'GET /api/v1/jobs/[id] (fallback)': anyToken(405),
	'POST /api/v1/jobs/[id]/cancel': api('jobs:write', 400),
	'GET /api/v1/jobs/[id]/cancel (fallback)': anyToken(405)
};

const contexts = new Map<Subject, APIRequestContext>();
const bearer = new Map<TokenSubject, string>();
let technicianId = '';

async function signedInContext(baseURL: string, email: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
	const ctx = await request.newContext({ baseURL });
	const res = await ctx.post('/login', { form: { email, password }, headers: originHeaders(baseURL), maxRedirects: 0 });
	expect(res.status(), `sign in as ${email}`).toBe(303);
	return ctx;
}

/** A technician of no team, invited by the admin: the demo technician's progress stays as it is. */
async function freshTechnician(baseURL: string, admin: APIRequestContext): Promise<APIRequestContext> {
	const email = `matrix.${Date.now()}@example.com`;
	const invited = await admin.post('/admin/users?/invite', {
		form: { email, displayName: 'Matrix Technician', roles: 'technician', teamId: '' },
		headers: originHeaders(baseURL)
	});
	expect(invited.status()).toBe(200);
	const token = (await invited.text()).match(/\/invite\/([A-Za-z0-9_-]{24})/)![1]!;
	const ctx = await request.newContext({ baseURL });
	const accepted = await ctx.post(`/invite/${token}`, { form: { password: 'matrix-pass-2026', confirm: 'matrix-pass-2026' }, headers: originHeaders(baseURL), maxRedirects: 0 });
	expect(accepted.status()).toBe(303);
	const list = await (await admin.get(`/admin/users?q=${encodeURIComponent(email)}`)).text();
	technicianId = list.match(/href="\/admin\/users\/([0-9a-f-]{36})"/)![1]!;
	return ctx;
}

/** Issues API tokens in the admin page, as an admin would: one per scope, and one revoked. */
async function issueTokens(browser: Browser) {
	const context = await browser.newContext({ storageState: storageFor('admin') });
	const admin = await context.newPage();
	const stamp = Date.now();
	const issue = async (name: string, scopes: string[]) => {
		await admin.goto('/admin/tokens');
		const form = admin.locator('form[action="?/create"]');
		await form.getByLabel('Name').fill(name);
		for (const box of await form.getByRole('checkbox').all()) await box.setChecked(scopes.includes((await box.getAttribute('value'))!));
		await form.getByRole('button', { name: 'Create token' }).click();
		return (await admin.getByTestId('new-token').textContent())!.trim();
	};
	bearer.set('read-token', await issue(`Matrix reader ${stamp}`, ['eligibility:read']));
	bearer.set('write-token', await issue(`Matrix writer ${stamp}`, ['jobs:write']));
	bearer.set('revoked-token', await issue(`Matrix revoked ${stamp}`, ['eligibility:read', 'jobs:write']));
	await admin.goto('/admin/tokens');
	const row = admin.getByRole('row').filter({ hasText: `Matrix revoked ${stamp}` });
	await row.getByRole('button', { name: 'Revoke' }).click();
	await expect(row).toContainText('revoked');
	await context.close();
}

test.beforeAll(async ({ browser, baseURL }) => {
	test.setTimeout(60_000);
	contexts.set('anonymous', await request.newContext({ baseURL }));
	// Fresh sessions: the matrix signs out at the end, which must not end the shared test sessions.
	const admin = await signedInContext(baseURL!, 'admin@example.com');
	contexts.set('admin', admin);
	contexts.set('trainer', await signedInContext(baseURL!, 'trainer@example.com'));
	contexts.set('manager', await signedInContext(baseURL!, 'manager@example.com'));
	contexts.set('other-manager', await signedInContext(baseURL!, 'south.manager@example.com'));
	contexts.set('technician', await freshTechnician(baseURL!, admin));
	await issueTokens(browser);
	for (const t of TOKENS) contexts.set(t, await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${bearer.get(t)}` } }));
});

test.afterAll(async () => {
	for (const ctx of contexts.values()) await ctx.dispose();
});

const isApi = (pattern: string) => pattern === '/api/v1' || pattern.startsWith('/api/v1/');

/** What a subject should get for a probe: token callers on pages are anonymous callers. */
function expectedFor(row: PeopleRow | ApiRow, subject: Subject, pattern: string): Outcome | undefined {
	if (subject in row) return (row as ApiRow)[subject];
	return isApi(pattern) ? undefined : row.anonymous;
}

const homeOf = (subject: Subject) => (subject === 'anonymous' || TOKENS.includes(subject as TokenSubject) ? null : HOME[subject as Exclude<Person, 'anonymous'>]);

function describe(outcome: Outcome, subject: Subject, path: string): { status: number; location?: string } {
	if (outcome === 'login') return { status: 303, location: `/login?next=${encodeURIComponent(path)}` };
	if (outcome === 'home') return { status: 303, location: homeOf(subject) ?? '(no home)' };
	if (typeof outcome === 'string') return { status: 303, location: outcome.slice(1) };
	return { status: outcome };
}

interface Finding {
	subject: Subject;
	request: string;
	expected: string;
	got: string;
	leak: boolean;
}

const show = (o: { status: number; location?: string }) => (o.location ? `${o.status} → ${o.location}` : String(o.status));

/** A refusal is expected (sign in, 401/403/404/405…) but the request went through. */
function isLeak(expected: { status: number; location?: string }, got: { status: number; location?: string }) {
	const refusal = expected.status >= 400 || expected.location?.startsWith('/login');
	return Boolean(refusal) && (got.status < 300 || (got.status < 400 && !got.location?.startsWith('/login')));
}

async function send(ctx: APIRequestContext, probe: Probe, url: string, baseURL: string): Promise<APIResponse> {
	const common = { maxRedirects: 0, failOnStatusCode: false } as const;
	if (isApi(probe.pattern)) {
		return probe.method === 'GET' ? ctx.get(url, common) : ctx.fetch(url, { ...common, method: probe.method, data: {} });
	}
	if (probe.kind === 'action') {
		return ctx.post(url, { ...common, headers: { ...originHeaders(baseURL), 'content-type': 'application/x-www-form-urlencoded' }, data: '' });
	}
	return ctx.fetch(url, { ...common, method: probe.method, headers: { accept: 'text/html' } });
}

/** The generated probes, each with its path; the logout post last, as it ends the session. */
function generatedProbes() {
	const probes = walkRoutes().flatMap(probesOf);
	const problems: string[] = [];
	const rows: Array<{ probe: Probe; path: string; row: PeopleRow | ApiRow }> = [];
	for (const probe of probes) {
		let path: string;
		try {
			path = samplePath(probe.pattern, SAMPLES, MATCHERS);
		} catch (e) {
			problems.push((e as Error).message);
			continue;
		}
		const row = EXPECTED[probe.key];
		if (!row) {
			problems.push(`no expectation for "${probe.key}": add it to EXPECTED in access-matrix.e2e.ts`);
			continue;
		}
		const missing = SUBJECTS.filter((s) => expectedFor(row, s, probe.pattern) === undefined);
		if (missing.length) problems.push(`"${probe.key}" has no outcome for ${missing.join(', ')}`);
		rows.push({ probe, path, row });
	}
	const keys = new Set(probes.map((p) => p.key));
	for (const key of Object.keys(EXPECTED)) if (!keys.has(key)) problems.push(`EXPECTED lists "${key}", which the route tree no longer has: remove it`);
	rows.sort((a, b) => Number(a.probe.key === 'POST /logout (default)') - Number(b.probe.key === 'POST /logout (default)'));
	return { rows, problems, count: probes.length };
}

test('every route in the tree has an expectation for every caller, and a sample for every param', () => {
	const { problems, count } = generatedProbes();
	expect(problems, problems.join('\n')).toEqual([]);
	// The tree is really read: pages, actions and endpoints of every area.
	expect(count).toBeGreaterThan(80);
	const keys = walkRoutes().flatMap(probesOf).map((p) => p.key);
	for (const key of ['GET /manager/jobs/[id=uuid]', 'POST /manager/jobs/[id=uuid] ?/unassign', 'POST /logout (default)', 'GET /manager/matrix/export.csv', 'POST /api/v1/jobs']) {
		expect(keys).toContain(key);
	}
	expect(() => samplePath('/x/[widget]', SAMPLES, MATCHERS)).toThrow('add a sample value for [widget]');
	expect(() => samplePath('/x/[id=slug]', SAMPLES, MATCHERS)).toThrow('add the param matcher "slug"');
});

/**
 * A page's `__data.json`: a redirect or a guard refusal comes back as JSON; a load's own error sits
 * in the last node. Data (`type: data` without an error node) where the page is refused is a leak.
 */
async function dataProblem(res: APIResponse, want: { status: number; location?: string }): Promise<{ expected: string; got: string; leak: boolean } | null> {
	let body: { type?: string; location?: string; nodes?: Array<{ type?: string; status?: number } | null> } = {};
	try {
		body = await res.json();
	} catch {
		/* not JSON: judged by status below */
	}
	const last = body.nodes?.filter(Boolean).at(-1);
	const got =
		body.type === 'redirect' ? `redirect → ${body.location}` : body.type === 'data' ? (last?.type === 'error' ? `data with error ${last.status}` : 'data') : `${res.status()}`;
	let expected: string;
	if (want.location) expected = `redirect → ${want.location}`;
	else if (want.status === 200) expected = 'data';
	else if (want.status === 403 || want.status === 401) expected = String(want.status);
	else expected = `data with error ${want.status}`;
	if (got === expected) return null;
	const refused = want.status >= 400 || Boolean(want.location?.startsWith('/login'));
	return { expected, got, leak: refused && got === 'data' };
}

/** The main manager's view of the demo: North jobs, the North team's people, a South job. */
async function northFacts(browser: Browser) {
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	await signIn(page, 'manager@example.com');
	await page.goto('/manager/jobs');
	const idsOf = async (team: string) =>
		(await page.locator('tbody tr').filter({ hasText: team }).locator('a[href^="/manager/jobs/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!.split('/').pop()!)));
	const northJobs = await idsOf('North service team');
	const southJobs = await idsOf('South service team');
	const northSites = await page.locator('tbody tr').filter({ hasText: 'North service team' }).locator('td:nth-child(3)').allTextContents();
	const jobsTable = await page.locator('table').last().innerText();
	await page.goto('/manager/matrix');
	const northTeamId = await page.locator('select[name="team"] option', { hasText: 'North service team' }).getAttribute('value');
	await page.goto(`/manager/matrix?team=${northTeamId}`);
	const northPeople = await page.getByRole('rowheader').allTextContents();
	await context.close();
	return { northJobs, southJobs, northSites: northSites.map((s) => s.trim()), northPeople: northPeople.map((s) => s.trim()), northTeamId: northTeamId!, jobsTable };
}

async function jobsTableAsManager(browser: Browser): Promise<string> {
	const context = await browser.newContext({ storageState: storageFor('manager') });
	const page: Page = await context.newPage();
	await page.goto('/manager/jobs');
	const text = await page.locator('table').last().innerText();
	await context.close();
	return text;
}

test('a manager of the South team only gets 404 for North jobs and never sees North people', async ({ browser, baseURL }) => {
	const north = await northFacts(browser);
	expect(north.northJobs.length, 'the demo has North jobs').toBeGreaterThanOrEqual(2);
	expect(north.southJobs.length, 'the demo has South jobs').toBeGreaterThanOrEqual(1);
	expect(north.northPeople).toEqual(expect.arrayContaining(['Tom Chen', '李娜']));
	const south = contexts.get('other-manager')!;
	const headers = originHeaders(baseURL);

	// A South job's picker: South people only; its forms give a South technician's id.
	const southJob = await (await south.get(`/manager/jobs/${north.southJobs[0]}`)).text();
	expect(southJob).toContain('陈杰');
	const southTechnician = southJob.match(/name="technicianId" value="([0-9a-f-]{36})"/)![1]!;
	const leaks: string[] = [];
	const noNorth = (where: string, text: string) => {
		for (const name of [...north.northPeople, ...north.northSites, 'North service team']) if (text.includes(name)) leaks.push(`${where} shows "${name}"`);
	};
	noNorth('a South job page', southJob);

	const northTechnician = (await (await contexts.get('manager')!.get(`/manager/jobs/${north.northJobs[0]}`)).text())
		.match(/name="technicianId" value="([0-9a-f-]{36})"/)![1]!;
	for (const id of north.northJobs) {
		const pageRes = await south.get(`/manager/jobs/${id}`, { headers: { accept: 'text/html' } });
		if (pageRes.status() !== 404) leaks.push(`GET /manager/jobs/${id}: ${pageRes.status()}`);
		noNorth(`the 404 page of North job ${id}`, await pageRes.text());
		const data = await south.get(`/manager/jobs/${id}/__data.json`);
		noNorth(`the data of North job ${id}`, await data.text());
		for (const [act, form] of [
			['assign', { technicianId: southTechnician, overrideReason: 'Trying another team’s job' }],
			['assign', { technicianId: northTechnician, overrideReason: 'Trying another team’s job' }],
			['assign', {}],
			['unassign', {}],
			['edit', { jobTypeId: '00000000-0000-0000-0000-000000000000', siteLabel: 'Taken over', scheduledAt: '2099-01-01T10:00', durationMinutes: '60' }],
			['cancel', { cancelReason: 'Trying another team’s job', confirm: 'on' }]
		] as const) {
			const res = await south.post(`/manager/jobs/${id}?/${act}`, { form, headers, maxRedirects: 0 });
			if (res.status() !== 404) leaks.push(`POST /manager/jobs/${id}?/${act} ${JSON.stringify(form)}: ${res.status()}`);
		}
	}
	// Nothing changed on those jobs.
	expect(await jobsTableAsManager(browser)).toBe(north.jobsTable);

	// The job list, the team page, the matrix (also when asked for the North team) and its CSV.
	const jobs = await (await south.get('/manager/jobs')).text();
	for (const id of north.northJobs) if (jobs.includes(id)) leaks.push(`/manager/jobs lists North job ${id}`);
	noNorth('/manager/jobs', jobs);
	noNorth('/manager', await (await south.get('/manager')).text());
	for (const query of ['', `?team=${north.northTeamId}`]) {
		const matrix = await (await south.get(`/manager/matrix${query}`)).text();
		expect(matrix).toContain('陈杰');
		noNorth(`/manager/matrix${query}`, matrix);
		const csv = await (await south.get(`/manager/matrix/export.csv${query}`)).text();
		expect(csv).toContain('陈杰');
		noNorth(`/manager/matrix/export.csv${query}`, csv);
	}
	// Nor can a job be created for the North team.
	const types = (await (await south.get('/manager/jobs')).text()).match(/<option value="([0-9a-f-]{36})"/)![1]!;
	const created = await south.post('/manager/jobs?/create', {
		form: { jobTypeId: types, teamId: north.northTeamId, siteLabel: 'Not my team', scheduledAt: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16), durationMinutes: '30' },
		headers,
		maxRedirects: 0
	});
	if (created.status() !== 403) leaks.push(`creating a North job: ${created.status()}`);
	expect(await jobsTableAsManager(browser)).toBe(north.jobsTable);
	expect(leaks, leaks.join('\n')).toEqual([]);
});

test('a cross-site form post is refused by the origin check', async () => {
	const res = await contexts.get('admin')!.post('/admin/users?/invite', {
		form: { email: 'csrf@example.com', displayName: 'CSRF', roles: 'admin' },
		headers: { origin: 'https://evil.example', accept: 'text/html' },
		maxRedirects: 0
	});
	expect(res.status()).toBe(403);
	const list = await (await contexts.get('admin')!.get('/admin/users?q=csrf%40example.com')).text();
	expect(list).toContain('No user matches.');
});

test('real records open for their role only', async () => {
	const checks: Array<[Subject, string, number]> = [
		['admin', `/admin/users/${technicianId}`, 200],
		['manager', `/admin/users/${technicianId}`, 403],
		['trainer', `/trainer/certifications/${technicianId}`, 200],
		['technician', `/trainer/certifications/${technicianId}`, 403],
		['read-token', `/api/v1/technicians/${technicianId}/certifications`, 200],
		['write-token', `/api/v1/technicians/${technicianId}/certifications`, 403],
		['admin', `/api/v1/technicians/${technicianId}/certifications`, 401]
	];
	const wrong: string[] = [];
	for (const [subject, path, status] of checks) {
		const res = await contexts.get(subject)!.get(path, { maxRedirects: 0, headers: { accept: 'text/html' } });
		if (res.status() !== status) wrong.push(`${subject} GET ${path}: expected ${status}, got ${res.status()}`);
	}
	expect(wrong, wrong.join('\n')).toEqual([]);
});

/**
 * Spellings of a path. The router decodes percent-encoding and the URL parser resolves dot
 * segments, so some spellings name the same route as the plain path ("same": they must get
 * exactly what it gets); others name no route or another one ("other": `%2F` inside a segment,
 * doubled slashes, look-alike Unicode), and may then only be refused, never let through.
 */
type Spelling = { path: string; same: boolean; how: string };

const hex = (c: string, upper: boolean) =>
	[...new TextEncoder().encode(c)].map((b) => '%' + (upper ? b.toString(16).toUpperCase() : b.toString(16)).padStart(2, '0')).join('');
const DOTS = ['.', '%2e', '%2E'];
const DOUBLE_DOTS = ['..', '%2e%2e', '.%2E', '%2E.'];

function spellingOf(plain: string): fc.Arbitrary<Spelling> {
	const chars = [...plain];
	const slashes = chars.flatMap((c, i) => (c === '/' ? [i] : []));
	const inner = slashes.filter((i) => i > 0);
	const encoded = fc
		.tuple(fc.array(fc.boolean(), { minLength: chars.length, maxLength: chars.length }), fc.constantFrom('upper', 'lower', 'mixed'))
		.map(([pick, cases]) => {
			if (!pick.some((p, i) => p && chars[i] !== '/')) pick = chars.map((c) => c !== '/');
			const path = chars.map((c, i) => (c !== '/' && pick[i] ? hex(c, cases === 'upper' || (cases === 'mixed' && i % 2 === 0)) : c)).join('');
			return { path, same: true, how: `percent-encoded (${cases} hex)` };
		});
	const dotted = fc.tuple(fc.constantFrom(...slashes), fc.boolean(), fc.constantFrom(...DOTS), fc.constantFrom(...DOUBLE_DOTS), fc.stringMatching(/^[a-z]{1,6}$/)).map(([at, single, dot, dotdot, word]) => {
		const insert = single ? `/${dot}` : `/${word}/${dotdot}`;
		return { path: plain.slice(0, at) + insert + plain.slice(at), same: true, how: single ? `a ${dot} segment` : `a ${word}/${dotdot} segment` };
	});
	const options: fc.Arbitrary<Spelling>[] = [encoded, dotted];
	if (plain !== '/') {
		options.push(fc.constant({ path: plain + '/', same: true, how: 'a trailing slash' }));
		options.push(fc.constantFrom(...slashes).map((at) => ({ path: plain.slice(0, at) + '/' + plain.slice(at), same: false, how: 'a doubled slash' })));
		const letters = chars.flatMap((c, i) => (/[a-z]/.test(c) ? [i] : []));
		options.push(
			fc.tuple(fc.constantFrom(...letters), fc.constantFrom('fullwidth', 'combining', 'nfd-raw')).map(([at, form]) => {
				const c = chars[at]!;
				const look = form === 'fullwidth' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : form === 'combining' ? c + '\u0301' : (c + '\u0301').normalize('NFD');
				const spelled = form === 'nfd-raw' ? encodeURI(look) : hex(look, true);
				return { path: plain.slice(0, at) + spelled + plain.slice(at + 1), same: false, how: `Unicode look-alike (${form}) for "${c}"` };
			})
		);
	}
	if (inner.length) options.push(fc.tuple(fc.constantFrom(...inner), fc.boolean()).map(([at, upper]) => ({ path: plain.slice(0, at) + (upper ? '%2F' : '%2f') + plain.slice(at + 1), same: false, how: '%2F inside a segment' })));
	return fc.oneof(...options);
}

interface Raw {
	status: number;
	location?: string;
	body: string;
}

/** One request exactly as spelled: Playwright and fetch would resolve dot segments before sending. */
function rawRequest(baseURL: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
	const { hostname, port } = new URL(baseURL);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: hostname, port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** An answer as compared between spellings: a sign-in redirect names the path as spelled, which is allowed to differ. */
function outcomeOf(res: Raw, data: boolean): string {
	if (data) {
		let json: { type?: string; location?: string; nodes?: Array<{ type?: string; status?: number } | null> } = {};
		try {
			json = JSON.parse(res.body);
		} catch {
			return String(res.status);
		}
		const last = json.nodes?.filter(Boolean).at(-1);
		if (json.type === 'redirect') return `redirect → ${json.location?.startsWith('/login?next=') ? '/login?next=…' : json.location}`;
		if (json.type === 'data') return last?.type === 'error' ? `data with error ${last.status}` : 'data';
		return String(res.status);
	}
	const location = res.location?.startsWith('/login?next=') ? '/login?next=…' : res.location?.replace(ID, ':id');
	return location ? `${res.status} → ${location}` : String(res.status);
}

const refusedOutcome = (o: string) => /^(4\d\d|data with error 4\d\d)/.test(o) || o.includes('/login?next=');
const noRoute = (o: string) => /^(404|405|data with error 404)$/.test(o);

async function headersOf(subject: Subject, baseURL: string): Promise<Record<string, string>> {
	const ctx = contexts.get(subject)!;
	const cookies = (await ctx.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
	const headers: Record<string, string> = { accept: 'text/html' };
	if (cookies) headers.cookie = cookies;
	if (TOKENS.includes(subject as TokenSubject)) headers.authorization = `Bearer ${bearer.get(subject as TokenSubject)}`;
	return { ...headers, ...originHeaders(baseURL) };
}

/** Sends a probe by a spelling; a trailing-slash redirect (308) is followed as a browser would, method and body kept. */
async function sendSpelled(baseURL: string, probe: Probe, path: string, headers: Record<string, string>, data: boolean): Promise<Raw> {
	const query = !data && probe.kind === 'action' && probe.action !== 'default' ? `?/${probe.action}` : '';
	const api = isApi(probe.pattern);
	const body = data || probe.method === 'GET' ? undefined : api ? '{}' : '';
	const h = { ...headers, ...(body === undefined ? {} : { 'content-type': api ? 'application/json' : 'application/x-www-form-urlencoded' }) };
	let res = await rawRequest(baseURL, data ? 'GET' : probe.method, path + query, h, body);
	if (res.status === 308 && res.location) res = await rawRequest(baseURL, data ? 'GET' : probe.method, res.location, h, body);
	return res;
}

test('every spelling of every path gets what the plain path gets, for every caller (fast-check)', async ({ baseURL }) => {
	test.setTimeout(600_000);
	const seed = Number(process.env.ACCESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
	console.log(`Access spellings: fast-check seed ${seed} (set ACCESS_SEED=${seed} to repeat this run)`);
	const perProbe = Number(process.env.ACCESS_SPELLINGS ?? 3);
	const { rows } = generatedProbes();
	const findings: string[] = [];
	let requests = 0;
	for (const subject of SUBJECTS) {
		const headers = await headersOf(subject, baseURL!);
		for (const [index, { probe, path }] of rows.entries()) {
			// Signing out would end the session the rest of the run uses.
			if (probe.key === 'POST /logout (default)') continue;
			const forms: boolean[] = probe.kind === 'page' && !isApi(probe.pattern) ? [false, true] : [false];
			const spellings = fc.sample(spellingOf(path), { seed: seed + index, numRuns: perProbe });
			for (const data of forms) {
				const dataPath = (p: string) => (p === '/' ? '/__data.json' : `${p.replace(/\/$/, '')}/__data.json`);
				const plain = outcomeOf(await sendSpelled(baseURL!, probe, data ? dataPath(path) : path, headers, data), data);
				requests++;
				for (const spelling of spellings) {
					if (data && spelling.how === 'a trailing slash') continue;
					const got = outcomeOf(await sendSpelled(baseURL!, probe, data ? dataPath(spelling.path) : spelling.path, headers, data), data);
					requests++;
					// A spelling that names another route (or none) may get that route's refusal, never more.
					const ok = spelling.same ? got === plain : got === plain || noRoute(got) || refusedOutcome(got);
					if (!ok) {
						const leak = refusedOutcome(plain) && !refusedOutcome(got);
						findings.push(`${leak ? 'LEAK ' : ''}${subject.padEnd(14)} ${probe.method} ${data ? dataPath(spelling.path) : spelling.path} (${spelling.how}): plain ${plain}, spelled ${got}`);
					}
				}
			}
		}
	}
	console.log(`Access spellings: ${requests} requests, ${findings.length} differences`);
	expect(findings, `seed ${seed}\n${findings.join('\n')}`).toEqual([]);
	expect(requests).toBeGreaterThan(SUBJECTS.length * rows.length * perProbe);
});

test('the trainer results pages never reach a technician, by any spelling: no reply score, best path or explanation', async ({ baseURL }) => {
	test.setTimeout(180_000);
	const seed = Number(process.env.ACCESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
	console.log(`Results-page spellings: fast-check seed ${seed}`);
	const pages = [
		'/trainer/results/scenario/complaints/leaking-purifier',
		'/trainer/results/scenario/complaints/leaking-purifier/export.csv',
		'/trainer/results/quiz/complaints/final-exam',
		'/trainer/results/quiz/complaints/final-exam/export.csv',
		'/trainer/results'
	];
	// The trainer's own scenario page marks the best replies: what a technician must never see.
	const trainerView = await (await contexts.get('trainer')!.get(pages[0]!)).text();
	expect(trainerView).toContain('★');
	const secrets = ['★', ...scenarioFeedback('02-complaints', 'leaking-purifier'), ...secretTexts(readQuiz('02-complaints', 'final-exam'))];
	const headers = await headersOf('technician', baseURL!);
	const leaks: string[] = [];
	let scanned = 0;
	for (const [i, page] of pages.entries()) {
		const spellings = [{ path: page, how: 'plain' }, ...fc.sample(spellingOf(page), { seed: seed + i, numRuns: 25 })];
		for (const { path, how } of spellings) {
			for (const target of page.endsWith('.csv') ? [path] : [path, `${path.replace(/\/$/, '')}/__data.json`]) {
				let res = await rawRequest(baseURL!, 'GET', target, headers);
				if (res.status === 308 && res.location) res = await rawRequest(baseURL!, 'GET', res.location, headers);
				scanned++;
				if (res.status < 300 && !target.endsWith('__data.json')) leaks.push(`${target} (${how}): ${res.status}`);
				for (const secret of secrets) if (res.body.includes(secret)) leaks.push(`${target} (${how}) holds “${secret.slice(0, 40)}”`);
			}
		}
	}
	expect(scanned).toBeGreaterThan(100);
	expect(leaks, `seed ${seed}\n${leaks.join('\n')}`).toEqual([]);
});

// Last: the matrix ends with signing every caller out.
test('every caller gets what the access table says on every route: 0 leaks', async ({ baseURL }) => {
	test.setTimeout(120_000);
	// Routes without an expectation are reported with the rest, after every other route is asked.
	const { rows, problems } = generatedProbes();
	const findings: Finding[] = [];
	let requests = 0;
	for (const subject of SUBJECTS) {
		const ctx = contexts.get(subject)!;
		for (const { probe, path, row } of rows) {
			const outcome = expectedFor(row, subject, probe.pattern)!;
			const url = probeUrl(probe, path);
			const want = describe(outcome, subject, path);
			const res = await send(ctx, probe, url, baseURL!);
			requests++;
			const got = { status: res.status(), location: res.headers()['location'] };
			const matches = got.status === want.status && (want.location === undefined || got.location === want.location);
			if (!matches) findings.push({ subject, request: `${probe.method} ${url}`, expected: show(want), got: show(got), leak: isLeak(want, got) });
			// Refusals say why, in the form the caller understands.
			else if (want.status === 403 && !isApi(probe.pattern) && probe.method === 'GET') {
				const body = await res.text();
				if (!body.includes('which your account does not hold')) findings.push({ subject, request: `${probe.method} ${url}`, expected: '403 page naming the role', got: body.slice(0, 120), leak: false });
			}
			else if (isApi(probe.pattern) && (want.status === 401 || want.status === 403)) {
				const code = ((await res.json()) as { error?: { code?: string } }).error?.code;
				const expectedCode = want.status === 401 ? 'unauthorized' : 'forbidden';
				if (code !== expectedCode) findings.push({ subject, request: `${probe.method} ${url}`, expected: `JSON error ${expectedCode}`, got: String(code), leak: false });
			}
			// The same page's data, as client-side navigation asks for it, is guarded the same way.
			if (probe.kind === 'page' && !isApi(probe.pattern)) {
				const data = await ctx.get(path === '/' ? '/__data.json' : `${path}/__data.json`, { maxRedirects: 0, failOnStatusCode: false });
				requests++;
				const problem = await dataProblem(data, want);
				if (problem) findings.push({ subject, request: `GET ${path}/__data.json`, expected: problem.expected, got: problem.got, leak: problem.leak });
			}
		}
	}
	const leaks = findings.filter((f) => f.leak);
	const others = findings.filter((f) => !f.leak);
	const line = (f: Finding) => `${f.subject.padEnd(14)} ${f.request}: expected ${f.expected}, got ${f.got}`;
	const report = [
		`${leaks.length} leaks (a refusal was expected):`,
		...leaks.map(line),
		`${others.length} other unexpected answers:`,
		...others.map(line),
		`${problems.length} routes not covered:`,
		...problems
	].join('\n');
	expect({ leaks: leaks.length, others: others.length, uncovered: problems.length }, report).toEqual({ leaks: 0, others: 0, uncovered: 0 });
	// Every subject really asked every route (pages twice: the page and its data).
	expect(requests).toBeGreaterThan(SUBJECTS.length * rows.length);
});

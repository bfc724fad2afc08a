import { request, type APIRequestContext } from '@playwright/test';
import { expect, storageFor, test, type Role } from '../fixtures';

/**
 * Every form refuses empty, oversized (1 MB), non-UTF-8 and wrong-type values with a 400 and a
 * message next to the field, and writes nothing.
 */
const MEGABYTE = 'x'.repeat(1024 * 1024);

interface FormCase {
	name: string;
	as: Role | null;
	path: string | (() => string);
	valid: Record<string, string>;
	field: string;
	/** An empty value is a valid choice here (e.g. "no team"). */
	emptyAllowed?: boolean;
}

let userPath = '';
let inviteToken = '';
const CASES: FormCase[] = [
	{ name: 'login', as: null, path: '/login', valid: { email: 'technician@example.com', password: 'demo-pass-2026' }, field: 'email' },
	{ name: 'invitation', as: null, path: () => `/invite/${inviteToken}`, valid: { password: 'good-password-1', confirm: 'good-password-1' }, field: 'password' },
	{ name: 'profile', as: 'trainer', path: '/profile?/profile', valid: { displayName: 'Grace Lin', locale: 'en' }, field: 'displayName' },
	{ name: 'password', as: 'trainer', path: '/profile?/password', valid: { currentPassword: 'demo-pass-2026', newPassword: 'x', confirm: 'x' }, field: 'currentPassword' },
	{ name: 'invite', as: 'admin', path: '/admin/users?/invite', valid: { email: 'new.person@example.com', displayName: 'New', roles: 'technician' }, field: 'email' },
	{ name: 'team', as: 'admin', path: () => `${userPath}?/team`, valid: { teamId: '' }, field: 'teamId', emptyAllowed: true }
];

const contexts = new Map<string, APIRequestContext>();
let origin = '';

test.beforeAll(async ({ baseURL }) => {
	origin = new URL(baseURL!).origin;
	for (const who of ['anonymous', 'trainer', 'admin'] as const)
		contexts.set(who, await request.newContext({ baseURL, storageState: who === 'anonymous' ? undefined : storageFor(who) }));
	const admin = contexts.get('admin')!;
	userPath = (await (await admin.get('/admin/users?q=li.na')).text()).match(/href="(\/admin\/users\/[0-9a-f-]{36})"/)![1]!;
	const invited = await admin.post('/admin/users?/invite', {
		form: { email: `bad.input.${Date.now()}@example.com`, displayName: 'Bad Input', roles: 'technician', teamId: '' },
		headers: { origin, accept: 'text/html' }
	});
	inviteToken = (await invited.text()).match(/\/invite\/([A-Za-z0-9_-]{24})/)![1]!;
});

test.afterAll(async () => {
	for (const ctx of contexts.values()) await ctx.dispose();
});

/** A snapshot of what the forms could change, compared before and after each bad request. */
async function state() {
	const admin = contexts.get('admin')!;
	const users = await (await admin.get('/admin/users')).text();
	const audit = await (await admin.get('/admin/audit')).text();
	const profile = await (await contexts.get('trainer')!.get('/profile')).text();
	const strip = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/data-sveltekit[^>]*/g, '');
	return { users: strip(users), audit: strip(audit).match(/<tbody>[\s\S]*<\/tbody>/)?.[0], profile: strip(profile).match(/value="[^"]*"/g) };
}

type Body = { data?: string | Buffer; multipart?: Record<string, string | { name: string; mimeType: string; buffer: Buffer }> };
type Attempt = [label: string, body: Body, message: RegExp];

function without(fields: Record<string, string>, key: string): Record<string, string> {
	return Object.fromEntries(Object.entries(fields).filter(([k]) => k !== key));
}

function urlencoded(fields: Record<string, string>): string {
	return Object.entries(fields)
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
		.join('&');
}

for (const c of CASES) {
	test(`the ${c.name} form refuses bad values and changes nothing`, async () => {
		const ctx = contexts.get(c.as ?? 'anonymous')!;
		const path = typeof c.path === 'function' ? c.path() : c.path;
		const before = await state();
		const attempts: Attempt[] = [
			...(c.emptyAllowed ? [] : [['empty', { data: urlencoded({ ...c.valid, [c.field]: '' }) }, /is required|Enter an email/] satisfies Attempt]),
			['1 MB', { data: urlencoded({ ...c.valid, [c.field]: MEGABYTE }) }, /at most \d+ characters/],
			['non-UTF-8', { data: Buffer.from(`${urlencoded(without(c.valid, c.field))}&${c.field}=%FF%FEbad`) }, /not valid UTF-8/],
			['a file', { multipart: { ...c.valid, [c.field]: { name: 'x.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2]) } } }, /not a file/]
		];
		for (const [label, body, message] of attempts) {
			const res = await ctx.post(path, {
				...(body.multipart ? { multipart: body.multipart } : { data: body.data }),
				headers: {
					origin,
					accept: 'text/html',
					...(body.multipart ? {} : { 'content-type': 'application/x-www-form-urlencoded' })
				},
				maxRedirects: 0
			});
			expect(res.status(), `${c.name}: ${label}`).toBe(400);
			const html = await res.text();
			const error = html.match(new RegExp(`id="${c.field}-error"[^>]*>([^<]*)<`));
			expect(error?.[1], `${c.name}: ${label} has a message next to the field`).toMatch(message);
		}
		expect(await state()).toEqual(before);
	});
}

test('a wrong-type value (an unknown language, role or team) is refused beside its field', async () => {
	const trainer = contexts.get('trainer')!;
	const res = await trainer.post('/profile?/profile', {
		form: { displayName: 'Grace Lin', locale: 'klingon' },
		headers: { origin, accept: 'text/html' }
	});
	expect(res.status()).toBe(400);
	expect(await res.text()).toMatch(/id="locale-error"[^>]*>Choose a language from the list\./);

	const admin = contexts.get('admin')!;
	const roles = await admin.post(`${userPath}?/roles`, { form: { roles: 'wizard' }, headers: { origin, accept: 'text/html' } });
	expect(roles.status()).toBe(400);
	expect(await roles.text()).toMatch(/id="roles-error"[^>]*>Choose roles from the list\./);

	const team = await admin.post(`${userPath}?/team`, { form: { teamId: 'not-a-uuid' }, headers: { origin, accept: 'text/html' } });
	expect(team.status()).toBe(400);
	expect(await team.text()).toMatch(/id="teamId-error"[^>]*>Team is not valid\./);
});

test('an oversized body beyond the server limit is refused with 413 and changes nothing', async () => {
	const before = await state();
	const res = await contexts.get('admin')!.post('/admin/users?/invite', {
		data: urlencoded({ email: 'huge@example.com', displayName: 'x'.repeat(3 * 1024 * 1024), roles: 'technician' }),
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
	});
	expect(res.status()).toBe(413);
	expect(await res.text()).toContain('This form is larger than the server accepts.');
	expect(await state()).toEqual(before);
});

/**
 * Redirect targets are percent-encoded: a `next` or `?q=` holding characters a Location header
 * cannot carry (CJK, CR/LF) answers a redirect, never a 500, and a sign-in through it works.
 */
test('redirect targets with characters outside Latin-1 or with CR/LF never answer 500', async ({ baseURL }) => {
	const headers = { origin, accept: 'text/html' };
	const next = '/learn/课程?x=一 二';
	const fresh = await request.newContext({ baseURL });
	const signIn = await fresh.post(`/login?next=${encodeURIComponent(next)}`, {
		form: { email: 'amy.tran@example.com', password: 'demo-pass-2026', next },
		headers,
		maxRedirects: 0
	});
	expect(signIn.status()).toBe(303);
	expect(signIn.headers()['location']).toBe('/learn/%E8%AF%BE%E7%A8%8B?x=%E4%B8%80%20%E4%BA%8C');
	expect(signIn.headers()['set-cookie']).toContain('sr_session=');
	const again = await fresh.get(`/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
	expect(again.status()).toBe(303);
	expect(again.headers()['location']).toBe('/learn/%E8%AF%BE%E7%A8%8B?x=%E4%B8%80%20%E4%BA%8C');
	for (const spelled of [next, '/learn\r\nSet-Cookie: a=b', '/learn/%E8%AF%BE', '/learn/\u00e9']) {
		const language = await fresh.post(`/language?next=${encodeURIComponent(spelled)}`, { form: { locale: 'en', next: spelled }, headers, maxRedirects: 0 });
		expect(language.status(), spelled).toBe(303);
		expect(language.headers()['location'], spelled).toMatch(/^\/[\x21-\x7e]*$/);
	}

	// The exam answer action: the answer is saved and the redirect keeps only a question number.
	const technician = await request.newContext({ baseURL, storageState: storageFor('technician') });
	const started = await technician.post('/learn/courses/complaints/quizzes/practice-handling?/start', { form: {}, headers, maxRedirects: 0 });
	expect(started.status()).toBe(303);
	const attempt = started.headers()['location']!;
	const form = await (await technician.get(attempt)).text();
	const question = form.match(/name="question" value="([^"]+)"/)![1]!;
	for (const q of ['\r\nSet-Cookie: a=b', '课程', '%', '2\n', 'x'.repeat(3000)]) {
		const saved = await technician.post(`${attempt}?/answer&q=${encodeURIComponent(q)}`, { form: { question }, headers, maxRedirects: 0 });
		expect([303, 400], `?q=${JSON.stringify(q.slice(0, 20))}`).toContain(saved.status());
		if (saved.status() === 303) expect(saved.headers()['location']).toMatch(/^\/learn\/attempts\/[0-9a-f-]{36}\?q=&saved=/);
	}
	await fresh.dispose();
	await technician.dispose();
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDb, type TestDb } from '../helpers/db';
import { refusal } from '../helpers/errors';
import { apiToken, auditEvent } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/users';
import { hashToken } from '../../src/lib/server/auth/session';
import { runAdminCommand } from '../../src/lib/server/admin-cli';
import {
	authenticateApiToken,
	createApiToken,
	findApiTokenByName,
	identifyApiToken,
	LAST_USED_EVERY_MS,
	listApiTokens,
	revokeApiToken,
	TOKEN_PATTERN
} from '../../src/lib/server/api/tokens';

let t: TestDb;
let admin: string;
beforeAll(async () => {
	t = await freshDb();
	admin = (await createUser(t.db, { email: 'root@example.com', displayName: 'Root Admin', roles: ['admin'] }, null)).id;
});
afterAll(() => t.dispose());

const count = async () => (await t.db.select().from(apiToken)).length;
const auditsOf = (id: string) => t.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id));

describe('API tokens', () => {
	it('stores only the SHA-256 of the secret, lists without it and audits the creation without it', async () => {
		const { token, secret } = await createApiToken(t.db, { name: ' Dispatch North ', scopes: ['jobs:write', 'eligibility:read'] }, admin);
		expect(secret).toMatch(TOKEN_PATTERN);
		expect(token).toMatchObject({ name: 'Dispatch North', scopes: ['eligibility:read', 'jobs:write'], createdByName: 'Root Admin', lastUsedAt: null, revokedAt: null });
		const [row] = await t.db.select().from(apiToken).where(eq(apiToken.id, token.id));
		expect(row!.tokenHash).toBe(hashToken(secret));
		expect(JSON.stringify(row)).not.toContain(secret.slice(3));
		const listed = await listApiTokens(t.db);
		expect(listed.map((x) => x.name)).toEqual(['Dispatch North']);
		expect(Object.keys(listed[0]!)).not.toContain('tokenHash');
		const [audit] = await auditsOf(token.id);
		expect(audit).toMatchObject({ action: 'api_token.created', actorId: admin, subjectType: 'api_token', detail: { name: 'Dispatch North', scopes: ['eligibility:read', 'jobs:write'] } });
		expect(JSON.stringify(audit)).not.toContain(secret.slice(3));
	});

	it('refuses a taken name, a blank or long name and bad scopes, creating nothing', async () => {
		const before = await count();
		expect(await refusal(createApiToken(t.db, { name: 'Dispatch North', scopes: ['jobs:write'] }, admin))).toMatchObject({ field: 'name', status: 409 });
		expect(await refusal(createApiToken(t.db, { name: '  ', scopes: ['jobs:write'] }, admin))).toMatchObject({ field: 'name', status: 400 });
		expect(await refusal(createApiToken(t.db, { name: 'x'.repeat(81), scopes: ['jobs:write'] }, admin))).toMatchObject({ field: 'name' });
		expect(await refusal(createApiToken(t.db, { name: 'No scope', scopes: [] }, admin))).toMatchObject({ field: 'scopes' });
		expect(await refusal(createApiToken(t.db, { name: 'Bad scope', scopes: ['jobs:read'] }, admin))).toMatchObject({ field: 'scopes', message: expect.stringContaining('jobs:read') });
		expect(await count()).toBe(before);
	});

	it('authenticates by the secret alone, writing the last use at most once a minute', async () => {
		const { token, secret } = await createApiToken(t.db, { name: 'Clocked', scopes: ['eligibility:read'] }, admin);
		const t0 = new Date('2030-01-01T00:00:00Z');
		expect(await authenticateApiToken(t.db, secret, t0)).toEqual({ id: token.id, name: 'Clocked', scopes: ['eligibility:read'] });
		const lastUsed = async () => (await findApiTokenByName(t.db, 'Clocked'))!.lastUsedAt?.toISOString();
		expect(await lastUsed()).toBe(t0.toISOString());
		await authenticateApiToken(t.db, secret, new Date(t0.getTime() + LAST_USED_EVERY_MS - 1));
		expect(await lastUsed()).toBe(t0.toISOString());
		const later = new Date(t0.getTime() + LAST_USED_EVERY_MS);
		await authenticateApiToken(t.db, secret, later);
		expect(await lastUsed()).toBe(later.toISOString());
		for (const wrong of ['', 'sr_', secret.slice(0, -1), secret + 'A', secret.replace(/^sr_/, 'xx_'), `sr_${'A'.repeat(43)}`]) {
			expect(await authenticateApiToken(t.db, wrong, later), wrong).toBeNull();
		}
	});

	it('revokes at once, audits it, and refuses revoking again without changing anything', async () => {
		const { token, secret } = await createApiToken(t.db, { name: 'Short-lived', scopes: ['jobs:write'] }, admin);
		const revoked = await revokeApiToken(t.db, token.id, admin);
		expect(revoked).toMatchObject({ name: 'Short-lived', revokedByName: 'Root Admin' });
		expect(revoked.revokedAt).toBeInstanceOf(Date);
		expect(await authenticateApiToken(t.db, secret)).toBeNull();
		expect(await identifyApiToken(t.db, secret)).toEqual({ status: 'revoked', caller: { id: token.id, name: 'Short-lived', scopes: ['jobs:write'] } });
		const again = await refusal(revokeApiToken(t.db, token.id, null));
		expect(again).toMatchObject({ status: 409, message: expect.stringContaining('Short-lived') });
		expect((await findApiTokenByName(t.db, 'Short-lived'))!.revokedAt!.toISOString()).toBe(revoked.revokedAt!.toISOString());
		expect((await auditsOf(token.id)).map((a) => a.action).sort()).toEqual(['api_token.created', 'api_token.revoked']);
		expect(await refusal(revokeApiToken(t.db, '00000000-0000-4000-8000-000000000000', admin))).toMatchObject({ status: 404 });
		// Active tokens come first.
		expect((await listApiTokens(t.db)).map((x) => x.name)).toEqual(['Clocked', 'Dispatch North', 'Short-lived']);
	});
});

function io() {
	const out: string[] = [];
	const err: string[] = [];
	return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), baseUrl: 'https://sr.example.com' } };
}

describe('admin command line: tokens', () => {
	it('creates a token that authenticates, printed once, and revokes it by name', async () => {
		const c = io();
		expect(await runAdminCommand(t.db, ['create-token', '--name', 'CLI dispatch', '--scope', 'eligibility:read', '--scope', 'jobs:write'], c.io)).toBe(0);
		expect(c.out[0]).toBe('Created API token "CLI dispatch" (eligibility:read, jobs:write).');
		const secret = c.out[1]!.match(/: (sr_\S+)$/)![1]!;
		expect(await authenticateApiToken(t.db, secret)).toMatchObject({ name: 'CLI dispatch', scopes: ['eligibility:read', 'jobs:write'] });
		const r = io();
		expect(await runAdminCommand(t.db, ['revoke-token', '--name', 'CLI dispatch'], r.io)).toBe(0);
		expect(r.out[0]).toMatch(/^Revoked API token "CLI dispatch"/);
		expect(await authenticateApiToken(t.db, secret)).toBeNull();
	});

	it('refuses what the data does not allow with exit code 1', async () => {
		const c = io();
		expect(await runAdminCommand(t.db, ['revoke-token', '--name', 'CLI dispatch'], c.io)).toBe(1);
		expect(c.err.at(-1)).toMatch(/^Error: .*already revoked/);
		expect(await runAdminCommand(t.db, ['revoke-token', '--name', 'Nobody'], c.io)).toBe(1);
		expect(c.err.at(-1)).toBe('Error: No API token is named "Nobody".');
		const before = await count();
		expect(await runAdminCommand(t.db, ['create-token', '--name', 'CLI dispatch', '--scope', 'jobs:write'], c.io)).toBe(1);
		expect(c.err.at(-1)).toMatch(/already exists/);
		expect(await count()).toBe(before);
	});

	it.each([
		[['create-token', '--scope', 'jobs:write'], /create-token needs --name/],
		[['create-token', '--name', 'A'], /at least one --scope/],
		[['create-token', '--name', 'A', '--scope', 'jobs:read'], /Unknown scope "jobs:read"/],
		[['create-token', '--name', '   ', '--scope', 'jobs:write'], /--name must be 1 to 80/],
		[['create-token', '--name', 'x'.repeat(81), '--scope', 'jobs:write'], /--name must be 1 to 80/],
		[['create-token', '--name', 'A', '--scope', 'jobs:write', '--email', 'a@example.com'], /belong to the user commands/],
		[['revoke-token'], /revoke-token needs --name/],
		[['revoke-token', '--name', 'A', '--scope', 'jobs:write'], /--scope belongs to create-token/],
		[['set-roles', '--email', 'a@example.com', '--role', 'admin', '--scope', 'jobs:write'], /--scope belongs to create-token/]
	])('refuses bad arguments %j with exit code 2 and changes nothing', async (argv, message) => {
		const before = await count();
		const c = io();
		expect(await runAdminCommand(t.db, argv as string[], c.io)).toBe(2);
		expect(c.err.join('\n')).toMatch(message);
		expect(c.err.join('\n')).toMatch(/create-token --name <name> --scope <scope>/);
		expect(await count()).toBe(before);
	});
});

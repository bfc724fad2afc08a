import { describe, expect, it } from 'vitest';
import { checkTokenDraft, generateApiToken, LAST_USED_EVERY_MS, shouldTouch, TOKEN_NAME_MAX, TOKEN_PATTERN } from './tokens';

describe('generateApiToken', () => {
	it('is sr_ and 32 random bytes in base64url, different every time', () => {
		const tokens = new Set(Array.from({ length: 200 }, generateApiToken));
		expect(tokens.size).toBe(200);
		for (const token of tokens) {
			expect(token).toMatch(TOKEN_PATTERN);
			expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
		}
	});
});

describe('checkTokenDraft', () => {
	it('trims the name and keeps known scopes once, in a fixed order', () => {
		expect(checkTokenDraft({ name: '  Dispatch North ', scopes: ['jobs:write', 'eligibility:read', 'jobs:write'] })).toEqual({
			ok: true,
			name: 'Dispatch North',
			scopes: ['eligibility:read', 'jobs:write']
		});
		expect(checkTokenDraft({ name: 'x'.repeat(TOKEN_NAME_MAX), scopes: ['jobs:write'] })).toMatchObject({ ok: true });
	});

	it('refuses a blank or long name, no scope and an unknown scope', () => {
		expect(checkTokenDraft({ name: ' \t', scopes: ['jobs:write'] })).toMatchObject({ ok: false, field: 'name' });
		expect(checkTokenDraft({ name: 'x'.repeat(TOKEN_NAME_MAX + 1), scopes: ['jobs:write'] })).toMatchObject({ ok: false, field: 'name', message: expect.stringContaining('80') });
		expect(checkTokenDraft({ name: 'a', scopes: [] })).toMatchObject({ ok: false, field: 'scopes' });
		expect(checkTokenDraft({ name: 'a', scopes: ['jobs:write', 'admin'] })).toMatchObject({ ok: false, field: 'scopes', message: expect.stringContaining('admin') });
	});
});

describe('shouldTouch', () => {
	const now = new Date('2026-06-01T09:00:00Z');
	it('writes the last use when never used or at least a minute ago', () => {
		expect(shouldTouch(null, now)).toBe(true);
		expect(shouldTouch(new Date(now.getTime() - LAST_USED_EVERY_MS), now)).toBe(true);
		expect(shouldTouch(new Date(now.getTime() - LAST_USED_EVERY_MS + 1), now)).toBe(false);
		expect(shouldTouch(now, now)).toBe(false);
	});
});

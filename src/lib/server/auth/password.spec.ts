import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX, PASSWORD_MIN, hashPassword, passwordProblem, verifyPassword } from './password';

describe('passwordProblem', () => {
	it('refuses a password shorter than the minimum', () => {
		expect(passwordProblem('a1b2c3d4e')).toBe(`Use at least ${PASSWORD_MIN} characters.`);
		expect(passwordProblem('')).toBe('Use at least 10 characters.');
	});

	it('accepts a password of exactly the minimum length', () => {
		expect(passwordProblem('a1b2c3d4e5')).toBeNull();
	});

	it('refuses a password longer than the maximum', () => {
		expect(passwordProblem('ab'.repeat(128) + 'c')).toBe(`Use at most ${PASSWORD_MAX} characters.`);
		expect(passwordProblem('ab'.repeat(128) + 'c')).toBe('Use at most 256 characters.');
	});

	it('accepts a password of exactly the maximum length', () => {
		expect(passwordProblem('ab'.repeat(128))).toBeNull();
	});

	it('refuses the email as the password, ignoring case', () => {
		expect(passwordProblem('anna@example.com', 'anna@example.com')).toBe('Do not use your email as the password.');
		expect(passwordProblem('Anna@Example.COM', 'anna@example.com')).toBe('Do not use your email as the password.');
		expect(passwordProblem('anna@example.com', 'ANNA@EXAMPLE.COM')).toBe('Do not use your email as the password.');
	});

	it('accepts a password that merely contains the email', () => {
		expect(passwordProblem('anna@example.com!', 'anna@example.com')).toBeNull();
	});

	it('refuses a single repeated character', () => {
		expect(passwordProblem('aaaaaaaaaa')).toBe('Do not repeat a single character.');
		expect(passwordProblem('1111111111111')).toBe('Do not repeat a single character.');
	});

	it('accepts a long password with more than one character', () => {
		expect(passwordProblem('aaaaaaaaab')).toBeNull();
		expect(passwordProblem('correct horse battery staple', 'anna@example.com')).toBeNull();
	});
});

describe('hashPassword and verifyPassword', () => {
	it('round-trips: the right password verifies, a wrong one does not', async () => {
		const hash = await hashPassword('correct horse battery staple');
		expect(hash).toMatch(/^\$argon2id\$/);
		expect(hash).not.toContain('correct horse');
		expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
		expect(await verifyPassword(hash, 'Correct horse battery staple')).toBe(false);
	});

	it('salts: the same password hashes differently each time', async () => {
		const [a, b] = await Promise.all([hashPassword('same password 1'), hashPassword('same password 1')]);
		expect(a).not.toBe(b);
	});

	it('returns false rather than throwing for a malformed hash', async () => {
		await expect(verifyPassword('not-a-hash', 'whatever password')).resolves.toBe(false);
		await expect(verifyPassword('', 'whatever password')).resolves.toBe(false);
	});
});

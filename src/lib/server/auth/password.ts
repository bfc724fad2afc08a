import { hash, verify } from '@node-rs/argon2';
import { m } from '../../paraglide/messages.js';

/** OWASP's argon2id baseline, as in Lucia's guide: 19 MiB, 2 iterations, 1 lane. */
const ARGON2 = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same work as a real check when the account does not exist, so that the response
 * time does not tell an attacker which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword('not-a-real-password-but-the-same-cost');
	await verifyPassword(await dummyHash, password);
	return false;
}

/** Null when acceptable, else the reason (in the request's language). */
export function passwordProblem(password: string, email?: string): string | null {
	if (password.length < PASSWORD_MIN) return m.password_too_short({ min: PASSWORD_MIN });
	if (password.length > PASSWORD_MAX) return m.password_too_long({ max: PASSWORD_MAX });
	if (email && password.toLowerCase() === email.toLowerCase()) return m.password_is_email();
	if (/^(.)\1+$/.test(password)) return m.password_repeated();
	return null;
}

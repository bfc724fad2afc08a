import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { ServiceError } from './errors';
import { isRole, type Role } from './auth/roles';

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
	| { ok: true; data: T }
	| { ok: false; status: 400 | 413; errors: FieldErrors; values: Record<string, string>; message: string };

const SECRET = /password/i;
const ECHO_MAX = 300;

/**
 * Reads a submitted form and validates it: text only (a file where text is expected is refused),
 * valid UTF-8 (browsers and URL decoding turn bad bytes into U+FFFD, which is refused), then the
 * schema's own limits. Errors come back per field, with the non-secret values to refill the form.
 */
export async function readForm<S extends z.ZodObject>(
	request: Request,
	schema: S,
	options: { arrays?: string[] } = {}
): Promise<FormResult<z.infer<S>>> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch (e) {
		if ((e as { status?: number }).status === 413)
			return { ok: false, status: 413, errors: {}, values: {}, message: 'This form is larger than the server accepts. Shorten the text and send it again.' };
		return { ok: false, status: 400, errors: {}, values: {}, message: 'The form could not be read. Send it as a normal form submission.' };
	}
	const arrays = new Set(options.arrays ?? []);
	const errors: FieldErrors = {};
	const raw: Record<string, string | string[]> = {};
	const values: Record<string, string> = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key);
		const texts: string[] = [];
		for (const v of all) {
			if (typeof v !== 'string') errors[key] = 'Expected text here, not a file.';
			else if (v.includes('\uFFFD')) errors[key] = 'This text is not valid UTF-8.';
			else texts.push(v);
		}
		if (errors[key]) continue;
		raw[key] = arrays.has(key) ? texts : (texts[0] ?? '');
		if (!SECRET.test(key) && !arrays.has(key)) values[key] = (texts[0] ?? '').slice(0, ECHO_MAX);
	}
	for (const key of arrays) raw[key] ??= [];
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? '');
			if (field && !errors[field]) errors[field] = issue.message;
		}
	}
	if (Object.keys(errors).length || !parsed.success) {
		return { ok: false, status: 400, errors, values, message: 'Please correct the marked fields.' };
	}
	return { ok: true, data: parsed.data };
}

/** Trimmed required text of at most `max` characters. */
export const text = (max: number, label = 'This field') =>
	z
		.string({ error: `${label} must be text.` })
		.trim()
		.min(1, `${label} is required.`)
		.max(max, `${label} must be at most ${max} characters.`);

export const email = () =>
	z
		.string({ error: 'Enter an email address.' })
		.trim()
		.toLowerCase()
		.min(1, 'Enter an email address.')
		.max(254, 'An email address has at most 254 characters.')
		.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter a valid email address, like name@example.com.');

/** Passwords are not trimmed: spaces are allowed characters. The length rules live in password.ts. */
export const password = (label = 'Password') =>
	z
		.string({ error: `${label} must be text.` })
		.min(1, `${label} is required.`)
		.max(256, `${label} must be at most 256 characters.`);

export const roles = () =>
	z
		.array(z.string())
		.max(4, 'Choose at most four roles.')
		.refine((list) => list.every(isRole), 'Choose roles from the list.')
		.transform((list) => list as Role[]);

export const uuid = (label = 'This value') => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `${label} is not valid.`);

export const optionalUuid = (label = 'This value') =>
	z
		.string()
		.trim()
		.max(36, `${label} must be at most 36 characters.`)
		.refine((v) => v === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v), `${label} is not valid.`)
		.transform((v) => (v === '' ? null : v));

/** A refused form: the message above it, errors beside fields, and the values to refill it. */
export function invalid(
	status: 400 | 403 | 404 | 409 | 410 | 413 | 429,
	message: string,
	errors: FieldErrors = {},
	values: Record<string, string> = {}
) {
	return fail(status, { errors, values, message });
}

/** Turns a service's refusal into a form failure (tagged with the form it came from); anything else is rethrown. */
export function refusal(e: unknown, action?: string, values: Record<string, string> = {}) {
	if (!(e instanceof ServiceError)) throw e;
	const errors: FieldErrors = e.field ? { [e.field]: e.message } : {};
	return fail(e.status, { action, errors, values, message: e.message });
}

import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { ServiceError } from './errors';
import { isRole, type Role } from './auth/roles';
import { m } from '../paraglide/messages.js';

export type FieldErrors = Record<string, string>;

/**
 * A field's name as used in messages. Schemas are built once at module load, so a label is
 * a function (`() => m.field_name()`) read when a form is checked, in that request's language.
 * A plain string is taken as is.
 */
export type Label = string | (() => string);
const say = (label: Label) => (typeof label === 'function' ? label() : label);

export type FormResult<T> =
	| { ok: true; data: T }
	| { ok: false; status: 400 | 413; errors: FieldErrors; values: Record<string, string>; message: string };

const SECRET = /password/i;
const ECHO_MAX = 300;

export type RawFields = Record<string, string | string[]>;

/**
 * Reads a submitted form's fields without a schema: text only, valid UTF-8 without NUL, at most
 * `maxFields` names. Names in `arrays` (or, with `arrays: 'all'`, every repeated name) keep all
 * their values. The studio's editors, whose field names depend on the rows shown, read with this.
 */
export async function readFields(
	request: Request,
	options: { arrays?: string[]; maxFields?: number } = {}
): Promise<{ ok: true; raw: RawFields; values: Record<string, string> } | { ok: false; status: 400 | 413; errors: FieldErrors; values: Record<string, string>; message: string }> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch (e) {
		if ((e as { status?: number }).status === 413)
			return { ok: false, status: 413, errors: {}, values: {}, message: m.form_too_large() };
		return { ok: false, status: 400, errors: {}, values: {}, message: m.form_unreadable() };
	}
	const arrays = new Set(options.arrays ?? []);
	const errors: FieldErrors = {};
	// No prototype: a field named "__proto__" stays an ordinary field.
	const raw: RawFields = Object.create(null);
	const values: Record<string, string> = Object.create(null);
	const keys = new Set(form.keys());
	if (keys.size > (options.maxFields ?? 1000)) return { ok: false, status: 400, errors: {}, values: {}, message: m.form_unreadable() };
	for (const key of keys) {
		const all = form.getAll(key);
		const texts: string[] = [];
		for (const v of all) {
			if (typeof v !== 'string') errors[key] = m.form_not_file();
			else if (v.includes('\uFFFD')) errors[key] = m.form_not_utf8();
			// PostgreSQL text cannot hold NUL: refused here rather than failing the insert.
			else if (v.includes('\u0000')) errors[key] = m.form_nul();
			else texts.push(v);
		}
		if (errors[key]) continue;
		raw[key] = arrays.has(key) ? texts : (texts[0] ?? '');
		if (!SECRET.test(key) && !arrays.has(key)) values[key] = (texts[0] ?? '').slice(0, ECHO_MAX);
	}
	for (const key of arrays) raw[key] ??= [];
	if (Object.keys(errors).length) return { ok: false, status: 400, errors, values, message: m.form_correct_fields() };
	return { ok: true, raw, values };
}

/**
 * Reads a submitted form and validates it: text only (a file where text is expected is refused),
 * valid UTF-8 (browsers and URL decoding turn bad bytes into U+FFFD, which is refused) without NUL, then the
 * schema's own limits. Errors come back per field, with the non-secret values to refill the form.
 */
export async function readForm<S extends z.ZodObject>(
	request: Request,
	schema: S,
	options: { arrays?: string[] } = {}
): Promise<FormResult<z.infer<S>>> {
	const read = await readFields(request, { arrays: options.arrays });
	if (!read.ok) return read;
	const { raw, values } = read;
	const errors: FieldErrors = {};
	const parsed = schema.safeParse({ ...raw });
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? '');
			if (field && !errors[field]) errors[field] = issue.message;
		}
	}
	if (Object.keys(errors).length || !parsed.success) {
		return { ok: false, status: 400, errors, values: { ...values }, message: m.form_correct_fields() };
	}
	return { ok: true, data: parsed.data };
}

/** Trimmed required text of at most `max` characters. */
export const text = (max: number, label: Label = () => m.field_this_field()) =>
	z
		.string({ error: () => m.form_must_be_text({ label: say(label) }) })
		.trim()
		.min(1, { error: () => m.form_required({ label: say(label) }) })
		.max(max, { error: () => m.form_too_long({ label: say(label), max }) });

export const email = () =>
	z
		.string({ error: () => m.form_email_missing() })
		.trim()
		.toLowerCase()
		.min(1, { error: () => m.form_email_missing() })
		.max(254, { error: () => m.form_email_too_long() })
		.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: () => m.form_email_invalid() });

/** Passwords are not trimmed: spaces are allowed characters. The length rules live in password.ts. */
export const password = (label: Label = () => m.field_password()) =>
	z
		.string({ error: () => m.form_must_be_text({ label: say(label) }) })
		.min(1, { error: () => m.form_required({ label: say(label) }) })
		.max(256, { error: () => m.form_too_long({ label: say(label), max: 256 }) });

export const roles = () =>
	z
		.array(z.string())
		.max(4, { error: () => m.form_roles_too_many() })
		.refine((list) => list.every(isRole), { error: () => m.form_roles_unknown() })
		.transform((list) => list as Role[]);

export const uuid = (label: Label = () => m.field_this_value()) =>
	z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: () => m.form_not_valid({ label: say(label) }) });

export const optionalUuid = (label: Label = () => m.field_this_value()) =>
	z
		.string()
		.trim()
		.max(36, { error: () => m.form_too_long({ label: say(label), max: 36 }) })
		.refine((v) => v === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v), {
			error: () => m.form_not_valid({ label: say(label) })
		})
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

/**
 * Reads one uploaded file from a multipart form: the file, or why there is none (a body that
 * cannot be read as a form, or no non-empty file under that name).
 */
export async function readUpload(
	request: Request,
	name: string
): Promise<{ ok: true; file: File; fields: Record<string, string> } | { ok: false; reason: 'unreadable' | 'missing' }> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		return { ok: false, reason: 'unreadable' };
	}
	const value = form.get(name);
	// The form's other fields (first value of each, text only), e.g. a revision beside the file.
	const fields: Record<string, string> = Object.create(null);
	for (const [key, v] of form) if (typeof v === 'string' && !(key in fields)) fields[key] = v;
	return value instanceof File && value.size > 0 ? { ok: true, file: value, fields } : { ok: false, reason: 'missing' };
}

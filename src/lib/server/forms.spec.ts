import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { email, optionalUuid, password, readForm, roles, text } from './forms';

type Body = FormData | URLSearchParams | Buffer | string;

function post(body: Body, headers?: Record<string, string>): Request {
	// A copy into a plain Uint8Array, which every BodyInit typing accepts.
	const init = Buffer.isBuffer(body) ? new Uint8Array(body) : body;
	return new Request('http://x/', { method: 'POST', body: init, headers });
}

function urlencoded(fields: Record<string, string | string[]>): URLSearchParams {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) {
		for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
	}
	return params;
}

const signIn = z.object({ email: email(), password: password() });
const named = z.object({ name: text(100, 'Name'), note: text(20) });

describe('readForm', () => {
	it('parses and trims valid url-encoded data', async () => {
		const result = await readForm(post(urlencoded({ name: '  Anna Lee  ', note: ' hi ' })), named);
		expect(result).toEqual({ ok: true, data: { name: 'Anna Lee', note: 'hi' } });
	});

	it('parses valid multipart data', async () => {
		const form = new FormData();
		form.append('name', 'Anna');
		form.append('note', 'hello');
		const result = await readForm(post(form), named);
		expect(result).toEqual({ ok: true, data: { name: 'Anna', note: 'hello' } });
	});

	it('lower-cases and trims an email', async () => {
		const result = await readForm(post(urlencoded({ email: ' Anna@Example.COM ', password: 'x' })), signIn);
		expect(result.ok).toBe(true);
		if (result.ok) expect(result.data.email).toBe('anna@example.com');
	});

	it('refuses a malformed email on its field', async () => {
		const result = await readForm(post(urlencoded({ email: 'not-an-email', password: 'x' })), signIn);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toEqual({ email: 'Enter a valid email address, like name@example.com.' });
			expect(result.values).toEqual({ email: 'not-an-email' });
		}
	});

	it('does not trim passwords', async () => {
		const result = await readForm(post(urlencoded({ email: 'a@b.co', password: '  secret  ' })), signIn);
		expect(result.ok).toBe(true);
		if (result.ok) expect(result.data.password).toBe('  secret  ');
	});

	it('puts an empty required field\'s error on that field only', async () => {
		const result = await readForm(post(urlencoded({ name: 'Anna', note: '   ' })), named);
		expect(result).toEqual({
			ok: false,
			status: 400,
			errors: { note: 'This field is required.' },
			values: { name: 'Anna', note: '   ' },
			message: 'Please correct the marked fields.'
		});
	});

	it('reports a missing field as not text', async () => {
		const result = await readForm(post(urlencoded({ name: 'Anna' })), named);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toEqual({ note: 'This field must be text.' });
	});

	it('refuses an oversized value with the field\'s limit and echoes only a prefix', async () => {
		const huge = 'a'.repeat(1024 * 1024);
		const result = await readForm(post(urlencoded({ name: huge, note: 'ok' })), named);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toEqual({ name: 'Name must be at most 100 characters.' });
			expect(result.values.name).toHaveLength(300);
		}
	});

	it('refuses bytes that are not valid UTF-8', async () => {
		const request = post(Buffer.from('email=%FF%FE&password=x'), {
			'content-type': 'application/x-www-form-urlencoded'
		});
		const result = await readForm(request, signIn);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toEqual({ email: 'This text is not valid UTF-8.' });
			expect(result.values).not.toHaveProperty('email');
		}
	});

	it('refuses raw invalid UTF-8 in a multipart text part', async () => {
		const boundary = 'b0undary';
		const body = Buffer.concat([
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n`),
			Buffer.from([0x41, 0xff, 0xfe, 0x42]),
			Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nok\r\n--${boundary}--\r\n`)
		]);
		const result = await readForm(post(body, { 'content-type': `multipart/form-data; boundary=${boundary}` }), named);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toEqual({ name: 'This text is not valid UTF-8.' });
	});

	it('refuses a file where text is expected', async () => {
		const form = new FormData();
		form.append('name', new Blob(['Anna'], { type: 'text/plain' }), 'name.txt');
		form.append('note', 'ok');
		const result = await readForm(post(form), named);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toEqual({ name: 'Expected text here, not a file.' });
			expect(result.values).toEqual({ note: 'ok' });
		}
	});

	it('answers with a message when the body cannot be read as a form', async () => {
		const request = post(JSON.stringify({ name: 'Anna', note: 'ok' }), { 'content-type': 'application/json' });
		const result = await readForm(request, named);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.message).toBe('The form could not be read. Send it as a normal form submission.');
			expect(result.errors).toEqual({});
			expect(result.values).toEqual({});
		}
	});

	it('never echoes password fields back', async () => {
		const schema = z.object({ email: email(), password: password(), newPassword: password('New password') });
		const result = await readForm(
			post(urlencoded({ email: 'bad', password: 'hunter2-secret', newPassword: 'other-secret' })),
			schema
		);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.values).toEqual({ email: 'bad' });
			expect(JSON.stringify(result)).not.toContain('hunter2-secret');
			expect(JSON.stringify(result)).not.toContain('other-secret');
		}
	});

	it('does not echo a refused password either', async () => {
		const result = await readForm(post(urlencoded({ email: 'a@b.co', password: 'x'.repeat(257) })), signIn);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toEqual({ password: 'Password must be at most 256 characters.' });
			expect(result.values).toEqual({ email: 'a@b.co' });
		}
	});

	describe('array fields', () => {
		const schema = z.object({ name: text(50), roles: roles() });

		it('collects every value of an array field', async () => {
			const result = await readForm(
				post(urlencoded({ name: 'Anna', roles: ['technician', 'admin'] })),
				schema,
				{ arrays: ['roles'] }
			);
			expect(result).toEqual({ ok: true, data: { name: 'Anna', roles: ['technician', 'admin'] } });
		});

		it('treats an absent array field as empty', async () => {
			const result = await readForm(post(urlencoded({ name: 'Anna' })), schema, { arrays: ['roles'] });
			expect(result).toEqual({ ok: true, data: { name: 'Anna', roles: [] } });
		});

		it('refuses an unknown role', async () => {
			const result = await readForm(
				post(urlencoded({ name: 'Anna', roles: ['technician', 'owner'] })),
				schema,
				{ arrays: ['roles'] }
			);
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.errors).toEqual({ roles: 'Choose roles from the list.' });
				expect(result.values).toEqual({ name: 'Anna' });
			}
		});

		it('refuses more than four roles', async () => {
			const result = await readForm(
				post(urlencoded({ name: 'Anna', roles: ['technician', 'trainer', 'manager', 'admin', 'admin'] })),
				schema,
				{ arrays: ['roles'] }
			);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.errors.roles).toBe('Choose at most four roles.');
		});

		it('takes only the first value of a field not listed as an array', async () => {
			const result = await readForm(post(urlencoded({ name: ['Anna', 'Bob'], roles: [] })), schema, {
				arrays: ['roles']
			});
			expect(result).toEqual({ ok: true, data: { name: 'Anna', roles: [] } });
		});
	});

	describe('optionalUuid', () => {
		const schema = z.object({ team: optionalUuid('Team') });

		it('turns an empty value into null', async () => {
			expect(await readForm(post(urlencoded({ team: '' })), schema)).toEqual({ ok: true, data: { team: null } });
		});

		it('accepts a UUID, trimmed', async () => {
			const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
			expect(await readForm(post(urlencoded({ team: ` ${id} ` })), schema)).toEqual({ ok: true, data: { team: id } });
		});

		it('refuses anything else on its field', async () => {
			const result = await readForm(post(urlencoded({ team: 'not-a-uuid' })), schema);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.errors).toEqual({ team: 'Team is not valid.' });
		});
	});
});

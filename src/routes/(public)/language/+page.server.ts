import { redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { LOCALES } from '$lib/i18n/locales';
import { cookieMaxAge, cookieName } from '$lib/paraglide/runtime';
import { safeNext } from '$lib/server/auth/guard';
import { user } from '$lib/server/db/schema';
import { invalid, readForm } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = () => {
	redirect(303, '/');
};

const schema = z.object({
	locale: z.enum(LOCALES, { error: () => m.language_choose() }),
	next: z.string().max(2000).optional()
});

/** The language switcher: remembered in a cookie, and in the profile of a signed-in user. */
export const actions = {
	default: async ({ request, locals, cookies, url }) => {
		const form = await readForm(request, schema);
		if (!form.ok) return invalid(form.status, form.errors.locale ?? form.message, form.errors, form.values);
		cookies.set(cookieName, form.data.locale, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false, secure: url.protocol === 'https:' });
		if (locals.user) await locals.db.update(user).set({ locale: form.data.locale }).where(eq(user.id, locals.user.id));
		redirect(303, safeNext(form.data.next) ?? '/');
	}
} satisfies Actions;

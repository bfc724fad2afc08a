import { building } from '$app/environment';
import { error, json, redirect, type Handle, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getDb, startRuntime } from '$lib/server/runtime';
import * as auth from '$lib/server/auth/session';
import { decideAccess } from '$lib/server/auth/guard';
import { ROLE_LABEL } from '$lib/server/auth/roles';

export const init: ServerInit = async () => {
	if (!building) await startRuntime();
};

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.db = await getDb();
	const token = event.cookies.get(auth.SESSION_COOKIE);
	const secure = event.url.protocol === 'https:';
	if (!token) {
		event.locals.user = null;
		event.locals.session = null;
		return resolve(event);
	}
	const { session, user } = await auth.validateSessionToken(event.locals.db, token);
	if (session) auth.setSessionCookie(event.cookies, token, session.expiresAt, secure);
	else auth.deleteSessionCookie(event.cookies, secure);
	event.locals.user = user;
	event.locals.session = session;
	return resolve(event);
};

/** Enforces the access table for every request: pages, form actions and endpoints alike. */
const handleAccess: Handle = async ({ event, resolve }) => {
	const decision = decideAccess(event.url.pathname, event.locals.user?.roles ?? null);
	switch (decision.outcome) {
		case 'allow':
			return resolve(event);
		case 'machine':
			// Dispatch systems authenticate with bearer API tokens; none are accepted until tokens exist.
			return json(
				{ error: 'unauthorized', message: 'A valid API token is required (Authorization: Bearer …).' },
				{ status: 401, headers: { 'www-authenticate': 'Bearer realm="serviceready"' } }
			);
		case 'sign-in': {
			if (event.request.method !== 'GET' && event.request.method !== 'HEAD') {
				error(401, { message: 'Your session has ended. Sign in again to continue.' });
			}
			const next = event.url.pathname + event.url.search;
			redirect(303, `/login?next=${encodeURIComponent(next)}`);
		}
		// falls through: redirect() throws
		case 'forbidden':
			error(403, {
				message: `This page is for the ${ROLE_LABEL[decision.role].toLowerCase()} role, which your account does not hold.`,
				role: decision.role
			});
	}
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	if (event.locals.user) response.headers.set('cache-control', 'private, no-store');
	return response;
};

export const handle = sequence(handleSession, handleAccess, handleHeaders);

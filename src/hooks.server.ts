import { AsyncLocalStorage } from 'node:async_hooks';
import { building } from '$app/environment';
import { error, redirect, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getDb, startRuntime } from '$lib/server/runtime';
import { ensureFreshContent } from '$lib/server/content/store';
import * as auth from '$lib/server/auth/session';
import { decideAccess } from '$lib/server/auth/guard';
import { handleApiRequest, isApiRoute } from '$lib/server/api/handle';
import { handleUnavailable, noteUnavailable } from '$lib/server/unavailable';
import { handlePageCache } from '$lib/server/page-cache';
import { setSecurityHeaders } from '$lib/server/security-headers';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { cookieName, cookieMaxAge, getServerAsyncLocalStorage, overwriteServerAsyncLocalStorage } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';
import { roleName } from '$lib/components/labels';

export const init: ServerInit = async () => {
	if (!building) await startRuntime();
};

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.db = await getDb();
	// A publish in any process is served here within REFRESH_MS.
	await ensureFreshContent(event.locals.db);
	event.locals.apiToken = null;
	event.locals.cookiesChanged = false;
	// The API authenticates by bearer token only: a session cookie never reaches it (no CSRF surface).
	const token = isApiRoute(event.route.id) ? undefined : event.cookies.get(auth.SESSION_COOKIE);
	const secure = event.url.protocol === 'https:';
	if (!token) {
		event.locals.user = null;
		event.locals.session = null;
		return resolve(event);
	}
	const { session, user } = await auth.validateSessionToken(event.locals.db, token);
	// The cookie already carries the session's expiry; it is sent again only when that moved.
	if (session?.renewed) auth.setSessionCookie(event.cookies, token, session.expiresAt, secure);
	else if (!session) auth.deleteSessionCookie(event.cookies, secure);
	event.locals.cookiesChanged = !session || session.renewed === true;
	event.locals.user = user;
	event.locals.session = session;
	return resolve(event);
};

/**
 * SvelteKit finds a form action by a plain property lookup on `actions`, prototype included, and
 * throws on the reserved name "default": a POST to `?/valueOf`, `?/constructor` or `?/default`
 * would be a 500. Those names are answered as what they are, actions that do not exist.
 */
function refuseReservedActionName(event: RequestEvent) {
	if (event.request.method !== 'POST') return;
	const name = [...event.url.searchParams.keys()].find((key) => key.startsWith('/'))?.slice(1);
	if (name !== undefined && (name === 'default' || name in Object.prototype)) error(404, m.error_no_such_action({ name: name.slice(0, 40) }));
}

/**
 * Enforces the access table for every request: pages, their data, form actions and endpoints
 * alike. The decision is taken on the route SvelteKit matched (`event.route.id`), never on the
 * path as spelled, and a route without a rule is refused. Runs after handleLocale, so its
 * messages are in the request's language.
 */
const handleAccess: Handle = async ({ event, resolve }) => {
	const decision = decideAccess(event.route.id, event.locals.user?.roles ?? null);
	switch (decision.outcome) {
		case 'unlisted':
			console.error(`Refused ${event.request.method} ${event.url.pathname}: the route ${event.route.id} has no access rule`);
			error(403, { message: m.error_route_unlisted() });
		case 'allow':
			refuseReservedActionName(event);
			return resolve(event);
		case 'machine':
			// Dispatch systems: bearer API tokens, scopes checked per endpoint, every call audited.
			return handleApiRequest({ event, resolve });
		case 'sign-in': {
			if (event.request.method !== 'GET' && event.request.method !== 'HEAD') {
				error(401, { message: m.error_session_ended() });
			}
			const next = event.url.pathname + event.url.search;
			redirect(303, `/login?next=${encodeURIComponent(next)}`);
		}
		// falls through: redirect() throws
		case 'forbidden':
			error(403, {
				message: m.error_role_forbidden({ role: roleName(decision.role) }),
				role: decision.role
			});
	}
};

/**
 * The UI language: a signed-in user's profile language; otherwise the language cookie (set by
 * the switcher), then the browser's Accept-Language, then English. The cookie is kept equal to
 * the profile so that the browser renders in the same language as the server.
 */
const handleLocale: Handle = ({ event, resolve }) => {
	const profile = event.locals.user?.locale;
	const options = { transformPageChunk: ({ html }: { html: string }) => html.replace('%paraglide.lang%', event.locals.locale) };
	if (!profile) {
		return paraglideMiddleware(event.request, ({ locale }) => {
			event.locals.locale = locale;
			return resolve(event, options);
		});
	}
	if (event.cookies.get(cookieName) !== profile) {
		event.cookies.set(cookieName, profile, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false, secure: event.url.protocol === 'https:' });
		event.locals.cookiesChanged = true;
	}
	// The language is known: messages read it from the request's async context, as under
	// paraglideMiddleware, without that middleware copying the request to decide it.
	event.locals.locale = profile;
	return localeContext().run({ locale: profile, origin: event.url.origin, messageCalls: new Set() }, () => resolve(event, options));
};

/** The async context paraglide's messages read the request's language from (created once). */
function localeContext() {
	let storage = getServerAsyncLocalStorage();
	if (!storage) overwriteServerAsyncLocalStorage((storage = new AsyncLocalStorage()));
	return storage;
}

/**
 * Security headers on every response the hooks see (src/lib/server/security-headers.ts). Runs
 * before handlePageCache in the sequence, so pages served again from the cache get them too; the
 * cached page's own Content-Security-Policy (its script hashes) is stored and replayed with it.
 */
const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	setSecurityHeaders(response.headers, event.url);
	if (event.locals.user) response.headers.set('cache-control', 'private, no-store');
	return response;
};

export const handle = sequence(handleUnavailable, handleSession, handleLocale, handleAccess, handleHeaders, handlePageCache);

/** Unexpected errors: an unreachable database becomes a 503 (see handleUnavailable); the rest are logged as SvelteKit's default does. */
export const handleError: HandleServerError = ({ error: e, event, status, message }) => {
	if (noteUnavailable(e, event)) return { message: m.fault_unavailable() };
	const request = `[${status}] ${event.request.method} ${event.url.pathname}`;
	if (status === 404) console.error(request);
	else console.error(request, e);
	return { message };
};

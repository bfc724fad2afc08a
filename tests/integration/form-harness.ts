/**
 * Submits forms to the app's pages in process, as SvelteKit 2 serves a POST to a page with form
 * actions: the cross-site check, routing with the param matchers, the real `handle` from
 * hooks.server.ts, then the action of the real `+page.server.ts` — looked up by the `?/name`
 * query as SvelteKit looks it up — and, for a form posted without JavaScript, the server loads of
 * the layouts and the page that SvelteKit runs before rendering. Nothing is rendered: the answer is
 * the status SvelteKit would send, with the action's result.
 *
 * The emulation follows @sveltejs/kit 2.70 (src/runtime/server/respond.js, page/index.js,
 * page/actions.js); where it differs from a real server (no HTML rendering, no body size limit)
 * that is said beside the code.
 */
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';
import * as devalue from 'devalue';
import fc from 'fast-check';
// SvelteKit runs `handle` and each action inside its request store (`sequence` reads it).
// @ts-expect-error -- the package ships no types for this internal entry point
import { with_request_store as withRequestStore } from '@sveltejs/kit/internal/server';
import type { DbHandle } from '../../src/lib/server/db';
import { SESSION_COOKIE } from '../../src/lib/server/auth/session';

type Action = (event: RequestEvent) => unknown;
type Load = (event: RequestEvent & Record<string, unknown>) => unknown;
interface ServerModule {
	load?: Load;
	actions?: Record<string, Action>;
}

// ------------------------------------------------------------------ the route tree

const pageServers = import.meta.glob<ServerModule>('../../src/routes/**/+page.server.ts');
// Only the file names are used: a page without a server module still answers a POST (with 405).
const pageViews = import.meta.glob('../../src/routes/**/+page.svelte');
const layoutServers = import.meta.glob<ServerModule>('../../src/routes/**/+layout.server.ts');
const paramMatchers = import.meta.glob<{ match: (param: string) => boolean }>('../../src/params/*.ts', { eager: true });

const ROOT = '../../src/routes';
const matchers: Record<string, (param: string) => boolean> = Object.fromEntries(
	Object.entries(paramMatchers).map(([file, mod]) => [file.replace(/^.*\/(\w+)\.ts$/, '$1'), mod.match])
);

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string; matcher?: string } | { kind: 'rest'; name: string; matcher?: string };

export interface PageRoute {
	/** SvelteKit's route id, e.g. `/(admin)/admin/users/[id=uuid]`. */
	id: string;
	segments: Segment[];
	server?: () => Promise<ServerModule>;
	/** Server loads of the layouts above the page, root first. */
	layouts: Array<() => Promise<ServerModule>>;
}

function routeIdOf(file: string): string {
	return file.slice(ROOT.length).replace(/\/\+(page|layout)(\.server\.ts|\.svelte)$/, '') || '/';
}

function parseSegments(id: string): Segment[] {
	return id
		.split('/')
		.filter((s) => s && !/^\(.+\)$/.test(s))
		.map((s): Segment => {
			const rest = /^\[\.\.\.(\w+)(?:=(\w+))?\]$/.exec(s);
			if (rest) return { kind: 'rest', name: rest[1]!, matcher: rest[2] };
			const param = /^\[(\w+)(?:=(\w+))?\]$/.exec(s);
			if (param) return { kind: 'param', name: param[1]!, matcher: param[2] };
			if (/[[\]]/.test(s)) throw new Error(`Segments mixing text and parameters are not supported by this harness: ${id}`);
			return { kind: 'static', value: s };
		});
}

const layoutIds = Object.keys(layoutServers).map((file) => ({ id: routeIdOf(file), load: layoutServers[file]! }));

export const PAGE_ROUTES: PageRoute[] = [...new Set([...Object.keys(pageServers), ...Object.keys(pageViews)].map(routeIdOf))].map((id) => {
	const server = pageServers[`${ROOT}${id === '/' ? '' : id}/+page.server.ts`];
	const layouts = layoutIds
		.filter((l) => l.id === '/' || id === l.id || id.startsWith(l.id + '/'))
		.sort((a, b) => a.id.length - b.id.length)
		.map((l) => l.load);
	return { id, segments: parseSegments(id), server, layouts };
});

/** Static beats a matched parameter beats a parameter beats a rest parameter, segment by segment. */
const rank = (s: Segment | undefined) => (!s ? -1 : s.kind === 'static' ? 3 : s.kind === 'param' ? (s.matcher ? 2 : 1) : 0);
function compareRoutes(a: PageRoute, b: PageRoute): number {
	for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
		const d = rank(b.segments[i]) - rank(a.segments[i]);
		if (d) return d;
	}
	return 0;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | null {
	const params: Record<string, string> = {};
	for (let i = 0; i < segments.length; i++) {
		const s = segments[i]!;
		if (s.kind === 'rest') {
			const value = parts.slice(i).join('/');
			if (s.matcher && !matchers[s.matcher]!(value)) return null;
			params[s.name] = value;
			return params;
		}
		const part = parts[i];
		if (part === undefined) return null;
		if (s.kind === 'static') {
			if (s.value !== part) return null;
		} else {
			if (s.matcher && !matchers[s.matcher]!(part)) return null;
			params[s.name] = part;
		}
	}
	return parts.length === segments.length ? params : null;
}

/** The page a decoded path leads to, as SvelteKit's router would pick it, or null (404). */
export function matchPage(pathname: string): { route: PageRoute; params: Record<string, string> } | null {
	const parts = pathname.split('/').filter(Boolean);
	const found = PAGE_ROUTES.flatMap((route) => {
		const params = matchSegments(route.segments, parts);
		return params ? [{ route, params }] : [];
	});
	found.sort((a, b) => compareRoutes(a.route, b.route));
	return found[0] ?? null;
}

/** Every form action in the route tree, as `<route id> ?/<name>` (`default` for a default action). */
export async function discoverActions(): Promise<string[]> {
	const all: string[] = [];
	for (const route of PAGE_ROUTES) {
		if (!route.server) continue;
		const mod = await route.server();
		for (const name of Object.keys(mod.actions ?? {})) all.push(actionKey(route.id, name));
	}
	return all.sort();
}

export const actionKey = (routeId: string, name: string) => `${routeId} ?/${name}`;

// ------------------------------------------------------------------ request bodies

/** A form field: text, raw bytes (to send what no browser would, e.g. invalid UTF-8), or a file. */
export type FieldValue = string | { bytes: Uint8Array } | { file: { name: string; type: string; content: Uint8Array } };
export type Fields = Array<[name: string, value: FieldValue]>;

const utf8 = new TextEncoder();
const isFile = (v: FieldValue): v is { file: { name: string; type: string; content: Uint8Array } } => typeof v === 'object' && 'file' in v;
const bytesOf = (v: string | { bytes: Uint8Array }) => (typeof v === 'string' ? utf8.encode(v) : v.bytes);

const BYTE_ESCAPES = Array.from({ length: 256 }, (_, b) => {
	const c = String.fromCharCode(b);
	return /[A-Za-z0-9*\-._]/.test(c) ? c : b === 0x20 ? '+' : '%' + b.toString(16).toUpperCase().padStart(2, '0');
});

/** application/x-www-form-urlencoded as browsers write it; a lone surrogate becomes U+FFFD on the way. */
function percentEncode(value: string | Uint8Array): string {
	if (typeof value === 'string') return encodeURIComponent(value.toWellFormed()).replace(/%20/g, '+');
	let out = '';
	for (const b of value) out += BYTE_ESCAPES[b];
	return out;
}

function concat(chunks: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return out;
}

/** The HTML standard's escaping of names in multipart/form-data headers. */
const headerName = (s: string) => s.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');

export type Encoding = 'multipart' | 'urlencoded';

/**
 * Writes `fields` as a form body. A file can only travel as multipart, so any file makes it
 * multipart. Returns the bytes and the Content-Type (with the multipart boundary).
 */
export function encodeForm(fields: Fields, encoding: Encoding): { body: Uint8Array; contentType: string } {
	if (encoding === 'urlencoded' && !fields.some(([, v]) => isFile(v))) {
		const text = fields.map(([k, v]) => `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : (v as { bytes: Uint8Array }).bytes)}`).join('&');
		return { body: utf8.encode(text), contentType: 'application/x-www-form-urlencoded' };
	}
	const boundary = `----sr${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
	const chunks: Uint8Array[] = [];
	for (const [name, value] of fields) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${headerName(name)}"`;
		if (isFile(value)) head += `; filename="${headerName(value.file.name)}"\r\nContent-Type: ${value.file.type}`;
		chunks.push(utf8.encode(head + '\r\n\r\n'), isFile(value) ? value.file.content : bytesOf(value), utf8.encode('\r\n'));
	}
	chunks.push(utf8.encode(`--${boundary}--\r\n`));
	return { body: concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

// ------------------------------------------------------------------ SvelteKit's request handling

const ORIGIN = 'http://localhost';

export interface FormRequest {
	/** Path and query, e.g. `/admin/tokens?/create`. */
	path: string;
	method?: string;
	body?: Uint8Array;
	/** null: no Content-Type header at all. */
	contentType?: string | null;
	/** The Origin header: this site's by default; null leaves it out. */
	origin?: string | null;
	/** A session token for the session cookie. */
	session?: string;
	/** As `use:enhance` sends it (Accept: application/json): the action's result as JSON, no loads. */
	enhanced?: boolean;
	clientAddress?: string;
	headers?: Record<string, string>;
}

export interface FormAnswer {
	/** The HTTP status SvelteKit would send. */
	status: number;
	/** What the action ended with; `refused` when the request never reached an action. */
	outcome: 'success' | 'failure' | 'redirect' | 'error' | 'refused';
	/** The status the person sees: the failure's or error's, else the HTTP status. */
	effective: number;
	/** The status the action itself ended with (a failure's or an error's), even when a load then redirected. */
	actionStatus?: number;
	location?: string;
	message?: string;
	/** An unexpected exception (a 500): the bug itself, with its stack. */
	error?: unknown;
}

/** SvelteKit's internal SvelteKitError (404 no such action, 405, 415), as get_status reads it. */
class KitError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

const statusOf = (e: unknown) => (isHttpError(e) || e instanceof KitError ? e.status : 500);
const messageOf = (e: unknown) => (isHttpError(e) ? e.body.message : e instanceof Error ? e.message : String(e));

function contentTypeOf(request: Request): string {
	return (request.headers.get('content-type')?.split(';', 1)[0]!.trim() ?? '').toLowerCase();
}

/** utils/http.js is_form_content_type: the types a cross-site form can send, so CSRF-checked. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata'];
const isFormContentType = (request: Request) => FORM_CONTENT_TYPES.includes(contentTypeOf(request));

/** The request's cookies as SvelteKit's `event.cookies` reads them (shared with the other in-process specs). */
export function cookieJar(header: string | null): Cookies {
	const jar = new Map<string, string>();
	for (const part of (header ?? '').split(';')) {
		const [k, ...v] = part.trim().split('=');
		if (k) jar.set(k, v.join('='));
	}
	return {
		get: (name) => jar.get(name),
		getAll: () => [...jar].map(([name, value]) => ({ name, value })),
		set: (name, value) => void jar.set(name, value),
		delete: (name) => void jar.delete(name),
		serialize: (name, value) => `${name}=${value}`
	};
}

export const NO_SPAN = { setAttributes() {}, recordException() {}, setStatus() {}, end() {} };
export const REQUEST_STATE = { tracing: { record_span: ({ fn }: { fn: (span: unknown) => unknown }) => fn(NO_SPAN) } };
const inStore = <T>(event: RequestEvent, fn: () => T): T => (withRequestStore as (store: unknown, fn: () => T) => T)({ event, state: REQUEST_STATE }, fn);

type HandleFn = (input: { event: RequestEvent; resolve: (event: RequestEvent) => Promise<Response> }) => Promise<Response>;

/** page/actions.js call_action: the first `/name` query parameter names the action. */
async function callAction(event: RequestEvent, actions: Record<string, Action>): Promise<unknown> {
	let name = 'default';
	for (const [key] of event.url.searchParams) {
		if (key.startsWith('/')) {
			name = key.slice(1);
			if (name === 'default') throw new Error('Cannot use reserved action name "default"');
			break;
		}
	}
	// As SvelteKit does: a plain property lookup, prototype included.
	const action = actions[name];
	if (!action) throw new KitError(404, `No action with name '${name}' found`);
	if (!isFormContentType(event.request)) throw new KitError(415, `Form actions expect form-encoded data — received ${event.request.headers.get('content-type')}`);
	return inStore(event, () => action(event));
}

type ActionResult =
	| { type: 'success'; data: unknown }
	| { type: 'failure'; status: number; data: unknown }
	| { type: 'redirect'; status: number; location: string }
	| { type: 'error'; error: unknown };

async function runAction(event: RequestEvent, actions: Record<string, Action>): Promise<ActionResult> {
	if (actions.default && Object.keys(actions).length > 1) throw new Error('When using named actions, the default action cannot be used.');
	try {
		const data = await callAction(event, actions);
		if (isActionFailure(data)) return { type: 'failure', status: data.status, data: data.data };
		return { type: 'success', data };
	} catch (e) {
		if (isRedirect(e)) return { type: 'redirect', status: e.status, location: e.location };
		// `throw fail()` is a mistake SvelteKit answers with 500.
		return { type: 'error', error: isActionFailure(e) ? new Error('Cannot "throw fail()". Use "return fail()"') : e };
	}
}

/**
 * A client bound to a test database: `handle` from hooks.server.ts takes its database from the
 * runtime, which is pointed at the test database before the hooks are loaded.
 */
export async function formClient(db: DbHandle) {
	(globalThis as { __serviceReadyDb?: Promise<DbHandle> }).__serviceReadyDb = Promise.resolve(db);
	const { handle } = (await import('../../src/hooks.server')) as unknown as { handle: HandleFn };

	return async function submit(req: FormRequest): Promise<FormAnswer> {
		const url = new URL(req.path, ORIGIN);
		const method = req.method ?? 'POST';
		const headers = new Headers(req.headers);
		if (req.contentType !== undefined && req.contentType !== null) headers.set('content-type', req.contentType);
		if (req.origin !== null) headers.set('origin', req.origin ?? ORIGIN);
		if (req.session !== undefined) headers.set('cookie', `${SESSION_COOKIE}=${req.session}`);
		if (req.enhanced) {
			headers.set('accept', 'application/json');
			headers.set('x-sveltekit-action', 'true');
		}
		const body = method === 'GET' || method === 'HEAD' ? undefined : (req.body ?? new Uint8Array());
		const request = new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
		if (req.contentType === null) request.headers.delete('content-type');

		// respond.js: the cross-site check comes before anything else.
		const unsafe = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
		if (isFormContentType(request) && unsafe && request.headers.get('origin') !== url.origin) {
			return { status: 403, outcome: 'refused', effective: 403, message: `Cross-site ${method} form submissions are forbidden` };
		}

		// respond.js: decode_pathname, route by route with the matchers, then decode_params.
		let decoded: string | null;
		let match: ReturnType<typeof matchPage> = null;
		const params: Record<string, string> = {};
		try {
			decoded = url.pathname.split('%25').map(decodeURI).join('%25');
			match = matchPage(decoded);
			if (match) for (const [k, v] of Object.entries(match.params)) params[k] = decodeURIComponent(v);
		} catch {
			decoded = null;
			match = null;
		}

		let answer: FormAnswer | null = null;
		const event = {
			request,
			url,
			params,
			route: { id: match?.route.id ?? null },
			cookies: cookieJar(request.headers.get('cookie')),
			locals: {},
			platform: undefined,
			isDataRequest: false,
			isSubRequest: false,
			isRemoteRequest: false,
			fetch,
			getClientAddress: () => req.clientAddress ?? '127.0.0.1',
			setHeaders: () => {},
			tracing: { enabled: false, root: NO_SPAN, current: NO_SPAN }
		} as unknown as RequestEvent;

		const resolve = async (e: RequestEvent): Promise<Response> => {
			if (decoded === null) {
				answer = { status: 400, outcome: 'refused', effective: 400, message: 'Malformed URI' };
			} else if (!match) {
				answer = { status: 404, outcome: 'refused', effective: 404, message: `Not found: ${url.pathname}` };
			} else if (!['GET', 'HEAD', 'POST'].includes(method)) {
				answer = { status: method === 'OPTIONS' ? 204 : 405, outcome: 'refused', effective: method === 'OPTIONS' ? 204 : 405, message: `${method} method not allowed` };
			} else if (method !== 'POST') {
				throw new Error('This harness submits forms; it does not render pages');
			} else {
				answer = await postToPage(e, match.route, Boolean(req.enhanced));
			}
			return new Response(null, { status: answer.status, headers: answer.location ? { location: answer.location } : {} });
		};

		try {
			const response = await inStore(event, () => handle({ event, resolve }));
			if (!answer) {
				// The hooks answered without resolving.
				return { status: response.status, outcome: 'refused', effective: response.status, location: response.headers.get('location') ?? undefined };
			}
			return answer;
		} catch (e) {
			// respond.js: an error thrown by `handle` becomes the error page with its status.
			if (isRedirect(e)) return { status: e.status, outcome: 'refused', effective: e.status, location: e.location };
			const status = statusOf(e);
			return { status, outcome: 'refused', effective: status, message: messageOf(e), error: status >= 500 ? e : undefined };
		}
	};
}

/** page/index.js render_page for a POST, without the rendering. */
async function postToPage(event: RequestEvent, route: PageRoute, enhanced: boolean): Promise<FormAnswer> {
	const leaf = route.server ? await route.server() : undefined;
	const actions = leaf?.actions;
	if (enhanced) {
		// handle_action_json_request: the result as JSON; failures travel with HTTP 200.
		if (!actions) return { status: 405, outcome: 'refused', effective: 405, message: 'POST method not allowed. No form actions exist for this page' };
		const result = await runAction(event, actions);
		try {
			if (result.type === 'success' || result.type === 'failure') devalue.stringify(result.data);
		} catch (e) {
			return { status: 500, outcome: 'error', effective: 500, message: 'Data returned from the action is not serializable', error: e };
		}
		switch (result.type) {
			case 'success':
				return { status: 200, outcome: 'success', effective: 200 };
			case 'failure':
				return { status: 200, outcome: 'failure', effective: result.status, message: messageIn(result.data) };
			case 'redirect':
				return { status: 200, outcome: 'redirect', effective: result.status, location: result.location };
			case 'error': {
				const status = statusOf(result.error);
				return { status, outcome: 'error', effective: status, message: messageOf(result.error), error: status >= 500 ? result.error : undefined };
			}
		}
	}

	// handle_action_request, then the loads SvelteKit runs to render the page with the result.
	if (!actions) return { status: 405, outcome: 'refused', effective: 405, message: 'POST method not allowed. No form actions exist for this page' };
	let result: ActionResult;
	try {
		result = await runAction(event, actions);
	} catch (e) {
		return { status: 500, outcome: 'error', effective: 500, message: messageOf(e), error: e };
	}
	if (result.type === 'redirect') return { status: result.status, outcome: 'redirect', effective: result.status, location: result.location };
	const outcome = result.type;
	let status = result.type === 'failure' ? result.status : result.type === 'error' ? statusOf(result.error) : 200;
	let message = result.type === 'error' ? messageOf(result.error) : result.type === 'failure' ? messageIn(result.data) : undefined;
	let error: unknown = result.type === 'error' && status >= 500 ? result.error : undefined;
	const actionStatus = result.type === 'success' ? undefined : status;
	try {
		// The page is rendered with the action's data: it must survive devalue.uneval.
		if (result.type !== 'error') devalue.uneval(result.data);
		let parentData: Record<string, unknown> = {};
		const nodes = [...route.layouts, ...(route.server ? [route.server] : [])];
		for (const [i, node] of nodes.entries()) {
			const isLeaf = i === nodes.length - 1 && Boolean(route.server);
			if (isLeaf && result.type === 'error') throw result.error;
			const mod = await node();
			if (!mod.load) continue;
			const seen = parentData;
			const data = await inStore(event, () =>
				mod.load!({ ...event, parent: async () => seen, depends: () => {}, untrack: <T>(fn: () => T) => fn() } as RequestEvent & Record<string, unknown>)
			);
			devalue.uneval(data);
			parentData = { ...parentData, ...(data as Record<string, unknown>) };
		}
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, outcome, effective: e.status, actionStatus, location: e.location };
		status = statusOf(e);
		message = messageOf(e);
		error = status >= 500 ? e : undefined;
	}
	return { status, outcome, effective: status, actionStatus, message, error };
}

function messageIn(data: unknown): string | undefined {
	return data && typeof data === 'object' && 'message' in data && typeof data.message === 'string' ? data.message : undefined;
}

// ------------------------------------------------------------------ malformed values

/** Characters that are valid text but trip up careless code: RTL marks, combining marks, emoji, full width, zero width. */
export const TRICKY_CHARS = [
	'\u202E', '\u202D', '\u200F', '\u061C', 'ש', 'ع', // right-to-left
	'\u0301', '\u0308', '\u20DD', 'e\u0301', 'Z\u0351\u0352\u0357\u035B', // combining
	'😀', '👩‍👩‍👧‍👦', '🏳️‍🌈', '🇨🇳', '\u{1F9D1}\u{1F3FD}\u200D\u{1F527}', // emoji, ZWJ sequences
	'ＡＢＣ', '１２３', '＠', '．', '　', // full width
	'\u200B', '\u200C', '\u200D', '\uFEFF', '\u2028', '\u2029', '\u00A0', // zero width, separators
	'\t', '\r\n', '\n', '\u0007', '\u001B[31m', '\u007F', // controls Postgres stores
	'服务', '技师', 'İ', 'ß', 'ﬁ', 'Ω', // case mapping and normalisation surprises
	"'; drop table job; --", '"', '\\', '<script>', '%00', '%s%n', '${x}', '{{x}}', '../', '..\\'
];

/** Text that is valid UTF-8 and storable, built of ordinary and tricky graphemes. */
export const trickyText = (maxLength = 40) =>
	fc.array(fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) }, { weight: 2, arbitrary: fc.constantFrom(...TRICKY_CHARS) }), { maxLength }).map((parts) => parts.join(''));

/** A lone surrogate somewhere: no UTF-8 encoding exists, so it reaches the server as U+FFFD. */
export const withLoneSurrogate = fc
	.tuple(trickyText(8), fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D'), trickyText(8))
	.map(([a, s, b]) => a + s + b);

/** A NUL character somewhere: valid UTF-8, but PostgreSQL text cannot hold it. */
export const withNul = fc.tuple(trickyText(8), trickyText(8)).map(([a, b]) => `${a}\u0000${b}`);

/** Bytes that are not UTF-8: a stray continuation byte, an overlong form, an encoded surrogate, a cut sequence. */
export const invalidUtf8 = fc
	.tuple(trickyText(6), fc.constantFrom([0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe6, 0x9c], [0xf4, 0x90, 0x80, 0x80], [0xfe, 0xfe]), trickyText(6))
	.map(([a, bad, b]) => ({ bytes: concat([utf8.encode(a), Uint8Array.from(bad), utf8.encode(b)]) }));

/** A file where text is expected. */
export const fileValue = fc
	.record({ name: fc.oneof(fc.constantFrom('a.txt', 'photo.jpg', '', '../../etc/passwd', '证书.pdf'), trickyText(10)), type: fc.constantFrom('text/plain', 'application/octet-stream', 'image/png', ''), content: fc.uint8Array({ maxLength: 64 }) })
	.map((file) => ({ file: { ...file, type: file.type || 'application/octet-stream' } }));

/** Code points, as zod 4 counts a string's length for `max` (and as people count characters). */
export const codePoints = (s: string) => [...s].length;

/**
 * Text longer than `max` characters even after trimming, whether counted in code points or in
 * UTF-16 units — sometimes far longer (up to 100,000 characters).
 */
export const tooLong = (max: number) =>
	fc
		.tuple(fc.constantFrom('a', 'é', '服', '😀', '\u0301', 'ｗ', 'x '), fc.integer({ min: 1, max: 4 }), trickyText(4))
		.map(([unit, scale, tail]) => unit.repeat(scale === 4 ? Math.max(max + 1, 100_000) : (max + 1) * scale) + tail)
		.filter((s) => codePoints(s.trim()) > max);

/** Empty, or only white space (including the kinds `trim()` removes). */
export const blank = fc.constantFrom('', ' ', '   ', '\t', '\n', '\r\n', '\u00A0', '\u3000', '\u2028', '\uFEFF');

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

/** A well-formed uuid no row has (random, so never a real id). */
export const randomUuid = fc.uuid({ version: [1, 4, 7] });

/** Strings that look like ids but are not uuids. */
export const malformedUuid = fc.oneof(
	fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(11)).map((p) => p.join('-')), // one short
	fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(13)).map((p) => p.join('-')), // one long
	randomUuid.map((u) => u.replace(/-/g, '')), // no dashes
	randomUuid.map((u) => `{${u}}`),
	randomUuid.map((u) => u.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))), // full-width digits
	randomUuid.map((u) => u.slice(0, 35) + 'g'),
	randomUuid.map((u) => ` ${u} `),
	randomUuid.map((u) => u + '\u0000'),
	randomUuid.map((u) => u + "' or '1'='1"),
	fc.constantFrom('0', '-1', '1e309', 'NaN', 'null', 'undefined', 'true', '[]', '{}', '00000000-0000-0000-0000-00000000000', '%', '%25', '..', '.', '\u202Eabc'),
	fc.integer().map(String),
	trickyText(12).filter((s) => s.trim() !== '' && !/^[0-9a-f-]{36}$/i.test(s))
);

/** Unknown names for extra fields, including ones that collide with Object.prototype. */
export const extraFieldName = fc.oneof(
	fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'x', 'id[]', 'a.b', '', ' ', '\u0000', '名字', 'Content-Disposition', 'name"; filename="x'),
	trickyText(12)
);

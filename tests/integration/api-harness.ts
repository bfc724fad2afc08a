/**
 * Runs HTTP requests through the app's real `handle` (hooks.server.ts) and the real `+server.ts`
 * route handlers under src/routes/api, in process, against a test database, and checks every
 * answer against the OpenAPI document: the status must be documented for the operation and the
 * body must match its schema. Successful requests are checked against the documented request
 * too, so the document can be neither looser nor stricter than the server.
 */
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
// SvelteKit runs `handle` inside its request store (`sequence` reads it); so does this harness.
// @ts-expect-error -- the package ships no types for this internal entry point
import { with_request_store as withRequestStore } from '@sveltejs/kit/internal/server';
import type { DbHandle } from '../../src/lib/server/db';
import { openApiDocument, type Operation, type Parameter, type ResponseObject } from '../../src/lib/server/api/openapi';

type Handler = (event: RequestEvent) => Response | Promise<Response>;
type RouteModule = Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'fallback', Handler>>;

// ------------------------------------------------------------------ routing, as SvelteKit does for these routes

const modules = import.meta.glob<RouteModule>('../../src/routes/api/**/+server.ts');

export interface Route {
	/** SvelteKit's route id, e.g. `/api/v1/job-types/[id]/eligible-technicians`. */
	id: string;
	pattern: RegExp;
	names: string[];
	load: () => Promise<RouteModule>;
	rest: boolean;
	dynamic: number;
}

function compileRoute(file: string, load: () => Promise<RouteModule>): Route {
	const id = file.replace(/^\.\.\/\.\.\/src\/routes/, '').replace(/\/\+server\.ts$/, '');
	const names: string[] = [];
	let source = '';
	let rest = false;
	let dynamic = 0;
	for (const segment of id.split('/').filter(Boolean)) {
		if (/^\(.+\)$/.test(segment)) continue;
		const restParam = /^\[\.\.\.(\w+)\]$/.exec(segment);
		const param = /^\[(\w+)\]$/.exec(segment);
		if (segment.includes('=')) throw new Error(`Param matchers are not supported by this harness: ${id}`);
		if (restParam) {
			names.push(restParam[1]!);
			source += '(?:/(.*))?';
			rest = true;
		} else if (param) {
			names.push(param[1]!);
			source += '/([^/]+)';
			dynamic++;
		} else {
			source += '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		}
	}
	return { id, pattern: new RegExp(`^${source}/?$`), names, load, rest, dynamic };
}

/** Static routes first, then those with fewer parameters, rest parameters last (as SvelteKit sorts them). */
export const ROUTES: Route[] = Object.entries(modules)
	.map(([file, load]) => compileRoute(file, load))
	.sort((a, b) => Number(a.rest) - Number(b.rest) || a.dynamic - b.dynamic || b.id.length - a.id.length);

function matchRoute(pathname: string): { route: Route; params: Record<string, string> } | null {
	for (const route of ROUTES) {
		const m = route.pattern.exec(pathname);
		if (!m) continue;
		const params: Record<string, string> = {};
		route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
		return { route, params };
	}
	return null;
}

/** What SvelteKit does with an endpoint module: the method's handler, HEAD by GET, else `fallback`, else 405. */
async function runEndpoint(mod: RouteModule, event: RequestEvent): Promise<Response> {
	const method = event.request.method as keyof RouteModule;
	let handler = mod[method] ?? mod.fallback;
	if (method === 'HEAD' && !mod.HEAD && mod.GET) handler = mod.GET;
	if (!handler) return new Response(`${method} method not allowed`, { status: 405 });
	const response = await handler(event);
	return method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
}

function cookieJar(header: string | null): Cookies {
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

// ------------------------------------------------------------------ the OpenAPI document as validators

const DOC_ID = 'https://serviceready.test/openapi.json';
const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true });
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
addFormats(ajv);
ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components']);
ajv.addSchema({ $id: DOC_ID, ...openApiDocument });

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const validators = new Map<string, ValidateFunction>();
function validatorAt(path: string): ValidateFunction {
	let v = validators.get(path);
	if (!v) {
		v = ajv.getSchema(`${DOC_ID}#/${path}`);
		if (!v) throw new Error(`No schema at #/${path}`);
		validators.set(path, v);
	}
	return v;
}

const SERVER = openApiDocument.servers[0]!.url;
const templates = Object.keys(openApiDocument.paths).map((template) => ({
	template,
	pattern: new RegExp('^' + SERVER + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, '([^/]+)') + '/?$')
}));

function findOperation(method: string, pathname: string): { template: string; operation: Operation; method: 'get' | 'post' | 'patch' } | null {
	const m = (method === 'HEAD' ? 'get' : method.toLowerCase()) as 'get' | 'post' | 'patch';
	for (const { template, pattern } of templates) {
		if (!pattern.test(pathname)) continue;
		const operation = openApiDocument.paths[template]![m];
		return operation ? { template, operation, method: m } : null;
	}
	return null;
}

function deref<T>(value: T | { $ref: string }): { value: T; at: string | null } {
	if (value && typeof value === 'object' && '$ref' in value && typeof value.$ref === 'string') {
		const parts = value.$ref.replace(/^#\//, '').split('/');
		let node: unknown = openApiDocument;
		for (const p of parts) node = (node as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
		return { value: node as T, at: value.$ref.replace(/^#\//, '') };
	}
	return { value: value as T, at: null };
}

/** Every (operation, status) the document promises, as `GET /job-types 200`. */
export function documentedResponses(): string[] {
	const all: string[] = [];
	for (const [template, item] of Object.entries(openApiDocument.paths)) {
		for (const method of ['get', 'post', 'patch'] as const) {
			const op = item[method];
			if (op) for (const status of Object.keys(op.responses)) all.push(`${method.toUpperCase()} ${template} ${status}`);
		}
	}
	return all.sort();
}

/** The (operation, status) pairs seen in this run, checked against the document. */
export const seen = new Set<string>();

function check(condition: boolean, message: string) {
	expect(condition, message).toBe(true);
}

function validateExchange(request: { method: string; url: URL; json?: unknown }, status: number, headers: Headers, body: unknown) {
	const where = `${request.method} ${request.url.pathname}${request.url.search} → ${status}`;
	const found = findOperation(request.method, request.url.pathname);
	if (!found) {
		// No such endpoint: the documented 404 / 405 with the error body.
		check(status === 404 || status === 405 || status === 401, `${where}: undocumented path or method must answer 401, 404 or 405`);
		const v = validatorAt('components/schemas/Error');
		check(v(body) as boolean, `${where}: ${ajv.errorsText(v.errors)}`);
		if (status === 405) check(Boolean(headers.get('allow')), `${where}: 405 without Allow`);
		return;
	}
	const { template, operation, method } = found;
	const key = String(status);
	check(key in operation.responses, `${where}: status ${status} is not documented for ${method.toUpperCase()} ${template}`);
	seen.add(`${method.toUpperCase()} ${template} ${status}`);
	const { value: resp, at } = deref<ResponseObject>(operation.responses[key]!);
	const respPath = at ?? pointer('paths', template, method, 'responses', key);
	for (const name of Object.keys(resp.headers ?? {})) check(headers.has(name), `${where}: header ${name} is documented but missing`);
	if (resp.content?.['application/json'] && request.method !== 'HEAD') {
		check((headers.get('content-type') ?? '').startsWith('application/json'), `${where}: content-type ${headers.get('content-type')}`);
		const v = validatorAt(`${respPath}/content/${pointer('application/json')}/schema`);
		check(v(body) as boolean, `${where}: the body does not match the document: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
	}
	if (status < 300) {
		// A request the server accepted must be one the document allows.
		if (operation.requestBody) {
			const v = validatorAt(pointer('paths', template, method, 'requestBody', 'content', 'application/json', 'schema'));
			check(v(request.json) as boolean, `${where}: the accepted request body is not allowed by the document: ${ajv.errorsText(v.errors)}`);
		}
		const params = (operation.parameters ?? []).map((p, i) => {
			const { value, at } = deref<Parameter>(p);
			return { param: value, schemaPath: `${at ?? pointer('paths', template, method, 'parameters', String(i))}/schema` };
		});
		for (const [name, value] of request.url.searchParams) {
			const p = params.find((x) => x.param.in === 'query' && x.param.name === name);
			check(Boolean(p), `${where}: the accepted query parameter ${name} is not documented`);
			const v = validatorAt(p!.schemaPath);
			const typed = p!.param.schema.type === 'integer' ? Number(value) : value;
			check(v(typed) as boolean, `${where}: query ${name}=${value} is not allowed by the document: ${ajv.errorsText(v.errors)}`);
		}
		for (const { param } of params.filter((x) => x.param.in === 'query' && x.param.required)) {
			check(request.url.searchParams.has(param.name), `${where}: the document requires ${param.name}`);
		}
	}
}

// ------------------------------------------------------------------ calling

export interface ApiCall {
	token?: string;
	/** Sent as JSON with Content-Type: application/json. */
	json?: unknown;
	/** Sent as is (with `headers` for its type). */
	body?: BodyInit;
	headers?: Record<string, string>;
}

export interface ApiAnswer {
	status: number;
	headers: Headers;
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The part of SvelteKit's per-request state that `sequence` uses: tracing, here without spans. */
const NO_SPAN = { setAttributes() {}, recordException() {}, setStatus() {}, end() {} };
const REQUEST_STATE = { tracing: { record_span: ({ fn }: { fn: (span: unknown) => unknown }) => fn(NO_SPAN) } };

type HandleFn = (input: { event: RequestEvent; resolve: (event: RequestEvent) => Promise<Response> }) => Promise<Response>;

/**
 * A client bound to a test database: `handle` from hooks.server.ts takes its database from the
 * runtime, which is pointed at the test database before the hooks are loaded.
 */
export async function apiClient(db: DbHandle) {
	(globalThis as { __serviceReadyDb?: Promise<DbHandle> }).__serviceReadyDb = Promise.resolve(db);
	const { handle } = (await import('../../src/hooks.server')) as unknown as { handle: HandleFn };

	return async function call(method: string, path: string, options: ApiCall = {}): Promise<ApiAnswer> {
		const url = new URL(path, 'http://localhost');
		const headers = new Headers(options.headers);
		if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
		let body: BodyInit | undefined = options.body;
		if (options.json !== undefined) {
			body = JSON.stringify(options.json);
			if (!headers.has('content-type')) headers.set('content-type', 'application/json');
		}
		const request = new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
		const match = matchRoute(url.pathname);
		if (!match) throw new Error(`No route under src/routes/api matches ${url.pathname}`);
		const event = {
			request,
			url,
			params: match.params,
			route: { id: match.route.id },
			cookies: cookieJar(request.headers.get('cookie')),
			locals: {},
			platform: undefined,
			isDataRequest: false,
			isSubRequest: false,
			isRemoteRequest: false,
			fetch,
			getClientAddress: () => '127.0.0.1',
			setHeaders: () => {},
			tracing: { enabled: false, root: NO_SPAN, current: NO_SPAN }
		} as unknown as RequestEvent;
		const response: Response = await (withRequestStore as (store: unknown, fn: () => Promise<Response>) => Promise<Response>)({ event, state: REQUEST_STATE }, () =>
			handle({
				event,
				resolve: async (e) => {
					if (e.locals.db !== db.db) throw new Error('The hooks did not hand the test database to the endpoint');
					return runEndpoint(await match.route.load(), e);
				}
			})
		);
		const text = await response.text();
		const type = response.headers.get('content-type') ?? '';
		const parsed = type.startsWith('application/json') && text ? JSON.parse(text) : text;
		validateExchange({ method, url, json: options.json }, response.status, response.headers, parsed);
		return { status: response.status, headers: response.headers, body: parsed };
	};
}

import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { API_SCOPES } from '../db/schema';
import { openApiDocument, openApiResponse, type Operation } from './openapi';

type RouteModule = Record<string, unknown>;
const routeModules = import.meta.glob<RouteModule>('../../../routes/api/v1/**/+server.ts', { eager: true });
const API_BASE = '/api/v1';

/** `../../../routes/api/v1/job-types/[id]/x/+server.ts` → `/job-types/{id}/x` (the document's paths are below its server URL). */
function documentPath(file: string): string {
	const id = file.replace(/^(\.\.\/)+routes/, '').replace(/\/\+server\.ts$/, '');
	expect(id.startsWith(API_BASE + '/'), file).toBe(true);
	return id.slice(API_BASE.length).replace(/\[(\w+)\]/g, '{$1}');
}

const CATCH_ALL = '/[...rest]';
const operations = () =>
	Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
		(['get', 'post', 'patch'] as const).flatMap((method) => (item[method] ? [{ path, method, op: item[method] as Operation }] : []))
	);

describe('the OpenAPI document and the routes', () => {
	it('names every route file under src/routes/api/v1 with exactly the methods it exports, and nothing else', () => {
		const fromRoutes: Record<string, string[]> = {};
		for (const [file, mod] of Object.entries(routeModules)) {
			const path = documentPath(file);
			if (path === CATCH_ALL) continue;
			fromRoutes[path] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m in mod).map((m) => m.toLowerCase());
		}
		const fromDocument = Object.fromEntries(Object.entries(openApiDocument.paths).map(([path, item]) => [path, (['get', 'post', 'patch'] as const).filter((m) => item[m])]));
		expect(Object.keys(fromRoutes).length).toBeGreaterThanOrEqual(6);
		expect(fromRoutes).toEqual(fromDocument);
	});

	it('gives every route a JSON fallback (405 for a wrong method, 404 under the catch-all)', () => {
		const files = Object.keys(routeModules);
		expect(files.some((f) => documentPath(f) === CATCH_ALL)).toBe(true);
		for (const [file, mod] of Object.entries(routeModules)) expect(typeof mod.fallback, file).toBe('function');
	});
});

describe('the OpenAPI document itself', () => {
	it('compiles every schema as strict JSON Schema 2020-12, with every reference resolving', () => {
		const ajv = new Ajv2020({ strict: true, discriminator: true });
		((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule)(ajv);
		ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components']);
		ajv.addSchema({ $id: 'doc', ...openApiDocument });
		for (const name of Object.keys(openApiDocument.components.schemas)) {
			expect(ajv.getSchema(`doc#/components/schemas/${name}`), name).toBeTypeOf('function');
		}
		const refs = [...JSON.stringify(openApiDocument).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
		expect(refs.length).toBeGreaterThan(30);
		for (const ref of new Set(refs)) {
			let node: unknown = openApiDocument;
			for (const part of ref.split('/')) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
			expect(node, ref).toBeTypeOf('object');
		}
	});

	it('has unique operation ids, declared path parameters, known scopes and the refusals each operation can give', () => {
		const ids = operations().map((o) => o.op.operationId);
		expect(new Set(ids).size).toBe(ids.length);
		const resolve = (p: object) => ('$ref' in p ? (openApiDocument.components.parameters as Record<string, { name: string; in: string; required?: boolean }>)[String(p.$ref).split('/').pop()!]! : (p as { name: string; in: string; required?: boolean }));
		for (const { path, method, op } of operations()) {
			const where = `${method} ${path}`;
			const params = (op.parameters ?? []).map(resolve);
			const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
			expect(params.filter((p) => p.in === 'path').map((p) => p.name), where).toEqual(inPath);
			for (const p of params.filter((x) => x.in === 'path')) expect(p.required, where).toBe(true);
			const names = params.map((p) => `${p.in}:${p.name}`);
			expect(new Set(names).size, where).toBe(names.length);
			const security = op.security ?? openApiDocument.security;
			if (security.length === 0) continue;
			for (const requirement of security) {
				for (const [scheme, scopes] of Object.entries(requirement)) {
					expect(openApiDocument.components.securitySchemes[scheme], where).toBeDefined();
					expect(scopes.length, where).toBe(1);
					for (const s of scopes) expect(API_SCOPES, where).toContain(s);
				}
			}
			expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['400', '401', '403']));
			if (op.requestBody) expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['413', '415']));
			if (inPath.length) expect(Object.keys(op.responses), where).toContain('404');
		}
	});

	it('is served as JSON with a strong ETag, and 304 when the client has it', async () => {
		const res = openApiResponse(new Request('http://x/api/v1/openapi.json'));
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
		const etag = res.headers.get('etag')!;
		expect(openApiResponse(new Request('http://x/', { headers: { 'if-none-match': `"x", ${etag}` } })).status).toBe(304);
		expect(openApiResponse(new Request('http://x/', { headers: { 'if-none-match': '"x"' } })).status).toBe(200);
	});
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The app's routes as the file tree declares them: every page (with its form actions) and every
 * endpoint (with its exported methods), read from `src/routes` so that a new route shows up in the
 * access matrix by itself.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;
/** The method a `fallback` handler is probed with: the first one the file does not export. */
const FALLBACK_PROBES = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface RouteParam {
	/** As written in the folder name: `[id=uuid]`, `[...rest]`, `[[lang]]`. */
	raw: string;
	name: string;
	matcher: string | null;
	rest: boolean;
	optional: boolean;
}

export interface RouteNode {
	/** The folder under src/routes, with its (group) segments: `(manager)/manager/jobs/[id=uuid]`. */
	dir: string;
	/** The URL pattern: groups dropped, params as written (`/manager/jobs/[id=uuid]`). */
	pattern: string;
	params: RouteParam[];
	page: boolean;
	/** Form action names of the page (`default` for the unnamed one). */
	actions: string[];
	/** Methods exported by +server.ts, `fallback` included. */
	methods: string[];
}

/** One request the access matrix makes: its key names the route, not the sample values. */
export interface Probe {
	/** e.g. `GET /manager/jobs/[id=uuid]`, `POST /manager/jobs/[id=uuid] ?/assign`, `DELETE /api/v1/jobs (fallback)`. */
	key: string;
	method: string;
	pattern: string;
	kind: 'page' | 'action' | 'endpoint' | 'fallback';
	/** The action name, for kind `action`. */
	action?: string;
}

const PARAM = /\[\[?(\.\.\.)?([A-Za-z_$][\w$]*)(?:=([A-Za-z_$][\w$]*))?\]\]?/g;

function paramsOf(segment: string): RouteParam[] {
	return [...segment.matchAll(PARAM)].map((m) => ({
		raw: m[0],
		name: m[2]!,
		matcher: m[3] ?? null,
		rest: Boolean(m[1]),
		optional: m[0].startsWith('[[')
	}));
}

function unwrap(node: ts.Expression): ts.Expression {
	while (ts.isSatisfiesExpression(node) || ts.isAsExpression(node) || ts.isParenthesizedExpression(node) || ts.isTypeAssertionExpression(node)) node = node.expression;
	return node;
}

const isExported = (node: ts.Node) =>
	ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function propertyName(name: ts.PropertyName, file: string): string {
	if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
	throw new Error(`${file}: an action name that is not written out (${name.getText()}); the access matrix cannot read it`);
}

/** The names of the `actions` object a +page.server.ts exports: `export const actions = { a: …, b() {…} }`. */
export function actionNames(source: string, file = '+page.server.ts'): string[] {
	const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const names: string[] = [];
	let found = false;
	for (const statement of sf.statements) {
		if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
			if (statement.exportClause.elements.some((e) => e.name.text === 'actions')) {
				throw new Error(`${file}: exports \`actions\` by name from elsewhere; write \`export const actions = { … }\` so the access matrix can read it`);
			}
		}
		if (!ts.isVariableStatement(statement) || !isExported(statement)) continue;
		for (const decl of statement.declarationList.declarations) {
			if (!ts.isIdentifier(decl.name) || decl.name.text !== 'actions') continue;
			found = true;
			const init = decl.initializer && unwrap(decl.initializer);
			if (!init || !ts.isObjectLiteralExpression(init)) throw new Error(`${file}: \`actions\` is not an object literal; the access matrix cannot read its names`);
			for (const prop of init.properties) {
				if (ts.isSpreadAssignment(prop)) throw new Error(`${file}: \`actions\` spreads another object; list the actions by name`);
				names.push(propertyName(prop.name!, file));
			}
		}
	}
	if (found && names.length === 0) throw new Error(`${file}: \`actions\` is empty`);
	return names;
}

/** The request handlers a +server.ts exports (`GET`, `POST`, …, `fallback`), however they are exported. */
export function endpointMethods(source: string, file = '+server.ts'): string[] {
	const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const known = new Set<string>([...HTTP_METHODS, 'fallback']);
	const out: string[] = [];
	const add = (name: string) => {
		if (known.has(name) && !out.includes(name)) out.push(name);
	};
	for (const statement of sf.statements) {
		if (ts.isVariableStatement(statement) && isExported(statement)) {
			for (const decl of statement.declarationList.declarations) if (ts.isIdentifier(decl.name)) add(decl.name.text);
		} else if (ts.isFunctionDeclaration(statement) && isExported(statement) && statement.name) {
			add(statement.name.text);
		} else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
			for (const e of statement.exportClause.elements) add(e.name.text);
		}
	}
	if (out.length === 0) throw new Error(`${file}: exports no request handler`);
	return out;
}

/** Every page and endpoint folder under `root` (src/routes), sorted by pattern. */
export function walkRoutes(root = 'src/routes'): RouteNode[] {
	const nodes: RouteNode[] = [];
	const visit = (dir: string) => {
		const entries = readdirSync(dir, { withFileTypes: true });
		const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
		const page = files.has('+page.svelte') || files.has('+page.server.ts') || files.has('+page.ts');
		const server = files.has('+server.ts');
		if (files.has('+page.server.js') || files.has('+server.js') || files.has('+page.js')) {
			throw new Error(`${dir}: route files in JavaScript; the access matrix reads only .ts route files`);
		}
		if (page || server) {
			const rel = relative(root, dir).split(sep).filter(Boolean);
			const segments = rel.filter((s) => !/^\(.+\)$/.test(s));
			const pattern = '/' + segments.join('/');
			nodes.push({
				dir: rel.join('/'),
				pattern,
				params: segments.flatMap(paramsOf),
				page,
				actions: files.has('+page.server.ts') ? actionNames(readFileSync(join(dir, '+page.server.ts'), 'utf8'), join(dir, '+page.server.ts')) : [],
				methods: server ? endpointMethods(readFileSync(join(dir, '+server.ts'), 'utf8'), join(dir, '+server.ts')) : []
			});
		}
		for (const e of entries) if (e.isDirectory()) visit(join(dir, e.name));
	};
	visit(root);
	return nodes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** The requests that cover a route: the page's GET and each of its actions, each endpoint method. */
export function probesOf(node: RouteNode): Probe[] {
	const probes: Probe[] = [];
	const p = node.pattern;
	if (node.page) {
		probes.push({ key: `GET ${p}`, method: 'GET', pattern: p, kind: 'page' });
		for (const action of node.actions) {
			probes.push({ key: `POST ${p} ${action === 'default' ? '(default)' : `?/${action}`}`, method: 'POST', pattern: p, kind: 'action', action });
		}
	}
	for (const method of node.methods) {
		if (method === 'fallback') continue;
		probes.push({ key: `${method} ${p}`, method, pattern: p, kind: 'endpoint' });
	}
	if (node.methods.includes('fallback')) {
		const method = FALLBACK_PROBES.find((m) => !node.methods.includes(m) && !(m === 'GET' && node.page));
		if (method) probes.push({ key: `${method} ${p} (fallback)`, method, pattern: p, kind: 'fallback' });
	}
	return probes;
}

/** The URL of a pattern with sample values; a param without a sample fails with the fix to make. */
export function samplePath(pattern: string, samples: Readonly<Record<string, string>>, matchers: Readonly<Record<string, (value: string) => boolean>> = {}): string {
	return pattern.replace(PARAM, (raw, _rest, name: string, matcher: string | undefined) => {
		if (!Object.hasOwn(samples, name)) throw new Error(`${pattern}: add a sample value for [${name}] to the access matrix's SAMPLES`);
		const value = samples[name]!;
		if (matcher) {
			const match = matchers[matcher];
			if (!match) throw new Error(`${pattern}: add the param matcher "${matcher}" to the access matrix's MATCHERS`);
			if (!match(value)) throw new Error(`${pattern}: the sample value "${value}" for ${raw} does not satisfy its matcher "${matcher}"`);
		}
		return raw.startsWith('[...') ? value : encodeURIComponent(value);
	});
}

/** The URL a probe requests: the sample path, plus `?/name` for a named form action. */
export function probeUrl(probe: Probe, path: string): string {
	return probe.kind === 'action' && probe.action !== 'default' ? `${path}?/${probe.action}` : path;
}

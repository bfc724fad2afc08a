import type { Handle } from '@sveltejs/kit';
import { currentContent } from './content/registry';

/** A rendered page kept for the same request: its headers (never Set-Cookie) and its bytes. */
export interface CachedPage {
	headers: Array<[string, string]>;
	body: Uint8Array<ArrayBuffer>;
}

/**
 * Least recently used pages, bounded by their total size in bytes. A Map keeps insertion order,
 * so the first key is the least recently used one: a hit moves its key to the end.
 */
export class PageCache {
	#pages = new Map<string, CachedPage>();
	#bytes = 0;

	constructor(readonly maxBytes: number) {}

	get size() {
		return this.#pages.size;
	}

	get bytes() {
		return this.#bytes;
	}

	get(key: string): CachedPage | undefined {
		const page = this.#pages.get(key);
		if (!page) return undefined;
		this.#pages.delete(key);
		this.#pages.set(key, page);
		return page;
	}

	set(key: string, page: CachedPage): void {
		const cost = page.body.byteLength + key.length;
		if (cost > this.maxBytes) return;
		const old = this.#pages.get(key);
		if (old) {
			this.#pages.delete(key);
			this.#bytes -= old.body.byteLength + key.length;
		}
		this.#pages.set(key, page);
		this.#bytes += cost;
		for (const [oldest, evicted] of this.#pages) {
			if (this.#bytes <= this.maxBytes) break;
			this.#pages.delete(oldest);
			this.#bytes -= evicted.body.byteLength + oldest.length;
		}
	}
}

/**
 * Everything a cached page may depend on. The page must be a function of exactly these: the
 * signed-in user's shown fields and roles, the language, the zones, and the version of the
 * user's learning progress read with the session (it changes with every progress write, in any
 * app process) and the stamp of the published content this process serves (a publish anywhere
 * changes it).
 */
export interface PageKeyParts {
	userId: string;
	displayName: string;
	email: string;
	roles: readonly string[];
	locale: string;
	progressStamp: string;
	/** The zones the page shows times and dates in. */
	timeZone: string;
	organisationTimeZone: string;
	contentStamp: number;
	path: string;
}

export function pageKey(p: PageKeyParts): string {
	return JSON.stringify([p.userId, p.displayName, p.email, p.roles, p.locale, p.progressStamp, p.timeZone, p.organisationTimeZone, p.contentStamp, p.path]);
}

/** Only a plain 200 page is kept, and never its cookies: those belong to the request that set them. */
export function cacheablePage(status: number, headers: Headers): Array<[string, string]> | null {
	if (status !== 200) return null;
	const kept: Array<[string, string]> = [];
	for (const [name, value] of headers) {
		if (name === 'set-cookie') continue;
		kept.push([name, value]);
	}
	return kept;
}

/** Routes whose rendered page depends only on {@link PageKeyParts}. */
const CACHED_ROUTES = new Set(['/(technician)/learn/courses/[course]/[lesson]']);

/** `PAGE_CACHE_BYTES`: the byte budget of reused pages per process (0 turns reuse off); 32 MB by default. */
export function pageCacheBudget(raw: string | undefined): number {
	if (raw === undefined || raw.trim() === '') return 32 * 1024 * 1024;
	if (!/^\d{1,12}$/.test(raw.trim())) throw new Error(`PAGE_CACHE_BYTES must be a whole number of bytes (0 turns page reuse off), not "${raw}".`);
	return Number(raw.trim());
}

const cache = new PageCache(pageCacheBudget(process.env.PAGE_CACHE_BYTES));

/**
 * Serves a signed-in reader's lesson page again without rendering it: the session lookup (one
 * indexed query, already made) carries the version of the reader's progress, and a page rendered
 * for the same user, language, address and version is the same page. Opening a lesson that is
 * already the last one opened writes nothing (see needsOpenedMark), so a hit skips no write.
 * A request that changes a cookie (a renewed session, a language cookie brought in line) is
 * rendered: cookies are added by SvelteKit only to rendered responses.
 */
export const handlePageCache: Handle = async ({ event, resolve }) => {
	const user = event.locals.user;
	if (
		event.request.method !== 'GET' ||
		!user ||
		event.isDataRequest ||
		event.locals.cookiesChanged ||
		!event.route.id ||
		!CACHED_ROUTES.has(event.route.id)
	) {
		return resolve(event);
	}
	const key = pageKey({ ...user, userId: user.id, locale: event.locals.locale, contentStamp: currentContent().stamp, path: event.url.pathname + event.url.search });
	const hit = cache.get(key);
	if (hit) return new Response(hit.body, { status: 200, headers: hit.headers });
	const response = await resolve(event);
	const headers = cacheablePage(response.status, response.headers);
	if (!headers || !response.body) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	cache.set(key, { headers, body });
	return new Response(body, { status: response.status, headers: response.headers });
};

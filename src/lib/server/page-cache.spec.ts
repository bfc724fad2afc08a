import { describe, expect, it } from 'vitest';
import { cacheablePage, PageCache, pageCacheBudget, pageKey, type PageKeyParts } from './page-cache';

const page = (bytes: number) => ({ headers: [['content-type', 'text/html']] as Array<[string, string]>, body: new Uint8Array(bytes) });

describe('PageCache', () => {
	it('returns what was stored under the same key and nothing under another', () => {
		const cache = new PageCache(1000);
		const stored = page(10);
		cache.set('a', stored);
		expect(cache.get('a')).toBe(stored);
		expect(cache.get('b')).toBeUndefined();
	});

	it('stays within its byte budget, evicting the least recently used page first', () => {
		const cache = new PageCache(250);
		cache.set('a', page(99));
		cache.set('b', page(99));
		cache.get('a'); // a is now more recent than b
		cache.set('c', page(99));
		expect(cache.bytes).toBeLessThanOrEqual(250);
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBeDefined();
		expect(cache.get('c')).toBeDefined();
	});

	it('replaces a page stored again under its key without counting it twice', () => {
		const cache = new PageCache(1000);
		cache.set('a', page(100));
		cache.set('a', page(50));
		expect(cache.size).toBe(1);
		expect(cache.bytes).toBe(51);
		expect(cache.get('a')!.body.byteLength).toBe(50);
	});

	it('does not keep a page larger than the whole budget', () => {
		const cache = new PageCache(100);
		cache.set('a', page(10));
		cache.set('big', page(200));
		expect(cache.get('big')).toBeUndefined();
		expect(cache.get('a')).toBeDefined();
	});
});

describe('pageKey', () => {
	const base: PageKeyParts = { userId: 'u1', displayName: 'Tom', email: 't@example.com', roles: ['technician'], locale: 'en', progressStamp: '3:100', timeZone: 'Asia/Shanghai', organisationTimeZone: 'Asia/Shanghai', contentStamp: 7, path: '/learn/courses/c/l' };

	it('differs when anything the page shows or reads differs', () => {
		const variants: Partial<PageKeyParts>[] = [
			{ userId: 'u2' },
			{ displayName: 'Tim' },
			{ email: 'x@example.com' },
			{ roles: ['technician', 'trainer'] },
			{ locale: 'zh-CN' },
			{ progressStamp: '3:101' },
			{ timeZone: 'America/New_York' },
			{ organisationTimeZone: 'Europe/Berlin' },
			{ contentStamp: 8 },
			{ path: '/learn/courses/c/m' },
			{ path: '/learn/courses/c/l?x=1' }
		];
		const keys = new Set([pageKey(base), ...variants.map((v) => pageKey({ ...base, ...v }))]);
		expect(keys.size).toBe(variants.length + 1);
	});

	it('cannot be forged by a field that contains the separator', () => {
		expect(pageKey({ ...base, displayName: 'a","b' })).not.toBe(pageKey({ ...base, displayName: 'a', email: 'b' }));
	});
});

describe('cacheablePage', () => {
	it('keeps the headers of a 200 page but never its cookies', () => {
		const headers = new Headers({ 'content-type': 'text/html', link: '</a.js>; rel=modulepreload' });
		headers.append('set-cookie', 'sr_session=secret; Path=/');
		expect(cacheablePage(200, headers)).toEqual([
			['content-type', 'text/html'],
			['link', '</a.js>; rel=modulepreload']
		]);
	});

	it('keeps no other status', () => {
		for (const status of [201, 301, 303, 404, 500]) expect(cacheablePage(status, new Headers())).toBeNull();
	});
});

describe('pageCacheBudget', () => {
	it('is 32 MB unless set, and takes a whole number of bytes', () => {
		expect(pageCacheBudget(undefined)).toBe(32 * 1024 * 1024);
		expect(pageCacheBudget('')).toBe(32 * 1024 * 1024);
		expect(pageCacheBudget('0')).toBe(0);
		expect(pageCacheBudget(' 1048576 ')).toBe(1048576);
	});

	it('refuses anything else, naming the setting', () => {
		for (const bad of ['32MB', '-1', '1.5', 'lots', '1e9']) expect(() => pageCacheBudget(bad)).toThrow(/PAGE_CACHE_BYTES/);
	});

	it('with a budget of 0, keeps nothing', () => {
		const cache = new PageCache(0);
		cache.set('a', page(1));
		expect(cache.get('a')).toBeUndefined();
	});
});

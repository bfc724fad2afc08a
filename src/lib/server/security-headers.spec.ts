import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config, { ANNOUNCER_STYLE_HASH } from '../../../svelte.config.js';
import { HSTS, PERMISSIONS_POLICY, setSecurityHeaders } from './security-headers';

const sha256 = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;

describe('setSecurityHeaders', () => {
	it('forbids framing, sniffing and unused browser features on every response', () => {
		const headers = new Headers();
		setSecurityHeaders(headers, new URL('http://localhost:3000/learn'));
		expect(headers.get('x-frame-options')).toBe('DENY');
		expect(headers.get('x-content-type-options')).toBe('nosniff');
		expect(headers.get('referrer-policy')).toBe('same-origin');
		expect(headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
		for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(PERMISSIONS_POLICY).toContain(`${feature}=()`);
	});

	it('asks for https only when the app is reached over https', () => {
		const plain = new Headers();
		setSecurityHeaders(plain, new URL('http://localhost:3000/'));
		expect(plain.has('strict-transport-security')).toBe(false);
		const secure = new Headers();
		setSecurityHeaders(secure, new URL('https://serviceready.example/'));
		expect(secure.get('strict-transport-security')).toBe(HSTS);
		expect(HSTS).toBe('max-age=31536000; includeSubDomains');
	});
});

describe('the Content-Security-Policy (svelte.config.js)', () => {
	const csp = config.kit!.csp!;
	const directives = csp.directives!;

	it('uses hashes (pages are cached and served again), no inline script, no framing', () => {
		expect(csp.mode).toBe('hash');
		expect(directives['script-src']).toEqual(['self']);
		expect(directives['style-src']).toEqual(['self']);
		expect(directives['frame-ancestors']).toEqual(['none']);
		expect(directives['object-src']).toEqual(['none']);
		for (const list of Object.values(directives)) expect(list).not.toContain('unsafe-inline');
	});

	it('lets through exactly the style attribute of SvelteKit’s route announcer', () => {
		const require = createRequire(import.meta.url);
		const kitRoot = path.dirname(require.resolve('@sveltejs/kit/package.json'));
		const writeRoot = readFileSync(path.join(kitRoot, 'src/core/sync/write_root.js'), 'utf8');
		const style = /<div id="svelte-announcer"[^>]* style="([^"]+)"/.exec(writeRoot)?.[1];
		expect(style, 'SvelteKit’s announcer moved: update ANNOUNCER_STYLE_HASH').toBeDefined();
		expect(ANNOUNCER_STYLE_HASH).toBe(sha256(style!));
		expect(directives['style-src-attr']).toEqual(['unsafe-hashes', ANNOUNCER_STYLE_HASH]);
	});
});

describe('the static error page (src/error.html)', () => {
	const html = readFileSync(path.resolve('src/error.html'), 'utf8');

	it('carries its own policy, which allows its one style block by hash', () => {
		const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
		expect(policy).toBeDefined();
		const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
		expect(policy).toContain(`style-src '${sha256(style)}'`);
		expect(policy).toContain("script-src 'self'");
		expect(policy).not.toContain('unsafe-inline');
		expect(html).not.toMatch(/\sstyle="/);
	});
});

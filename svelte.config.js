import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
/**
 * SHA-256 of the style attribute SvelteKit gives its route announcer (`#svelte-announcer`,
 * written by @sveltejs/kit's sync/write_root.js): the one inline style the policy lets through.
 * @type {`sha256-${string}`}
 */
export const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	// Lessons are data, not code: they are checked and printed as HTML when published
	// (src/lib/content), never compiled into the app.
	preprocess: [vitePreprocess()],
	compilerOptions: { runes: true },
	kit: {
		// SvelteKit's origin check on form posts stays on (the default): no `csrf` option here.
		// Both can be moved (BUILD_DIR, KIT_OUT_DIR) so that two builds of one tree don't collide.
		adapter: adapter({ out: process.env.BUILD_DIR || 'build' }),
		outDir: process.env.KIT_OUT_DIR || '.svelte-kit',
		// Sent as a header with every rendered page. Hashes, not a nonce: lesson pages are stored
		// and served again (src/lib/server/page-cache.ts), and the hashes travel with the stored
		// page and its header. SvelteKit adds the hash of each inline script it writes; nothing
		// else inline runs. The static error page (src/error.html) carries its own policy.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// Style attributes: none, except the exact one of SvelteKit's navigation announcer
				// (its generated root component). Checked by src/lib/server/security-headers.spec.ts.
				'style-src-attr': ['unsafe-hashes', ANNOUNCER_STYLE_HASH],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;

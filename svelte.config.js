import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { mdsvex } from 'mdsvex';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	extensions: ['.svelte', '.svx'],
	preprocess: [vitePreprocess(), mdsvex({ extensions: ['.svx'] })],
	compilerOptions: {
		// Runes everywhere except markdown, whose mdsvex layouts still use $$props.
		runes: ({ filename }) => (filename.endsWith('.svelte') ? true : undefined)
	},
	onwarn: (warning, handler) => {
		if (warning.code === 'script_context_deprecated' && warning.filename?.endsWith('.svx')) return;
		handler(warning);
	},
	kit: {
		// SvelteKit's origin check on form posts stays on (the default): no `csrf` option here.
		adapter: adapter({ out: 'build' })
	}
};

export default config;

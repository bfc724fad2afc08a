import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { mdsvex } from 'mdsvex';

/**
 * Lessons use the lesson components without importing them: this adds the import to every .svx
 * file, after its frontmatter (the content checker refuses scripts of the authors' own).
 * @returns {import('svelte/compiler').PreprocessorGroup}
 */
function lessonComponents() {
	const script = `<script>\n\timport { Callout, Steps, Figure, DoDont, Term, KnowledgeCheck } from '$lib/components/lesson';\n</script>\n`;
	return {
		name: 'lesson-components',
		markup({ content, filename }) {
			if (!filename?.endsWith('.svx')) return;
			const head = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(content)?.[0] ?? '';
			return { code: head + script + content.slice(head.length) };
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	extensions: ['.svelte', '.svx'],
	preprocess: [vitePreprocess(), lessonComponents(), mdsvex({ extensions: ['.svx'] })],
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
		// Both can be moved (BUILD_DIR, KIT_OUT_DIR) so that two builds of one tree don't collide.
		adapter: adapter({ out: process.env.BUILD_DIR || 'build' }),
		outDir: process.env.KIT_OUT_DIR || '.svelte-kit'
	}
};

export default config;

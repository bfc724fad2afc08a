import path from 'node:path';
import type { Plugin } from 'vite';
import { checkContent, formatProblems } from './check.ts';

const ID = 'virtual:content-index';
const RESOLVED = '\0' + ID;
/** Quizzes and scenarios with answer keys and scores: only server code may import it. */
const GRADED_ID = 'virtual:graded-content';
const GRADED_RESOLVED = '\0' + GRADED_ID;

/**
 * Serves the checked content index as `virtual:content-index`. The build stops with every
 * problem as file:line when content/ has one; the dev server shows them and reloads on each save.
 */
export function contentIndex(): Plugin {
	let root = process.cwd();
	return {
		name: 'serviceready-content-index',
		configResolved(config) {
			root = config.root;
		},
		resolveId(id) {
			if (id === ID) return RESOLVED;
			if (id === GRADED_ID) return GRADED_RESOLVED;
			return undefined;
		},
		async load(id, options) {
			if (id !== RESOLVED && id !== GRADED_RESOLVED) return;
			const inBrowser = this.environment ? this.environment.config.consumer === 'client' : options?.ssr === false;
			if (id === GRADED_RESOLVED && inBrowser) {
				this.error('virtual:graded-content holds answer keys and scenario scores: it may only be imported by server code.');
			}
			const { index, graded, problems, files } = await checkContent(root);
			for (const file of files) this.addWatchFile(file);
			if (problems.length) {
				this.error(`content/ has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`);
			}
			return `export default ${JSON.stringify(id === RESOLVED ? index : graded)};`;
		},
		configureServer(server) {
			const contentDir = path.join(root, 'content');
			server.watcher.add(contentDir);
			const refresh = (file: string) => {
				if (!file.startsWith(contentDir)) return;
				for (const env of Object.values(server.environments)) {
					for (const resolved of [RESOLVED, GRADED_RESOLVED]) {
						const mod = env.moduleGraph.getModuleById(resolved);
						if (mod) env.moduleGraph.invalidateModule(mod);
					}
				}
				server.ws.send({ type: 'full-reload' });
			};
			server.watcher.on('add', refresh);
			server.watcher.on('unlink', refresh);
			server.watcher.on('change', refresh);
		}
	};
}

import path from 'node:path';
import type { Plugin } from 'vite';
import { checkContent, formatProblems } from './check.ts';

const ID = 'virtual:content-index';
const RESOLVED = '\0' + ID;

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
			return id === ID ? RESOLVED : undefined;
		},
		load(id) {
			if (id !== RESOLVED) return;
			const { index, problems, files } = checkContent(root);
			for (const file of files) this.addWatchFile(file);
			if (problems.length) {
				this.error(`content/ has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`);
			}
			return `export default ${JSON.stringify(index)};`;
		},
		configureServer(server) {
			const contentDir = path.join(root, 'content');
			server.watcher.add(contentDir);
			const refresh = (file: string) => {
				if (!file.startsWith(contentDir)) return;
				for (const env of Object.values(server.environments)) {
					const mod = env.moduleGraph.getModuleById(RESOLVED);
					if (mod) env.moduleGraph.invalidateModule(mod);
				}
				server.ws.send({ type: 'full-reload' });
			};
			server.watcher.on('add', refresh);
			server.watcher.on('unlink', refresh);
			server.watcher.on('change', refresh);
		}
	};
}

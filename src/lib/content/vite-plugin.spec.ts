import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { contentIndex } from './vite-plugin';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'content-plugin-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function write(name: string, text: string) {
	fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
	fs.writeFileSync(path.join(root, name), text);
}

write(
	'content/courses/01-demo/course.md',
	['---', 'title:', '  en: Demo', 'summary:', '  en: Demo.', 'category: product', 'productLines: [general]', 'minutes: 5', 'locales: [en]', 'version: 1', '---', ''].join('\n')
);
write('content/courses/01-demo/01-a.en.svx', ['---', 'title: A', 'summary: B', 'minutes: 3', '---', '', '<Video src="x" />', ''].join('\n'));

const EXPECTED = 'content/courses/01-demo/01-a.en.svx:7: unknown component <Video>';

function load() {
	const plugin = contentIndex();
	(plugin.configResolved as unknown as (c: { root: string }) => void)({ root });
	const context = {
		addWatchFile() {},
		error(message: string): never {
			throw new Error(message);
		}
	};
	return (plugin.load as unknown as (this: typeof context, id: string) => Promise<string | undefined>).call(context, '\0virtual:content-index');
}

describe('the content build step', () => {
	it('stops the build with every problem as file:line', async () => {
		await expect(load()).rejects.toThrow(EXPECTED);
	});

	it('serves the index once the content is fixed', async () => {
		write('content/courses/01-demo/01-a.en.svx', ['---', 'title: A', 'summary: B', 'minutes: 3', '---', '', 'Fine now.', ''].join('\n'));
		const code = (await load())!;
		expect(code).toMatch(/^export default /);
		const index = JSON.parse(code.slice('export default '.length, -1));
		expect(index.courses[0].lessons[0].versions.en.file).toBe('/content/courses/01-demo/01-a.en.svx');
		write('content/courses/01-demo/01-a.en.svx', ['---', 'title: A', 'summary: B', 'minutes: 3', '---', '', '<Video src="x" />', ''].join('\n'));
	});

	it('npm run content:check prints file:line and exits with 1', async () => {
		const run = promisify(execFile);
		const result = await run(process.execPath, ['--import', 'tsx', 'src/cli/content-check.ts', '--root', root]).catch(
			(e: { code: number; stderr: string }) => e
		);
		expect(result).toMatchObject({ code: 1 });
		expect((result as { stderr: string }).stderr).toContain(EXPECTED);
		expect((result as { stderr: string }).stderr).toContain('1 problem in content/.');
	});
});

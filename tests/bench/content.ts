// Benchmark (not a test): how the content checker (check and print, as a publish or an import
// runs it) grows from 10 to 1,000 lessons, how fast a process builds the index of what is
// published, and how much JavaScript a lesson page ships. Prints figures from this one run.
//   npx tsx tests/bench/content.ts        (part of `npm run bench`)
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { checkFiles, type ContentFiles } from '../../src/lib/content/check';
import { CHROMIUM_ARGS, findChromium } from '../e2e/browser.js';

const root = path.resolve(import.meta.dirname, '../..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');

function lessonText(course: number, lesson: number): string {
	const paragraph =
		'A technician who arrives on time, protects the floor and explains the work in plain words earns trust that no advertisement can buy. ' +
		'Check the water pressure, look for leaks at every joint, and write down what you replaced and why. ';
	return `---
title: Generated lesson ${lesson} of course ${course}
summary: A generated lesson for measuring how the pipeline grows.
minutes: 6
---

## What to do first

${paragraph.repeat(4)}

<Callout type="tip" title="Before you start">

${paragraph}

</Callout>

<Steps>

1. Confirm the appointment.
2. Protect the floor.
3. Fix the main fault first.

</Steps>

## Why it matters

${paragraph.repeat(4)}

<DoDont do={["Wear shoe covers", "Quote before work"]} dont={["Promise what you cannot control"]} />

<KnowledgeCheck question="What comes first?" options={["The main fault", "Extra services"]} answer={0} explanation="Fix what the customer called about." />

See [the first lesson](/learn/courses/course-${course}/lesson-1).
`;
}

/** `lessons` generated lessons in the content/ format, in memory: what an import or a publish checks. */
function makeFiles(lessons: number): ContentFiles {
	const files: ContentFiles = new Map();
	const perCourse = Math.min(lessons, 50);
	const courses = Math.ceil(lessons / perCourse);
	let made = 0;
	for (let c = 1; c <= courses; c++) {
		const dir = `courses/${String(c).padStart(3, '0')}-course-${c}`;
		files.set(
			`${dir}/course.md`,
			`---\ntitle:\n  en: Generated course ${c}\nsummary:\n  en: Generated for the benchmark.\ncategory: etiquette\nproductLines: [general]\nminutes: 60\nlocales: [en]\nversion: 1\n---\n`
		);
		for (let l = 1; l <= perCourse && made < lessons; l++, made++) files.set(`${dir}/${String(l).padStart(2, '0')}-lesson-${l}.en.svx`, lessonText(c, l));
	}
	return files;
}

/** Median of `runs`: the whole check as a publish runs it, every lesson printed as HTML. */
async function timeCheck(files: ContentFiles, options: { render?: boolean; trusted?: boolean }, runs = 3): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		const { problems, rendered } = await checkFiles(files, { ...options, pictureExists: () => true });
		times.push(performance.now() - t);
		if (problems.length) throw new Error(`generated content has problems: ${problems[0]!.message}`);
		if (options.render && Object.keys(rendered).length === 0) throw new Error('nothing was rendered');
	}
	return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function lessonPageJs(): Promise<{ files: number; gzipBytes: number; rawBytes: number }> {
	spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
	const port = await new Promise<number>((resolve) => {
		const s = http.createServer().listen(0, '127.0.0.1', () => {
			const p = (s.address() as { port: number }).port;
			s.close(() => resolve(p));
		});
	});
	const base = `http://127.0.0.1:${port}`;
	const app = spawn(process.execPath, ['build/index.js'], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, DATA_DIR: 'memory://' },
		stdio: 'ignore'
	});
	try {
		for (let i = 0; i < 300; i++) {
			const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
			if (ok) break;
			await new Promise((r) => setTimeout(r, 50));
		}
		const browser = await chromium.launch({ executablePath: findChromium()?.path, args: CHROMIUM_ARGS });
		const signIn = await browser.newPage();
		await signIn.goto(`${base}/login`);
		await signIn.waitForLoadState('networkidle');
		await signIn.locator('input[name="email"]').fill('technician@example.com');
		await signIn.locator('input[name="password"]').fill('demo-pass-2026');
		await signIn.locator('form:has(input[name="password"]) button[type="submit"]').click();
		await signIn.waitForURL(/\/learn$/);
		// A fresh load of a lesson, as from a bookmark, with nothing cached: every script it needs.
		const fresh = await browser.newContext({ storageState: await signIn.context().storageState() });
		const lesson = await fresh.newPage();
		const scripts = new Map<string, Buffer>();
		lesson.on('response', async (response) => {
			if (response.request().resourceType() === 'script' || response.url().endsWith('.js'))
				scripts.set(response.url(), await response.body().catch(() => Buffer.alloc(0)));
		});
		await lesson.goto(`${base}/learn/courses/complaints/five-steps`, { waitUntil: 'networkidle' });
		await browser.close();
		let gzipBytes = 0;
		let rawBytes = 0;
		for (const body of scripts.values()) {
			rawBytes += body.length;
			gzipBytes += gzipSync(body).length;
		}
		return { files: scripts.size, gzipBytes, rawBytes };
	} finally {
		app.kill('SIGTERM');
	}
}

const small = makeFiles(10);
const large = makeFiles(1000);
const check10 = await timeCheck(small, { render: true });
const check1000 = await timeCheck(large, { render: true });
const index1000 = await timeCheck(large, { trusted: true });
const js = await lessonPageJs();
const rows: Array<[string, string | number]> = [
	['check and print, 10 lessons (ms, median of 3)', check10.toFixed(1)],
	['check and print, 1,000 lessons (ms, median of 3)', check1000.toFixed(1)],
	['growth for 100× the lessons', (check1000 / check10).toFixed(1) + '×'],
	['1,000 lessons / 5 s goal ratio', (check1000 / 5000).toFixed(3)],
	['index of 1,000 published lessons, as each process builds it (ms)', index1000.toFixed(1)],
	['JS for a lesson page: files', js.files],
	['JS for a lesson page: gzip KB', (js.gzipBytes / 1024).toFixed(1)],
	['JS for a lesson page: raw KB', (js.rawBytes / 1024).toFixed(1)],
	['lesson page gzip / 45 KB (before content became data) ratio', (js.gzipBytes / 1024 / 45).toFixed(3)]
];
console.log('ServiceReady content benchmarks');
for (const [k, v] of rows) console.log(`  ${k.padEnd(66)} ${v}`);

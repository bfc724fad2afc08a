// Benchmark (not a test): how the content checker and the build grow from 10 to 1,000 lessons,
// and how much JavaScript a lesson page ships. Prints figures from this one run.
//   npx tsx tests/bench/content.ts        (part of `npm run bench`)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { checkContent } from '../../src/lib/content/check';
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

/** A copy of the project (code and config, node_modules linked) with `lessons` generated lessons. */
function makeProject(lessons: number): string {
	const dir = mkdtempSync(path.join(tmpdir(), `serviceready-bench-${lessons}-`));
	for (const item of ['package.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'project.inlang', 'src', 'static', 'drizzle']) {
		cpSync(path.join(root, item), path.join(dir, item), { recursive: true, filter: (src) => !src.includes(`${path.sep}paraglide${path.sep}`) && !src.endsWith(`${path.sep}paraglide`) });
	}
	symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	const perCourse = Math.min(lessons, 50);
	const courses = Math.ceil(lessons / perCourse);
	let made = 0;
	for (let c = 1; c <= courses; c++) {
		const courseDir = path.join(dir, 'content', 'courses', `${String(c).padStart(3, '0')}-course-${c}`);
		mkdirSync(courseDir, { recursive: true });
		writeFileSync(
			path.join(courseDir, 'course.md'),
			`---\ntitle:\n  en: Generated course ${c}\nsummary:\n  en: Generated for the benchmark.\ncategory: etiquette\nproductLines: [general]\nminutes: 60\nlocales: [en]\nversion: 1\n---\n`
		);
		for (let l = 1; l <= perCourse && made < lessons; l++, made++) {
			writeFileSync(path.join(courseDir, `${String(l).padStart(2, '0')}-lesson-${l}.en.svx`), lessonText(c, l));
		}
	}
	return dir;
}

async function timeCheck(dir: string, runs = 5): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		const { problems } = await checkContent(dir);
		times.push(performance.now() - t);
		if (problems.length) throw new Error(`generated content has problems: ${problems[0]!.message}`);
	}
	return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

function timeBuild(dir: string): number {
	const t = performance.now();
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
	if (result.status !== 0) throw new Error(`build failed in ${dir}`);
	return performance.now() - t;
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

const small = makeProject(10);
const large = makeProject(1000);
try {
	const check10 = await timeCheck(small);
	const check1000 = await timeCheck(large);
	const build10 = timeBuild(small);
	const build1000 = timeBuild(large);
	const js = await lessonPageJs();
	const rows: Array<[string, string | number]> = [
		['content:check, 10 lessons (ms, median of 5)', check10.toFixed(1)],
		['content:check, 1,000 lessons (ms, median of 5)', check1000.toFixed(1)],
		['content:check growth for 100× the lessons', (check1000 / check10).toFixed(1) + '×'],
		['vite build, 10 lessons (s)', (build10 / 1000).toFixed(1)],
		['vite build, 1,000 lessons (s)', (build1000 / 1000).toFixed(1)],
		['vite build growth for 100× the lessons', (build1000 / build10).toFixed(2) + '×'],
		['JS for a lesson page: files', js.files],
		['JS for a lesson page: gzip KB', (js.gzipBytes / 1024).toFixed(1)],
		['JS for a lesson page: raw KB', (js.rawBytes / 1024).toFixed(1)]
	];
	console.log('ServiceReady content benchmarks');
	for (const [k, v] of rows) console.log(`  ${k.padEnd(50)} ${v}`);
} finally {
	rmSync(small, { recursive: true, force: true });
	rmSync(large, { recursive: true, force: true });
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { createDb, pgliteClient, type DbHandle } from '../../src/lib/server/db';
import { importShippedContent, publishedPackages, stampOf } from '../../src/lib/server/content/store';
import { buildSnapshot } from '../../src/lib/server/content/registry';

/** Publishes content/ into a new template and hands its snapshot to every test file. */
async function prepareContent(project: TestProject, handle: DbHandle) {
	await importShippedContent(handle.db);
	const packages = await publishedPackages(handle.db);
	const snapshot = await buildSnapshot(packages, await stampOf(handle.db));
	project.provide('contentSnapshot', JSON.stringify(snapshot));
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** A dump of a migrated embedded database, cloned by each test file. */
		pgliteTemplate: string;
		/** With DATABASE_URL: a migrated database each test file copies with CREATE DATABASE … TEMPLATE. */
		pgTemplateDb: string;
		/** Names this run's server databases, so that teardown drops exactly those. */
		runId: string;
		/** The published content of the template (the shipped content/ as version 1), as served. */
		contentSnapshot: string;
	}
}

/**
 * Migrates once per run: an embedded template dumped to a file, or, when DATABASE_URL is set,
 * a template database on the server. Each test file then starts from a copy of it.
 */
export default async function setup(project: TestProject) {
	const url = process.env.DATABASE_URL;
	const runId = `${process.pid}x${Date.now().toString(36)}`;
	project.provide('runId', runId);
	if (url) {
		const name = `sr_template_${runId}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}"`);
		const templateUrl = new URL(url);
		templateUrl.pathname = `/${name}`;
		const handle = await createDb({ url: templateUrl.toString(), max: 1 });
		await handle.migrate();
		await prepareContent(project, handle);
		await handle.close();
		project.provide('pgTemplateDb', name);
		project.provide('pgliteTemplate', '');
		return async () => {
			const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${'sr_test_' + runId + '_%'}`;
			for (const { datname } of leftovers) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
			await admin.end();
		};
	}
	const dir = mkdtempSync(path.join(tmpdir(), 'serviceready-template-'));
	const handle = await createDb({ dataDir: 'memory://' });
	await handle.migrate();
	await prepareContent(project, handle);
	const dump = await pgliteClient(handle.db).dumpDataDir('none');
	const file = path.join(dir, 'template.tar');
	writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	await handle.close();
	project.provide('pgliteTemplate', file);
	project.provide('pgTemplateDb', '');
	return () => rmSync(dir, { recursive: true, force: true });
}

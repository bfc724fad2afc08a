import { error } from '@sveltejs/kit';
import type { Db } from '../db/index.ts';
import { checkDraft } from './drafts.ts';
import { changeCourseFile, courseFiles, type QuizSave } from './quiz-studio.ts';
import { findScenario } from '../assessment/catalog.ts';
import { bestPathChoices, bestScores, checkScenarioGraph, worstTotal } from '../scenario/graph.ts';
import { readScenarioFile, writeScenarioFile, type ScenarioFile } from '../../content/scenario-file.ts';
import { m } from '../../paraglide/messages.js';

/** The scenario editor's view: the file's data, the draft revision, the checker's problems and the graph facts. */
export async function scenarioState(db: Db, slug: string, scenario: string) {
	const course = await courseFiles(db, slug);
	const path = course.dir ? `${course.dir}/${scenario}.scenario.md` : null;
	if (!path || !(path in course.files)) error(404, m.studio_no_scenario());
	const text = course.files[path]!;
	const data = readScenarioFile(text);
	const { problems, result } = course.draft.length ? await checkDraft(db, { kind: 'course', key: slug }, course.files, { only: [path] }) : { problems: [], result: null };
	// The scenario as the checker reads it: the draft's when there is one, else the published one.
	const checked = result ? (result.graded.scenarios.find((s) => s.courseSlug === slug && s.id === scenario) ?? null) : (findScenario(slug, scenario) ?? null);
	const graphOk = checked !== null && checkScenarioGraph(checked).length === 0;
	return {
		course,
		path,
		text,
		data,
		revision: course.draft.find((f) => f.path === path)?.revision ?? 0,
		problems: problems.filter((p) => p.file === path),
		warnings: result?.warnings.filter((w) => w.file === path) ?? [],
		checked,
		best: graphOk ? bestPathChoices(checked) : new Map<string, Set<string>>(),
		scores: graphOk ? { ...bestScores(checked), worst: worstTotal(checked) } : null
	};
}

export function changeScenario(
	db: Db,
	input: { slug: string; scenario: string; revision: number; userId: string | null },
	change: (file: ScenarioFile) => ScenarioFile | { error: string }
): Promise<QuizSave> {
	return changeCourseFile(
		db,
		{ slug: input.slug, name: `${input.scenario}.scenario.md`, revision: input.revision, userId: input.userId },
		(text) => {
			const data = readScenarioFile(text);
			if (!data) return { error: m.studio_scenario_unreadable() };
			const changed = change(data);
			return 'error' in changed ? changed : writeScenarioFile(changed);
		},
		m.studio_no_scenario()
	);
}

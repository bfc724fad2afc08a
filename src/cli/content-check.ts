// `npm run content:check`: validates everything under content/ and prints file:line: message.
// `--root <dir>` checks another project folder (its content/ and static/).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkContent, formatProblems } from '../lib/content/check';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = path.resolve(values.root ?? process.cwd());
const started = performance.now();
const { index, graded, problems, warnings } = await checkContent(root);
// Item-writing warnings (test-wiseness) are printed, never fatal: they do not stop a publish either.
for (const w of warnings) console.warn(`warning: ${w.file}:${w.line}: ${w.message}`);
const lessons = index.courses.reduce((n, c) => n + c.lessons.length, 0);
if (problems.length) {
	console.error(formatProblems(problems));
	console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} in content/.`);
	process.exit(1);
}
console.log(
	`content/ is fine: ${index.courses.length} courses, ${lessons} lessons, ${graded.quizzes.length} quizzes, ${graded.scenarios.length} scenarios, ${graded.certifications.length} certifications, ${warnings.length} item-writing warning${warnings.length === 1 ? '' : 's'} (${Math.round(performance.now() - started)} ms).`
);

// `npm run content:check`: validates everything under content/ and prints file:line: message.
import { checkContent, formatProblems } from '../lib/content/check';

const started = performance.now();
const { index, problems } = checkContent(process.cwd());
const lessons = index.courses.reduce((n, c) => n + c.lessons.length, 0);
if (problems.length) {
	console.error(formatProblems(problems));
	console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} in content/.`);
	process.exit(1);
}
console.log(`content/ is fine: ${index.courses.length} courses, ${lessons} lessons (${Math.round(performance.now() - started)} ms).`);

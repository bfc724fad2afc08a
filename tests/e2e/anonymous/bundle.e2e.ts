import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '../fixtures';
import { readQuiz, scenarioFeedback, secretTexts } from '../quiz-keys';

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
	return readdirSync(dir).flatMap((name) => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? filesUnder(file, keep) : keep(file) ? [file] : [];
	});
}

test('no answer key, explanation or scenario feedback is in any file built for the browser', () => {
	// Lessons are public teaching text: a sentence that also stands in a lesson is not a secret.
	const lessons = filesUnder('content/courses', (f) => f.endsWith('.svx'))
		.map((f) => readFileSync(f, 'utf8'))
		.join('\n');
	const secrets = [
		...secretTexts(readQuiz('02-complaints', 'final-exam')),
		...secretTexts(readQuiz('04-ro-purifier', 'final-exam')),
		...secretTexts(readQuiz('01-home-visit', 'final-exam')),
		...scenarioFeedback('02-complaints', 'leaking-purifier'),
		...scenarioFeedback('01-home-visit', 'elderly-parent')
	].filter((s) => !lessons.includes(s));
	expect(secrets.length).toBeGreaterThan(50);
	const files = filesUnder(`${process.env.BUILD_DIR || 'build'}/client`, (f) => !/\.(gz|br|png|jpg|svg|ico|woff2?)$/.test(f));
	expect(files.some((f) => f.endsWith('.js'))).toBe(true);
	const leaks: string[] = [];
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		if (text.includes('virtual:graded-content')) leaks.push(`${file}: names the graded module`);
		for (const secret of secrets) if (text.includes(secret)) leaks.push(`${file}: “${secret.slice(0, 40)}…”`);
	}
	expect(leaks).toEqual([]);
});

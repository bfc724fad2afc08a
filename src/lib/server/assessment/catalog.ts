import { currentContent } from '../content/registry';
import type { Quiz } from './types';
import type { Scenario } from '../scenario/types';

/** Published quizzes and scenarios; this module is server-only (keys inside). */
export function quizzesOf(courseSlug: string): Quiz[] {
	return currentContent().graded.quizzes.filter((q) => q.courseSlug === courseSlug);
}

export function findQuiz(courseSlug: string, quizId: string): Quiz | undefined {
	return currentContent().graded.quizzes.find((q) => q.courseSlug === courseSlug && q.id === quizId);
}

export function allQuizzes(): Quiz[] {
	return currentContent().graded.quizzes;
}

export function scenariosOf(courseSlug: string): Scenario[] {
	return currentContent().graded.scenarios.filter((s) => s.courseSlug === courseSlug);
}

export function findScenario(courseSlug: string, scenarioId: string): Scenario | undefined {
	return currentContent().graded.scenarios.find((s) => s.courseSlug === courseSlug && s.id === scenarioId);
}

export function allScenarios(): Scenario[] {
	return currentContent().graded.scenarios;
}

/** Ids of the quizzes a course requires to be passed before it is complete. */
export function requiredQuizzes(courseSlug: string): string[] {
	return quizzesOf(courseSlug)
		.filter((q) => q.required)
		.map((q) => q.id);
}

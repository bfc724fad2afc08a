import graded from 'virtual:graded-content';
import type { Quiz } from './types';
import type { Scenario } from '../scenario/types';

/** Quizzes and scenarios as checked at build time; this module is server-only (keys inside). */
export function quizzesOf(courseSlug: string): Quiz[] {
	return graded.quizzes.filter((q) => q.courseSlug === courseSlug);
}

export function findQuiz(courseSlug: string, quizId: string): Quiz | undefined {
	return graded.quizzes.find((q) => q.courseSlug === courseSlug && q.id === quizId);
}

export function allQuizzes(): Quiz[] {
	return graded.quizzes;
}

export function scenariosOf(courseSlug: string): Scenario[] {
	return graded.scenarios.filter((s) => s.courseSlug === courseSlug);
}

export function findScenario(courseSlug: string, scenarioId: string): Scenario | undefined {
	return graded.scenarios.find((s) => s.courseSlug === courseSlug && s.id === scenarioId);
}

export function allScenarios(): Scenario[] {
	return graded.scenarios;
}

/** Ids of the quizzes a course requires to be passed before it is complete. */
export function requiredQuizzes(courseSlug: string): string[] {
	return quizzesOf(courseSlug)
		.filter((q) => q.required)
		.map((q) => q.id);
}

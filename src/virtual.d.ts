declare module 'virtual:content-index' {
	const index: import('$lib/content/schema').ContentIndex;
	export default index;
}

declare module 'virtual:graded-content' {
	const graded: {
		quizzes: import('$lib/server/assessment/types').Quiz[];
		scenarios: import('$lib/server/scenario/types').Scenario[];
		certifications: Array<import('$lib/server/certification/types').CertificationDefinition & { summary: Record<string, string> }>;
	};
	export default graded;
}

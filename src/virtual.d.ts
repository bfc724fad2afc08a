declare module 'virtual:content-index' {
	const index: import('$lib/content/schema').ContentIndex;
	export default index;
}

declare module 'virtual:graded-content' {
	const graded: {
		quizzes: import('$lib/server/assessment/types').Quiz[];
		scenarios: import('$lib/server/scenario/types').Scenario[];
	};
	export default graded;
}

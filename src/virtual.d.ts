declare module 'virtual:content-index' {
	const index: import('$lib/content/schema').ContentIndex;
	export default index;
}

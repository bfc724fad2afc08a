// Components a lesson (.svx) may use without importing them: the build adds this import to every
// lesson, and `npm run content:check` refuses any other capitalised tag.
export { default as Callout } from './Callout.svelte';
export { default as Steps } from './Steps.svelte';
export { default as Figure } from './Figure.svelte';
export { default as DoDont } from './DoDont.svelte';
export { default as Term } from './Term.svelte';
export { default as KnowledgeCheck } from './KnowledgeCheck.svelte';

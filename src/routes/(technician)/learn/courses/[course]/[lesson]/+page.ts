import { error } from '@sveltejs/kit';
import type { Component } from 'svelte';
import type { PageLoad } from './$types';

/** Lessons are compiled at build time and loaded on demand: only this lesson's code is fetched. */
const lessons = import.meta.glob<{ default: Component }>('/content/courses/*/*.svx');

export const load: PageLoad = async ({ data }) => {
	const load = lessons[data.file];
	if (!load) error(404, 'This lesson is not available.');
	const module = await load();
	return { ...data, component: module.default };
};

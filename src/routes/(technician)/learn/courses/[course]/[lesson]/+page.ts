import { error } from '@sveltejs/kit';
import type { Component } from 'svelte';
import type { PageLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';

/** Lessons are compiled at build time and loaded on demand: only this lesson's code is fetched. */
const lessons = import.meta.glob<{ default: Component }>('/content/courses/*/*.svx');

export const load: PageLoad = async ({ data }) => {
	const load = lessons[data.file];
	if (!load) error(404, m.error_lesson_unavailable());
	const module = await load();
	return { ...data, component: module.default };
};

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { CATEGORIES, PRODUCT_LINES, type Category, type ProductLine } from '$lib/content/schema';
import { cardsFor } from '$lib/server/learning';
import { m } from '$lib/paraglide/messages.js';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) error(401, m.error_sign_in_again());
	const category = url.searchParams.get('category') ?? '';
	const line = url.searchParams.get('line') ?? '';
	if (category && !(CATEGORIES as readonly string[]).includes(category)) error(400, m.error_unknown_category({ value: category.slice(0, 40) }));
	if (line && !(PRODUCT_LINES as readonly string[]).includes(line)) error(400, m.error_unknown_line({ value: line.slice(0, 40) }));
	const cards = await cardsFor(locals.db, locals.user.id, locals.locale);
	return {
		courses: cards.filter(
			(c) => (!category || c.category === category) && (!line || c.productLines.includes(line as ProductLine))
		),
		filter: { category: category as Category | '', line: line as ProductLine | '' },
		categories: CATEGORIES,
		lines: PRODUCT_LINES
	};
};

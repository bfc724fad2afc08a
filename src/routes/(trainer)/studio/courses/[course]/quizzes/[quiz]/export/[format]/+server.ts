import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { exportBank } from '$lib/server/content/bank';
import { m } from '$lib/paraglide/messages.js';

/** The quiz (its draft when there is one) as a GIFT or Moodle XML file, in one language. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const format = params.format === 'gift' || params.format === 'moodle-xml' ? params.format : null;
	if (!format) error(404, m.studio_bank_format());
	const lang = url.searchParams.get('lang') ?? locals.locale ?? 'en';
	const locale = lang === 'zh-CN' ? 'zh-CN' : lang === 'en' ? 'en' : null;
	if (!locale) error(400, m.studio_bank_language_bad());
	const result = await exportBank(locals.db, { slug: params.course, quiz: params.quiz, format, locale });
	if (!result.ok) error(404, result.message);
	const name = `${params.course}-${params.quiz}.${locale}.${format === 'gift' ? 'gift.txt' : 'xml'}`;
	return new Response(result.text, {
		headers: {
			'content-type': format === 'gift' ? 'text/plain; charset=utf-8' : 'application/xml; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
};

import { listCertifications } from '../certification/catalog';
import type { JobTypeDraft } from './rules';
import { m } from '../../paraglide/messages.js';

/**
 * Reads the job type form: `name`, `productLine`, and `level.<certificationId>` per certification
 * ('' = not required, else the minimum level). Field names outside that shape are ignored; a
 * level that is not a whole number is kept as NaN so that validation refuses it.
 */
export async function readJobTypeForm(request: Request): Promise<{ ok: true; draft: JobTypeDraft; values: Record<string, string> } | { ok: false; status: 400 | 413; message: string }> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch (e) {
		if ((e as { status?: number }).status === 413) return { ok: false, status: 413, message: m.form_too_large() };
		return { ok: false, status: 400, message: m.form_unreadable() };
	}
	const values: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string') return { ok: false, status: 400, message: m.form_not_file() };
		if (value.includes('\uFFFD')) return { ok: false, status: 400, message: m.form_not_utf8() };
		if (value.includes('\u0000')) return { ok: false, status: 400, message: m.form_nul() };
		values[key] = value.slice(0, 300);
	}
	const requirements: JobTypeDraft['requirements'] = [];
	for (const [key, value] of Object.entries(values)) {
		if (!key.startsWith('level.') || value === '') continue;
		requirements.push({ certificationId: key.slice('level.'.length), minLevel: /^\d$/.test(value) ? Number(value) : Number.NaN });
	}
	return { ok: true, draft: { name: values.name ?? '', productLine: values.productLine ?? '', requirements }, values };
}

/** The job type problems as messages beside their fields. */
export function jobTypeErrors(problems: Record<string, string>): Record<string, string> {
	const titles = Object.fromEntries(listCertifications().map((c) => [c.id, c.title.en ?? c.id]));
	const out: Record<string, string> = {};
	for (const [field, problem] of Object.entries(problems)) {
		if (field === 'name') out.name = problem === 'taken' ? m.jobtype_name_taken() : problem === 'too-long' ? m.form_too_long({ label: m.jobtype_name(), max: 120 }) : m.form_required({ label: m.jobtype_name() });
		else if (field === 'productLine') out.productLine = problem === 'unknown' ? m.jobtype_line_unknown() : m.form_required({ label: m.jobtype_product_line() });
		else {
			const id = field.slice('requirements.'.length);
			out[field] = problem === 'unknown-certification' ? m.jobtype_cert_unknown({ id: id.slice(0, 60) }) : m.jobtype_level_range({ title: titles[id] ?? id });
		}
	}
	return out;
}

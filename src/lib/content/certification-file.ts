import { parse, stringify } from 'yaml';
import { certificationSchema } from './certification.ts';
import { CONTENT_LOCALES, type ContentLocale } from './schema.ts';
import type { FormResult, Fields } from './quiz-file.ts';

/**
 * A certification file (`certifications/<id>.md`, frontmatter only) as the studio edits it.
 * Requirements are chosen as `course:<slug>`, `quiz:<course>/<id>` or `scenario:<course>/<id>`
 * with a minimum score for quizzes and scenarios; the checker then applies the same rules as to
 * a hand-written file (everything named exists, the renewal window fits in the validity).
 */

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
export const MAX_LEVELS = 3;

export function readCertificationFile(text: string): Plain | null {
	const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?[\s\S]*$/.exec(text);
	if (!m) return null;
	try {
		const data: unknown = parse(m[1]!);
		return isPlain(data) ? data : null;
	} catch {
		return null;
	}
}

export function writeCertificationFile(data: Plain): string {
	return `---\n${stringify(data, { lineWidth: 0, flowCollectionPadding: false })}---\n`;
}

/** A requirement as the editor's select shows it: `quiz:complaints/final-exam`. */
export function requirementRef(r: unknown): string {
	if (!isPlain(r)) return '';
	if (typeof r.course === 'string') return `course:${r.course}`;
	if (typeof r.quiz === 'string') return `quiz:${r.quiz}`;
	if (typeof r.scenario === 'string') return `scenario:${r.scenario}`;
	return '';
}

const value = (f: Fields, name: string): string => {
	const v = f[name];
	return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};

function texts(f: Fields, prefix: string) {
	const out: Partial<Record<ContentLocale, string>> = {};
	for (const l of CONTENT_LOCALES) if (value(f, `${prefix}.${l}`)) out[l] = value(f, `${prefix}.${l}`);
	return out;
}

function rowNumbers(f: Fields, prefix: string): number[] {
	const n = new Set<number>();
	for (const key of Object.keys(f)) {
		const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d{1,2})\\.ref$`).exec(key);
		if (m) n.add(Number(m[1]));
	}
	return [...n].sort((a, b) => a - b);
}

function requirements(f: Fields, prefix: string, errors: Record<string, string>): Plain[] {
	return rowNumbers(f, prefix).flatMap((n): Plain[] => {
		const ref = value(f, `${prefix}.${n}.ref`);
		if (!ref) return [];
		const [kind, target] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
		if (kind === 'course') return [{ course: target }];
		if (kind !== 'quiz' && kind !== 'scenario') {
			errors[`${prefix}.${n}.ref`] = 'choose a course, quiz or scenario';
			return [];
		}
		const raw = value(f, `${prefix}.${n}.minScore`);
		const minScore = Number(raw);
		if (raw === '' || !Number.isFinite(minScore)) {
			errors[`${prefix}.${n}.minScore`] = 'give the minimum score, from 0 to 100';
			return [];
		}
		return [{ [kind]: target, minScore }];
	});
}

/** The certification's frontmatter from the editor's fields, checked by the certification schema. */
export function certificationFromFields(f: Fields): FormResult<Plain> {
	const errors: Record<string, string> = {};
	const int = (name: string) => {
		const n = Number(value(f, name));
		if (value(f, name) === '' || !Number.isInteger(n)) errors[name] = 'must be a whole number of days';
		return n;
	};
	const levels: Plain[] = [];
	for (let l = 0; l < MAX_LEVELS; l++) {
		const reqs = requirements(f, `levels.${l}`, errors);
		if (reqs.length) levels.push({ requirements: reqs });
	}
	const data: Plain = {
		title: texts(f, 'title'),
		summary: texts(f, 'summary'),
		validityDays: int('validityDays'),
		renewalWindowDays: int('renewalWindowDays'),
		levels,
		renewal: requirements(f, 'renewal', errors)
	};
	if (!levels.length) errors.levels = 'level 1 needs at least one requirement';
	if (Object.keys(errors).length) return { ok: false, errors };
	const checked = certificationSchema.safeParse(data);
	if (!checked.success) {
		const out: Record<string, string> = {};
		for (const issue of checked.error.issues) out[issue.path.length ? issue.path.map(String).join('.') : 'form'] ??= issue.message;
		return { ok: false, errors: out };
	}
	return { ok: true, value: data };
}

/** The editor's fields for a certification: the inverse of {@link certificationFromFields}. */
export function certificationToFields(data: Plain): Record<string, string> {
	const out: Record<string, string> = { validityDays: String(data.validityDays ?? ''), renewalWindowDays: String(data.renewalWindowDays ?? '') };
	for (const key of ['title', 'summary'] as const) {
		const v = data[key];
		if (isPlain(v)) for (const l of CONTENT_LOCALES) if (typeof v[l] === 'string') out[`${key}.${l}`] = v[l];
	}
	const put = (prefix: string, list: unknown) =>
		(Array.isArray(list) ? list : []).forEach((r, i) => {
			out[`${prefix}.${i}.ref`] = requirementRef(r);
			if (isPlain(r) && typeof r.minScore === 'number') out[`${prefix}.${i}.minScore`] = String(r.minScore);
		});
	(Array.isArray(data.levels) ? data.levels : []).forEach((level, l) => put(`levels.${l}`, isPlain(level) ? level.requirements : []));
	put('renewal', data.renewal);
	return out;
}

/** A new certification: one level requiring the course given, valid for a year. */
export function newCertificationFile(input: { title: Partial<Record<ContentLocale, string>>; summary: Partial<Record<ContentLocale, string>>; course: string }): string {
	return writeCertificationFile({ title: input.title, summary: input.summary, validityDays: 365, renewalWindowDays: 60, levels: [{ requirements: [{ course: input.course }] }], renewal: [] });
}

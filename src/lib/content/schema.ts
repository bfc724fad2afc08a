import { z } from 'zod';

/** Frontmatter schemas shared by the build, the checker and the server. */

export const CONTENT_LOCALES = ['en', 'zh-CN'] as const;
export type ContentLocale = (typeof CONTENT_LOCALES)[number];

export const CATEGORIES = ['product', 'etiquette', 'communication'] as const;
export type Category = (typeof CATEGORIES)[number];

export const PRODUCT_LINES = ['water-purifier', 'home-appliance', 'beauty-counter', 'general'] as const;
export type ProductLine = (typeof PRODUCT_LINES)[number];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const perLocale = (max: number) => z.partialRecord(z.enum(CONTENT_LOCALES), text(max));

export const courseSchema = z
	.object({
		title: perLocale(120),
		summary: perLocale(400),
		category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
		productLines: z.array(z.enum(PRODUCT_LINES, { error: `must be among ${PRODUCT_LINES.join(', ')}` })).min(1, 'name at least one product line'),
		minutes: z.number({ error: 'must be a number of minutes' }).int('must be a whole number').min(1).max(6000),
		locales: z
			.array(z.enum(CONTENT_LOCALES, { error: `must be among ${CONTENT_LOCALES.join(', ')}` }))
			.min(1, 'name at least one locale')
			.refine((l) => new Set(l).size === l.length, 'lists a locale twice'),
		version: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1)
	})
	.strict()
	.superRefine((course, ctx) => {
		for (const locale of course.locales) {
			for (const key of ['title', 'summary'] as const) {
				if (!course[key][locale]) ctx.addIssue({ code: 'custom', path: [key], message: `has no ${locale} text, but locales lists ${locale}` });
			}
		}
	});
export type CourseFrontmatter = z.infer<typeof courseSchema>;

export const lessonSchema = z
	.object({
		title: text(120),
		summary: text(400),
		minutes: z.number({ error: 'must be a number of minutes' }).int('must be a whole number').min(1).max(120)
	})
	.strict();
export type LessonFrontmatter = z.infer<typeof lessonSchema>;

/** The components a lesson may use (see src/lib/components/lesson). */
export const LESSON_COMPONENTS = ['Callout', 'Steps', 'Figure', 'DoDont', 'Term', 'KnowledgeCheck'] as const;

export interface LessonEntry {
	slug: string;
	order: number;
	/** Per written locale: frontmatter and the file, as a key of `import.meta.glob('/content/courses/*\/*.svx')`. */
	versions: Partial<Record<ContentLocale, LessonFrontmatter & { file: string }>>;
}

export interface CourseEntry {
	slug: string;
	order: number;
	dir: string;
	title: Partial<Record<ContentLocale, string>>;
	summary: Partial<Record<ContentLocale, string>>;
	category: Category;
	productLines: ProductLine[];
	minutes: number;
	locales: ContentLocale[];
	version: number;
	/** The newest version published as a material change: completions of older versions no longer count. */
	relearnVersion?: number;
	lessons: LessonEntry[];
}

export interface ContentIndex {
	courses: CourseEntry[];
}

import { z } from 'zod';
import { CONTENT_LOCALES } from './schema.ts';

/** Schemas of graded files (quizzes, scenarios): server-only content, checked like the rest. */

const id = z
	.string({ error: 'must be a kebab-case id' })
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id (a-z, 0-9, -)')
	.max(60, 'must be at most 60 characters');
const localized = z.partialRecord(z.enum(CONTENT_LOCALES), z.string().trim().min(1, 'must not be empty').max(2000, 'is too long'));
const tags = z.array(id).max(10).default([]);
const points = z.number().positive('must be above 0').max(100).default(1);

const option = z.object({ id, text: localized, correct: z.boolean().default(false), explanation: localized.optional() }).strict();
/** A picture shown with the question: an uploaded picture's address (`/media/<sha256>.<ext>`). */
const picture = z
	.string()
	.regex(/^\/media\/[0-9a-f]{64}\.(?:png|jpg|webp)$/, 'must be the address of an uploaded picture (/media/…)')
	.optional();
const base = { id, tags, points, prompt: localized, explanation: localized.optional(), picture };

export const questionSchema = z.discriminatedUnion(
	'type',
	[
		z
			.object({ ...base, type: z.literal('single'), options: z.array(option).min(2, 'needs at least 2 options').max(8, 'has more than 8 options') })
			.strict()
			.refine((q) => q.options.filter((o) => o.correct).length === 1, { message: 'needs exactly one option with correct: true', path: ['options'] }),
		z
			.object({
				...base,
				type: z.literal('multiple'),
				scoring: z.enum(['all-or-nothing', 'partial']).default('all-or-nothing'),
				options: z.array(option).min(2, 'needs at least 2 options').max(8, 'has more than 8 options')
			})
			.strict()
			.refine((q) => q.options.some((o) => o.correct), { message: 'needs at least one option with correct: true', path: ['options'] }),
		z.object({ ...base, type: z.literal('truefalse'), answer: z.boolean({ error: 'answer must be true or false' }) }).strict(),
		z
			.object({
				...base,
				type: z.literal('ordering'),
				scoring: z.enum(['all-or-nothing', 'partial']).default('all-or-nothing'),
				items: z.array(z.object({ id, text: localized }).strict()).min(3, 'needs at least 3 items').max(8, 'has more than 8 items')
			})
			.strict(),
		z
			.object({
				...base,
				type: z.literal('matching'),
				pairs: z.array(z.object({ id, left: localized, right: localized }).strict()).min(2, 'needs at least 2 pairs').max(8, 'has more than 8 pairs'),
				/** Extra answers in the right column that match nothing. */
				distractors: z.array(localized).max(6, 'has more than 6 distractors').optional()
			})
			.strict(),
		z
			.object({
				...base,
				type: z.literal('numeric'),
				answer: z.number({ error: 'answer must be a number' }),
				tolerance: z.number().min(0, 'must not be negative').default(0),
				unit: z.string().max(20).optional()
			})
			.strict(),
		z
			.object({
				...base,
				type: z.literal('text'),
				accept: z.array(z.string().min(1).max(200)).min(1, 'needs at least one accepted answer'),
				pattern: z
					.string()
					.max(300)
					.refine((p) => {
						try {
							new RegExp(p, 'iu');
							return true;
						} catch {
							return false;
						}
					}, 'is not a valid regular expression')
					.optional()
			})
			.strict()
	],
	{ error: 'type must be one of single, multiple, truefalse, ordering, matching, numeric, text' }
);

export const quizSettingsSchema = z
	.object({
		title: localized,
		kind: z.enum(['practice', 'exam'], { error: 'kind must be practice or exam' }),
		passMark: z.number().min(0).max(100),
		timeLimitMinutes: z.number().int().min(0).max(600).default(0),
		attempts: z.number().int().min(0).max(100).default(0),
		cooldownMinutes: z.number().int().min(0).max(60 * 24 * 30).default(0),
		review: z.enum(['explanations', 'score'], { error: 'review must be explanations or score' }),
		shuffleQuestions: z.boolean().default(true),
		shuffleOptions: z.boolean().default(true),
		required: z.boolean().default(false),
		lessons: z.array(id).default([]),
		draw: z.array(z.object({ tag: id, count: z.number().int().min(1) }).strict()).default([]),
		/** Titles of the tags shown as topics in results (tag → text per language). */
		topics: z.record(id, localized).default({})
	})
	.strict();

const mood = z.enum(['furious', 'angry', 'upset', 'worried', 'neutral', 'calm', 'pleased'], {
	error: 'mood must be furious, angry, upset, worried, neutral, calm or pleased'
});
const scores = z
	.object({
		listening: z.number().min(-10).max(10).optional(),
		empathy: z.number().min(-10).max(10).optional(),
		problemSolving: z.number().min(-10).max(10).optional(),
		professionalism: z.number().min(-10).max(10).optional(),
		productAccuracy: z.number().min(-10).max(10).optional()
	})
	.strict();

/** A reply named by its node: `node-id.reply-id`. */
const replyRef = z
	.string({ error: 'must name a reply as node-id.reply-id' })
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must name a reply as node-id.reply-id')
	.max(121, 'is too long');

export const scenarioNodeSchema = z
	.object({
		id,
		speaker: localized.optional(),
		mood,
		line: localized,
		choices: z
			.array(z.object({ id, text: localized, feedback: localized, scores: scores.default({}), next: id }).strict())
			.max(6, 'has more than 6 choices')
			.default([]),
		outcome: z.enum(['resolved', 'escalated', 'lost'], { error: 'outcome must be resolved, escalated or lost' }).optional(),
		summary: localized.optional(),
		/** Endings only: replies ("node.reply") the ending's text says were made on the way… */
		assumes: z.array(replyRef).max(20, 'lists more than 20 replies').optional(),
		/** …and replies it says were not made. The checker proves every path agrees. */
		excludes: z.array(replyRef).max(20, 'lists more than 20 replies').optional()
	})
	.strict();

export const scenarioSettingsSchema = z
	.object({ title: localized, summary: localized, passMark: z.number().min(0).max(100), start: id })
	.strict();

import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { API_SCOPES } from '../db/schema';
import { DURATION_MAX, OVERRIDE_REASON_MAX, SITE_LABEL_MAX } from '../dispatch/rules';
import { API_ERROR_CODES } from './respond';
import { LIMIT_DEFAULT, LIMIT_MAX, MAX_IDS } from './parse';
import { TOKEN_NAME_MAX } from './tokens';

/**
 * The dispatch API described in OpenAPI 3.1 (https://spec.openapis.org/oas/v3.1.0), whose schemas
 * are JSON Schema 2020-12. It is kept true by tests: every real response of every endpoint is
 * validated against it, and every route file under src/routes/api/v1 must appear here (and back).
 */

// ------------------------------------------------------------------ types (the parts used here)

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export interface JsonSchema {
	$ref?: string;
	type?: JsonType | JsonType[];
	description?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	minItems?: number;
	maxItems?: number;
	uniqueItems?: boolean;
	enum?: readonly (string | number | boolean | null)[];
	const?: string | number | boolean | null;
	format?: 'date-time' | 'uuid';
	pattern?: string;
	minLength?: number;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	default?: unknown;
	oneOf?: JsonSchema[];
	discriminator?: { propertyName: string };
	examples?: unknown[];
}

export interface Parameter {
	name: string;
	in: 'path' | 'query' | 'header';
	required?: boolean;
	description?: string;
	schema: JsonSchema;
}

type Ref<T> = T | { $ref: string };

export interface MediaType {
	schema: JsonSchema;
}

export interface ResponseObject {
	description: string;
	headers?: Record<string, { description?: string; schema: JsonSchema }>;
	content?: Record<string, MediaType>;
}

export interface Operation {
	operationId: string;
	summary: string;
	description?: string;
	tags?: string[];
	security?: Array<Record<string, string[]>>;
	parameters?: Array<Ref<Parameter>>;
	requestBody?: { required: boolean; content: Record<string, MediaType> };
	responses: Record<string, Ref<ResponseObject>>;
}

export type Method = 'get' | 'post' | 'patch';
export type PathItem = Partial<Record<Method, Operation>> & { parameters?: Array<Ref<Parameter>> };

export interface OpenApiDocument {
	openapi: '3.1.0';
	info: { title: string; version: string; description: string };
	servers: Array<{ url: string; description?: string }>;
	security: Array<Record<string, string[]>>;
	tags: Array<{ name: string; description: string }>;
	paths: Record<string, PathItem>;
	components: {
		securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
		parameters: Record<string, Parameter>;
		responses: Record<string, ResponseObject>;
		schemas: Record<string, JsonSchema>;
	};
}

// ------------------------------------------------------------------ building blocks

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const nullable = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] });

/** A closed object: every property listed is required unless named in `optional`. */
function object(properties: Record<string, JsonSchema>, options: { optional?: string[]; description?: string } = {}): JsonSchema {
	const optional = new Set(options.optional ?? []);
	return {
		type: 'object',
		...(options.description ? { description: options.description } : {}),
		properties,
		required: Object.keys(properties).filter((k) => !optional.has(k)),
		additionalProperties: false
	};
}

const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const instant: JsonSchema = ref('Instant');
const security = (scope: (typeof API_SCOPES)[number]) => [{ bearer: [scope] }];

const technicianProperties: Record<string, JsonSchema> = {
	technicianId: uuid,
	name: { type: 'string' },
	teamId: nullable(uuid),
	teamName: nullable({ type: 'string' })
};

function reason(code: string, description: string, extra: Record<string, JsonSchema> = {}): JsonSchema {
	return object(
		{
			code: { const: code },
			certificationId: { type: 'string' },
			...extra,
			message: { type: 'string', description: 'The reason as an English sentence, with the certification title and dates as calendar days in the organisation’s time zone.' }
		},
		{ description }
	);
}

/** The refusal of a technician who is not (or would no longer be) eligible, with the reasons. */
const notEligible = (): JsonSchema =>
	object({
		error: object({
			code: { const: 'not-eligible' },
			message: { type: 'string' },
			details: object({ technicianId: { type: 'string' }, reasons: { type: 'array', minItems: 1, items: ref('Reason') } })
		})
	});

const errorResponses = {
	400: response('BadRequest'),
	401: response('Unauthorized'),
	403: response('Forbidden')
};

/**
 * A change to jobs (scope jobs:write) with a JSON body of the schema `body`: its own answers, and
 * those every such change shares (the errors of every call, a body too large, a body not JSON).
 */
function jobWrite(op: Pick<Operation, 'operationId' | 'summary' | 'description' | 'parameters'> & { body: string; responses: Operation['responses'] }): Operation {
	const { body, responses, parameters, ...named } = op;
	return {
		...named,
		tags: ['jobs'],
		security: security('jobs:write'),
		...(parameters ? { parameters } : {}),
		requestBody: { required: true, content: json(ref(body)) },
		responses: { ...errorResponses, ...responses, 413: response('PayloadTooLarge'), 415: response('UnsupportedMediaType') }
	};
}

// ------------------------------------------------------------------ the document

export const openApiDocument: OpenApiDocument = {
	openapi: '3.1.0',
	info: {
		title: 'ServiceReady dispatch API',
		version: '1.0.0',
		description: [
			'Dispatch systems ask ServiceReady before assigning work: whether technicians hold every certification a job type requires at the job time, who is eligible, what a technician holds, and to create and assign a job (refused for an ineligible technician unless an audited override reason is given).',
			'',
			'Authenticate with an API token issued by an administrator: `Authorization: Bearer sr_…`. Each token carries scopes; every call is audited with the token name.',
			'',
			'Every error has the body `{ "error": { "code", "message", "details"? } }`. Instants are ISO 8601 with a timezone (`2026-06-01T09:00:00Z`, `2026-06-01T17:00:00+08:00`); answers give them in UTC. A path under /api/v1 that names no endpoint answers 404, a method an endpoint does not take answers 405 with `Allow`, and both use the same error body.',
			'',
			'While the service cannot reach its database for a moment (a restart or failover), any operation answers 503 with the code `service-unavailable` and a `Retry-After` header in seconds: try again after it.'
		].join('\n')
	},
	servers: [{ url: '/api/v1', description: 'This server' }],
	security: [{ bearer: [] }],
	tags: [
		{ name: 'eligibility', description: 'Who may do which job, when (scope eligibility:read).' },
		{ name: 'jobs', description: 'Creating and assigning jobs, changing and cancelling them (scope jobs:write).' },
		{ name: 'meta', description: 'This description.' }
	],
	paths: {
		'/openapi.json': {
			get: {
				operationId: 'getOpenApi',
				summary: 'This OpenAPI document (public, cacheable)',
				tags: ['meta'],
				security: [],
				responses: {
					200: { description: 'The document.', headers: { ETag: { schema: { type: 'string' } } }, content: json({ type: 'object', description: 'An OpenAPI 3.1 document.' }) },
					304: { description: 'Not modified: the `If-None-Match` ETag is current.' }
				}
			}
		},
		'/job-types': {
			get: {
				operationId: 'listJobTypes',
				summary: 'Job types and the certifications each requires',
				description: 'Every job type, archived ones included (they take no new jobs).',
				tags: ['eligibility'],
				security: security('eligibility:read'),
				responses: { 200: { description: 'The job types, by name.', content: json(ref('JobTypeList')) }, ...errorResponses }
			}
		},
		'/eligibility': {
			get: {
				operationId: 'checkEligibility',
				summary: 'Eligibility of one technician for a job type at an instant',
				tags: ['eligibility'],
				security: security('eligibility:read'),
				parameters: [param('JobTypeIdQuery'), param('TechnicianIdQuery'), param('At'), param('DurationMinutes')],
				responses: { 200: { description: 'The answer, with one result.', content: json(ref('EligibilityAnswer')) }, ...errorResponses }
			},
			post: {
				operationId: 'checkEligibilityOfMany',
				summary: 'Eligibility of up to 200 technicians for a job type at an instant',
				description: 'Results come in the order of `technicianIds` (repeated ids once). Unknown or inactive technicians are refused with 400, listed in `details.technicianIds`.',
				tags: ['eligibility'],
				security: security('eligibility:read'),
				requestBody: { required: true, content: json(ref('EligibilityRequest')) },
				responses: {
					200: { description: 'A result per technician.', content: json(ref('EligibilityAnswer')) },
					...errorResponses,
					413: response('PayloadTooLarge'),
					415: response('UnsupportedMediaType')
				}
			}
		},
		'/job-types/{id}/eligible-technicians': {
			get: {
				operationId: 'listEligibleTechnicians',
				summary: 'Technicians eligible for a job type at an instant, paged',
				description: 'Pages are ordered by technician id. Pass `nextCursor` as `cursor`, with the same `at` and `durationMinutes`, for the next page; it is null on the last page.',
				tags: ['eligibility'],
				security: security('eligibility:read'),
				parameters: [param('JobTypeIdPath'), param('At'), param('DurationMinutes'), param('Limit'), param('Cursor')],
				responses: {
					200: { description: 'One page.', content: json(ref('EligibleTechniciansPage')) },
					...errorResponses,
					404: response('NotFound')
				}
			}
		},
		'/technicians/{id}/certifications': {
			get: {
				operationId: 'listTechnicianCertifications',
				summary: "A technician's certifications at an instant",
				description: 'For each certification ever held: the status of the latest cycle started by `at`, and every cycle.',
				tags: ['eligibility'],
				security: security('eligibility:read'),
				parameters: [param('TechnicianIdPath'), param('AtOptional')],
				responses: {
					200: { description: 'The certifications.', content: json(ref('TechnicianCertifications')) },
					...errorResponses,
					404: response('NotFound')
				}
			}
		},
		'/jobs': {
			post: jobWrite({
				operationId: 'createJob',
				summary: 'Create a job and assign it to a technician',
				description:
					'The team defaults to the technician\'s team. An ineligible technician is refused with 409 and the reasons, and nothing is created; with `overrideReason` the job is assigned anyway and the override is audited with the reasons it overrode.',
				body: 'JobRequest',
				responses: {
					201: { description: 'The job, assigned.', content: json(ref('JobCreated')) },
					409: { description: 'Refused: the technician is not eligible (with the reasons), or the job type is archived.', content: json(ref('AssignmentRefusal')) }
				}
			})
		},
		'/jobs/{id}': {
			patch: jobWrite({
				operationId: 'editJob',
				summary: "Change a job's time, site, type or duration",
				description:
					'Give only the fields to change, at least one. A new time must not be in the past. When the job has a technician, their eligibility is checked again at the new time and for the new type: if they would no longer be eligible the change is refused with 409 and the reasons, and nothing changes; with `overrideReason` the change is made anyway and the override is audited. A cancelled job is refused with 409 `job-cancelled`.',
				parameters: [param('JobIdPath')],
				body: 'JobEditRequest',
				responses: {
					200: { description: 'The job, changed.', content: json(ref('JobChanged')) },
					404: response('NotFound'),
					409: { description: 'Refused: the technician would not be eligible (with the reasons), the new job type is archived, or the job is cancelled.', content: json(ref('JobChangeRefusal')) }
				}
			})
		},
		'/jobs/{id}/cancel': {
			post: jobWrite({
				operationId: 'cancelJob',
				summary: 'Cancel a job, with a reason',
				description: 'The technician is taken off the job in the same change; the job keeps its history and the cancellation is audited with the reason. An already cancelled job is refused with 409 `job-cancelled`.',
				parameters: [param('JobIdPath')],
				body: 'JobCancelRequest',
				responses: {
					200: { description: 'The job, cancelled.', content: json(ref('JobCancelled')) },
					404: response('NotFound'),
					409: { description: 'Refused: the job is already cancelled.', content: json(ref('Error')) }
				}
			})
		}
	},
	components: {
		securitySchemes: {
			bearer: {
				type: 'http',
				scheme: 'bearer',
				description: `An API token (sr_ and 43 characters) issued by an administrator; its scopes (${API_SCOPES.join(', ')}) are listed per operation.`
			}
		},
		parameters: {
			JobTypeIdPath: { name: 'id', in: 'path', required: true, description: 'The job type id.', schema: { type: 'string' } },
			TechnicianIdPath: { name: 'id', in: 'path', required: true, description: 'The technician (user) id.', schema: { type: 'string' } },
			JobIdPath: { name: 'id', in: 'path', required: true, description: 'The job id.', schema: { type: 'string' } },
			JobTypeIdQuery: { name: 'jobTypeId', in: 'query', required: true, schema: { type: 'string' } },
			TechnicianIdQuery: { name: 'technicianId', in: 'query', required: true, schema: { type: 'string' } },
			At: { name: 'at', in: 'query', required: true, description: 'When the job starts.', schema: ref('InstantInput') },
			AtOptional: { name: 'at', in: 'query', required: false, description: 'The instant to report; now when absent.', schema: ref('InstantInput') },
			DurationMinutes: {
				name: 'durationMinutes',
				in: 'query',
				required: false,
				description: 'The job length: certifications must then stay valid until its end.',
				schema: { type: 'integer', minimum: 1, maximum: DURATION_MAX }
			},
			Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT } },
			Cursor: { name: 'cursor', in: 'query', required: false, description: '`nextCursor` of the previous page, unchanged.', schema: { type: 'string' } }
		},
		responses: {
			BadRequest: {
				description: 'Malformed input: bad JSON, a wrong type, a malformed instant, an unknown job type or technician, a bad cursor, an unknown query parameter. `details.issues` names the fields.',
				content: json(ref('Error'))
			},
			Unauthorized: {
				description: 'No token, a malformed header, or an unknown or revoked token.',
				headers: { 'WWW-Authenticate': { description: 'RFC 6750 challenge.', schema: { type: 'string' } } },
				content: json(ref('Error'))
			},
			Forbidden: {
				description: 'The token lacks the scope this operation needs (named in `details.scope`).',
				headers: { 'WWW-Authenticate': { description: 'RFC 6750 challenge with error="insufficient_scope".', schema: { type: 'string' } } },
				content: json(ref('Error'))
			},
			NotFound: { description: 'No job type, technician or job has the id in the path.', content: json(ref('Error')) },
			PayloadTooLarge: { description: 'The body is larger than 64 KiB.', content: json(ref('Error')) },
			UnsupportedMediaType: {
				description:
					'The body is not sent as application/json. (A form type — application/x-www-form-urlencoded, multipart/form-data or text/plain — sent without this site\'s Origin is stopped before this by the server\'s cross-site form check: 403 with a plain-text body.)',
				content: json(ref('Error'))
			}
		},
		schemas: {
			Instant: { type: 'string', format: 'date-time', description: 'An instant in UTC, ISO 8601 with milliseconds.', examples: ['2026-06-01T09:00:00.000Z'] },
			InstantInput: {
				type: 'string',
				description: 'ISO 8601 / RFC 3339 date and time with a timezone (Z or ±hh:mm); seconds optional. A time without a zone is refused.',
				pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}:\\d{2})$',
				examples: ['2026-06-01T09:00:00Z', '2026-06-01T17:00+08:00']
			},
			Scope: { type: 'string', enum: API_SCOPES },
			Issue: object({ field: { type: 'string', description: 'Dotted path of the field, e.g. `technicianIds.3`.' }, message: { type: 'string' } }),
			Error: object({
				error: object(
					{
						code: { type: 'string', enum: API_ERROR_CODES },
						message: { type: 'string', description: 'What is wrong, in English, for the developer of the client.' },
						details: object(
							{
								issues: { type: 'array', items: ref('Issue') },
								technicianIds: { type: 'array', description: 'Unknown technicians.', items: { type: 'string' } },
								technicianId: { type: 'string' },
								reasons: { type: 'array', items: ref('Reason') },
								allowed: { type: 'array', description: 'The methods this path takes.', items: { type: 'string' } },
								scope: ref('Scope')
							},
							{ optional: ['issues', 'technicianIds', 'technicianId', 'reasons', 'allowed', 'scope'] }
						)
					},
					{ optional: ['details'] }
				)
			}),
			AssignmentRefusal: {
				oneOf: [
					notEligible(),
					object({ error: object({ code: { const: 'job-type-archived' }, message: { type: 'string' } }) }),
					object(
						{
							error: object({
								code: { const: 'other-team' },
								message: { type: 'string', description: 'The technician is in another team than the job: give overrideReason to assign anyway (audited).' },
								details: object({ technicianId: { type: 'string' }, technicianTeamId: { type: ['string', 'null'] }, jobTeamId: { type: 'string' } })
							})
						}
					)
				]
			},
			JobChangeRefusal: {
				oneOf: [
					notEligible(),
					object({ error: object({ code: { enum: ['job-type-archived', 'job-cancelled'] }, message: { type: 'string' } }) })
				]
			},
			Requirement: object({ certificationId: { type: 'string' }, minLevel: { type: 'integer', minimum: 1, maximum: 3 } }),
			JobType: object({
				id: uuid,
				name: { type: 'string' },
				productLine: { type: 'string' },
				requirements: { type: 'array', description: 'Every certification required, at its minimum level.', items: ref('Requirement') },
				archived: { type: 'boolean', description: 'Archived types take no new jobs.' }
			}),
			JobTypeList: object({ items: { type: 'array', items: ref('JobType') } }),
			Technician: object(technicianProperties),
			Reason: {
				type: 'object',
				description: 'Why one requirement is not met: one reason per unmet requirement.',
				oneOf: [
					ref('ReasonMissing'),
					ref('ReasonExpired'),
					ref('ReasonExpiresBeforeJob'),
					ref('ReasonRevoked'),
					ref('ReasonLevelTooLow'),
					ref('ReasonNotYetValid')
				],
				discriminator: { propertyName: 'code' }
			},
			ReasonMissing: reason('missing', 'The technician never held this certification (or nothing that applies).'),
			ReasonExpired: reason('expired', 'The latest cycle expired.', { on: instant }),
			ReasonExpiresBeforeJob: reason('expires-before-job', 'Valid at the start, but expires before the job ends.', { on: instant }),
			ReasonRevoked: reason('revoked', 'The latest cycle was revoked.', { reason: { type: 'string', description: 'Why; empty when none was given.' }, on: instant }),
			ReasonLevelTooLow: reason('level-too-low', 'Held, but below the level required.', {
				level: { type: 'integer', minimum: 1, maximum: 3 },
				required: { type: 'integer', minimum: 1, maximum: 3 }
			}),
			ReasonNotYetValid: reason('not-yet-valid', 'Granted, but valid only from a later date.', { from: instant }),
			EligibilityRequest: object(
				{
					jobTypeId: { type: 'string' },
					technicianIds: { type: 'array', minItems: 1, maxItems: MAX_IDS, items: { type: 'string', minLength: 1, maxLength: 100 } },
					at: ref('InstantInput'),
					durationMinutes: { type: 'integer', minimum: 1, maximum: DURATION_MAX, description: 'With it, certifications must stay valid until the job ends.' }
				},
				{ optional: ['durationMinutes'] }
			),
			EligibilityResult: object({
				...technicianProperties,
				eligible: { type: 'boolean' },
				reasons: { type: 'array', items: ref('Reason'), description: 'Empty when eligible.' }
			}),
			EligibilityAnswer: object(
				{ jobType: ref('JobType'), at: instant, end: instant, results: { type: 'array', items: ref('EligibilityResult') } },
				{ optional: ['end'] }
			),
			EligibleTechniciansPage: object(
				{
					jobType: ref('JobType'),
					at: instant,
					end: instant,
					items: { type: 'array', items: ref('Technician') },
					nextCursor: nullable({ type: 'string' })
				},
				{ optional: ['end'] }
			),
			CertificationStatus: { type: 'string', enum: ['active', 'renewal-due', 'expired', 'revoked', 'not-yet-valid'] },
			CertificationCycle: object({
				id: uuid,
				level: { type: 'integer', minimum: 1, maximum: 3 },
				grantedAt: instant,
				expiresAt: instant,
				revokedAt: nullable(instant),
				revokeReason: nullable({ type: 'string' }),
				renewedFromId: nullable(uuid),
				grantedByHand: { type: 'boolean', description: 'Granted by a trainer rather than earned.' }
			}),
			TechnicianCertification: object({
				certificationId: { type: 'string' },
				title: { type: 'string' },
				status: ref('CertificationStatus'),
				level: nullable({ type: 'integer', minimum: 1, maximum: 3 }),
				validFrom: nullable(instant),
				expiresAt: nullable(instant),
				renewalOpensAt: nullable(instant),
				cycles: { type: 'array', items: ref('CertificationCycle') }
			}),
			TechnicianCertifications: object({ technician: ref('Technician'), at: instant, certifications: { type: 'array', items: ref('TechnicianCertification') } }),
			JobRequest: object(
				{
					jobTypeId: { type: 'string' },
					technicianId: { type: 'string' },
					siteLabel: { type: 'string', minLength: 1, maxLength: SITE_LABEL_MAX, description: 'The customer or site.' },
					scheduledAt: ref('InstantInput'),
					durationMinutes: { type: 'integer', minimum: 1, maximum: DURATION_MAX },
					teamId: { type: 'string', description: "The dispatching team; the technician's team when absent." },
					overrideReason: nullable({
						type: 'string',
						maxLength: OVERRIDE_REASON_MAX,
						description: 'Assign an ineligible technician anyway, for this written reason (audited). Ignored when the technician is eligible.'
					})
				},
				{ optional: ['teamId', 'overrideReason'] }
			),
			Job: object({
				id: uuid,
				jobTypeId: uuid,
				jobTypeName: { type: 'string' },
				teamId: uuid,
				teamName: { type: 'string' },
				siteLabel: { type: 'string' },
				scheduledAt: instant,
				durationMinutes: { type: 'integer', minimum: 1, maximum: DURATION_MAX },
				assigneeId: nullable(uuid),
				assigneeName: nullable({ type: 'string' }),
				assignedAt: nullable(instant),
				overrideReason: nullable({ type: 'string' }),
				createdByToken: nullable({ type: 'string', maxLength: TOKEN_NAME_MAX }),
				createdAt: instant,
				cancelledAt: nullable(instant),
				cancelReason: nullable({ type: 'string' })
			}),
			JobCreated: object({
				job: ref('Job'),
				eligibility: object({ eligible: { type: 'boolean' }, reasons: { type: 'array', items: ref('Reason') } }),
				overridden: { type: 'boolean', description: 'True when the technician was not eligible and overrideReason was used.' }
			}),
			JobEditRequest: object(
					{
						jobTypeId: { type: 'string' },
						siteLabel: { type: 'string', minLength: 1, maxLength: SITE_LABEL_MAX, description: 'The customer or site.' },
						scheduledAt: ref('InstantInput'),
						durationMinutes: { type: 'integer', minimum: 1, maximum: DURATION_MAX },
						overrideReason: nullable({
							type: 'string',
							maxLength: OVERRIDE_REASON_MAX,
							description: 'Make the change even though the assigned technician would not be eligible, for this written reason (audited). Ignored when they stay eligible.'
						})
					},
					{ optional: ['jobTypeId', 'siteLabel', 'scheduledAt', 'durationMinutes', 'overrideReason'], description: 'The fields to change; at least one of jobTypeId, siteLabel, scheduledAt and durationMinutes.' }
			),
			JobChanged: object({
				job: ref('Job'),
				overridden: { type: 'boolean', description: 'True when the technician would not have been eligible and overrideReason was used.' }
			}),
			JobCancelRequest: object({ reason: { type: 'string', minLength: 1, maxLength: OVERRIDE_REASON_MAX, description: 'Why the job is cancelled.' } }),
			JobCancelled: object({ job: ref('Job') })
		}
	}
};

// ------------------------------------------------------------------ serving

const body = JSON.stringify(openApiDocument);
const etag = `"${encodeHexLowerCase(sha256(new TextEncoder().encode(body))).slice(0, 32)}"`;

/** The document with a strong ETag: clients and caches may keep it and revalidate. */
export function openApiResponse(request: Request): Response {
	const headers = { etag, 'cache-control': 'public, max-age=3600' };
	const match = request.headers.get('if-none-match');
	if (match && match.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return new Response(null, { status: 304, headers });
	return new Response(body, { headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } });
}

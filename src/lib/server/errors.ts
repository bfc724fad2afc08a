/** A refusal the person can act on: shown next to `field` (or above the form) with a 4xx status. */
export class ServiceError extends Error {
	constructor(
		message: string,
		readonly field: string | null = null,
		readonly status: 400 | 403 | 404 | 409 | 410 | 429 = 400
	) {
		super(message);
		this.name = 'ServiceError';
	}
}

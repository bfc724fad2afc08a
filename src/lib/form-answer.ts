/**
 * What a form action answered, as a page reads it (`form` of the page's props): the message of a
 * refusal, each refused field's message and the values sent back to fill the form again. Anything
 * else (no answer yet, an answer of success) reads as none.
 */
const field = (form: unknown, name: string): unknown => (form && typeof form === 'object' && name in form ? (form as Record<string, unknown>)[name] : undefined);

export function answerMessage(form: unknown): string | null {
	const message = field(form, 'message');
	return typeof message === 'string' && message ? message : null;
}

export function answerErrors(form: unknown): Record<string, string> {
	return (field(form, 'errors') ?? {}) as Record<string, string>;
}

export function answerValues(form: unknown): Record<string, string> {
	return (field(form, 'values') ?? {}) as Record<string, string>;
}

/** Whether the answer refused fields: the form they belong to stays open. */
export const answerRefused = (form: unknown): boolean => Boolean(form && typeof form === 'object' && 'errors' in form);

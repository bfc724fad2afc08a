import { ServiceError } from '../../src/lib/server/errors';
/** Awaits a promise that must fail and returns every message down its `cause` chain (drizzle wraps driver errors). */
export async function failure(promise: PromiseLike<unknown>): Promise<string> {
	try {
		await promise;
	} catch (e) {
		const messages: string[] = [];
		for (let err: unknown = e; err instanceof Error; err = err.cause) messages.push(err.message);
		return messages.join(' <- ');
	}
	throw new Error('Expected the operation to fail, but it succeeded');
}

/** Awaits a service call that must be refused and returns the refusal (any other error is rethrown). */
export async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
	try {
		await promise;
	} catch (e) {
		if (e instanceof ServiceError) return e;
		throw e;
	}
	throw new Error('Expected a refusal, but the call succeeded');
}

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

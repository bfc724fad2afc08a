import { describe, expect, it } from 'vitest';
import { retryOnConflict } from './index';

const failing = (codes: Array<string | null>) => {
	let calls = 0;
	const step = async () => {
		const code = codes[calls++];
		if (code === undefined) return 'done';
		throw Object.assign(new Error('boom'), code ? { code } : {});
	};
	return { step, calls: () => calls };
};

describe('retryOnConflict', () => {
	it('runs again after a deadlock or a unique violation, even when wrapped', async () => {
		const f = failing(['40P01', '23505']);
		expect(await retryOnConflict(f.step)).toBe('done');
		expect(f.calls()).toBe(3);
		let wrapped = 0;
		const result = await retryOnConflict(async () => {
			if (wrapped++ === 0) throw new Error('query failed', { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) });
			return 'ok';
		});
		expect(result).toBe('ok');
	});

	it('gives up after the last attempt, and never retries other errors', async () => {
		const always = failing(['40P01', '40P01', '40P01']);
		await expect(retryOnConflict(always.step, 3)).rejects.toThrow('boom');
		expect(always.calls()).toBe(3);
		const other = failing(['42P01']);
		await expect(retryOnConflict(other.step)).rejects.toThrow('boom');
		expect(other.calls()).toBe(1);
		const plain = failing([null]);
		await expect(retryOnConflict(plain.step)).rejects.toThrow('boom');
		expect(plain.calls()).toBe(1);
	});
});

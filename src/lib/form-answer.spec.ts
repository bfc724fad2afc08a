import { describe, expect, it } from 'vitest';
import { answerErrors, answerMessage, answerRefused, answerValues } from './form-answer';

describe('a form action\'s answer', () => {
	it('reads the refusal\'s message, fields and values', () => {
		const form = { message: 'Refused.', errors: { name: 'Taken.' }, values: { name: 'East' } };
		expect(answerMessage(form)).toBe('Refused.');
		expect(answerErrors(form)).toEqual({ name: 'Taken.' });
		expect(answerValues(form)).toEqual({ name: 'East' });
		expect(answerRefused(form)).toBe(true);
	});

	it('reads no answer, or one of success, as none', () => {
		for (const form of [null, undefined, { invited: { email: 'a@example.com' } }, { message: '' }]) {
			expect(answerMessage(form)).toBeNull();
			expect(answerErrors(form)).toEqual({});
			expect(answerValues(form)).toEqual({});
			expect(answerRefused(form)).toBe(false);
		}
	});
});

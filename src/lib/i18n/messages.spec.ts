import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const zh = JSON.parse(readFileSync('src/lib/i18n/messages/zh-CN.json', 'utf8')) as Record<string, string>;
const en = JSON.parse(readFileSync('src/lib/i18n/messages/en.json', 'utf8')) as Record<string, string>;

describe('the Chinese interface', () => {
	it('uses full-width colons after Chinese words, never ": "', () => {
		const wrong = Object.entries(zh).filter(([, text]) => /[\u3400-\u9fff\uff09）][ ]?:(\s|$)/.test(text));
		expect(wrong).toEqual([]);
		expect(zh.colon).toBe('：');
	});

	it('has every message the English interface has', () => {
		expect(Object.keys(en).filter((k) => !(k in zh) && !k.startsWith('$'))).toEqual([]);
	});
});

describe('wording', () => {
	it('tells a technician when they can try again, not a rule', () => {
		expect(en.quiz_try_again_in).toBe('You can try again in {minutes} minutes.');
	});
});

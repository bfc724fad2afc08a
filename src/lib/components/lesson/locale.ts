import { getContext, setContext } from 'svelte';

const KEY = Symbol('lesson-locale');

const TEXT = {
	en: {
		do: 'Do',
		dont: "Don't",
		checkYourself: 'Check yourself',
		check: 'Check',
		right: 'Right.',
		notQuite: (answer: string) => `Not quite: the answer is “${answer}”.`,
		showAnswer: 'Show the answer',
		tip: 'Tip',
		warning: 'Warning',
		safety: 'Safety',
		note: 'Note'
	},
	'zh-CN': {
		do: '应该',
		dont: '不应该',
		checkYourself: '自我检查',
		check: '核对',
		right: '正确。',
		notQuite: (answer: string) => `不太对：正确答案是“${answer}”。`,
		showAnswer: '显示答案',
		tip: '提示',
		warning: '注意',
		safety: '安全',
		note: '说明'
	}
} as const;

/** The lesson page says which language the lesson is written in; its components follow it. */
export function setLessonLocale(locale: 'en' | 'zh-CN') {
	setContext(KEY, locale);
}

export function lessonText() {
	const locale = getContext<'en' | 'zh-CN' | undefined>(KEY) ?? 'en';
	return TEXT[locale];
}

import http from 'node:http';

/**
 * A browser without JavaScript, over plain HTTP: form posts with the page's own field names, the
 * session cookie kept, redirects returned rather than followed (a 303 is the acknowledgement).
 */

export interface Reply {
	/** 0 when no response came: refused, reset (the process was killed) or timed out. */
	status: number;
	location: string | null;
	headers: http.IncomingHttpHeaders;
	body: string;
	error: string | null;
	ms: number;
}

export type Fields = Array<[string, string]>;

export interface SendOptions {
	cookie?: string | null;
	form?: Fields;
	headers?: Record<string, string>;
	timeoutMs?: number;
}

export interface HttpClient {
	base: string;
	send(method: 'GET' | 'POST', path: string, options?: SendOptions): Promise<Reply>;
	/** Drops the pooled connections (after the server behind them was killed). */
	close(): void;
}

export function httpClient(base: string): HttpClient {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	return {
		base,
		send(method, path, options = {}) {
			const started = performance.now();
			const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
			const headers: Record<string, string> = { accept: 'text/html', ...options.headers };
			if (options.cookie) headers.cookie = options.cookie;
			if (body !== undefined) {
				headers['content-type'] = 'application/x-www-form-urlencoded';
				headers['content-length'] = String(Buffer.byteLength(body));
				headers.origin = base;
			}
			return new Promise<Reply>((resolve) => {
				const done = (reply: Omit<Reply, 'ms'>) => resolve({ ...reply, ms: Math.round(performance.now() - started) });
				const req = http.request(new URL(path, base), { method, headers, agent, timeout: options.timeoutMs ?? 15_000 }, (res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () =>
						done({ status: res.statusCode ?? 0, location: res.headers.location ?? null, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), error: null })
					);
					res.on('error', (e) => done({ status: 0, location: null, headers: {}, body: '', error: e.message }));
				});
				req.on('timeout', () => req.destroy(new Error('timed out')));
				req.on('error', (e) => done({ status: 0, location: null, headers: {}, body: '', error: e.message }));
				req.end(body);
			});
		},
		close: () => agent.destroy()
	};
}

/** `name=value` of a cookie the reply sets, for the next requests' Cookie header. */
export function cookieFrom(reply: Reply, name: string): string | null {
	for (const line of reply.headers['set-cookie'] ?? []) {
		const pair = line.split(';')[0]!;
		if (pair.startsWith(`${name}=`)) return pair;
	}
	return null;
}

// ------------------------------------------------------------------ the attempt page

/** The answer form of the question on an attempt page, read from its fields (see QuestionView.svelte). */
export type QuestionForm =
	| { id: string; type: 'single' | 'truefalse' | 'multiple'; options: string[] }
	| { id: string; type: 'ordering'; items: string[] }
	| { id: string; type: 'matching'; left: string[]; right: string[] }
	| { id: string; type: 'numeric' | 'text' };

const all = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m[1]!);

export function readQuestionForm(html: string): QuestionForm {
	const id = /name="question" value="([^"]+)"/.exec(html)?.[1];
	const fieldset = /<fieldset[\s\S]*?<\/fieldset>/.exec(html)?.[0];
	if (!id || !fieldset) throw new Error('No question form on this page');
	const radios = all(/type="radio" name="choice" value="([^"]+)"/g, fieldset);
	if (radios.length) return { id, type: radios.join() === 'true,false' ? 'truefalse' : 'single', options: radios };
	const boxes = all(/type="checkbox" name="choice" value="([^"]+)"/g, fieldset);
	if (boxes.length) return { id, type: 'multiple', options: boxes };
	const orderSelect = /<select name="order"[\s\S]*?<\/select>/.exec(fieldset)?.[0];
	if (orderSelect) return { id, type: 'ordering', items: all(/<option value="([^"]+)"/g, orderSelect) };
	const left = all(/<select name="match\.([^"]+)"/g, fieldset);
	if (left.length) {
		const first = /<select name="match\.[\s\S]*?<\/select>/.exec(fieldset)![0];
		return { id, type: 'matching', left, right: all(/<option value="([^"]+)"/g, first) };
	}
	if (/name="value"/.test(fieldset)) return { id, type: /inputmode="decimal"/.test(fieldset) ? 'numeric' : 'text' };
	throw new Error(`Question ${id}: no answer field recognised`);
}

const rotate = <T>(xs: T[], by: number) => xs.map((_, i) => xs[(i + by) % xs.length]!);

/** A valid answer to the question, different for each `variant`, as the form would post it. */
export function answerFields(form: QuestionForm, variant: number): Fields {
	const fields: Fields = [['question', form.id]];
	switch (form.type) {
		case 'single':
		case 'truefalse':
		case 'multiple':
			fields.push(['choice', form.options[variant % form.options.length]!]);
			if (form.type === 'multiple' && form.options.length > 1 && variant % 2 === 1) fields.push(['choice', form.options[(variant + 1) % form.options.length]!]);
			break;
		case 'ordering':
			for (const item of rotate(form.items, variant % form.items.length)) fields.push(['order', item]);
			// The order as shown counts as an answer only when said to be one (the box on the page).
			fields.push(['orderConfirmed', 'yes']);
			break;
		case 'matching': {
			const right = rotate(form.right, variant % form.right.length);
			form.left.forEach((l, i) => fields.push([`match.${l}`, right[i]!]));
			break;
		}
		case 'numeric':
			fields.push(['value', String(variant + 1)]);
			break;
		case 'text':
			fields.push(['value', `answer ${variant}`]);
			break;
	}
	return fields;
}

/** The deadline and the server's clock as the attempt page hands them to its countdown. */
export function readDeadline(html: string): { deadline: string; serverNow: string } | null {
	const m = /deadline:"([^"]+)",serverNow:"([^"]+)"/.exec(html);
	return m ? { deadline: m[1]!, serverNow: m[2]! } : null;
}

/** Seconds left as the countdown shows them in the served HTML (m:ss). */
export function readCountdown(html: string): number | null {
	const m = /role="timer"[^>]*>[\s\S]*?<strong[^>]*>(\d+):(\d\d)<\/strong>/.exec(html);
	return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function questionCount(html: string): number {
	// The question navigator: buttons of the answer form (moving saves the current answer).
	return Math.max(0, ...all(/name="goto" value="(\d+)"/g, html).map(Number));
}

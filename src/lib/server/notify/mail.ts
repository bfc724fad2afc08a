import nodemailer from 'nodemailer';

export const DEFAULT_FROM = 'ServiceReady <no-reply@serviceready.local>';

export interface MailEnv {
	/** e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…:465`; unset means outbox only. */
	SMTP_URL?: string;
	SMTP_FROM?: string;
}

export interface Mailer {
	readonly from: string;
	/** Resolves once the SMTP server accepted the message; rejects with its reason otherwise. */
	send(message: { to: string; subject: string; text: string }): Promise<void>;
	close(): void;
}

/** An SMTP mailer when `SMTP_URL` is set, else null (messages then stay in the outbox for admins). */
export function createMailer(env: MailEnv): Mailer | null {
	const url = env.SMTP_URL?.trim();
	if (!url) return null;
	const from = env.SMTP_FROM?.trim() || DEFAULT_FROM;
	// A slow or silent server fails the attempt (and the outbox retries later) instead of hanging a sweep.
	const transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
	return {
		from,
		async send(message) {
			await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
		},
		close: () => transport.close()
	};
}

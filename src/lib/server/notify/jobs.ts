import type { Db } from '../db';
import { createBoss, startSweeps, type QueueTarget, type Sweep, type Work } from '../queue';
import { createMailer, type MailEnv } from './mail';
import { reminderPolicyFromEnv, type ReminderPolicy } from './reminders';
import { sendDueReminders } from './scan';
import { sendQueuedMail } from './outbox';
import { deliverDue } from './deliver';
import { siteOrigin } from './texts';
import { parseAllowedNetworks, type AddressPolicy } from './address-policy';

/** The queues of scheduled work. */
export const SWEEPS = {
	/** Reminder scan: every 5 minutes and once at start. */
	reminders: 'notify-reminders',
	/** Webhook deliveries and their retries: every minute, when woken, and at the next retry. */
	webhooks: 'webhook-deliveries',
	/** E-mail over SMTP and its retries (only with SMTP_URL). */
	mail: 'outbox-mail'
} as const;

export interface NotifyEnv extends MailEnv {
	ORIGIN?: string;
	REMINDER_DAYS_BEFORE_EXPIRY?: string;
	WEBHOOK_ALLOWED_NETWORKS?: string;
}

export interface NotifyConfig {
	policy: ReminderPolicy;
	origin: string;
	mail: MailEnv;
	/** Where webhooks may deliver (WEBHOOK_ALLOWED_NETWORKS). */
	webhookPolicy: AddressPolicy;
}

/** Reads the settings from the environment; a bad value throws, naming the variable. */
export function notifyConfig(env: NotifyEnv): NotifyConfig {
	return {
		policy: reminderPolicyFromEnv(env.REMINDER_DAYS_BEFORE_EXPIRY),
		origin: siteOrigin(env),
		mail: { SMTP_URL: env.SMTP_URL, SMTP_FROM: env.SMTP_FROM },
		webhookPolicy: parseAllowedNetworks(env.WEBHOOK_ALLOWED_NETWORKS)
	};
}

/**
 * Kept on globalThis, like the database, so that the dev server's module reloads and the routes
 * see the one queue this process started.
 */
const shared = globalThis as typeof globalThis & { __serviceReadyWork?: Work };

/**
 * Starts the queue and the workers of scheduled work for this process: reminders (certification
 * notices and course-due reminders), webhook deliveries, and e-mail when SMTP is configured. Every
 * app process may run this on the same database; each sweep run happens in one process.
 */
export async function startNotifyWork(db: Db, target: QueueTarget, config: NotifyConfig): Promise<Work> {
	const { policy, origin } = config;
	const mailer = createMailer(config.mail);
	const sweeps: Sweep[] = [
		{
			name: SWEEPS.reminders,
			cron: '*/5 * * * *',
			pollSeconds: 5,
			async run({ wake }) {
				const report = await sendDueReminders(db, { policy, origin, smtp: mailer !== null });
				if (report.messages > 0 && mailer) await wake(SWEEPS.mail);
				// Notices publish webhook events: deliver them now rather than at the next minute.
				if (report.notices > 0) await wake(SWEEPS.webhooks);
			}
		},
		{
			name: SWEEPS.webhooks,
			cron: '* * * * *',
			pollSeconds: 2,
			async run() {
				return (await deliverDue(db, { policy: config.webhookPolicy })).next;
			}
		}
	];
	if (mailer) {
		sweeps.push({
			name: SWEEPS.mail,
			cron: '* * * * *',
			pollSeconds: 5,
			async run() {
				return (await sendQueuedMail(db, mailer)).next;
			}
		});
	}
	const boss = createBoss(target);
	const started = await startSweeps(boss, sweeps, { runAtStart: true });
	const handle: Work = {
		boss,
		wake: (name) => started.wake(name),
		async stop() {
			if (shared.__serviceReadyWork === handle) delete shared.__serviceReadyWork;
			await started.stop();
			mailer?.close();
		}
	};
	shared.__serviceReadyWork = handle;
	return handle;
}

/**
 * Asks this process's queue for a run of a sweep soon (after a test event, say). Returns false when
 * no queue runs in this process (tests, or a queue that failed to start); the cron then catches up.
 */
export async function wakeSweep(name: (typeof SWEEPS)[keyof typeof SWEEPS]): Promise<boolean> {
	const work = shared.__serviceReadyWork;
	if (!work) return false;
	try {
		await work.wake(name);
		return true;
	} catch (e) {
		console.error(`Waking ${name} failed:`, e);
		return false;
	}
}

import type { Db } from '$lib/server/db';
import type { SessionUser, ValidatedSession } from '$lib/server/auth/session';
import type { ApiCaller } from '$lib/server/api/tokens';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			user: SessionUser | null;
			session: ValidatedSession | null;
			/** The API token of a call to /api/v1 (set by its bearer authentication); null elsewhere. */
			apiToken: ApiCaller | null;
			/** The UI and reading language of this request. */
			locale: 'en' | 'zh-CN';
			/** Set when a hook changed a cookie of this request (a rendered response must carry it). */
			cookiesChanged: boolean;
		}
		interface PageData {
			/** The zones dates and times are shown in (root layout, signed-in people only). */
			zones?: import('$lib/format').Zones | null;
		}
		interface Error {
			message: string;
			/** The role a 403 page names as missing. */
			role?: string;
		}
	}
}

export {};

import type { Db } from '../db';
import { listCertifications } from './catalog';
import { evaluateCertifications } from './queries';

/** Evaluates every certification for a technician after something was completed. */
export function certifyIfDue(db: Db, userId: string, now = new Date()) {
	return evaluateCertifications(db, userId, listCertifications(), now);
}

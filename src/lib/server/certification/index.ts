import type { Db } from '../db';
import { listCertifications } from './catalog';
import { certify, evaluateCertifications } from './queries';

/** Evaluates every certification for a technician after something was completed. */
export function certifyIfDue(db: Db, userId: string, now = new Date()) {
	return evaluateCertifications(db, userId, listCertifications(), now);
}

/** Evaluates, then returns the evidence and the cycles held, for pages that show them. */
export function certifyAndRead(db: Db, userId: string, now = new Date()) {
	return certify(db, userId, listCertifications(), now);
}

import { currentContent } from '../content/registry';

/** Published certification definitions (server only). */
export function listCertifications() {
	return currentContent().graded.certifications;
}

export function findCertification(id: string) {
	return currentContent().graded.certifications.find((c) => c.id === id);
}

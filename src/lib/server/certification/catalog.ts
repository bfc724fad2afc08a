import graded from 'virtual:graded-content';

/** Certification definitions as checked at build time (server only). */
export function listCertifications() {
	return graded.certifications;
}

export function findCertification(id: string) {
	return graded.certifications.find((c) => c.id === id);
}

import { describe, expect, it } from 'vitest';
import { readContentDir } from './check.ts';
import { certificationSchema } from './certification.ts';
import { certificationFromFields, certificationToFields, newCertificationFile, readCertificationFile, writeCertificationFile } from './certification-file.ts';

const { files } = readContentDir('content');
const certifications = [...files].filter(([p]) => p.startsWith('certifications/'));

describe('certification files as data', () => {
	it('reads, writes and round-trips every shipped certification through the editor’s fields', () => {
		expect(certifications.length).toBeGreaterThanOrEqual(4);
		for (const [path, text] of certifications) {
			const data = readCertificationFile(text)!;
			expect(data, path).not.toBeNull();
			expect(readCertificationFile(writeCertificationFile(data))).toEqual(data);
			const back = certificationFromFields(certificationToFields(data));
			expect(back, path).toMatchObject({ ok: true });
			expect(certificationSchema.parse((back as { value: unknown }).value)).toEqual(certificationSchema.parse(data));
		}
	});

	it('names what is wrong', () => {
		const good = { 'title.en': 'T', 'summary.en': 'S', validityDays: '365', renewalWindowDays: '30', 'levels.0.0.ref': 'course:complaints' };
		expect(certificationFromFields(good)).toMatchObject({ ok: true, value: { levels: [{ requirements: [{ course: 'complaints' }] }], renewal: [] } });
		expect(certificationFromFields({ ...good, 'levels.0.0.ref': '' })).toMatchObject({ ok: false, errors: { levels: expect.any(String) } });
		expect(certificationFromFields({ ...good, 'levels.0.1.ref': 'quiz:complaints/final-exam' })).toMatchObject({ ok: false, errors: { 'levels.0.1.minScore': expect.any(String) } });
		expect(certificationFromFields({ ...good, 'levels.0.1.ref': 'badge:x' })).toMatchObject({ ok: false, errors: { 'levels.0.1.ref': expect.any(String) } });
		expect(certificationFromFields({ ...good, validityDays: '1.5' })).toMatchObject({ ok: false, errors: { validityDays: expect.any(String) } });
		expect(certificationFromFields({ ...good, 'levels.0.1.ref': 'quiz:Not Valid', 'levels.0.1.minScore': '80' })).toMatchObject({ ok: false });
		expect(certificationFromFields({ ...good, 'renewal.0.ref': 'scenario:complaints/leaking-purifier', 'renewal.0.minScore': '170' })).toMatchObject({ ok: false });
	});

	it('starts a new certification that the schema accepts', () => {
		expect(certificationSchema.safeParse(readCertificationFile(newCertificationFile({ title: { en: 'T' }, summary: { en: 'S' }, course: 'complaints' }))).success).toBe(true);
	});
});

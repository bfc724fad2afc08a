import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { expect, signIn, signedOutContext, storageFor, test } from '../fixtures';

test.use({ as: 'technician' });

test('a technician downloads the certificate of a valid certification as a PDF, and nobody else’s', async ({ page, browser, baseURL }) => {
	// A trainer grants Tom Chen a certification by hand first, and notes a cycle of someone else.
	const trainer = await browser.newContext({ storageState: storageFor('trainer') });
	const tp = await trainer.newPage();
	await tp.goto('/trainer/certifications?q=li.na');
	await tp.getByRole('link', { name: '李娜' }).click();
	const foreign = await tp.locator('li.cycle[data-status="active"]').first().getAttribute('data-cycle');
	await tp.goto('/trainer/certifications?q=technician@example.com');
	await tp.getByRole('link', { name: 'Tom Chen' }).click();
	const grant = tp.locator('form[action="?/grant"]');
	await grant.getByLabel('Certification').selectOption('ro-purifier-service');
	await grant.getByLabel(/^Evidence/).fill('Installed and serviced RO units at the Chaoyang service centre for a week, checked by the team lead.');
	await grant.getByRole('button', { name: 'Grant' }).click();
	await expect(tp.locator('.alert.ok')).toContainText('granted to Tom Chen');
	await trainer.close();

	await page.goto('/learn/certifications');
	const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Reverse-osmosis purifier service' }) });
	await expect(card).toContainText('active');
	const link = card.getByRole('link', { name: 'Download the certificate (PDF)' });
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	expect(download.suggestedFilename()).toMatch(/^certificate-ro-purifier-service-\d{4}-\d{2}-\d{2}\.pdf$/);
	const bytes = readFileSync((await download.path())!);
	expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	const doc = await PDFDocument.load(bytes);
	expect(doc.getPageCount()).toBe(1);
	expect(doc.getTitle()).toBe('Reverse-osmosis purifier service: certificate of Tom Chen');
	const verify = await card.getByRole('link', { name: 'Public verification page' }).getAttribute('href');
	expect(doc.getSubject()).toContain(`${new URL(baseURL!).origin}${verify}`);

	const href = (await link.getAttribute('href'))!;
	const res = await page.request.get(href);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('application/pdf');
	expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="certificate-ro-purifier-service-\d{4}-\d{2}-\d{2}\.pdf"$/);

	// Someone else's cycle, an unknown one and a malformed id are all "not found".
	expect(foreign).toMatch(/^[0-9a-f-]{36}$/);
	for (const id of [foreign!, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
		expect((await page.request.get(`/learn/certifications/${id}/certificate.pdf`)).status(), id).toBe(404);
	}
	// Signed out, nothing is served.
	const visitor = await signedOutContext(browser);
	expect((await visitor.request.get(href, { maxRedirects: 0 })).status()).toBe(303);
	await visitor.close();
});

test('a technician who reads Chinese gets the certificate in Chinese, with their Chinese name', async ({ browser }) => {
	const context = await signedOutContext(browser);
	const page = await context.newPage();
	// Not Wu Xia: the sign-in tests lock her account on purpose.
	await signIn(page, 'chen.jie@example.com');
	await page.goto('/learn/certifications');
	const link = page.getByRole('link', { name: '下载证书（PDF）' }).first();
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	const doc = await PDFDocument.load(readFileSync((await download.path())!));
	expect(doc.getTitle()).toMatch(/^.+认证：陈杰 的证书$/);
	await context.close();
});

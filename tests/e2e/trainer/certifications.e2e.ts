import { expect, originHeaders, signedOutContext, storageFor, test } from '../fixtures';

test.use({ as: 'trainer' });

test('a trainer grants a certification by hand, sees it in the history, revokes it with a reason, and the public page says revoked', async ({ page, browser }) => {
	await page.goto('/trainer');
	await page.getByRole('link', { name: 'Grant and revoke certifications' }).click();
	await expect(page).toHaveURL(/\/trainer\/certifications$/);
	await expect(page.getByRole('row').filter({ hasText: 'Tom Chen' })).toHaveCount(1);

	await page.getByRole('searchbox').fill('LUCAS');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page).toHaveURL(/q=LUCAS/);
	await expect(page.locator('tbody tr')).toHaveCount(1);
	const row = page.getByRole('row').filter({ hasText: 'Lucas Meyer' });
	await expect(row.locator('td[data-certification="complaint-handling"]')).toContainText('not held');
	await row.getByRole('link', { name: 'Lucas Meyer' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lucas Meyer');

	const card = page.locator('section[data-certification="complaint-handling"]');
	await expect(card).toContainText('Never held.');
	const grant = page.locator('form[action="?/grant"]');
	await grant.getByLabel('Certification').selectOption('complaint-handling');
	await grant.getByLabel('Level').selectOption('2');
	await grant.getByLabel(/^Evidence/).fill('Resolved two escalated complaints on site during the North team ride-along;\nobserved by Grace Lin.');
	await grant.getByRole('button', { name: 'Grant' }).click();
	await expect(page.locator('.alert.ok')).toContainText(/Complaint handling, level 2, granted to Lucas Meyer; valid until \d{4}-\d{2}-\d{2}\./);

	const cycle = card.locator('li.cycle');
	await expect(cycle).toHaveCount(1);
	await expect(cycle).toHaveAttribute('data-status', 'active');
	await expect(cycle).toContainText(/Level 2 · granted \d{4}-\d{2}-\d{2} · valid until \d{4}-\d{2}-\d{2}/);
	await expect(cycle).toContainText('Granted by hand by Grace Lin.');
	await expect(cycle.locator('blockquote')).toHaveText('Resolved two escalated complaints on site during the North team ride-along;\nobserved by Grace Lin.');
	const verify = await cycle.getByRole('link', { name: 'Public page' }).getAttribute('href');
	expect(verify).toMatch(/^\/verify\/[A-Za-z0-9_-]{16}$/);

	// Revoking asks for confirmation: without the box ticked the browser keeps the form.
	const revoke = cycle.locator('form[action="?/revoke"]');
	const confirm = revoke.getByRole('checkbox', { name: /Yes, revoke Complaint handling for Lucas Meyer/ });
	await revoke.getByLabel('Reason for revoking').fill('The customer could not confirm the evidence.');
	await revoke.getByRole('button', { name: 'Revoke' }).click();
	expect(await confirm.evaluate((box: HTMLInputElement) => box.validity.valueMissing)).toBe(true);
	await expect(cycle).toHaveAttribute('data-status', 'active');

	// A reason of spaces only is refused beside the field, and the cycle stays valid.
	await revoke.getByLabel('Reason for revoking').fill('   ');
	await confirm.check();
	await revoke.getByRole('button', { name: 'Revoke' }).click();
	await expect(revoke.locator('.field-error')).toHaveText('Reason is required.');
	await expect(cycle).toHaveAttribute('data-status', 'active');

	await revoke.getByLabel('Reason for revoking').fill('The customer could not confirm the evidence.');
	await confirm.check();
	await revoke.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.locator('.alert.ok')).toContainText('Complaint handling revoked for Lucas Meyer.');
	await expect(cycle).toHaveAttribute('data-status', 'revoked');
	await expect(cycle).toContainText(/Revoked on \d{4}-\d{2}-\d{2} by Grace Lin\./);
	// A revoked cycle reads "revoked on", never "valid until".
	await expect(cycle.locator('strong').first()).toContainText(/revoked on \d{4}-\d{2}-\d{2}/);
	await expect(cycle).not.toContainText('valid until');
	await expect(cycle).toContainText('Reason: The customer could not confirm the evidence.');
	await expect(cycle.locator('form[action="?/revoke"]')).toHaveCount(0);

	await page.getByRole('link', { name: 'All technicians' }).click();
	await expect(page.getByRole('row').filter({ hasText: 'Lucas Meyer' }).locator('td[data-certification="complaint-handling"]')).toContainText('revoked');

	// Anyone with the code sees "revoked", and only name, certification, level, status and dates.
	const visitor = await signedOutContext(browser);
	const pub = await visitor.newPage();
	expect((await pub.goto(verify!))!.status()).toBe(200);
	const text = (await pub.locator('main').innerText()).replace(/\s+/g, ' ');
	expect(text).toContain('Lucas Meyer');
	expect(text).toContain('Complaint handling · Level 2');
	expect(text).toContain('revoked');
	expect(text).not.toContain('could not confirm');
	expect(text).not.toContain('Grace Lin');
	await visitor.close();
});

test('granting and revoking refuse bad input beside the field and change nothing, without JavaScript', async ({ page, baseURL }) => {
	await page.goto('/trainer/certifications?q=lucas.meyer');
	const href = await page.getByRole('link', { name: 'Lucas Meyer' }).getAttribute('href');
	const post = (action: string, form: Record<string, string>) => page.request.post(`${href}?/${action}`, { form, headers: originHeaders(baseURL), maxRedirects: 0 });
	const history = async () => (await (await page.request.get(href!)).text()).match(/<h2[^>]*>History<\/h2>[\s\S]*$/)?.[0].replace(/<!--[\s\S]*?-->/g, '');
	const before = await history();
	expect(before).toBeTruthy();

	const evidence = 'Observed on site.';
	const grants: Array<[Record<string, string>, number, string, RegExp]> = [
		[{ certification: 'cooking', level: '1', evidence }, 400, 'certification', /from the list/],
		[{ certification: '', level: '1', evidence }, 400, 'certification', /from the list/],
		[{ certification: 'complaint-handling', level: '7', evidence }, 400, 'level', /level from the list/],
		[{ certification: 'complaint-handling', level: 'x', evidence }, 400, 'level', /level from the list/],
		[{ certification: 'complaint-handling', level: '3', evidence }, 400, 'level', /levels 1 to 2 only/],
		[{ certification: 'ro-purifier-service', level: '1', evidence }, 400, 'level', /Already holds level 1/],
		[{ certification: 'complaint-handling', level: '1', evidence: '  ' }, 400, 'evidence', /Evidence is required/],
		[{ certification: 'complaint-handling', level: '1', evidence: 'e'.repeat(2001) }, 400, 'evidence', /at most 2000 characters/]
	];
	for (const [form, status, field, message] of grants) {
		const res = await post('grant', form);
		expect(res.status(), JSON.stringify(form).slice(0, 80)).toBe(status);
		const html = await res.text();
		expect(html.match(new RegExp(`id="${field}-error"[^>]*>([^<]*)<`))?.[1], JSON.stringify(form).slice(0, 80)).toMatch(message);
	}

	// The revoked cycle of the first test cannot be revoked again; a cycle id that is not his is not found.
	const revoked = before!.match(/data-cycle="([0-9a-f-]{36})" data-status="revoked"/)?.[1];
	expect(revoked).toBeTruthy();
	const again = await post('revoke', { holdingId: revoked!, reason: 'Twice', confirm: 'yes' });
	expect(again.status()).toBe(400);
	expect(await again.text()).toContain('This cycle is already revoked.');
	const valid = before!.match(/data-cycle="([0-9a-f-]{36})" data-status="active"/)?.[1];
	expect(valid).toBeTruthy();
	// Without the confirmation the cycle stays valid, and the box says why.
	const unconfirmed = await post('revoke', { holdingId: valid!, reason: 'Because' });
	expect(unconfirmed.status()).toBe(400);
	expect((await unconfirmed.text()).match(new RegExp(`id="confirm-error-${valid}"[^>]*>([^<]*)<`))?.[1]).toMatch(/Tick the box/);
	const long = await post('revoke', { holdingId: valid!, reason: 'r'.repeat(501), confirm: 'yes' });
	expect(long.status()).toBe(400);
	expect((await long.text()).match(new RegExp(`id="reason-error-${valid}"[^>]*>([^<]*)<`))?.[1]).toMatch(/at most 500 characters/);
	expect((await post('revoke', { holdingId: 'nope', reason: 'Because', confirm: 'yes' })).status()).toBe(404);
	expect((await post('revoke', { holdingId: '00000000-0000-4000-8000-000000000000', reason: 'Because', confirm: 'yes' })).status()).toBe(404);

	expect(await history()).toBe(before);

	// Unknown technicians, and ids that are not ids, are not found.
	expect((await page.request.get('/trainer/certifications/00000000-0000-4000-8000-000000000000')).status()).toBe(404);
	expect((await page.request.get('/trainer/certifications/not-an-id')).status()).toBe(404);
	const unknown = await page.request.post('/trainer/certifications/00000000-0000-4000-8000-000000000000?/grant', {
		form: { certification: 'customer-care', level: '1', evidence },
		headers: originHeaders(baseURL),
		maxRedirects: 0
	});
	expect(unknown.status()).toBe(404);
});

test('without JavaScript the grant form answers beside the field; only trainers may open these pages', async ({ browser, baseURL }) => {
	const noJs = await browser.newContext({ storageState: storageFor('trainer'), javaScriptEnabled: false });
	const page = await noJs.newPage();
	await page.goto('/trainer/certifications?q=lucas');
	await page.getByRole('link', { name: 'Lucas Meyer' }).click();
	const grant = page.locator('form[action="?/grant"]');
	await grant.getByLabel('Certification').selectOption('customer-care');
	await grant.getByLabel(/^Evidence/).fill('   ');
	await grant.getByRole('button', { name: 'Grant' }).click();
	await expect(page.locator('#evidence-error')).toHaveText('Evidence is required.');
	await expect(grant.getByLabel('Certification')).toHaveValue('customer-care');
	await expect(page.locator('section[data-certification="customer-care"]')).toContainText('Never held.');
	await noJs.close();

	const technician = await browser.newContext({ storageState: storageFor('technician') });
	expect((await technician.request.get('/trainer/certifications')).status()).toBe(403);
	const href = '/trainer/certifications/00000000-0000-4000-8000-000000000000';
	const post = await technician.request.post(`${href}?/grant`, { form: { certification: 'customer-care', level: '1', evidence: 'x' }, headers: originHeaders(baseURL), maxRedirects: 0 });
	expect(post.status()).toBe(403);
	await technician.close();
});

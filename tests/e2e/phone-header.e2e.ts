import { expect, storageFor, test, type Role } from './fixtures';

/**
 * On a phone, in English (the longer words), the header keeps one line for the brand, the
 * language switch and signing out, and one line of links that scrolls sideways: nothing wraps.
 */
for (const role of ['technician', 'trainer', 'manager', 'admin'] as Role[]) {
	test(`the ${role}'s header does not wrap on a phone, in English`, async ({ browser }) => {
		const context = await browser.newContext({ storageState: storageFor(role), viewport: { width: 360, height: 740 } });
		const page = await context.newPage();
		await page.goto('/profile');
		const was = await page.locator('html').getAttribute('lang');
		if (was !== 'en') await page.locator('form[action="/language"] button').click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		const tops = async (selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
		const links = await tops('header.top nav a');
		expect(links.length).toBeGreaterThan(2);
		expect(new Set(links).size, 'nav links on one line').toBe(1);
		const row = await tops('header.top > .brand, header.top > form button');
		expect(Math.max(...row) - Math.min(...row), 'brand, language and sign out on one line').toBeLessThan(12);
		// The links that do not fit can be reached: the row scrolls.
		const nav = page.locator('header.top nav');
		const { scroll, client } = await nav.evaluate((n) => ({ scroll: n.scrollWidth, client: n.clientWidth }));
		if (scroll > client) {
			await page.locator('header.top nav a').last().focus();
			await expect(page.locator('header.top nav a').last()).toBeInViewport();
		}
		// The language is kept with the account: leave it as it was.
		if (was !== 'en') await page.locator('form[action="/language"] button').click();
		await context.close();
	});
}

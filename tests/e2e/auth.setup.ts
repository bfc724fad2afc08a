import { test as setup, expect } from '@playwright/test';
import { signIn, storageFor, type Role } from './fixtures';

const HOMES: Record<Role, RegExp> = {
	technician: /\/learn$/,
	trainer: /\/trainer$/,
	manager: /\/manager$/,
	admin: /\/admin$/
};

for (const role of Object.keys(HOMES) as Role[]) {
	setup(`sign in as the demo ${role}`, async ({ page }) => {
		await signIn(page, `${role}@example.com`);
		await expect(page).toHaveURL(HOMES[role]);
		await page.context().storageState({ path: storageFor(role) });
	});
}

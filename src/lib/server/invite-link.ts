/**
 * Until a mail server is configured the link is shown to the admin and written to the server log,
 * so that an invitation can always be delivered by hand.
 */
export function deliverInvitation(origin: string, email: string, token: string, expiresAt: Date): string {
	const link = `${origin}/invite/${token}`;
	console.log(`[invitation] ${email}: ${link} (valid until ${expiresAt.toISOString()})`);
	return link;
}

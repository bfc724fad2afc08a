import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { findCertification, listCertifications } from '$lib/server/certification/catalog';
import { cyclesOf, findTechnician, grantByHand, revokeByHand } from '$lib/server/certification/manual';
import { EVIDENCE_TEXT_MAX, REVOKE_REASON_MAX } from '$lib/server/certification/manual-rules';
import { historyCards } from '$lib/server/certification/manual-view';
import { ServiceError } from '$lib/server/errors';
import { readForm, refusal, text } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';
import { formatDay } from '$lib/format';

export const load: PageServerLoad = async ({ locals, params }) => {
	const [technician, cycles] = await Promise.all([findTechnician(locals.db, params.id), cyclesOf(locals.db, params.id)]);
	if (!technician) error(404, m.trainer_cert_not_technician());
	const definitions = listCertifications();
	return {
		technician,
		self: locals.user?.id === technician.id,
		cards: historyCards(definitions, cycles, locals.locale, new Date()),
		certifications: definitions.map((d) => ({ id: d.id, title: d.title[locals.locale] ?? d.title.en ?? d.id, levels: d.levels })),
		limits: { evidence: EVIDENCE_TEXT_MAX, reason: REVOKE_REASON_MAX }
	};
};

const grantSchema = z.object({
	certification: z
		.string({ error: () => m.trainer_cert_unknown_certification() })
		.trim()
		.min(1, { error: () => m.trainer_cert_unknown_certification() })
		.max(100, { error: () => m.trainer_cert_unknown_certification() }),
	level: z
		.string({ error: () => m.trainer_cert_level_choose() })
		.regex(/^[1-3]$/, { error: () => m.trainer_cert_level_choose() })
		.transform(Number),
	evidence: text(EVIDENCE_TEXT_MAX, () => m.trainer_cert_evidence_label())
});

const revokeSchema = z.object({
	holdingId: z.string({ error: () => m.trainer_cert_cycle_not_found() }).max(36, { error: () => m.trainer_cert_cycle_not_found() }),
	reason: text(REVOKE_REASON_MAX, () => m.trainer_cert_reason_label()),
	// Revoking cannot be undone: the trainer confirms it in the form (works without JavaScript).
	confirm: z.literal('yes', { error: () => m.trainer_cert_revoke_confirm_needed() })
});


function titleOf(id: string, locale: string) {
	const def = findCertification(id);
	return def ? (def.title[locale] ?? def.title.en ?? id) : id;
}

export const actions = {
	grant: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, grantSchema);
		if (!form.ok) return fail(form.status, { action: 'grant', errors: form.errors, values: form.values, message: form.message });
		const values = { certification: form.data.certification, level: String(form.data.level), evidence: form.data.evidence.slice(0, 300) };
		try {
			const granted = await grantByHand(locals.db, {
				technicianId: params.id,
				certificationId: form.data.certification,
				level: form.data.level,
				evidence: form.data.evidence,
				actorId: locals.user.id
			});
			const words = { certification: titleOf(granted.certificationId, locals.locale), level: granted.level, name: granted.technicianName, expires: formatDay(granted.expiresAt, locals.user.organisationTimeZone) };
			return { action: 'grant', saved: granted.action === 'upgrade' ? m.trainer_cert_upgraded_ok(words) : m.trainer_cert_granted_ok(words) };
		} catch (e) {
			return refusal(e, 'grant', values);
		}
	},
	revoke: async ({ request, locals, params }) => {
		if (!locals.user) error(401, m.error_sign_in_again());
		const form = await readForm(request, revokeSchema);
		const holdingId = form.ok ? form.data.holdingId : (form.values.holdingId ?? '');
		if (!form.ok) return fail(form.status, { action: 'revoke', holdingId, errors: form.errors, values: form.values, message: form.message });
		try {
			const revoked = await revokeByHand(locals.db, { technicianId: params.id, holdingId, reason: form.data.reason, actorId: locals.user.id });
			return { action: 'revoke', holdingId, saved: m.trainer_cert_revoked_ok({ certification: titleOf(revoked.certificationId, locals.locale), name: revoked.technicianName }) };
		} catch (e) {
			if (!(e instanceof ServiceError)) throw e;
			return fail(e.status, { action: 'revoke', holdingId, errors: e.field ? { [e.field]: e.message } : {}, values: { reason: form.data.reason.slice(0, 300) }, message: e.message });
		}
	}
} satisfies Actions;

import { describe, expect, it } from 'vitest';
import { certificationNoticeText, courseDueText, mailDate, siteOrigin, type CertificationNoticeInput } from './texts';
import { NOTICE_KINDS } from './reminders';

const base: CertificationNoticeInput = {
	kind: 'renewal_open',
	audience: 'technician',
	locale: 'en',
	recipientName: 'Tom Chen',
	technicianName: 'Tom Chen',
	certificationTitle: 'Home visit etiquette',
	level: 2,
	renewalOpensAt: new Date('2026-06-01T09:00:00Z'),
	expiresAt: new Date('2026-07-01T09:00:00Z'),
	origin: 'https://sr.example.com',
	timeZone: 'Asia/Shanghai'
};

describe('siteOrigin and mailDate', () => {
	it('takes ORIGIN without trailing slashes, else localhost:3000', () => {
		expect(siteOrigin({ ORIGIN: 'https://sr.example.com/' })).toBe('https://sr.example.com');
		expect(siteOrigin({})).toBe('http://localhost:3000');
		expect(siteOrigin({ ORIGIN: '  ' })).toBe('http://localhost:3000');
	});

	it('writes the calendar day in the organisation zone', () => {
		expect(mailDate(new Date('2026-07-01T23:30:00-02:00'), 'UTC')).toBe('2026-07-02');
		expect(mailDate(new Date('2026-07-01T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-07-02');
		expect(mailDate(new Date('2026-07-01T17:30:00Z'), 'America/New_York')).toBe('2026-07-01');
	});
});

describe('certificationNoticeText', () => {
	it('names the certification, the level, the dates and links technicians to their certifications', () => {
		const text = certificationNoticeText(base);
		expect(text.subject).toBe('Renewal window open: Home visit etiquette (Tom Chen)');
		expect(text.body).toContain('Hello Tom Chen');
		expect(text.body).toContain('“Home visit etiquette” (level 2) opened on 2026-06-01');
		expect(text.body).toContain('expires on 2026-07-01');
		expect(text.body).toContain('https://sr.example.com/learn/certifications');
	});

	it('tells a manager whose certification it is, with the link to the team page', () => {
		const text = certificationNoticeText({ ...base, audience: 'manager', recipientName: 'Marcus Wang', kind: 'expiring_soon' });
		expect(text.subject).toBe('Home visit etiquette expires on 2026-07-01 (Tom Chen)');
		expect(text.body).toContain('Hello Marcus Wang');
		expect(text.body).toContain("Tom Chen's certification");
		expect(text.body).toContain('https://sr.example.com/manager');
		expect(text.body).not.toContain('/learn/certifications');
	});

	it('writes Chinese for a Chinese reader, with the title given in Chinese', () => {
		const text = certificationNoticeText({ ...base, kind: 'expired', locale: 'zh-CN', recipientName: '李娜', technicianName: '李娜', certificationTitle: '上门服务礼仪' });
		expect(text.subject).toBe('上门服务礼仪 已过期（李娜）');
		expect(text.body).toContain('李娜，您好');
		expect(text.body).toContain('“上门服务礼仪”（2 级）已于 2026-07-01 过期');
		expect(text.body).toContain('https://sr.example.com/learn/certifications');
	});

	it('has a distinct subject and body for every kind, audience and language', () => {
		const seen = new Set<string>();
		for (const kind of NOTICE_KINDS) {
			for (const audience of ['technician', 'manager'] as const) {
				for (const locale of ['en', 'zh-CN'] as const) {
					const text = certificationNoticeText({ ...base, kind, audience, locale });
					expect(text.body).toContain('Home visit etiquette');
					expect(text.subject).toContain('Tom Chen');
					expect(text.body).toContain('2026-07-01');
					seen.add(text.body);
				}
			}
		}
		expect(seen.size).toBe(NOTICE_KINDS.length * 4);
	});
});

describe('courseDueText', () => {
	it('names the course and the due date and links to the course, in either language', () => {
		const input = { locale: 'en' as const, recipientName: 'Tom Chen', courseTitle: 'Handling complaints', courseSlug: 'complaints', dueAt: new Date('2026-05-12T15:59:59Z'), origin: 'http://localhost:3000', timeZone: 'Asia/Shanghai' };
		const en = courseDueText(input);
		expect(en.subject).toBe('Course due on 2026-05-12: Handling complaints');
		expect(en.body).toContain('http://localhost:3000/learn/courses/complaints');
		const zh = courseDueText({ ...input, locale: 'zh-CN', courseTitle: '投诉处理' });
		expect(zh.subject).toBe('课程将于 2026-05-12 到期：投诉处理');
		expect(zh.body).toContain('分配给您的课程“投诉处理”');
	});
});

import { describe, expect, it } from 'vitest';
import { readContentDir } from './check.ts';
import { layoutScenario, newScenarioFile, nodeFromFields, nodeToFields, putNode, readScenarioFile, removeNode, repliesLeadingTo, scenarioSettingsFromFields, writeScenarioFile } from './scenario-file.ts';
import { scenarioNodeSchema } from './graded-schema.ts';

const { files } = readContentDir('content');
const scenarios = [...files].filter(([p]) => p.endsWith('.scenario.md'));

describe('scenario files as data', () => {
	it('lays out every shipped scenario: every node placed once, every reply pointing rightwards, no two nodes on one spot', () => {
		expect(scenarios.length).toBeGreaterThanOrEqual(3);
		for (const [path, text] of scenarios) {
			const file = readScenarioFile(text)!;
			expect(readScenarioFile(writeScenarioFile(file)), path).toEqual(file);
			const layout = layoutScenario({ start: String(file.settings.start), nodes: file.nodes });
			expect(layout.nodes.length, path).toBe(file.nodes.length);
			expect(layout.nodes.every((n) => n.reachable)).toBe(true);
			const at = new Map(layout.nodes.map((n) => [n.id, n]));
			for (const e of layout.edges) expect(at.get(e.to)!.layer, `${path} ${e.from}→${e.to}`).toBeGreaterThan(at.get(e.from)!.layer);
			expect(new Set(layout.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(layout.nodes.length);
			expect(layout.nodes.every((n) => n.x + 150 <= layout.width && n.y + 44 <= layout.height)).toBe(true);
		}
	});

	it('draws broken graphs without looping: unreachable nodes in a last column, dangling replies unresolved', () => {
		const layout = layoutScenario({
			start: 'a',
			nodes: [
				{ id: 'a', choices: [{ id: 'x', next: 'b' }, { id: 'y', next: 'nowhere' }] },
				{ id: 'b', choices: [{ id: 'back', next: 'a' }] },
				{ id: 'lost', outcome: 'lost' }
			]
		});
		expect(layout.nodes.find((n) => n.id === 'lost')).toMatchObject({ reachable: false, layer: 2 });
		expect(layout.edges.find((e) => e.choice === 'y')).toMatchObject({ resolved: false });
	});

	it('gives each shipped node its fields and back the same node', () => {
		for (const [, text] of scenarios) {
			for (const node of readScenarioFile(text)!.nodes) {
				const back = nodeFromFields(nodeToFields(node));
				expect(back, String(node.id)).toMatchObject({ ok: true });
				expect(scenarioNodeSchema.parse((back as { value: unknown }).value)).toEqual(scenarioNodeSchema.parse(node));
			}
		}
	});

	it('renames a node everywhere it is named, and refuses to remove the start', () => {
		const file = readScenarioFile(newScenarioFile({ title: { en: 'T' }, summary: { en: 'S' } }))!;
		const renamed = putNode(file, 'opening', { ...file.nodes[0]!, id: 'door' });
		expect(renamed).toMatchObject({ settings: { start: 'door' } });
		const moved = putNode(file, 'ending', { ...file.nodes[1]!, id: 'happy-end' }) as { nodes: Array<{ choices?: Array<{ next: string }> }> };
		expect(moved.nodes[0]!.choices![0]!.next).toBe('happy-end');
		expect(putNode(file, 'ending', { ...file.nodes[1]!, id: 'opening' })).toEqual({ error: 'the id "opening" is already used by another node' });
		expect(removeNode(file, 'opening')).toMatchObject({ error: expect.stringContaining('start') });
		expect(removeNode(file, 'ending')).toMatchObject({ nodes: [expect.objectContaining({ id: 'opening' })] });
	});

	it('names what is wrong in a node or the settings', () => {
		expect(nodeFromFields({ id: 'n', mood: 'neutral', 'line.en': 'Hi' })).toMatchObject({ ok: false, errors: { choices: expect.any(String) } });
		expect(nodeFromFields({ id: 'n', mood: 'giddy', 'line.en': 'Hi', outcome: 'resolved' })).toMatchObject({ ok: false, errors: { mood: expect.any(String) } });
		expect(nodeFromFields({ id: 'n', mood: 'calm', 'choices.0.text.en': 'Yes', 'choices.0.feedback.en': 'Ok', 'choices.0.next': 'm', 'choices.0.scores.empathy': 'lots' })).toMatchObject({
			ok: false,
			errors: { line: expect.any(String), 'choices.0.scores.empathy': expect.any(String) }
		});
		expect(nodeFromFields({ id: 'n', mood: 'calm', 'line.en': 'Hi', 'choices.0.text.en': 'Yes', 'choices.0.feedback.en': 'Ok', 'choices.0.next': 'm', 'choices.0.scores.empathy': '11' })).toMatchObject({ ok: false });
		expect(scenarioSettingsFromFields({ 'title.en': 'T', 'summary.en': 'S', passMark: '70', start: 'a' })).toMatchObject({ ok: true });
		expect(scenarioSettingsFromFields({ 'title.en': 'T', 'summary.en': 'S', passMark: 'x', start: 'a' })).toMatchObject({ ok: false, errors: { passMark: expect.any(String) } });
	});

	it('keeps what an ending says happened: its claims as fields and back, renamed with their node, and the replies it may speak about', () => {
		const file = {
			settings: { start: 'door' },
			nodes: [
				{ id: 'door', choices: [{ id: 'own-it', text: { en: 'Sorry.' }, next: 'kitchen' }, { id: 'excuse', text: { en: 'Traffic.' }, next: 'kitchen' }] },
				{ id: 'kitchen', choices: [{ id: 'fix', text: { en: 'Fix.' }, next: 'fixed' }, { id: 'leave', text: { en: 'Bye.' }, next: 'lost' }] },
				{ id: 'fixed', mood: 'calm', line: { en: 'Thanks.' }, outcome: 'resolved', summary: { en: 'Fixed.' }, assumes: ['kitchen.fix'], excludes: ['door.excuse'] },
				{ id: 'lost', mood: 'angry', line: { en: 'Go.' }, outcome: 'lost', summary: { en: 'Gone.' } }
			]
		};
		const fields = nodeToFields(file.nodes[2]!);
		expect(fields).toMatchObject({ 'claims.kitchen.fix': 'made', 'claims.door.excuse': 'not-made' });
		expect(nodeFromFields({ ...fields, 'claims.door.own-it': '' })).toEqual({ ok: true, value: expect.objectContaining({ assumes: ['kitchen.fix'], excludes: ['door.excuse'] }) });
		expect(nodeFromFields({ ...fields, 'claims.kitchen': 'made' })).toMatchObject({ ok: false });
		expect(repliesLeadingTo(file, 'fixed').map((r) => r.ref)).toEqual(['door.own-it', 'door.excuse', 'kitchen.fix']);
		expect(repliesLeadingTo(file, 'lost').map((r) => r.ref)).toEqual(['door.own-it', 'door.excuse', 'kitchen.leave']);
		const renamed = putNode(file, 'kitchen', { ...file.nodes[1]!, id: 'sink' }) as { nodes: Array<{ assumes?: string[] }> };
		expect(renamed.nodes[2]!.assumes).toEqual(['sink.fix']);
	});
});

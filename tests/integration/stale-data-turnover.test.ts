import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../src/sandbox/bitrix24/index.js';
import { cli } from '../helpers/spawn.js';

interface RunOut {
  runId: string;
  results: { entity: string; id: string; rule: string; severity: string; reason: { ru: string; en: string } }[];
  writes: { key: string; kind: string; payload: Record<string, unknown> }[];
  summary: { moves: { entity: string; id: string; to: string }[] };
  sent?: { sent: number; failed: number; deferred: number };
}

/**
 * A manager leaves: dismissed on the sandbox portal, synced, found, handed over (--apply), and taken
 * back (undo), all through the command line a user runs.
 */
describe('stale-data turnover, end to end on the sandbox portal', () => {
  let sandbox: Bitrix24Sandbox;
  let leaver = 0;
  let openDeals: number[] = [];
  const env = { SVODKA_DATA_DIR: mkdtempSync(join(tmpdir(), 'svodka-turnover-')), LOG_LEVEL: 'silent' };
  const json = async <T>(args: string[]) => {
    const r = await cli([...args, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };

  beforeAll(async () => {
    sandbox = await startBitrix24Sandbox({ deals: 200, leads: 40, contacts: 60, companies: 15, activities: 300, dismissed: 0 });
    const { deals, semantics } = sandbox.data;
    // Semantics are keyed by the stage list: DEAL_STAGE for the default pipeline, DEAL_STAGE_<n> for others.
    const isOpen = (d: { stageId: string | null; categoryId: number }) =>
      semantics.get(`${d.categoryId ? `DEAL_STAGE_${d.categoryId}` : 'DEAL_STAGE'}|${d.stageId ?? ''}`) === 'P';
    const counts = new Map<number, number>();
    for (const d of deals.rows) if (isOpen(d)) counts.set(d.assignedById, (counts.get(d.assignedById) ?? 0) + 1);
    leaver = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    openDeals = deals.rows.filter((d) => isOpen(d) && d.assignedById === leaver).map((d) => d.id);
    sandbox.dismissUser(leaver);
    await json(['connect', 'bitrix24', '--webhook', sandbox.webhookUrl]);
    await json(['sync']);
  }, 90_000);
  afterAll(() => sandbox?.close());

  it('finds every open deal the dismissed manager left, and plans it without writing', async () => {
    const dry = await json<RunOut>(['run', 'stale-data']);
    const found = dry.results.filter((r) => r.rule === 'owner_inactive' && r.entity === 'deal').map((r) => Number(r.id));
    expect(found.sort((a, b) => a - b)).toEqual(openDeals);
    expect(dry.results[0]).toMatchObject({ severity: 'high', reason: { ru: expect.stringContaining('уволен'), en: expect.stringContaining('dismissed') } });
    expect(sandbox.data.deals.get(openDeals[0]!)!.assignedById).toBe(leaver);
    expect(sandbox.written.tasks).toHaveLength(0);
  }, 60_000);

  it('applies: every deal, its contact and open activities move; tasks are created once; undo restores the owners', async () => {
    const applied = await json<RunOut>(['run', 'stale-data', '--apply']);
    expect(applied.sent).toMatchObject({ failed: 0, deferred: 0 });
    const target = new Map(applied.summary.moves.map((m) => [`${m.entity}:${m.id}`, Number(m.to)]));
    for (const id of openDeals) {
      const d = sandbox.data.deals.get(id)!;
      expect(d.assignedById).toBe(target.get(`deal:${id}`));
      expect(d.assignedById).not.toBe(leaver);
      for (const a of sandbox.data.activities.rows.filter((x) => x.ownerTypeId === 2 && x.ownerId === id && x.completed === 'N')) {
        expect(a.responsibleId).toBe(d.assignedById);
      }
      if (d.contactId && target.has(`contact:${d.contactId}`)) expect(sandbox.data.contacts.get(d.contactId)!.assignedById).toBe(target.get(`contact:${d.contactId}`));
    }
    const groups = applied.writes.filter((w) => w.kind === 'task').length;
    expect(groups).toBeGreaterThanOrEqual(openDeals.length);
    expect(sandbox.written.tasks).toHaveLength(groups);
    expect(sandbox.written.comments).toHaveLength(groups);

    // The same plan again (the model not re-synced yet): the outbox knows every key, nothing is sent twice.
    const again = await json<RunOut>(['run', 'stale-data', '--apply']);
    expect(again.writes.map((w) => w.key)).toEqual(applied.writes.map((w) => w.key));
    expect(sandbox.written.tasks).toHaveLength(groups);

    const undone = await json<{ reversed: number; sent: { failed: number } }>(['undo', applied.runId]);
    expect(undone.reversed).toBe(applied.summary.moves.length);
    expect(undone.sent.failed).toBe(0);
    for (const id of openDeals) expect(sandbox.data.deals.get(id)!.assignedById).toBe(leaver);
  }, 120_000);
});

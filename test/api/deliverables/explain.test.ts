// DM-9 "every status and permission must be explainable": explainParticipant and the listing's
// `explanation`, with rule ids in order, and who may ask (§9).
import { beforeEach, describe, expect, it } from 'vitest';
import { expectTopLevel } from '../../helpers/ops.js';
import { type DmWorld, dmWorld, gid } from '../../helpers/world.js';

let dm: DmWorld;
const CAROL = 'carol@harbor.example';

beforeEach(async () => {
  dm = await dmWorld();
});

const QUERY = `query($p: ID!, $u: ID!) { explainParticipant(projectId: $p, dataSourceUserId: $u) {
  named status steps { rule outcome detail } } }`;

async function explain(userId: string, as = 'alice@harbor.example') {
  return dm.world.gql(QUERY, { p: dm.pid(), u: gid('DataSourceUser', userId) }, as);
}

describe('DM-9 explanations', () => {
  it('DM-9 a named user: WA-1, DM-1, DM-4, DM-3 and DM-10 steps, in that order', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    const group = await dm.group('Crew', [carol.id]);
    await dm.participant(dm.groupRef(group), 'LEADER');
    await dm.associate();
    const e = (await explain(carol.id)).data?.explainParticipant;
    expect(e).toMatchObject({ named: true, status: 'ACTIVE_USER' });
    const rules = (e.steps as { rule: string }[]).map((s) => s.rule);
    expect(rules[0]).toBe('WA-1');
    // Principals are named as an administrator knows them, not by row id.
    expect(e.steps[0].detail).toBe('A named user, through group Crew (LEADER).');
    expect(rules.indexOf('DM-1')).toBeGreaterThan(0);
    expect(rules.indexOf('DM-4')).toBeGreaterThan(rules.lastIndexOf('DM-1'));
    expect(rules.at(-2)).toBe('DM-3');
    expect(e.steps.at(-2).detail).toContain('PWDM_ISSUER');
    expect(e.steps.at(-1)).toMatchObject({ rule: 'DM-10', outcome: 'PASSED' });
  });

  it('WA-1b an individual NO_ACCESS participant is explained as not named, over their group', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.groupRef(await dm.group('Crew', [carol.id])), 'LEADER');
    await dm.participant(dm.userRef(carol), 'NO_ACCESS');
    await dm.associate();
    const e = (await explain(carol.id)).data?.explainParticipant;
    expect(e).toMatchObject({ named: false, status: null, steps: [{ rule: 'WA-1b', outcome: 'FAILED' }] });
    expect(e.steps[0].detail).toContain('individual NO_ACCESS');
    expect(e.steps[0].detail).toContain('user carol (NO_ACCESS)');
  });

  it('WA-1 a user no participant reaches answers null; DM-1 a user without a profile says so before any permission', async () => {
    const loner = await dm.dsUser('loner', 'loner@harbor.example');
    const ghost = await dm.dsUser('ghost', 'ghost@harbor.example');
    await dm.participant(dm.userRef(ghost), 'LEADER');
    await dm.associate();
    // Not the connector's to explain — nor to confirm they are a user of the data source.
    const lonely = await explain(loner.id);
    expect(lonely.errors).toBeUndefined();
    expect(lonely.data?.explainParticipant).toBeNull();
    const g = (await explain(ghost.id)).data?.explainParticipant;
    expect(g.steps.at(-1)).toMatchObject({ rule: 'PRJ-7', outcome: 'SKIPPED' });
    expect(g.status).toBe('IMS_ACCOUNT_MISSING');
    expect(g.steps.find((s: { rule: string; outcome: string }) => s.outcome === 'FAILED')).toMatchObject({
      rule: 'DM-1',
    });
  });

  it('§9 MANAGE_SETTINGS holders only: an issuer gets FORBIDDEN, an outsider null; no work area: null', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    expect((await explain(carol.id)).data?.explainParticipant).toBeNull(); // not associated yet
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.frank, 'PWDM_ISSUER');
    expectTopLevel(await explain(carol.id, 'frank@freelance.example'), 'FORBIDDEN');
    const outsider = await explain(carol.id, 'dave@northwind.example');
    expect(outsider.errors).toBeUndefined();
    expect(outsider.data?.explainParticipant).toBeNull();
  });
});

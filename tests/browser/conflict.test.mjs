// A sync conflict settled by a team lead (issue 11): two devices of one inspector edit the same
// note; the lead's team page shows both versions side by side, the difference marked; the lead
// keeps the tablet's version after a confirmation, the server takes it over and the problem
// leaves the list.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { loginAs, openBrowser, startServer } from './helpers.mjs';
import { api, isoDate, tokenOf } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

/** A device of its own pushing one mutation; the mutation's result. */
async function push(server, token, device, seq, type, entityId, baseVersion, data) {
  const mutation = {
    id: randomUUID(), seq, type, entity_id: entityId, base_version: baseVersion,
    at: new Date().toISOString(), data,
  };
  const answer = await api(server, token, 'POST', '/api/v1/sync/push', { device_id: device, mutations: [mutation] });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.results[0];
}

describe('a conflict settled by the team lead', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('shows both versions and keeps the tablet\'s after a confirmation', async () => {
    // The conflict: a tablet and a phone of inspecteur1 edit the same note from version 1.
    const inspector = await tokenOf(server, 'inspecteur1');
    const day = await api(server, inspector, 'GET', `/api/v1/me/visits?date=${isoDate(new Date())}`);
    const visitId = day.body.visits[0].id;
    const [tablet, phone] = [randomUUID(), randomUUID()];
    const note = randomUUID();
    assert.equal((await push(server, inspector, tablet, 1, 'visit_note.add', note, null,
      { visit_id: visitId, text: 'Vetput vol' })).status, 'applied');
    assert.equal((await push(server, inspector, tablet, 2, 'visit_note.edit', note, 1,
      { text: 'Vetput vol, ledigingsbewijs ontbreekt' })).status, 'applied');
    const refused = await push(server, inspector, phone, 1, 'visit_note.edit', note, 1,
      { text: 'Vetput geleegd op 12 november, bewijs getoond' });
    assert.equal(refused.status, 'conflict');

    const office = await openBrowser(server.url);
    try {
      const lead = office.page;
      await loginAs(lead, 'teamleider1', '**/kantoor/team');
      const problem = lead.locator(`[data-testid="team-problem"][data-problem="conflict"]`);
      await problem.waitFor();
      const versions = problem.getByTestId('conflict-versions');
      assert.equal(await versions.getByTestId('version-tablet').innerText(), 'Vetput geleegd op 12 november, bewijs getoond');
      assert.equal(await versions.getByTestId('version-server').innerText(), 'Vetput vol, ledigingsbewijs ontbreekt');
      assert.equal(await versions.locator('tr.differs').count(), 1, 'the difference is marked');
      assert.match(await versions.locator('thead').innerText(), /versie 2/);
      if (SHOTS) await problem.screenshot({ path: `${SHOTS}/conflict-versions.png` });

      // Dismissing the confirmation changes nothing; accepting it keeps the tablet's version.
      lead.once('dialog', (d) => d.dismiss());
      await problem.getByTestId('team-keep-tablet').click();
      assert.equal(await problem.getByTestId('team-keep-tablet').isEnabled(), true);
      let question = '';
      lead.once('dialog', (d) => { question = d.message(); d.accept(); });
      await problem.getByTestId('team-keep-tablet').click();
      assert.match(question, /versie van de tablet vervangt/);
      await problem.waitFor({ state: 'detached', timeout: 60_000 });

      const detail = await api(server, inspector, 'GET', `/api/v1/visits/${visitId}`);
      const kept = detail.body.notes.find((n) => n.id === note);
      assert.equal(kept.text, 'Vetput geleegd op 12 november, bewijs getoond');
      assert.equal(kept.version, 3);
      const open = await api(server, await tokenOf(server, 'teamleider1'), 'GET', '/api/v1/sync/problems');
      assert.equal(open.body.problems.filter((p) => p.mutation_id === refused.id).length, 0);
    } finally {
      await office.close();
    }
  });
});

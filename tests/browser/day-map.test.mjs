// The day's route as a map, offline (issue 12): drawn from the coordinates, no tile server; the
// visits numbered in route order with their status, the tablet's position when the browser knows
// it, and a tap on a stop opens its visit, all with the network off.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { readStore, startServer } from './helpers.mjs';
import { inspectorTablet, isoDate } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

describe("the day's route map", () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('draws the route offline with numbered stops, the position, and opens a visit on a tap', async () => {
    const tablet = await inspectorTablet(server);
    try {
      const { page, context } = tablet;
      const today = isoDate(new Date());
      const visits = (await readStore(page, 'visits'))
        .filter((v) => v.visit.planned_date === today)
        .sort((a, b) => a.visit.route_order - b.visit.route_order);
      assert.ok(visits.length >= 2, 'a day with a route');
      // The tablet stands a little south-west of the first stop.
      const first = visits[0].visit.site;
      await context.grantPermissions(['geolocation']);
      await context.setGeolocation({ latitude: first.lat - 0.02, longitude: first.lon - 0.02, accuracy: 20 });

      await context.setOffline(true);
      await page.reload();
      await page.getByTestId('visit-list').waitFor();
      await page.getByTestId('show-map').click();
      const map = page.getByTestId('day-map');
      await map.waitFor();
      const stops = map.getByTestId('map-stop');
      assert.equal(await stops.count(), visits.length, 'one stop per visit of the day');
      for (let i = 0; i < visits.length; i += 1) {
        const stop = stops.nth(i);
        assert.equal(await stop.innerText(), String(visits[i].visit.route_order), 'numbered in route order');
        assert.equal(await stop.getAttribute('data-status'), visits[i].visit.status);
        assert.match(await stop.getAttribute('aria-label'), new RegExp(`^${visits[i].visit.route_order}\\. `));
        const box = await stop.boundingBox();
        assert.ok(box.width >= 44 && box.height >= 44, 'a full-size touch target');
      }
      await map.getByTestId('map-me').waitFor();
      assert.equal(await map.getByTestId('map-position').innerText(), 'De blauwe stip is uw positie.');
      // The tablet's position lies south-west of the first stop on the drawing too.
      const me = await map.getByTestId('map-me').boundingBox();
      const stop1 = await stops.first().boundingBox();
      assert.ok(me.x < stop1.x + stop1.width / 2 && me.y > stop1.y + stop1.height / 2, 'north up, east right');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/day-map.png`, fullPage: true });

      // A tap on the second stop opens that visit, still offline.
      await stops.nth(1).click();
      await page.waitForURL(`**/bezoek/${visits[1].visit.id}`);
      await page.getByRole('heading', { name: visits[1].visit.site.name }).waitFor();
    } finally {
      await tablet.close();
    }
  });
});

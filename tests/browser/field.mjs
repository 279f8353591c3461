// What the browser tests of the field work share: the default LHSO matrix, answers it scores as
// B3, dates as the app writes them, and waiting for a sync run that left nothing unsent.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  login,
  openBrowser,
  readStore,
  repoRoot,
  waitForServiceWorkerControl,
  waitForStoredSession,
} from './helpers.mjs';

export const SYNC_TIMEOUT_MS = 90_000;

export const MATRIX = JSON.parse(readFileSync(path.join(repoRoot, 'shared/src/lhso/default_matrix.json'), 'utf8'));

/** Answers that the default matrix scores as B3 (consequence 3, behaviour B). */
export const B3_ANSWERS = {
  consequence_environment: 'none',
  consequence_people: 'real_risk',
  consequence_unrest: 'no',
  behaviour_awareness: 'could_have',
  behaviour_effort: 'partly',
  behaviour_gain: 'no',
  behaviour_intent: 'no',
};

/** `yyyy-mm-dd` of `d` on this machine's (and so the browser's) calendar. */
export function isoDate(d) {
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** Waits until the sync badge says a run finished with nothing left to send. */
export async function waitForSyncSuccess(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="sync-state"]');
    return el && el.dataset.phase === 'idle' && el.dataset.pending === '0' && el.dataset.last;
  }, null, { timeout: SYNC_TIMEOUT_MS, polling: 200 });
}

/**
 * A browser with the inspector logged in on the tablet app, its worker in control and the first
 * sync done: the start of every test of a day in the field.
 */
export async function inspectorTablet(server) {
  const tablet = await openBrowser(server.url);
  try {
    await login(tablet.page);
    await waitForStoredSession(tablet.page, true);
    await waitForServiceWorkerControl(tablet.page);
    await waitForSyncSuccess(tablet.page);
    return tablet;
  } catch (err) {
    await tablet.close();
    throw err;
  }
}

/** One JSON call to the server's API with `token`: `{status, body}`. */
export async function api(server, token, method, pathName, body) {
  const res = await fetch(`${server.url}${pathName}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

/** A fresh token of the demo account `username`. */
export async function tokenOf(server, username) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'schouw-demo' }),
  });
  return (await res.json()).token;
}

/**
 * A planned visit on the device (on `day`, a `yyyy-mm-dd`, when given) whose checklist has an item
 * answered as `type` (`yes_no`, `number`, ...), and that item.
 */
export async function plannedVisitWithItem(page, day, type) {
  const visits = await readStore(page, 'visits');
  const templates = await readStore(page, 'templates');
  for (const v of visits.filter((x) => x.visit.status === 'planned' && (!day || x.visit.planned_date === day))) {
    const t = templates.find((x) => x.sectors.includes(v.visit.site.sector));
    const item = t?.items.find((i) => i.answer.type === type);
    if (item) return { target: v, item };
  }
  throw new Error(`no planned visit${day ? ` on ${day}` : ''} with a ${type} checklist item`);
}

/**
 * A planned visit with a yes/no item, and that item: what the field tests record a violation on.
 */
export async function plannedVisitWithYesNoItem(page, day) {
  return plannedVisitWithItem(page, day, 'yes_no');
}

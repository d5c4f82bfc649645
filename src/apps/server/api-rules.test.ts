/**
 * Issues #5/#6: the regulator saves a rule change through the API. A saved version wins over the
 * config file for `ceir classify` and the API's classification job; `--accept-changes` puts the
 * config's conditions back in force. Invalid changes are refused with every problem; other roles
 * are refused; saves are audited.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiEnv } from './api-test-kit.js';

let env: ApiEnv;
before(async () => {
  env = await new ApiEnv().setUp();
});
after(async () => env.close());

const STOLEN = {
  label: 'stolen',
  reason: 'Reported stolen',
  blocking: true,
  grace_period_days: 0,
  max_allowed_matching_ratio: 1,
  dimensions: [{ module: 'stolen_list' }],
};
/** Every seen IMEI has at least one IMSI: this informative condition matches every one. */
const SEEN = {
  label: 'seen_on_network',
  reason: 'Seen on a network',
  blocking: false,
  max_allowed_matching_ratio: 1,
  dimensions: [{ module: 'duplicate_threshold', parameters: { threshold: 1, period_days: 30 } }],
};

test('an invalid rule change is refused with every problem, and nothing is saved', async () => {
  const reg = env.key('regulator');
  const before = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  const r = await env.call('POST', '/api/v1/regulator/rules', {
    auth: reg,
    json: {
      conditions: [
        { label: 'a', reason: 'A', dimensions: [{ module: 'no_such_module' }] },
        { label: 'b', reason: 'B', grace_period_days: -1, dimensions: [{ module: 'stolen_list' }] },
      ],
      amnesty: { enabled: true, evaluation_period_end: null, amnesty_period_end: '2026-03-01' },
      note: 'broken',
    },
  });
  assert.equal(r.status, 400, JSON.stringify(r.json));
  assert.equal(r.json.error.code, 'CEIR_ERR_USAGE');
  const paths: string[] = r.json.error.details.map((d: { path: string }) => d.path);
  assert.ok(
    paths.some((p) => p.startsWith('conditions[0]')),
    paths.join(', '),
  );
  assert.ok(
    paths.some((p) => p.startsWith('conditions[1]')),
    paths.join(', '),
  );
  assert.ok(paths.includes('amnesty.evaluation_period_end'), paths.join(', '));
  for (const p of paths) assert.ok(r.json.error.message.includes(p), `message names ${p}`);
  const afterRefusal = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  assert.deepEqual(afterRefusal.json, before.json);
  assert.equal(afterRefusal.json.source, 'configuration');
});

test('only the regulator may save rules', async () => {
  for (const role of ['operator', 'police', 'admin', 'importer'] as const) {
    const r = await env.call('POST', '/api/v1/regulator/rules', {
      auth: env.key(role),
      json: { conditions: [STOLEN], note: 'not mine' },
    });
    assert.equal(r.status, 403, role);
  }
  const anon = await env.call('POST', '/api/v1/regulator/rules', {
    json: { conditions: [STOLEN], note: 'anyone' },
  });
  assert.equal(anon.status, 401);
  const rules = await env.call('GET', '/api/v1/regulator/rules', { auth: env.key('regulator') });
  assert.equal(rules.json.source, 'configuration');
});

test('a saved rule is audited and used by classification until the config is accepted again', async () => {
  const reg = env.key('regulator');
  const prior = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  const saved = await env.call('POST', '/api/v1/regulator/rules', {
    auth: reg,
    json: {
      conditions: [STOLEN, SEEN],
      amnesty: { enabled: false, evaluation_period_end: null, amnesty_period_end: null },
      note: 'watch every device',
    },
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.json));
  assert.equal(saved.json.source, 'regulator');
  assert.equal(saved.json.version, prior.json.version + 1);
  assert.equal(saved.json.saved.by, env.staff.get('regulator')!.id);
  assert.equal(saved.json.saved.note, 'watch every device');
  assert.deepEqual(
    saved.json.conditions.map((c: { label: string }) => c.label),
    ['stolen', 'seen_on_network'],
  );

  const audit = await env.call('GET', '/api/v1/regulator/audit?action=saveRules', { auth: reg });
  const entry = audit.json.entries.find(
    (e: { target: string }) => e.target === `rules:v${saved.json.version}`,
  );
  assert.ok(entry, JSON.stringify(audit.json.entries));
  assert.equal(entry.actor, env.staff.get('regulator')!.id);
  assert.equal(entry.outcome, 'ok');

  // The API's job classifies with the saved version: the new condition matches every seen IMEI.
  const job = await env.call('POST', '/api/v1/regulator/jobs/classify', { auth: reg });
  assert.equal(job.status, 200, JSON.stringify(job.json));
  const d = await env.call('GET', '/api/v1/regulator/dashboard', { auth: reg });
  const seen = d.json.by_condition.find(
    (c: { condition: string }) => c.condition === 'seen_on_network',
  );
  assert.ok(seen, JSON.stringify(d.json.by_condition));
  assert.equal(seen.imeis, d.json.devices_seen);
  assert.equal(seen.blocking, false);

  // The CLI too, without --accept-changes (the config file still has the old conditions).
  await env.ctx.close();
  const out = await env.ceir(['classify', '--as-of', '2026-01-31']);
  assert.match(out, new RegExp(`condition set v${saved.json.version}\\)`));
  assert.match(out, /seen_on_network/);
  assert.doesNotMatch(out, /duplicate/);
  assert.match(out, /rules saved by a regulator .*--accept-changes/);
  // --accept-changes records the config's conditions as a new version: the config is in force.
  const back = await env.ceir(['classify', '--as-of', '2026-01-31', '--accept-changes']);
  assert.match(back, new RegExp(`condition set v${saved.json.version + 1}\\)`));
  assert.match(back, /duplicate/);
  assert.doesNotMatch(back, /seen_on_network/);
  assert.doesNotMatch(back, /rules saved by a regulator/);
  const rules = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  assert.equal(rules.json.source, 'configuration');
  assert.equal(rules.json.version, saved.json.version + 1);
});

test('amnesty settings are saved with a rule version; a save without them keeps them', async () => {
  const reg = env.key('regulator');
  const current = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  const amnesty = {
    enabled: true,
    evaluation_period_end: '2026-01-15',
    amnesty_period_end: '2026-06-30',
  };
  const r = await env.call('POST', '/api/v1/regulator/rules', {
    auth: reg,
    json: { conditions: current.json.conditions, amnesty, note: 'amnesty for the launch' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(r.json.amnesty, amnesty);
  // Saving conditions alone keeps the amnesty settings.
  const again = await env.call('POST', '/api/v1/regulator/rules', {
    auth: reg,
    json: { conditions: current.json.conditions, note: 'same rules' },
  });
  assert.deepEqual(again.json.amnesty, amnesty);
  assert.equal(again.json.version, r.json.version + 1);
  const got = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  assert.deepEqual(got.json.amnesty, amnesty);
  assert.equal(got.json.saved.note, 'same rules');
  // --accept-changes over a saved version with the config's own conditions: the config's
  // amnesty (disabled) is back in force, as a new version.
  await env.ctx.close();
  const out = await env.ceir(['classify', '--as-of', '2026-01-31', '--accept-changes']);
  assert.match(out, new RegExp(`condition set v${again.json.version + 1}\\)`));
  const back = await env.call('GET', '/api/v1/regulator/rules', { auth: reg });
  assert.equal(back.json.source, 'configuration');
  assert.equal(back.json.amnesty.enabled, false);
});

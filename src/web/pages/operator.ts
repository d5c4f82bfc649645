/**
 * Operator pages: the latest signed list delivery (manifest, Ed25519 signature and public key
 * shown, each file to download, full and delta), the upload of a network dump with the quality
 * gates as a table, and the import history.
 */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notice, page, table } from '../layout.js';
import { PAGE_HEADERS } from '../security.js';
import type { PageRoute } from '../web-app.js';
import type { WebResponse } from '../web-types.js';
import { field, fileField, textField } from './fields.js';

const OPERATOR = ['operator'] as const;

interface Gate {
  gate: string;
  passed: boolean;
  value: number;
  limit: number;
  bound: 'max' | 'min';
  skipped?: string;
  detail?: string;
}

const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

export function gatesTable(c: PageCtx, gates: readonly Gate[]): SafeHtml {
  const { t } = c;
  return table(
    t('operator.gates'),
    [t('operator.gate'), t('operator.measured'), t('operator.limit'), t('operator.passed')],
    gates.map((g) => [
      g.gate,
      g.skipped ? `- (${g.skipped})` : num(g.value),
      `${g.bound === 'max' ? '≤' : '≥'} ${num(g.limit)}`,
      g.passed ? t('common.yes') : html`<strong class="bad">${t('common.no')}</strong>`,
    ]),
    [1],
  );
}

function uploadForm(c: PageCtx): SafeHtml {
  const { t } = c;
  return html`<h2>${t('operator.upload')}</h2>
    <form
      class="stack"
      method="post"
      action="/operator/dumps"
      enctype="multipart/form-data"
      data-progress="dump-progress"
    >
      ${csrfField(c)}${fileField('file', t('operator.dumpFile'), '.csv,.gz,.zip')}${textField('period', t('operator.period'), { max: 17 })}<progress
        id="dump-progress"
        hidden
        max="100"
        value="0"
        aria-label="${t('importer.progress')}"
      ></progress>
      <div><button type="submit">${t('operator.uploadButton')}</button></div>
    </form>`;
}

async function history(c: PageCtx): Promise<SafeHtml> {
  const { t } = c;
  const r = await c.api('GET', '/api/v1/operator/imports');
  if (!r.ok) return notice(t('error.api', { message: r.error ?? '' }), 'error');
  const list = r.json.imports as {
    id: string;
    file: string;
    started_at: string;
    rows: number;
    accepted: number;
    gates: Gate[];
    period_start?: string;
    period_end?: string;
  }[];
  if (list.length === 0)
    return html`<h2>${t('operator.history')}</h2>
      <p>${t('common.none')}</p>`;
  return html`<h2>${t('operator.history')}</h2>
    ${table(
      t('operator.history'),
      [
        'ID',
        t('operator.fileName'),
        t('operator.started'),
        t('operator.rows'),
        t('operator.accepted'),
        t('operator.gates'),
      ],
      list.map((x) => [
        x.id,
        x.file,
        x.started_at,
        x.rows,
        x.accepted,
        x.gates.map((g) => `${g.gate} ${g.passed ? '✓' : '✗'}`).join(', '),
      ]),
      [3, 4],
    )}`;
}

async function listsSection(c: PageCtx): Promise<SafeHtml> {
  const { t } = c;
  const r = await c.api('GET', '/api/v1/operator/lists');
  if (r.status === 404) return notice(t('operator.noLists'));
  if (!r.ok) return notice(t('error.api', { message: r.error ?? '' }), 'error');
  const d = r.json as {
    run: number;
    as_of: string;
    signature: string;
    public_key_pem: string;
    files: {
      name: string;
      kind: string;
      form: string;
      rows: number;
      bytes: number;
      sha256: string;
    }[];
  };
  return html`<p>${t('operator.run', { run: d.run, asOf: d.as_of })}</p>
    ${table(
      t('operator.run', { run: d.run, asOf: d.as_of }),
      [
        t('operator.file'),
        t('operator.kind'),
        t('operator.form'),
        t('operator.rows'),
        t('operator.bytes'),
        'SHA-256',
      ],
      d.files.map((f) => [
        html`<a href="/operator/files/${encodeURIComponent(f.name)}" download>${f.name}</a>`,
        f.kind,
        f.form,
        f.rows,
        f.bytes,
        html`<span class="mono">${f.sha256}</span>`,
      ]),
      [3, 4],
    )}
    <p>
      <a href="/operator/manifest.json" download>manifest.json</a> ·
      <a href="/operator/manifest.sig" download>manifest.sig</a> ·
      <a href="/operator/ceir-public.pem" download>ceir-public.pem</a>
    </p>
    <h2>${t('operator.signature')}</h2>
    <pre id="signature">${d.signature}</pre>
    <h2>${t('operator.publicKey')}</h2>
    <pre>${d.public_key_pem}</pre>
    <p class="hint">${t('operator.verifyHint')}</p>`;
}

function download(body: string | Uint8Array, type: string, name: string): WebResponse {
  return {
    status: 200,
    headers: {
      ...PAGE_HEADERS,
      'content-type': type,
      'content-disposition': `attachment; filename="${name}"`,
    },
    body,
    raw: true,
  };
}

/** manifest.json, manifest.sig (raw signature bytes) and the public key, for `openssl` checks. */
const DELIVERY_FILES: readonly [
  string,
  (d: { manifest: string; signature: string; public_key_pem: string }) => WebResponse,
][] = [
  ['manifest.json', (d) => download(d.manifest, 'application/json', 'manifest.json')],
  [
    'manifest.sig',
    (d) => download(Buffer.from(d.signature, 'base64'), 'application/octet-stream', 'manifest.sig'),
  ],
  [
    'ceir-public.pem',
    (d) => download(d.public_key_pem, 'application/x-pem-file', 'ceir-public.pem'),
  ],
];

export const OPERATOR_PAGES: readonly PageRoute[] = [
  {
    method: 'GET',
    path: '/operator',
    roles: OPERATOR,
    handler: async (c) =>
      page(
        c,
        c.t('operator.title', { operator: c.me.operator ?? '' }),
        html`${await listsSection(c)}${uploadForm(c)}${await history(c)}`,
      ),
  },
  ...DELIVERY_FILES.map(([name, make]): PageRoute => ({
    method: 'GET',
    path: `/operator/${name}`,
    roles: OPERATOR,
    handler: async (c) => {
      const r = await c.api('GET', '/api/v1/operator/lists');
      if (!r.ok)
        return page(c, c.t('common.error'), notice(c.t('operator.noLists'), 'error'), r.status);
      return make(r.json);
    },
  })),
  {
    method: 'GET',
    path: '/operator/files/:name',
    roles: OPERATOR,
    handler: async (c) => {
      const name = c.params.name!;
      const r = await c.api('GET', `/api/v1/operator/lists/files/${encodeURIComponent(name)}`);
      if (!r.ok)
        return page(
          c,
          c.t('common.error'),
          notice(c.t('error.api', { message: r.error ?? '' }), 'error'),
          r.status,
        );
      return download(
        r.response.body as Uint8Array,
        'application/zip',
        name.replace(/[^A-Za-z0-9._-]/g, '_'),
      );
    },
  },
  {
    method: 'POST',
    path: '/operator/dumps',
    roles: OPERATOR,
    handler: async (c) => {
      const { t } = c;
      const file = c.form.files.get('file');
      const name =
        (file?.filename ?? 'dump.csv')
          .split(/[\\/]/)
          .pop()!
          .replace(/[^A-Za-z0-9._-]/g, '_')
          .slice(-120) || 'dump.csv';
      const r = await c.api('POST', '/api/v1/operator/dumps', {
        query: { file_name: name, period: field(c, 'period') || undefined },
        body: file?.data ?? new Uint8Array(0),
      });
      let top: SafeHtml;
      if (!r.ok) top = notice(t('error.api', { message: r.error ?? '' }), 'error');
      else if (r.json.outcome === 'imported')
        top = html`${notice(t('operator.outcome.imported', { rows: r.json.import.rows, accepted: r.json.import.accepted }))}${gatesTable(c, r.json.import.gates)}`;
      else if (r.json.outcome === 'duplicate')
        top = notice(t('operator.outcome.duplicate', { id: r.json.import.id }));
      else
        top = html`${notice(t('operator.outcome.rejected', { message: r.json.error.message }), 'error')}${gatesTable(c, r.json.gates ?? [])}`;
      return page(
        c,
        c.t('operator.title', { operator: c.me.operator ?? '' }),
        html`${top}${uploadForm(c)}${await history(c)}`,
        r.ok ? 200 : r.status,
      );
    },
  },
];

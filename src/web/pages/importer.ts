/**
 * Importer pages: bulk registration upload (a CSV file; a progress bar while it uploads when
 * script runs; the result with every row error and warning, and the error report as a CSV file
 * to download) and a search of the registered stock.
 */
import type { PageCtx } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, notice, page, table } from '../layout.js';
import { PAGE_HEADERS } from '../security.js';
import type { PageRoute } from '../web-app.js';
import { fileField } from './fields.js';

const IMPORTER = ['importer'] as const;

interface RowProblem {
  line: number;
  field?: string;
  imei?: string;
  warning?: string;
  message: string;
}

/** The last error reports, per importer and batch (kept in memory, the newest 200). */
const reports = new Map<string, string>();
const KEEP = 200;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is neutralised. */
export function csvField(s: string): string {
  const v = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function errorReportCsv(
  errors: readonly RowProblem[],
  warnings: readonly RowProblem[],
): string {
  const rows = [
    ...errors.map((e) => ['error', String(e.line), e.field ?? '', '', e.message]),
    ...warnings.map((w) => [w.warning ?? 'warning', String(w.line), '', w.imei ?? '', w.message]),
  ];
  return (
    ['kind,line,field,imei,message', ...rows.map((r) => r.map(csvField).join(','))].join('\r\n') +
    '\r\n'
  );
}

function uploadForm(c: PageCtx): SafeHtml {
  const { t } = c;
  return html`<h2>${t('importer.title')}</h2>
    <p>${t('importer.intro')}</p>
    <form
      class="stack"
      method="post"
      action="/importer/upload"
      enctype="multipart/form-data"
      data-progress="upload-progress"
    >
      ${csrfField(c)}${fileField('file', t('importer.file'), '.csv,text/csv')}<progress
        id="upload-progress"
        hidden
        max="100"
        value="0"
        aria-label="${t('importer.progress')}"
      ></progress>
      <div><button type="submit">${t('importer.button')}</button></div>
    </form>`;
}

async function stock(c: PageCtx): Promise<SafeHtml> {
  const { t } = c;
  const q = (c.req.query.get('q') ?? '').trim().slice(0, 60);
  const r = await c.api('GET', '/api/v1/importer/registrations', { query: { limit: '10000' } });
  if (!r.ok) return notice(t('error.api', { message: r.error ?? '' }), 'error');
  const all = r.json.registrations as Record<string, string>[];
  const needle = q.toLowerCase();
  const hits = needle
    ? all.filter((x) =>
        [x.imei, x.brand, x.model, x.import_permit, x.batch_id].some((v) =>
          String(v).toLowerCase().includes(needle),
        ),
      )
    : all;
  const shown = hits.slice(0, 500);
  return html`<h2 id="stock">${t('importer.stock')} (${hits.length})</h2>
    <form class="stack" method="get" action="/importer" role="search">
      <div>
        <label for="f-q">${t('importer.search')}</label
        ><input type="search" id="f-q" name="q" value="${q}" maxlength="60" />
      </div>
      <div><button type="submit" class="secondary">${t('importer.searchButton')}</button></div>
    </form>
    ${
      shown.length
        ? table(
            t('importer.stock'),
            [
              'IMEI',
              t('importer.brand'),
              t('importer.model'),
              t('importer.type'),
              t('importer.permit'),
              t('importer.batch'),
              t('importer.date'),
            ],
            shown.map((x) => [
              x.imei,
              x.brand,
              x.model,
              x.device_type,
              x.import_permit,
              x.batch_id,
              x.created_at,
            ]),
          )
        : html`<p>${t('common.none')}</p>`
    }`;
}

export const IMPORTER_PAGES: readonly PageRoute[] = [
  {
    method: 'GET',
    path: '/importer',
    roles: IMPORTER,
    handler: async (c) => page(c, c.t('nav.importer'), html`${uploadForm(c)}${await stock(c)}`),
  },
  {
    method: 'POST',
    path: '/importer/upload',
    roles: IMPORTER,
    handler: async (c) => {
      const { t } = c;
      const file = c.form.files.get('file');
      const r = await c.api('POST', '/api/v1/importer/registrations', {
        body: file?.data ?? new Uint8Array(0),
        contentType: 'text/csv',
      });
      if (!r.ok)
        return page(
          c,
          t('nav.importer'),
          html`${notice(t('error.api', { message: r.error ?? '' }), 'error')}${uploadForm(c)}`,
          r.status,
        );
      const x = r.json as {
        accepted: boolean;
        batch_id: string;
        rows: number;
        registered: number;
        errors: RowProblem[];
        warnings: RowProblem[];
      };
      const id = `${c.me.subject}:${x.batch_id}`;
      if (x.errors.length + x.warnings.length > 0) {
        reports.set(id, errorReportCsv(x.errors, x.warnings));
        while (reports.size > KEEP) reports.delete(reports.keys().next().value!);
      }
      const summary = x.accepted
        ? notice(
            t('importer.accepted', { batch: x.batch_id, registered: x.registered, rows: x.rows }),
          )
        : notice(t('importer.refused', { batch: x.batch_id, errors: x.errors.length }), 'error');
      const download =
        x.errors.length + x.warnings.length > 0
          ? html`<p>
              <a
                class="button"
                href="/importer/reports/${encodeURIComponent(x.batch_id)}.csv"
                download
                >${t('importer.download')}</a
              >
            </p>`
          : '';
      const errs = x.errors.length
        ? table(
            t('importer.errors'),
            [t('importer.line'), t('importer.field'), t('importer.message')],
            x.errors.map((e) => [e.line, e.field ?? '', e.message]),
            [0],
          )
        : '';
      const warns = x.warnings.length
        ? table(
            t('importer.warnings'),
            [t('importer.line'), 'IMEI', t('importer.message')],
            x.warnings.map((w) => [w.line, w.imei ?? '', w.message]),
            [0],
          )
        : '';
      return page(c, t('nav.importer'), html`${summary}${download}${errs}${warns}${uploadForm(c)}`);
    },
  },
  {
    method: 'GET',
    path: '/importer/reports/:file',
    roles: IMPORTER,
    handler: async (c) => {
      const batch = c.params.file!.replace(/\.csv$/, '');
      const csv = reports.get(`${c.me.subject}:${batch}`);
      if (csv === undefined)
        return page(c, c.t('common.error'), notice(c.t('error.notFound'), 'error'), 404);
      return {
        status: 200,
        headers: {
          ...PAGE_HEADERS,
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="errors-${batch.replace(/[^A-Za-z0-9_-]/g, '')}.csv"`,
        },
        body: csv,
        raw: true,
      };
    },
  },
];

/**
 * Test kit of the web UI: the people-API test store (`ApiEnv`) with the UI in front, served on
 * loopback for a real browser, or called in process by `WebClient` (a cookie jar that submits
 * forms with the `_csrf` token of the last page, as a browser would). `launchChromium` starts
 * Debian's chromium through playwright-core; without it the browser tests skip (CI: fail).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ApiRequest, ApiResponse } from '../../api/index.js';
import { ApiEnv } from './api-test-kit.js';
import { startWebServer, withWebUi, type WebServerHandle } from './web-server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SKIP_NO_CHROMIUM = 'chromium is not installed: apt-get install chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');

/** Debian's chromium, headless, fresh profile; undefined (skip) when absent outside CI. */
export async function launchChromium(): Promise<
  { browser: Browser; close(): Promise<void> } | undefined
> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true')
      throw new Error(`${SKIP_NO_CHROMIUM} (CI=true: the browser tests must run)`);
    return undefined;
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'ceir-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disk-cache-dir=${join(profile, 'cache')}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The test store, its API and the UI on a loopback port. */
export class WebEnv {
  readonly env = new ApiEnv();
  site!: WebServerHandle;

  async setUp(): Promise<this> {
    await this.env.setUp();
    this.site = await startWebServer({ api: this.env.api, host: '127.0.0.1', port: 0 });
    return this;
  }

  url(path: string): string {
    return `${this.site.url}${path}`;
  }

  async close(): Promise<void> {
    await this.site?.close();
    await this.env.close();
  }
}

export interface WebReply {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly text: string;
}

/** A browser without a browser: cookies kept, forms posted with the last page's `_csrf`. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  private readonly handle: (r: ApiRequest) => Promise<ApiResponse>;

  constructor(env: ApiEnv) {
    this.handle = withWebUi(env.api).site.handle;
  }

  async request(
    method: string,
    url: string,
    body?: { type: string; bytes: Uint8Array },
  ): Promise<WebReply> {
    const u = new URL(url, 'http://ui.test');
    const headers: Record<string, string> = {};
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body) headers['content-type'] = body.type;
    const r = await this.handle({
      method,
      path: u.pathname,
      query: u.searchParams,
      headers,
      body: body?.bytes ?? new Uint8Array(0),
      ip: '127.0.0.1',
    });
    const sc = r.headers['set-cookie'];
    for (const c of sc === undefined ? [] : Array.isArray(sc) ? sc : [sc]) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const k = pair!.slice(0, i);
      const v = pair!.slice(i + 1);
      if (/Max-Age=0/.test(c) || v === '') this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const text =
      typeof r.body === 'string'
        ? r.body
        : r.raw
          ? Buffer.from(r.body as Uint8Array).toString('utf8')
          : JSON.stringify(r.body);
    const m = /name="_csrf"\s+value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1]!;
    return { status: r.status, headers: r.headers, text };
  }

  get(url: string): Promise<WebReply> {
    return this.request('GET', url);
  }

  /** Posts a urlencoded form with the current `_csrf` (unless given). */
  post(url: string, fields: Record<string, string>): Promise<WebReply> {
    const f = new URLSearchParams({ _csrf: this.csrf, ...fields });
    return this.request('POST', url, {
      type: 'application/x-www-form-urlencoded',
      bytes: Buffer.from(f.toString()),
    });
  }

  /** Posts a multipart form with one file. */
  async postFile(
    url: string,
    fields: Record<string, string>,
    file: { field: string; name: string; text: string },
  ): Promise<WebReply> {
    const fd = new FormData();
    fd.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    fd.append(file.field, new Blob([file.text], { type: 'text/csv' }), file.name);
    const req = new Request('http://x/', { method: 'POST', body: fd });
    return this.request('POST', url, {
      type: req.headers.get('content-type')!,
      bytes: new Uint8Array(await req.arrayBuffer()),
    });
  }

  async login(username: string, password: string): Promise<void> {
    await this.get('/login');
    const r = await this.post('/login', { username, password });
    assert.equal(r.status, 303, r.text);
    await this.get(String(r.headers.location));
  }
}

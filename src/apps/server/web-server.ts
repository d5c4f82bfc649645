/**
 * Composition root of the web UI (issue #6): one HTTP/1.1 listener serves the UI's pages and the
 * JSON API (`/api/...`, `/openapi.json`) on the same origin, so the API's HttpOnly SameSite
 * session cookie is the UI's session. The UI calls the API in process (`api.handle`), with the
 * browser's cookie and the session's CSRF token: no second hop over the network.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Api } from '../../api/index.js';
import { httpHandler } from '../../api/http-adapter.js';
import { createWebApp, type WebApp } from '../../web/index.js';

/** Uploads (dumps, stock files) up to this size. */
export const WEB_MAX_BODY_BYTES = 256 * 1024 * 1024;

/** The API with the UI in front: the UI answers every path outside the API's. */
export function withWebUi(api: Api): { site: Api; web: WebApp } {
  const web = createWebApp({ api: (r) => api.handle(r) });
  const site: Api = { ...api, handle: (r) => (web.owns(r.path) ? web.handle(r) : api.handle(r)) };
  return { site, web };
}

export interface WebServerHandle {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startWebServer(o: {
  readonly api: Api;
  readonly host: string;
  readonly port: number;
}): Promise<WebServerHandle> {
  const { site } = withWebUi(o.api);
  const server = createServer(httpHandler(site, WEB_MAX_BODY_BYTES));
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port, o.host, () => {
      server.off('error', rej);
      res();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections();
      }),
  };
}

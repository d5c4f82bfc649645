/**
 * The web UI inside `ceir serve` (`npm start`): served by the people API's own listener on
 * `api.port` (8082 by default; any free port with `--http-port 0`) through its `site` hook
 * (api-server.ts, web-server.ts `withWebUi`): the UI's pages, and on the same origin the API
 * (`/api/...`, `/openapi.json`), with one API instance and one copy of the check data.
 */
import type { CliContext } from '../cli/cli-context.js';
import { smsOutboxPath } from './api-wiring.js';

/** What `ceir demo` prints about the UI (after the demo logins). */
export function webUiHint(ctx: CliContext): string[] {
  const url = `http://${ctx.config.server.host}:${ctx.config.api.port}/`;
  return [
    '',
    `Web UI (after \`ceir serve\` starts): ${url}   (docs/web.md)`,
    `  anyone: check an IMEI at ${url}; staff: ${url}login with a demo login above;`,
    `  subscribers (report a theft, cases, pairing, appeal): the one-time code is in ${smsOutboxPath(ctx)}`,
  ];
}

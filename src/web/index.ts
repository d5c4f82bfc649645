/** The web UI (issue #6): `createWebApp` and the request types the composition root wires. */
export { createWebApp, type PageRoute, type WebApp, type WebAppOptions } from './web-app.js';
export type { ApiCall, WebRequest, WebResponse } from './web-types.js';
export { CONTENT_SECURITY_POLICY } from './security.js';

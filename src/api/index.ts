/** The people-facing JSON API (issue #5): every route, and the app that serves them. */
import type { ApiDeps } from './api-deps.js';
import { createApi, type Api } from './api-app.js';
import type { RouteDef } from './route-def.js';
import { ADMIN_ROUTES } from './routes-admin.js';
import { AUTH_ROUTES } from './routes-auth.js';
import { IMPORTER_ROUTES } from './routes-importer.js';
import { OPERATOR_ROUTES } from './routes-operator.js';
import { POLICE_ROUTES } from './routes-police.js';
import { PUBLIC_ROUTES } from './routes-public.js';
import { REGULATOR_ROUTES } from './routes-regulator.js';
import { SUBSCRIBER_ROUTES } from './routes-subscriber.js';

export const ROUTES: readonly RouteDef[] = [
  ...PUBLIC_ROUTES,
  ...AUTH_ROUTES,
  ...SUBSCRIBER_ROUTES,
  ...POLICE_ROUTES,
  ...IMPORTER_ROUTES,
  ...OPERATOR_ROUTES,
  ...REGULATOR_ROUTES,
  ...ADMIN_ROUTES,
];

export function createPeopleApi(deps: ApiDeps): Api {
  return createApi(deps, ROUTES);
}

export type { Api } from './api-app.js';
export type { ApiDeps, ApiSettings } from './api-deps.js';
export type { ApiRequest, ApiResponse } from './http-types.js';
export { addUser, resetApiKey } from './user-admin.js';

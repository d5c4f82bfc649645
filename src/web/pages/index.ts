/** Every page of the UI. */
import type { PageRoute } from '../web-app.js';
import { ADMIN_PAGES } from './admin.js';
import { AUTH_PAGES } from './auth.js';
import { IMPORTER_PAGES } from './importer.js';
import { OPERATOR_PAGES } from './operator.js';
import { POLICE_PAGES } from './police.js';
import { PUBLIC_PAGES } from './public.js';
import { REGULATOR_PAGES } from './regulator.js';
import { RULE_SAVE_PAGES } from './regulator-save.js';
import { SUBSCRIBER_PAGES } from './subscriber.js';

export const PAGE_ROUTES: readonly PageRoute[] = [
  ...PUBLIC_PAGES,
  ...AUTH_PAGES,
  ...SUBSCRIBER_PAGES,
  ...POLICE_PAGES,
  ...IMPORTER_PAGES,
  ...OPERATOR_PAGES,
  ...REGULATOR_PAGES,
  ...RULE_SAVE_PAGES,
  ...ADMIN_PAGES,
];

/** Users and API keys: listed by the regulator and the administrator, changed by the administrator. */
import { STAFF_ROLES, type StaffRole } from '../core/ports/people-store.js';
import { json } from './http-types.js';
import { notFound } from './list-deltas.js';
import { userJson } from './presenters.js';
import type { RouteDef } from './route-def.js';
import { UserSchema, arr, obj, str } from './schemas.js';
import { addUser, resetApiKey } from './user-admin.js';

export const ADMIN_ROUTES: readonly RouteDef[] = [
  {
    id: 'listUsers',
    method: 'GET',
    path: '/api/v1/admin/users',
    tag: 'admin',
    summary: 'Every user with role and operator (never secrets)',
    roles: ['regulator', 'admin'],
    responses: {
      200: {
        description: 'Users',
        schema: obj({
          users: arr(UserSchema),
          keys: arr(
            obj({
              id: str(),
              user_id: str(),
              created_at: str(),
              revoked_at: { type: ['string', 'null'] },
            }),
          ),
        }),
      },
    },
    handler: async (c) => {
      const { users, keys } = await c.deps.store(async (p) => ({
        users: await p.listUsers(),
        keys: await p.listApiKeys(),
      }));
      return json(200, {
        users: users.map(userJson),
        keys: keys.map((k) => ({
          id: k.id,
          user_id: k.userId,
          created_at: k.createdAt,
          revoked_at: k.revokedAt,
        })),
      });
    },
  },
  {
    id: 'addUser',
    method: 'POST',
    path: '/api/v1/admin/users',
    tag: 'admin',
    summary: 'Add a user (police, importer, operator, regulator, admin)',
    roles: ['admin'],
    body: {
      type: 'json',
      schema: obj(
        {
          username: str({ maxLength: 64 }),
          role: str({ enum: [...STAFF_ROLES] }),
          password: str({ minLength: 10, maxLength: 200 }),
          operator: str({ maxLength: 64 }),
          organisation: str({ maxLength: 200 }),
        },
        ['username', 'role', 'password'],
      ),
    },
    responses: { 201: { description: 'The user', schema: UserSchema } },
    handler: async (c) => {
      const b = c.body as {
        username: string;
        role: StaffRole;
        password: string;
        operator?: string;
        organisation?: string;
      };
      const u = await c.deps.store((p) => addUser(p, b, c.deps.settings.operators, c.deps.now()));
      c.audit = {
        target: u.id,
        detail: { username: u.username, role: u.role, operator: u.operator },
      };
      return json(201, userJson(u));
    },
  },
  {
    id: 'resetKey',
    method: 'POST',
    path: '/api/v1/admin/users/{id}/key',
    tag: 'admin',
    summary: 'Revoke the user’s API keys and make a new one (shown once)',
    roles: ['admin'],
    responses: {
      200: { description: 'The new key', schema: obj({ user_id: str(), api_key: str() }) },
    },
    handler: async (c) => {
      const id = c.params.id!;
      const key = await c.deps.store(async (p) => {
        if (!(await p.userById(id))) throw notFound(`No user ${id}`);
        return resetApiKey(p, id, c.deps.now());
      });
      c.auth.dropKeys();
      c.audit = { target: id, detail: { key_id: key.split('.')[1] } };
      return json(200, { user_id: id, api_key: key });
    },
  },
];

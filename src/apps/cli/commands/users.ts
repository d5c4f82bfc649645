/**
 * `ceir users add <username> --role <role> [--operator <id>] [--organisation <text>]`,
 * `ceir users list`, `ceir users reset-key <username>`: bootstrap and manage the API's users
 * (issue #5). A new user's password comes from CEIR_USER_PASSWORD, or is generated and printed
 * once; `add` and `reset-key` print a new API key once (only hashes are kept). Every change is
 * written to the audit log as done by `cli:<os user>`.
 */
import { userInfo } from 'node:os';
import { addUser, resetApiKey } from '../../../api/index.js';
import { randomToken } from '../../../api/secrets.js';
import { STAFF_ROLES, type StaffRole } from '../../../core/ports/people-store.js';
import { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import { DuckDbAuditLog } from '../../../store/duckdb/people-audit.js';
import { DuckDbPeopleStore } from '../../../store/duckdb/people-store.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

export interface UsersArgs {
  readonly role?: string;
  readonly operator?: string;
  readonly organisation?: string;
}

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

async function open(ctx: CliContext) {
  const s = await ctx.openStore();
  if (!(s instanceof DuckDbStore)) throw new UsageError('ceir users needs the DuckDB store');
  return { people: new DuckDbPeopleStore(s.db), audit: new DuckDbAuditLog(s.db) };
}

export async function runUsers(
  ctx: CliContext,
  rest: readonly string[],
  a: UsersArgs,
  env = process.env,
): Promise<number> {
  const [sub, name] = rest;
  const { people, audit } = await open(ctx);
  const log = (action: string, target: string, detail: Record<string, unknown>) =>
    audit.append({
      actor: cliActor(),
      role: 'admin',
      action,
      target,
      source: 'cli',
      outcome: 'ok',
      detail,
    });
  switch (sub) {
    case 'add': {
      if (!name || !a.role)
        throw new UsageError('ceir users add <username> --role <role> [--operator <id>]');
      if (!(STAFF_ROLES as readonly string[]).includes(a.role))
        throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
      const generated = env.CEIR_USER_PASSWORD === undefined;
      const password = env.CEIR_USER_PASSWORD ?? randomToken(12);
      const u = await addUser(
        people,
        {
          username: name,
          role: a.role as StaffRole,
          password,
          operator: a.operator ?? null,
          organisation: a.organisation ?? '',
        },
        ctx.config.operators.map((o) => o.id),
        new Date(),
      );
      const key = await resetApiKey(people, u.id, new Date());
      await log('user.add', u.id, { username: u.username, role: u.role, operator: u.operator });
      ctx.print(
        {
          id: u.id,
          username: u.username,
          role: u.role,
          operator: u.operator,
          ...(generated ? { password } : {}),
          api_key: key,
        },
        () => [
          `user ${u.username} (${u.role}${u.operator ? `, operator ${u.operator}` : ''}) added as ${u.id}`,
          ...(generated ? [`  password: ${password}   (shown once)`] : []),
          `  API key:  ${key}   (shown once; send it as "Authorization: Bearer ${key.slice(0, 12)}...")`,
        ],
      );
      return 0;
    }
    case 'list': {
      const users = await people.listUsers();
      const keys = await people.listApiKeys();
      ctx.print(
        users.map((u) => ({
          id: u.id,
          username: u.username,
          role: u.role,
          operator: u.operator,
          disabled: u.disabled,
        })),
        () => [
          `${'username'.padEnd(20)} ${'role'.padEnd(10)} ${'operator'.padEnd(10)} keys  id`,
          ...users.map(
            (u) =>
              `${u.username.padEnd(20)} ${u.role.padEnd(10)} ${(u.operator ?? '-').padEnd(10)} ${String(keys.filter((k) => k.userId === u.id && !k.revokedAt).length).padStart(4)}  ${u.id}`,
          ),
        ],
      );
      return 0;
    }
    case 'reset-key': {
      if (!name) throw new UsageError('ceir users reset-key <username>');
      const u = await people.userByName(name);
      if (!u) throw new UsageError(`No user ${name}`);
      const key = await resetApiKey(people, u.id, new Date());
      await log('user.reset_key', u.id, { key_id: key.split('.')[1] });
      ctx.print({ id: u.id, api_key: key }, () => [
        `new API key for ${u.username} (every older key revoked): ${key}   (shown once)`,
      ]);
      return 0;
    }
    default:
      throw new UsageError('ceir users add | list | reset-key');
  }
}

/**
 * Demo logins for the people API (`npm start`): one user per staff role with a fixed demo
 * password (made on the first run; demo data only), a fresh API key each run, and how a
 * subscriber logs in (one-time code written to the SMS outbox). Printed after the demo report.
 */
import { addUser, resetApiKey } from '../../../api/index.js';
import { STAFF_ROLES } from '../../../core/ports/people-store.js';
import { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import { DuckDbPeopleStore } from '../../../store/duckdb/people-store.js';
import { smsOutboxPath } from '../../server/api-wiring.js';
import type { CliContext } from '../cli-context.js';

export const demoPassword = (role: string): string => `demo-${role}-2026`;

export async function demoLogins(ctx: CliContext): Promise<string[]> {
  const s = await ctx.openStore();
  if (!(s instanceof DuckDbStore)) return [];
  const people = new DuckDbPeopleStore(s.db);
  const ops = ctx.config.operators.map((o) => o.id);
  const lines: string[] = [];
  for (const role of STAFF_ROLES) {
    const username = `demo-${role}`;
    const u =
      (await people.userByName(username)) ??
      (await addUser(
        people,
        {
          username,
          role,
          password: demoPassword(role),
          operator: role === 'operator' ? (ops[0] ?? null) : null,
          organisation: 'Demo',
        },
        ops,
        new Date(),
      ));
    const key = await resetApiKey(people, u.id, new Date());
    lines.push(
      `  ${role.padEnd(10)} ${username.padEnd(16)} password ${demoPassword(role).padEnd(22)} API key ${key}`,
    );
  }
  const host = ctx.config.server.host;
  return [
    '',
    `People API (after \`ceir serve\` starts): http://${host}:${ctx.config.api.port}/openapi.json   (docs/api.md)`,
    `  public     no login: curl 'http://${host}:${ctx.config.api.port}/api/v1/public/check?imei=<15 digits>'`,
    `  subscriber POST /api/v1/auth/otp {"msisdn":"999..."}; the code is in ${smsOutboxPath(ctx)}`,
    'Demo logins (POST /api/v1/auth/login, or "Authorization: Bearer <API key>"):',
    ...lines,
  ];
}

/**
 * User and key management shared by the API (admin routes) and `ceir users`: a new user gets a
 * scrypt-hashed password and, on request, an API key `k.<id>.<secret>` shown once (only its scrypt
 * hash is kept). Resetting a key revokes every live key of the user and makes a new one.
 */
import { CeirFailure, ceirError } from '../core/errors.js';
import {
  STAFF_ROLES,
  type PeopleStore,
  type StaffRole,
  type UserRecord,
} from '../core/ports/people-store.js';
import { hashSecret, randomId, randomToken } from './secrets.js';

export interface NewUser {
  readonly username: string;
  readonly role: StaffRole;
  readonly password: string;
  readonly operator?: string | null;
  readonly organisation?: string;
}

export function checkNewUser(u: NewUser, operators: readonly string[]): void {
  const bad = (m: string) => new CeirFailure(ceirError('CEIR_ERR_USAGE', m));
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(u.username))
    throw bad(`Username "${u.username}": 2-64 lower-case letters, digits, . _ -`);
  if (!STAFF_ROLES.includes(u.role))
    throw bad(`Role "${u.role}": one of ${STAFF_ROLES.join(', ')}`);
  if (u.password.length < 10) throw bad('The password needs at least 10 characters');
  if (u.role === 'operator' && (!u.operator || !operators.includes(u.operator)))
    throw bad(`An operator user needs --operator, one of ${operators.join(', ')}`);
  if (u.role !== 'operator' && u.operator) throw bad('Only operator users have an operator');
}

export async function addUser(
  people: PeopleStore,
  u: NewUser,
  operators: readonly string[],
  now: Date,
): Promise<UserRecord> {
  checkNewUser(u, operators);
  if (await people.userByName(u.username))
    throw new CeirFailure(ceirError('CEIR_ERR_CONFLICT', `User ${u.username} exists`));
  const rec: UserRecord = {
    id: `u-${randomId(6)}`,
    username: u.username,
    role: u.role,
    operator: u.operator ?? null,
    organisation: u.organisation ?? '',
    passwordHash: await hashSecret(u.password),
    disabled: false,
    createdAt: now.toISOString(),
  };
  await people.addUser(rec);
  return rec;
}

/** Revokes the user's keys and makes a new one; returns the key text (shown once). */
export async function resetApiKey(people: PeopleStore, userId: string, now: Date): Promise<string> {
  await people.revokeKeys(userId, now.toISOString());
  const id = randomId(8);
  const secret = randomToken(24);
  await people.addApiKey({
    id,
    userId,
    keyHash: await hashSecret(secret),
    createdAt: now.toISOString(),
    revokedAt: null,
  });
  return `k.${id}.${secret}`;
}

/**
 * What the people-facing API (issue #5) needs to keep: users and their API keys, sessions, one-time
 * codes, theft cases, pairing requests, appeals and registered stock. Secrets never cross this
 * port in clear: passwords and API keys as scrypt hashes, session tokens and OTP codes as SHA-256
 * hashes (made in the API layer). Adapters: `store/duckdb/people-store.ts`.
 */

/** The roles of domain.md section 1 plus the system administrator. `public` needs no login. */
export const ROLES = [
  'public',
  'subscriber',
  'police',
  'importer',
  'operator',
  'regulator',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];
/** Roles of named user accounts (a subscriber is proved by a one-time code, not an account). */
export type StaffRole = Exclude<Role, 'public' | 'subscriber'>;
export const STAFF_ROLES: readonly StaffRole[] = [
  'police',
  'importer',
  'operator',
  'regulator',
  'admin',
];

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly role: StaffRole;
  /** The operator an `operator` user acts for (config operator id); null for other roles. */
  readonly operator: string | null;
  /** The organisation (importer company, police unit), free text. */
  readonly organisation: string;
  readonly passwordHash: string;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly userId: string;
  readonly keyHash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** A login session (browser cookie or bearer token). `subject`: user id, or `msisdn:<digits>`. */
export interface SessionRecord {
  readonly id: string;
  readonly tokenHash: string;
  readonly csrfToken: string;
  readonly role: Exclude<Role, 'public'>;
  readonly subject: string;
  readonly expiresAt: string;
  readonly createdAt: string;
}

/** A one-time code sent to an MSISDN: expires, single use, limited attempts. */
export interface OtpRecord {
  readonly id: string;
  readonly msisdn: string;
  readonly codeHash: string;
  readonly expiresAt: string;
  readonly attempts: number;
  readonly usedAt: string | null;
  readonly createdAt: string;
}

export type CaseStatus = 'reported' | 'confirmed' | 'rejected' | 'recovered';

/** A theft or loss report (one or two IMEIs of one device). */
export interface TheftCase {
  readonly caseNumber: string;
  readonly msisdn: string;
  readonly imeis: readonly string[];
  readonly kind: 'stolen' | 'lost';
  readonly policeReport: string;
  readonly incidentDate: string;
  readonly place: string;
  readonly status: CaseStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Who confirmed or rejected (police user id), and the note. */
  readonly decidedBy: string | null;
  readonly note: string;
}

export type RequestStatus = 'pending' | 'approved' | 'rejected';

/** A subscriber asks to pair a genuine device (IMEI) with their own SIM (domain.md section 5). */
export interface PairingRequest {
  readonly id: string;
  readonly msisdn: string;
  readonly imei: string;
  readonly imsi: string;
  readonly reason: string;
  readonly status: RequestStatus;
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly note: string;
}

/** An appeal against a decision on an IMEI, with its evidence and outcome. */
export interface Appeal {
  readonly id: string;
  readonly msisdn: string;
  readonly imei: string;
  readonly reason: string;
  readonly evidence: readonly { readonly name: string; readonly text: string }[];
  readonly status: 'open' | 'upheld' | 'dismissed';
  readonly outcome: string;
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
}

/** One IMEI of an importer's registered stock. */
export interface Registration {
  readonly imei: string;
  readonly importerId: string;
  readonly model: string;
  readonly brand: string;
  readonly deviceType: string;
  readonly importPermit: string;
  readonly batchId: string;
  readonly createdAt: string;
}

export interface PeopleStore {
  // users and keys
  addUser(u: UserRecord): Promise<void>;
  userById(id: string): Promise<UserRecord | undefined>;
  userByName(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  setPassword(userId: string, passwordHash: string): Promise<void>;
  addApiKey(k: ApiKeyRecord): Promise<void>;
  apiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Revokes every live key of the user (a reset). */
  revokeKeys(userId: string, at: string): Promise<number>;
  listApiKeys(userId?: string): Promise<ApiKeyRecord[]>;
  // sessions
  addSession(s: SessionRecord): Promise<void>;
  session(id: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  // one-time codes
  addOtp(o: OtpRecord): Promise<void>;
  otp(id: string): Promise<OtpRecord | undefined>;
  /** Counts one attempt; returns the attempts made so far. */
  otpAttempt(id: string): Promise<number>;
  useOtp(id: string, at: string): Promise<boolean>;
  // theft cases
  addCase(c: TheftCase): Promise<void>;
  theftCase(caseNumber: string): Promise<TheftCase | undefined>;
  listCases(q: { msisdn?: string; status?: CaseStatus; imei?: string }): Promise<TheftCase[]>;
  updateCase(
    caseNumber: string,
    change: { status: CaseStatus; decidedBy?: string | null; note?: string; at: string },
  ): Promise<void>;
  nextCaseSequence(year: number): Promise<number>;
  // pairing requests
  addPairing(p: PairingRequest): Promise<void>;
  pairing(id: string): Promise<PairingRequest | undefined>;
  listPairings(q: { msisdn?: string; status?: RequestStatus }): Promise<PairingRequest[]>;
  decidePairing(
    id: string,
    d: { status: RequestStatus; by: string; note: string; at: string },
  ): Promise<void>;
  // appeals
  addAppeal(a: Appeal): Promise<void>;
  appeal(id: string): Promise<Appeal | undefined>;
  listAppeals(q: { msisdn?: string; status?: Appeal['status'] }): Promise<Appeal[]>;
  decideAppeal(
    id: string,
    d: { status: Appeal['status']; outcome: string; by: string; at: string },
  ): Promise<void>;
  // registered stock
  addRegistrations(rows: readonly Registration[]): Promise<void>;
  /** Registrations of these IMEIs (14-digit keys), by anyone. */
  registrationsOf(imeis: readonly string[]): Promise<Registration[]>;
  listRegistrations(importerId: string, limit: number): Promise<Registration[]>;
}

/**
 * The default SMS gateway (`core/ports/sms-gateway.ts`): every message is appended as one JSON
 * line `{"at","msisdn","text"}` to an outbox file, which the demo prints and the tests read
 * (a deployment replaces this adapter with its SMS centre).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SmsGateway, SmsMessage } from '../../core/ports/sms-gateway.js';

export class SmsOutbox implements SmsGateway {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  async send(m: SmsMessage): Promise<void> {
    appendFileSync(
      this.path,
      `${JSON.stringify({ at: new Date().toISOString(), msisdn: m.msisdn, text: m.text })}\n`,
      { mode: 0o600 },
    );
  }

  /** Every message sent so far (tests, demo). */
  messages(): { at: string; msisdn: string; text: string }[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { at: string; msisdn: string; text: string });
  }
}

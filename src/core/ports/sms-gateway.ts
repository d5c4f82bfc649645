/**
 * How the CEIR sends a text message to a subscriber (one-time codes, case updates). The default
 * adapter (`apps/server/sms-outbox.ts`) appends each message to an outbox file that the demo and
 * the tests read; a deployment plugs in its SMS centre or aggregator here.
 */
export interface SmsMessage {
  /** E.164 digits. */
  readonly msisdn: string;
  readonly text: string;
}

export interface SmsGateway {
  send(m: SmsMessage): Promise<void>;
}

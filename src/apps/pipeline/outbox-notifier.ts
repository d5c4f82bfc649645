/**
 * The default notification adapter (core/ports/notifier.ts): a structured log line, and one JSON
 * line appended to `<data>/outbox/notifications.jsonl` for whatever delivers them (a mail relay,
 * an operator portal, the API's status of a file).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Notifier, PipelineNotification } from '../../core/ports/notifier.js';
import type { Logger } from '../observability/logger.js';

export class OutboxNotifier implements Notifier {
  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  async notify(n: PipelineNotification): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify(n)}\n`);
    this.log.warn({ notification: n }, `notification: ${n.kind}`);
  }
}

/** The shape of a language file: one string for every key of the English file. */
import type { MessageKey } from './en.js';

export type Messages = Readonly<Record<MessageKey, string>>;

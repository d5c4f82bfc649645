/** Regulator-saved rule versions in the DuckDB store (`core/ports/rule-versions-store.ts`). */
import type { AmnestyPolicy } from '../../core/ports/classification-store.js';
import type {
  NewRuleSave,
  RuleSave,
  RuleVersionsStore,
} from '../../core/ports/rule-versions-store.js';
import type { SqlSession } from '../sql-session.js';
import { insertConditionSet } from './classification-records.js';

export class DuckDbRuleVersions implements RuleVersionsStore {
  constructor(private readonly db: SqlSession) {}

  async saveOf(conditionSetVersion: number): Promise<RuleSave | undefined> {
    const r = await this.db.one(
      'SELECT condition_set_version, saved_by, saved_at, note, amnesty FROM rule_saves WHERE condition_set_version = ?',
      [conditionSetVersion],
    );
    if (!r) return undefined;
    return {
      conditionSetVersion: Number(r.condition_set_version),
      savedBy: String(r.saved_by),
      savedAt: String(r.saved_at),
      note: String(r.note),
      amnesty: JSON.parse(String(r.amnesty)) as AmnestyPolicy,
    };
  }

  save(s: NewRuleSave) {
    return this.db.transaction(async () => {
      const set = await insertConditionSet(this.db, {
        conditions: s.conditions,
        operators: s.operators,
        note: `saved by ${s.savedBy}: ${s.note}`,
      });
      const save: RuleSave = {
        conditionSetVersion: set.version,
        savedBy: s.savedBy,
        savedAt: s.savedAt,
        note: s.note,
        amnesty: s.amnesty,
      };
      await this.db.run('INSERT INTO rule_saves VALUES (?, ?, ?, ?, ?)', [
        set.version,
        s.savedBy,
        s.savedAt,
        s.note,
        JSON.stringify(s.amnesty),
      ]);
      return { set, save };
    });
  }
}

/**
 * Lowers the store's shared SQL (written for DuckDB: `store/duckdb/classify.ts`, `listgen.ts`
 * and the rule compilers of `store/duckdb/rules/`) to PostgreSQL 15, so that both adapters run
 * the same generated queries and the pure evaluators of `core/rules` stay the one oracle of both.
 *
 * What changes, and nothing else (docs/scale.md lists it):
 * - `?` placeholders become `$1, $2, ...`;
 * - `a // b` (integer division) becomes `a / b` (integer operands divide as integers);
 * - the types `DOUBLE`, `HUGEINT`, `UTINYINT` become `float8`, `numeric`, `smallint`;
 *   `TRY_CAST(x AS DATE)` becomes `try_cast_date(x)`, other `TRY_CAST`s `CAST` (each such use is
 *   guarded by a digits test); `any_value` becomes `min`;
 * - list literals `[a, b]` become `ARRAY[a, b]`, `list_position` `array_position`, and a
 *   subquery after a comma in FROM (DuckDB's implicit lateral) gets `LATERAL`;
 * - `temp.t` becomes `pg_temp.t`; `regexp_matches(s, re)` (a test) becomes `regexp_like`;
 *   the aggregate `list(...)` becomes `array_agg(...)`; `CREATE OR REPLACE TEMP TABLE t`
 *   becomes `DROP TABLE IF EXISTS pg_temp.t; CREATE TEMP TABLE t` (no parameters there);
 * - `X x SEMI JOIN R r ON ...` becomes `X x JOIN (SELECT DISTINCT * FROM R) r ON ...`
 *   (every semi-joined relation of the shared SQL has the join column only);
 * - a subquery in FROM without an alias gets one (PostgreSQL 15 requires it).
 * Functions DuckDB has and PostgreSQL lacks (`regexp_full_match`, `bit_count(bigint)`,
 * `dayofmonth`, `last_day`, `json_extract_string`, `strftime(date, '%Y%m%d')`, `range`) are
 * created by the first PostgreSQL migration with DuckDB's meaning.
 */

const MASK = '\u0001';

/** Replaces string literals and quoted identifiers by placeholders; returns them to restore. */
function mask(sql: string): { code: string; saved: string[] } {
  const saved: string[] = [];
  let code = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length)
          throw new SyntaxError(`Unterminated ${ch} in SQL: ${sql.slice(i, i + 60)}`);
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      saved.push(sql.slice(i, j + 1));
      code += `${MASK}${saved.length - 1}${MASK}`;
      i = j + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else {
      code += ch;
      i++;
    }
  }
  return { code, saved };
}

function unmask(code: string, saved: readonly string[]): string {
  return code.replace(
    new RegExp(`${MASK}([0-9]+)${MASK}`, 'g'),
    (_, n: string) => saved[Number(n)]!,
  );
}

/** The index of the `)` closing the `(` at `open`. */
function closing(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i;
  }
  throw new SyntaxError(`Unbalanced parentheses in SQL at ${code.slice(open, open + 60)}`);
}

/** Words that may follow a FROM subquery when it has no alias. */
const NOT_ALIAS = new Set(
  [
    'where',
    'group',
    'order',
    'having',
    'union',
    'intersect',
    'except',
    'limit',
    'offset',
    'join',
    'left',
    'right',
    'full',
    'inner',
    'cross',
    'semi',
    'anti',
    'on',
    'window',
    'qualify',
  ].map((w) => w.toUpperCase()),
);

let aliasNo = 0;

/** `SEMI JOIN R r` -> `JOIN (SELECT DISTINCT * FROM R AS _semi) r`. */
function semiJoins(code: string): string {
  const re = /\bSEMI\s+JOIN\s+/gi;
  for (;;) {
    re.lastIndex = 0;
    const m = re.exec(code);
    if (!m) return code;
    const start = m.index;
    let i = m.index + m[0].length;
    let relation: string;
    if (code[i] === '(') {
      const end = closing(code, i);
      relation = code.slice(i, end + 1);
      i = end + 1;
    } else {
      const id = /^[A-Za-z_][\w.]*/.exec(code.slice(i));
      if (!id)
        throw new SyntaxError(`Cannot read the relation of SEMI JOIN at ${code.slice(i, i + 60)}`);
      relation = id[0];
      i += id[0].length;
    }
    const alias = /^\s+(?:AS\s+)?([A-Za-z_]\w*)/i.exec(code.slice(i));
    if (!alias || NOT_ALIAS.has(alias[1]!.toUpperCase()))
      throw new SyntaxError(`SEMI JOIN without an alias at ${code.slice(start, start + 80)}`);
    const replacement = `JOIN (SELECT DISTINCT * FROM ${relation} AS _semi${++aliasNo}) ${alias[1]}`;
    code = code.slice(0, start) + replacement + code.slice(i + alias[0].length);
  }
}

/** Gives every subquery in FROM without an alias one. */
function subqueryAliases(code: string): string {
  const opens: number[] = [];
  const re = /\bFROM\s*\(/gi;
  for (let m = re.exec(code); m; m = re.exec(code)) opens.push(m.index + m[0].length - 1);
  // Innermost (latest) first: an insertion moves only text after the positions still to visit.
  for (const open of opens.reverse()) {
    const end = closing(code, open);
    const next = /^\s*([A-Za-z_]\w*)?/.exec(code.slice(end + 1));
    const word = next?.[1];
    if (word !== undefined && !NOT_ALIAS.has(word.toUpperCase())) continue;
    code = `${code.slice(0, end + 1)} AS _q${++aliasNo}${code.slice(end + 1)}`;
  }
  return code;
}

/**
 * `TRY_CAST(x AS DATE)` -> `try_cast_date(x)` (NULL when x is no date, as DuckDB); any other
 * `TRY_CAST(x AS T)` -> `CAST(x AS T)` (every such use is guarded by a digits test).
 */
function tryCasts(code: string): string {
  const re = /\bTRY_CAST\s*\(/gi;
  for (;;) {
    re.lastIndex = 0;
    const m = re.exec(code);
    if (!m) return code;
    const open = m.index + m[0].length - 1;
    const end = closing(code, open);
    const inner = code.slice(open + 1, end);
    const as = /\s+AS\s+(\w+)\s*$/i.exec(inner);
    if (!as) throw new SyntaxError(`TRY_CAST without AS at ${code.slice(m.index, m.index + 60)}`);
    const expr = inner.slice(0, as.index);
    const lowered =
      as[1]!.toUpperCase() === 'DATE' ? `try_cast_date(${expr})` : `CAST(${expr} AS ${as[1]})`;
    code = code.slice(0, m.index) + lowered + code.slice(end + 1);
  }
}

/** A DuckDB list literal `[a, b]` (after `(`, `,`, `=` or an operator) -> `ARRAY[a, b]`. */
function listLiterals(code: string): string {
  return code.replace(/([(,=]\s*)\[/g, '$1ARRAY[');
}

/** `FROM x e, (SELECT ... e.col ...) n`: DuckDB's implicit LATERAL made explicit. */
function lateralSubqueries(code: string): string {
  return code.replace(/(\)\s+[A-Za-z_]\w*\s*,\s*)\((\s*SELECT\b)/gi, '$1LATERAL ($2');
}

/** The PostgreSQL form of a shared (DuckDB-dialect) statement; see the file comment. */
export function toPostgres(sql: string): string {
  const { code, saved } = mask(sql);
  let n = 0;
  let out = code
    .replace(/\?/g, () => `$${++n}`)
    .replace(/\s\/\/\s/g, ' / ')
    .replace(/::DOUBLE\b/gi, '::float8')
    .replace(/\bHUGEINT\b/gi, 'numeric')
    .replace(/\bUTINYINT\b/gi, 'smallint')
    .replace(/\bany_value\s*\(/gi, 'min(')
    .replace(/\btemp\./gi, 'pg_temp.')
    .replace(/\bregexp_matches\s*\(/gi, 'regexp_like(')
    .replace(/\blist\s*\(/gi, 'array_agg(')
    .replace(/\blist_position\s*\(/gi, 'array_position(')
    .replace(
      /\bCREATE\s+OR\s+REPLACE\s+TEMP\s+TABLE\s+(\w+)/gi,
      'DROP TABLE IF EXISTS pg_temp.$1; CREATE TEMP TABLE $1',
    );
  out = subqueryAliases(semiJoins(lateralSubqueries(listLiterals(tryCasts(out)))));
  return unmask(out, saved);
}

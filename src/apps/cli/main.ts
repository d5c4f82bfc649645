/** The `ceir` command line: parses global options, dispatches one command, maps errors to exit codes. */
import { parseArgs } from 'node:util';
import { CeirFailure, ErrorCatalogue, formatError, type CeirError } from '../../core/errors.js';
import { CliContext, processIo, type CliIo } from './cli-context.js';
import { runDb } from './commands/db.js';
import { runStore } from './commands/store.js';
import { runDemo } from './commands/demo.js';
import { runExchange } from './commands/exchange.js';
import { runGenerate } from './commands/generate.js';
import { runImei } from './commands/imei.js';
import { runAttest } from './commands/attest.js';
import { runImport } from './commands/import.js';
import { runKeys } from './commands/keys.js';
import { runListgen } from './commands/listgen.js';
import { runVerify } from './commands/verify.js';
import { runClassify } from './commands/classify.js';
import { runReport } from './commands/report.js';
import { runServe } from './commands/serve.js';
import { runAudit } from './commands/audit.js';
import { runUsers } from './commands/users.js';
import { runBackup, runRestore } from './commands/backup.js';
import { runConfig } from './commands/config.js';
import { runPipeline } from './commands/pipeline.js';
import { runPrune } from './commands/prune.js';
import { runSnapshot } from './commands/snapshot.js';
import { UsageError } from './usage-error.js';

export const HELP = `Usage: ceir <command> [options]

Commands:
  demo                         generate a demo dataset on first run, import it, report (npm start)
  import <source> <file...>    import files; source: operator, gsma_tac, stolen, registration,
                               pairing, golden, barred, barred_tac, monitoring
      --operator <id>          operator of a dump (default: from <operator>_<YYYYMMDD>_<YYYYMMDD>.csv)
      --period <start:end>     period of a dump, YYYYMMDD:YYYYMMDD (default: from the file name)
      --delta                  the list file is a delta (change_type add/remove/update)
      --force                  accept a full list much smaller than the current one
      --gate <name=value>      override a quality gate for this run (repeatable)
  classify                     evaluate every condition and record the run with per-IMEI history
      --as-of <YYYY-MM-DD>     classification date (default: the last day of network data)
      --accept-changes         record changed conditions/operators as a new version and run
                               (the config's conditions then win over rules a regulator saved)
  listgen                      black, notification and exception lists, full and delta, signed
      --as-of <YYYY-MM-DD>     list date (default: the last classification's)
      --out <dir>              output folder (default <data>/lists/<date>-run<n>)
      --base-run <n>           deltas from this list run (default: the previous run)
  report <YYYY-MM>             monthly regulator report: per-operator and national figures,
                               conditions, models, IMSIs per IMEI, black-listed IMEIs still seen
      --out <dir>              output folder (default <data>/reports/<YYYY-MM>/): JSON, one CSV
                               per table, one self-contained HTML page
  keys generate [--force]      make the Ed25519 key pair that signs list manifests
                               (<data>/keys/lists-ed25519.pem, mode 0600; --force replaces it)
  keys show                    print the public key (PEM) and key id to give operators
  verify <dir>                 check a list directory: signature, every file's SHA-256 and rows
      --public-key <file>      public key PEM (default <data>/keys/lists-ed25519.pub.pem)
  imei <imei>                  normalised form, check digit, device, sightings, conditions, lists
  attest <chain.pem>           verify an Android key attestation chain: verdict, reasons, fields
      --at <ISO time>          instant the certificates must be valid at (default now)
  generate                     write a synthetic national dataset with its ground truth
      --out <dir> --rows <n> --seed <n> --start <YYYY-MM> --months <n>
      --operators <a,b> --compression plain|gzip|zip
  exchange <sub>               cross-border exchange of stolen/blocked IMEIs (docs/exchange.md):
                               publish | serve | pull | status | foreign [imei] | notify |
                               notices | export --out <f> | import <f> --peer <id>
      --port <n> --peer <id> --page-size <n> --format feed|gsma|csv
  db migrate | db status       apply schema migrations / show schema version and contents
  store copy                   copy all data between the stores, verified per table (count,
      --from duckdb|postgres   checksum); the target must be empty (docs/scale.md)
      --to postgres|duckdb
  serve                        check servers (S13, N5g-eir) on the latest lists, one worker
                               per core, until Ctrl-C; SIGHUP reloads the lists
      --s13-port <n>           Diameter S13 port (default 3868; 0: any free port)
      --n5g-port <n>           N5g-eir HTTP/2 port (default 8080)
      --http-port <n>          health and Prometheus metrics, HTTP/1.1 (default 8081)
      --host <address>         address to listen on (default 127.0.0.1)
      --workers <n>            worker processes (default: one per core)
      --api-port <n>           people-facing JSON API, HTTP/1.1 (default 8082, or any free port
                               with --http-port 0; docs/api.md)
  users add <name> --role <r>  add an API user (police, importer, operator, regulator, admin;
                               --operator <id>, --organisation <text>); password from
                               CEIR_USER_PASSWORD or generated; prints an API key once
  users list | users reset-key <name>   list users / revoke a user's keys and make a new one
  audit verify | audit tail    check the audit log's hash chain / show the latest entries
      --follow <nats://...>    serve the snapshots published to NATS JetStream (docs/distribution.md)
  snapshot publish             publish the latest lists' check snapshot to NATS JetStream: a delta
                               from the last published version, a full snapshot every N versions
      --full                   publish a full snapshot too
      --nats <url>             NATS server (default server.snapshot_source or nats://127.0.0.1:4222)
  pipeline run [--once]        daily pipeline: import complete inbox files, then classify, listgen,
                               snapshot and prune each day whose files are in or whose deadline
                               passed; resumes a stopped run (docs/operations.md)
  pipeline status              days, steps and files of the pipeline
  prune [--dry-run]            drop data past retention (config retention:); --dry-run counts
  backup <dir|file.duckdb>     consistent copy of the store, also while ceir serve runs
  restore <file.duckdb>        check a backup and put it in place of the store (--force replaces)
  config check <file>          validate a configuration file, printing every error

Global options:
  --data <dir>      data directory (default ./data, or CEIR_DATA)
  --config <file>   configuration (default ./ceir.yaml, or CEIR_CONFIG; else the demo config)
  --json            machine-readable output
  -h, --help        this help

Exit codes:
${Object.entries(ErrorCatalogue)
  .map(([code, e]) => `  ${String(e.exit).padStart(3)}  ${code}: ${e.summary}`)
  .filter((l, i, a) => a.indexOf(l) === i)
  .join('\n')}
    0  success (also: file already imported, nothing to do)
`;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let ctx: CliContext | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        operator: { type: 'string' },
        period: { type: 'string' },
        delta: { type: 'boolean' },
        force: { type: 'boolean' },
        gate: { type: 'string', multiple: true },
        out: { type: 'string' },
        rows: { type: 'string' },
        seed: { type: 'string' },
        start: { type: 'string' },
        months: { type: 'string' },
        operators: { type: 'string' },
        compression: { type: 'string' },
        'as-of': { type: 'string' },
        'accept-changes': { type: 'boolean' },
        'base-run': { type: 'string' },
        'public-key': { type: 'string' },
        's13-port': { type: 'string' },
        'n5g-port': { type: 'string' },
        'http-port': { type: 'string' },
        host: { type: 'string' },
        workers: { type: 'string' },
        'api-port': { type: 'string' },
        role: { type: 'string' },
        organisation: { type: 'string' },
        limit: { type: 'string' },
        follow: { type: 'string' },
        full: { type: 'boolean' },
        nats: { type: 'string' },
        port: { type: 'string' },
        peer: { type: 'string' },
        'page-size': { type: 'string' },
        format: { type: 'string' },
        at: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        once: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command || command === 'help') {
      io.out(HELP);
      return command || values.help ? 0 : 2;
    }
    if (command === 'config') return runConfig(io, rest[0], rest[1], Boolean(values.json));
    const created = CliContext.create(values, io);
    if ('kind' in created) return fail(io, created);
    ctx = created;
    switch (command) {
      case 'import':
        return await runImport(ctx, {
          source: rest[0] ?? '',
          files: rest.slice(1),
          ...(values.operator ? { operator: values.operator } : {}),
          ...(values.period ? { period: values.period } : {}),
          delta: Boolean(values.delta),
          force: Boolean(values.force),
          gate: values.gate ?? [],
        });
      case 'imei':
        if (rest.length !== 1) throw new UsageError('ceir imei <imei>');
        return await runImei(ctx, rest[0]!);
      case 'attest':
        return await runAttest(ctx, rest, { ...(values.at ? { at: values.at } : {}) });
      case 'generate':
        return await runGenerate(ctx, values);
      case 'db':
        return await runDb(ctx, rest[0]);
      case 'store':
        return await runStore(ctx, rest[0], { from: values.from, to: values.to });
      case 'classify':
        return await runClassify(ctx, {
          ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
          acceptChanges: Boolean(values['accept-changes']),
        });
      case 'listgen':
        return await runListgen(ctx, {
          ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
          ...(values.out ? { out: values.out } : {}),
          ...(values['base-run'] ? { baseRun: values['base-run'] } : {}),
        });
      case 'report':
        if (rest.length !== 1) throw new UsageError('ceir report <YYYY-MM> [--out <dir>]');
        return await runReport(ctx, rest[0]!, { ...(values.out ? { out: values.out } : {}) });
      case 'keys':
        return await runKeys(ctx, rest[0], { force: Boolean(values.force) });
      case 'verify':
        return await runVerify(ctx, rest, {
          ...(values['public-key'] ? { publicKey: values['public-key'] } : {}),
        });
      case 'serve':
        return await runServe(ctx, {
          ...(values['s13-port'] ? { s13Port: values['s13-port'] } : {}),
          ...(values['n5g-port'] ? { n5gPort: values['n5g-port'] } : {}),
          ...(values['http-port'] ? { httpPort: values['http-port'] } : {}),
          ...(values.host ? { host: values.host } : {}),
          ...(values.workers ? { workers: values.workers } : {}),
          ...(values['api-port'] ? { apiPort: values['api-port'] } : {}),
          ...(values.follow ? { follow: values.follow } : {}),
        });
      case 'snapshot':
        return await runSnapshot(ctx, rest[0], {
          full: Boolean(values.full),
          ...(values.nats ? { nats: values.nats } : {}),
        });
      case 'exchange':
        return await runExchange(ctx, rest, {
          ...(values.port ? { port: values.port } : {}),
          ...(values.host ? { host: values.host } : {}),
          ...(values.peer ? { peer: values.peer } : {}),
          ...(values['page-size'] ? { pageSize: values['page-size'] } : {}),
          ...(values.format ? { format: values.format } : {}),
          ...(values.out ? { out: values.out } : {}),
        });
      case 'pipeline':
        return await runPipeline(ctx, rest[0], { once: Boolean(values.once) });
      case 'prune':
        return await runPrune(ctx, { dryRun: Boolean(values['dry-run']) });
      case 'backup':
        return await runBackup(ctx, rest[0]);
      case 'restore':
        return await runRestore(ctx, rest[0], { force: Boolean(values.force) });
      case 'users':
        return await runUsers(ctx, rest, {
          ...(values.role ? { role: values.role } : {}),
          ...(values.operator ? { operator: values.operator } : {}),
          ...(values.organisation ? { organisation: values.organisation } : {}),
        });
      case 'audit':
        return await runAudit(ctx, rest[0], values.limit);
      case 'demo':
        return await runDemo(ctx, values.rows);
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.err(`ceir: ${e.message}\nRun \`ceir --help\` for usage.`);
      return ErrorCatalogue.CEIR_ERR_USAGE.exit;
    }
    if (e instanceof CeirFailure) return fail(io, e.error);
    io.err(`ceir: internal error: ${(e as Error).stack ?? String(e)}`);
    return ErrorCatalogue.CEIR_ERR_INTERNAL.exit;
  } finally {
    await ctx?.close();
  }
}

function fail(io: CliIo, e: CeirError): number {
  io.err(`ceir: ${formatError(e)}`);
  return ErrorCatalogue[e.code].exit;
}

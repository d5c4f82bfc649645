/**
 * Meanings of configuration keys for docs/config.md, by key path, where the schema itself
 * carries no `.describe()`. Keys missing here are still listed (type, default, limits).
 */
export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  country: 'The country this CEIR serves (domain.md section 8).',
  'country.name': 'Name shown in reports and list manifests.',
  'country.mcc': "The country's mobile country codes (IMSI prefixes of home subscribers).",
  'country.msisdn_country_codes': 'Country calling codes of national MSISDNs.',
  operators: 'The mobile operators: their dumps are imported, their lists generated.',
  'operators[].id': 'Short id: dump file names start with it, lists are per id.',
  'operators[].name': 'Display name.',
  'operators[].mcc_mnc': "The operator's home networks (IMSI prefixes); routes notifications.",
  gates: 'Quality gates on operator dumps (docs/ingest.md); a failed gate rejects the file.',
  'gates.null_imei_max': 'Largest fraction of rows without an IMEI.',
  'gates.null_imsi_max': 'Largest fraction of rows without an IMSI.',
  'gates.null_msisdn_max': 'Largest fraction of rows without an MSISDN.',
  'gates.null_rat_max': 'Largest fraction of rows without a RAT.',
  'gates.unclean_imei_max': 'Largest fraction of IMEIs that are not 14 leading digits.',
  'gates.imsi_length_max': 'Largest fraction of IMSIs not 14-15 digits.',
  'gates.imsi_outside_country_max': "Largest fraction of IMSIs outside the country's MCCs.",
  'gates.msisdn_outside_country_max': 'Largest fraction of MSISDNs outside the country codes.',
  'gates.imsi_outside_operator_max': "Largest fraction of IMSIs outside the operator's MCC-MNCs.",
  'gates.leading_zero_check': 'Refuse dumps whose IMEIs lost their leading zero.',
  'gates.history_min_ratio':
    "Daily distinct counts must reach this fraction of the operator's history.",
  'gates.history_days': 'Days of history the previous gate averages over.',
  'gates.date_in_period': 'Every row must be dated inside the period the file declares.',
  store: 'The store: embedded DuckDB (docs/store.md) or PostgreSQL (docs/scale.md).',
  'store.kind': 'Store adapter (env CEIR_STORE).',
  'store.memory_limit': "DuckDB's memory limit (DuckDB's own default takes 80% of RAM).",
  'store.threads': 'DuckDB worker threads.',
  'store.url': 'PostgreSQL URL when the kind is postgres (env CEIR_PG_URL).',
  list_shrink_min_ratio:
    'A full list smaller than this fraction of the current one is refused unless forced.',
  conditions:
    'Classification conditions, DIRBS-style (docs: README "Classification and lists"); default: core/rules/default-conditions.ts.',
  amnesty:
    'Amnesty: matches recorded but not notified, then notified with the amnesty end as block date.',
  'amnesty.enabled': 'Whether an amnesty applies.',
  'amnesty.evaluation_period_end': 'Last day of the evaluation period (YYYY-MM-DD).',
  'amnesty.amnesty_period_end': 'Last day of the amnesty period; its block date.',
  lists: 'List generation (docs/lists.md).',
  'lists.notification_lookback_days':
    'Triplets seen within this many days before the list date are notified.',
  server: 'The check servers of `ceir serve`.',
  'server.host': 'Address to listen on.',
  'server.s13_port': 'S13 Diameter port (0: any free port).',
  'server.n5g_port': 'N5g-eir HTTP/2 port.',
  'server.http_port': 'Health (`/health`) and Prometheus metrics (`/metrics`), HTTP/1.1.',
  'server.workers': 'Check worker processes; 0: one per core.',
  'server.origin_host': 'Diameter Origin-Host.',
  'server.origin_realm': 'Diameter Origin-Realm.',
  'server.policy': 'Answers for devices the lists do not decide.',
  'server.policy.malformed_imei': 'Answer for a malformed IMEI.',
  'server.policy.unknown_tac': 'Answer for a TAC absent from the TAC database.',
  'server.policy.unknown_device': 'Answer for a device on no list.',
  'server.policy.grey': 'Answer for a device pending block (on a notification list).',
  'server.clone_detector': 'Real-time clone detector over every check.',
  'server.clone_detector.threshold': 'Distinct IMSIs within the window that flag an IMEI.',
  'server.clone_detector.window_seconds': 'Sliding window.',
  'server.clone_detector.min_peers': 'Distinct peers (network elements) needed for a flag.',
  'server.clone_detector.max_imeis': 'IMEIs tracked at once (memory bound).',
  'server.observation_flush_seconds': 'Check observations are written to the store this often.',
  'server.store_threads':
    'DuckDB threads of the store while serving (observation writes, snapshot builds, API, pipeline): the checks come first.',
  'server.snapshot_source':
    '`nats://host:port`: `ceir serve` follows the snapshots published there (docs/distribution.md); `ceir snapshot publish` publishes there.',
  'server.snapshot_stream': 'JetStream stream of the published snapshot versions.',
  'server.snapshot_bucket': 'JetStream object store of the full snapshots.',
  'server.snapshot_full_every':
    'A full snapshot every this many published versions (deltas in between).',
  'server.snapshot_keep_full': 'Full snapshots kept (older ones and their deltas are deleted).',
  pipeline: 'The daily pipeline (docs/operations.md "Daily pipeline").',
  'pipeline.inbox': 'Folder operators drop dumps into; null: `<data>/inbox`.',
  'pipeline.expected_operators':
    'Operators whose file must be in before a day runs; null: every operator.',
  'pipeline.deadline_hours':
    'Hours after the end of a data day (UTC) after which the day runs with what arrived.',
  'pipeline.stable_seconds': 'A file without a `.done` marker is taken once unchanged this long.',
  'pipeline.serve_interval_seconds': '`ceir serve` runs a pipeline pass this often; 0: never.',
  'pipeline.interval_seconds': '`ceir pipeline run` (without --once) runs a pass this often.',
  'pipeline.prune': 'Apply retention after each day run.',
  retention: 'How long data is kept (docs/operations.md "Retention"); whole calendar months.',
  'retention.triplet_months': 'Triplets, daily counts, check observations and clone flags kept.',
  'retention.personal_data_months': 'IMSI and MSISDN kept in triplets and observations.',
  'retention.list_history_months':
    'Closed history of lists, generated lists and classification kept.',
  'retention.audit_months': 'Pipeline records kept.',
  observability: 'Logs and health (docs/operations.md "Observability").',
  'observability.log_level': 'Lowest level of the JSON log lines written.',
  'observability.max_snapshot_age_hours':
    '`/health` answers 503 when the served snapshot is older; 0: never.',
};

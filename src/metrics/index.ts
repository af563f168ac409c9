import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type HistogramConfiguration,
  type LabelValues,
} from "prom-client";

/** What a Bot API call came back as; the label values of `bot_telegram_api_calls_total`. */
export type ApiCallResult = "ok" | "429" | "403" | "400" | "other";

/** How a digest delivery ended, as counted in the bot's digest counters. */
export type DigestOutcome = "sent" | "failed" | "dropped" | "empty";

/** What the store says at scrape time: read through `collect()`, never on the update path. */
export type StoreSnapshot = {
  subscriptions: { language: string; frequency: string; status: string; count: number }[];
  /** Deliveries owed and not finished (pending or being sent). */
  waiting: number;
  /** When the oldest of them fell due; null when none waits. */
  oldestWaitingSince: Date | null;
};

export type MetricsSources = {
  /** The store's figures; failures leave the previous values and count in `bot_metrics_collect_errors_total`. */
  store?: () => Promise<StoreSnapshot>;
  /** BullMQ job counts by state (Redis mode only). */
  queue?: () => Promise<Record<string, number>>;
  /** Each newer part of the Bot API (rich messages) and whether requests use it now (telegram/capabilities.ts). */
  capabilities?: () => Record<string, boolean>;
};

/** A scrape reads the store at most this often; scrapes in between get the same figures. */
const STORE_CACHE_MS = 5_000;
/** Labels of one update's handling: an update type and how handling ended. */
const UPDATE_OUTCOMES = ["ok", "error"] as const;

/** One label set's increments since the last read of the registry. */
type Tally = { readonly labels: LabelValues<string>; pending: number };

/**
 * A prom-client Counter for the update path: an increment is a plain addition to a Tally, and the tallies are handed
 * to prom-client when the registry is read (`collect` runs at every scrape), so a scrape sees every count. prom-client
 * validates and hashes the labels on every `inc`, even through a child bound with `labels()`; on the update path
 * that cost is paid once a scrape instead of once a call.
 */
function tallyCounter<T extends string>(configuration: CounterConfiguration<T>): (labels: LabelValues<T>) => Tally {
  const tallies: Tally[] = [];
  new Counter<T>({
    ...configuration,
    collect() {
      for (const tally of tallies) {
        if (tally.pending === 0) continue;
        this.inc(tally.labels as LabelValues<T>, tally.pending);
        tally.pending = 0;
      }
    },
  });
  return (labels) => {
    const tally: Tally = { labels, pending: 0 };
    tallies.push(tally);
    return tally;
  };
}

/** Observations a histogram child has not been handed yet; at most OBSERVATIONS_HELD, then they are handed at once. */
type HeldObservations = { readonly values: Float64Array; length: number; readonly child: Histogram.Internal<string> };
const OBSERVATIONS_HELD = 256;

function handOver(held: HeldObservations): void {
  const count = held.length;
  held.length = 0;
  for (let index = 0; index < count; index++) held.child.observe(held.values[index]!);
}

/**
 * A prom-client Histogram for the update path: an observation is written to a small array of its label set's, and
 * handed to prom-client's `observe` when the array is full and when the registry is read (every scrape), so a scrape
 * sees every observation. prom-client validates and hashes the labels on every `observe`: amid the update path's own
 * work that costs about 1.5 µs an update (CPU profile of the bench's stack), in a loop over held values about 0.25 µs.
 */
function heldHistogram<T extends string>(configuration: HistogramConfiguration<T>): (labels: LabelValues<T>) => HeldObservations {
  const helds: HeldObservations[] = [];
  const histogram: Histogram<T> = new Histogram<T>({
    ...configuration,
    collect() {
      for (const held of helds) handOver(held);
    },
  });
  return (labels) => {
    const held: HeldObservations = { values: new Float64Array(OBSERVATIONS_HELD), length: 0, child: histogram.labels(labels) };
    helds.push(held);
    return held;
  };
}

/**
 * Records one observation for a heldHistogram. prom-client refuses a value that is not a finite number by throwing, and
 * here that would happen at a scrape, away from its cause: such a value is not recorded.
 */
function observeHeld(held: HeldObservations, value: number): void {
  if (!Number.isFinite(value)) return;
  held.values[held.length++] = value;
  if (held.length === OBSERVATIONS_HELD) handOver(held);
}

/** Updates handled, by type and outcome, and how long each took: tallies and held observations on the update path. */
function updateMetrics(registry: Registry) {
  const updateTally = tallyCounter({
    name: "bot_updates_total",
    help: "Telegram updates handled, by update type and outcome (ok or error).",
    labelNames: ["type", "outcome"] as const,
    registers: [registry],
  });
  const updateSeconds = heldHistogram({
    name: "bot_update_duration_seconds",
    help: "Time from an update entering the bot to its handling being finished, by update type.",
    labelNames: ["type"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Tallies and held observations bound once per label set: the update path then costs a Map lookup.
  type UpdateChild = { ok: Tally; error: Tally; seconds: HeldObservations };
  const updateChildren = new Map<string, UpdateChild>();
  const updateChild = (type: string) => {
    let child = updateChildren.get(type);
    if (!child) {
      const [ok, error] = UPDATE_OUTCOMES.map((outcome) => updateTally({ type, outcome }));
      child = { ok: ok!, error: error!, seconds: updateSeconds({ type }) };
      updateChildren.set(type, child);
    }
    return child;
  };
  return {
    updateHandled(type: string, ok: boolean, seconds: number): void {
      const child = updateChild(type);
      (ok ? child.ok : child.error).pending++;
      observeHeld(child.seconds, seconds);
    },
  };
}

/**
 * Bot API calls by method and result, the 429 pauses, and when Telegram last answered: plain numbers on every call,
 * read at scrape and by /healthz.
 */
function apiMetrics(registry: Registry, now: () => number, onFloodPause?: (retryAfterSeconds: number, at: number) => void) {
  const apiCallTally = tallyCounter({
    name: "bot_telegram_api_calls_total",
    help: "Bot API calls by method and result: ok, 429, 403, 400 or other (other error codes, network failures).",
    labelNames: ["method", "result"] as const,
    registers: [registry],
  });
  const floodWaits = new Histogram({
    name: "bot_telegram_flood_wait_seconds",
    help: "429 answers from Telegram and the pause each one asked for (retry_after); _count is the number of pauses.",
    buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  let lastApiSuccessMs = 0;
  let lastApiAnswerMs: number | undefined;
  let lastApiFailureMs: number | undefined;
  new Gauge({
    name: "bot_telegram_last_success_timestamp_seconds",
    help: "When a Bot API call last succeeded (Unix time).",
    registers: [registry],
    collect() {
      if (lastApiSuccessMs > 0) this.set(lastApiSuccessMs / 1000);
    },
  });
  const apiCallTallies = new Map<string, Partial<Record<ApiCallResult, Tally>>>();
  const apiCallOf = (method: string, result: ApiCallResult): Tally => {
    let byResult = apiCallTallies.get(method);
    if (!byResult) apiCallTallies.set(method, (byResult = {}));
    return (byResult[result] ??= apiCallTally({ method, result }));
  };
  return {
    /**
     * One Bot API call came back (the shape of an ApiCallObserver, given to every Api of the process): counted, its
     * time kept (an answer, even a refusal, says Telegram is reachable; "other" is a network failure or a 5xx), and a
     * 429 records the pause it asked for.
     */
    apiCall: (method: string, result: ApiCallResult, retryAfterSeconds?: number): void => {
      apiCallOf(method, result).pending++;
      const at = now();
      if (result === "other") lastApiFailureMs = at;
      else lastApiAnswerMs = at;
      if (result === "ok") lastApiSuccessMs = at;
      if (retryAfterSeconds === undefined) return;
      floodWaits.observe(retryAfterSeconds);
      onFloodPause?.(retryAfterSeconds, at);
    },
    /** When Telegram last answered a call (any answer, a refusal included), as Unix milliseconds; undefined before one. */
    lastApiAnswerAt(): number | undefined {
      return lastApiAnswerMs;
    },
    /**
     * Whether Telegram can be reached: no call has failed without an answer, or one was answered since the last that
     * did, or within `silenceMs`. A refusal (429, 403, 400) is an answer: the bot reaches Telegram, which is what
     * /healthz checks; refusals have metrics and alerts of their own.
     */
    telegramReachable(silenceMs: number): boolean {
      if (lastApiFailureMs === undefined) return true;
      const answeredAt = lastApiAnswerMs ?? 0;
      return answeredAt > lastApiFailureMs || now() - answeredAt < silenceMs;
    },
  };
}

/** Digests owed and finished by this process; the content served and its reloads; whether the store answers. */
function eventMetrics(registry: Registry) {
  const digestsOwed = new Counter({
    name: "bot_digests_owed_total",
    help: "Digests the scheduler recorded as owed (one per chat and period).",
    registers: [registry],
  });
  const digests = new Counter({
    name: "bot_digests_total",
    help: "Digest deliveries finished by this process, by outcome: sent, failed (for good), dropped (chat gone), empty.",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const contentReloads = new Counter({
    name: "bot_content_reloads_total",
    help: "Reads of the content folder that found a change, by result: reloaded or refused.",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const lastReloadOk = new Gauge({
    name: "bot_content_last_reload_ok",
    help: "1 if the last change of the content folder was accepted (or none was seen), 0 if it was refused.",
    registers: [registry],
  });
  const contentInfo = new Gauge({
    name: "bot_content_info",
    help: "The content being served: its version (a fingerprint of the files) and published briefings, value 1.",
    labelNames: ["version"] as const,
    registers: [registry],
  });
  const storeUp = new Gauge({
    name: "bot_store_up",
    help: "1 while the store (SQLite or Redis) answers, 0 while it does not.",
    registers: [registry],
  });
  lastReloadOk.set(1);
  storeUp.set(1);
  return {
    digestsOwed(count: number): void {
      if (count > 0) digestsOwed.inc(count);
    },
    digestFinished(outcome: DigestOutcome): void {
      digests.inc({ outcome });
    },
    contentServed(version: string): void {
      contentInfo.reset();
      contentInfo.set({ version }, 1);
    },
    contentReloaded(result: "reloaded" | "refused"): void {
      contentReloads.inc({ result });
      lastReloadOk.set(result === "reloaded" ? 1 : 0);
    },
    storeUp(up: boolean): void {
      storeUp.set(up ? 1 : 0);
    },
  };
}

/**
 * The store's and the queue's figures, read when Prometheus scrapes (the store at most once every STORE_CACHE_MS, one
 * read for all its gauges); a failed read keeps the previous values and is counted.
 */
function scrapedGauges(registry: Registry, sources: MetricsSources, now: () => number): void {
  const collectErrors = new Counter({
    name: "bot_metrics_collect_errors_total",
    help: "Scrapes that could not read the store or the queue (their gauges keep the previous values).",
    labelNames: ["source"] as const,
    registers: [registry],
  });
  let cached: { at: number; snapshot: Promise<StoreSnapshot | undefined> } | undefined;
  const storeSnapshot = (): Promise<StoreSnapshot | undefined> => {
    if (!sources.store) return Promise.resolve(undefined);
    if (cached && now() - cached.at < STORE_CACHE_MS) return cached.snapshot;
    const snapshot = sources.store().catch(() => {
      collectErrors.inc({ source: "store" });
      return undefined;
    });
    cached = { at: now(), snapshot };
    return snapshot;
  };
  storeGauges(registry, storeSnapshot, now);
  new Gauge({
    name: "bot_digest_queue_jobs",
    help: "Jobs in the BullMQ digest queue by state (Redis mode only).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      if (!sources.queue) return;
      try {
        const counts = await sources.queue();
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      } catch {
        collectErrors.inc({ source: "queue" });
      }
    },
  });
  new Gauge({
    name: "bot_telegram_feature_available",
    help: "1 while the bot uses a newer part of the Bot API (feature: rich_messages, ephemeral_messages), 0 while the server lacks it or it is off.",
    labelNames: ["feature"] as const,
    registers: [registry],
    collect() {
      for (const [feature, on] of Object.entries(sources.capabilities?.() ?? {})) this.set({ feature }, on ? 1 : 0);
    },
  });
}

/** The gauges made from one snapshot of the store: subscriptions, and the digests waiting. */
function storeGauges(registry: Registry, storeSnapshot: () => Promise<StoreSnapshot | undefined>, now: () => number): void {
  new Gauge({
    name: "bot_subscriptions",
    help: "Digest subscriptions by status, frequency and language.",
    labelNames: ["status", "frequency", "language"] as const,
    registers: [registry],
    async collect() {
      const snapshot = await storeSnapshot();
      if (!snapshot) return;
      this.reset();
      for (const row of snapshot.subscriptions) {
        this.set({ status: row.status, frequency: row.frequency, language: row.language }, row.count);
      }
    },
  });
  new Gauge({
    name: "bot_digests_waiting",
    help: "Digests owed and not yet finished (pending or being sent), in the whole store.",
    registers: [registry],
    async collect() {
      const snapshot = await storeSnapshot();
      if (snapshot) this.set(snapshot.waiting);
    },
  });
  new Gauge({
    name: "bot_digests_oldest_waiting_age_seconds",
    help: "How long ago the oldest waiting digest fell due; 0 when none waits.",
    registers: [registry],
    async collect() {
      const snapshot = await storeSnapshot();
      if (!snapshot) return;
      this.set(snapshot.oldestWaitingSince ? Math.max(0, (now() - snapshot.oldestWaitingSince.getTime()) / 1000) : 0);
    },
  });
}

/**
 * Every metric the bot exports, in one registry of its own (so tests and the bench can build several side by side).
 * Names follow Prometheus conventions: a `bot_` prefix, base units in the name (`_seconds`), `_total` on counters.
 * No label carries a user or chat id: labels are update types, Bot API method names, statuses and languages.
 */
export function createMetrics(
  options: {
    defaultMetrics?: boolean;
    now?: () => number;
    /** Told of every 429 a Bot API call got, with the pause asked for and when it came back (main.ts alerts long runs). */
    onFloodPause?: (retryAfterSeconds: number, at: number) => void;
  } = {},
) {
  const now = options.now ?? (() => Date.now());
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const sources: MetricsSources = {};
  // Registered in this order, which is the order of the exposition text.
  const updates = updateMetrics(registry);
  const api = apiMetrics(registry, now, options.onFloodPause);
  const events = eventMetrics(registry);
  scrapedGauges(registry, sources, now);
  return {
    registry,
    /** Where the scrape-time gauges read from; main.ts sets these once the store and the queue exist. */
    sources,
    contentType: registry.contentType,
    /** The exposition text of every metric (prom-client's own format). */
    render: () => registry.metrics(),
    ...updates,
    ...api,
    ...events,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

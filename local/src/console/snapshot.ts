/**
 * What the console's event stream sends, once a second at most: types only, shared by the server and the page
 * (which builds without Node's types).
 */

interface StageCounts {
  /** Per second over the last minute, or null before there are two samples in it. */
  ratePerSecond: number | null;
}

interface FlowSnapshot {
  /** POST /users answered 202 (the event is published), and requests answered 4xx or 5xx. */
  api: StageCounts & { accepted: number; clientErrors: number; serverErrors: number };
  topic: StageCounts & { published: number };
  queue: { visible: number; inFlight: number; stalled: boolean };
  subscriber: StageCounts & { batches: number; failed: number };
  database: StageCounts & { written: number; unchanged: number; up: boolean };
  dlq: { depth: number };
}

interface ChartSeries {
  /** Epoch ms of each point, every few seconds over the last 5 minutes. */
  times: number[];
  /** Named lines, each aligned with `times`; null where there was no traffic. */
  lines: Record<string, (number | null)[]>;
}

interface SloWindow {
  window: string;
  /** Error ratio over the window ÷ budget; null without traffic or history for it. */
  burnRate: number | null;
}

interface SloCondition {
  severity: string;
  factor: number;
  longWindow: string;
  shortWindow: string;
  /** Both windows burn faster than `factor`: the alert would fire. */
  firing: boolean;
}

interface SloSnapshot {
  id: string;
  title: string;
  objective: number;
  /** Good ratio over the whole run (1 − error ratio), or null before any event. */
  sliRun: number | null;
  windows: SloWindow[];
  conditions: SloCondition[];
  /** Windows longer than the console keeps, so not shown. */
  notKept: string[];
}

interface UserRow {
  id: string;
  name: string;
  email: string;
  updatedAt: string;
}

interface DeadLetterRow {
  messageId: string;
  receiveCount: number;
  sentAt: string;
  deadLetteredAt: string | null;
  lastError: string | null;
  messageBytes: number;
}

interface ConsoleSnapshot {
  at: number;
  startedAt: number;
  flow: FlowSnapshot;
  latency: ChartSeries;
  throughput: ChartSeries;
  eventAge: ChartSeries;
  slos: SloSnapshot[];
  newestUsers: UserRow[];
  /** The oldest dead letters (up to a page of them) and how many there are. */
  deadLetters: { total: number; items: DeadLetterRow[] };
}

export type {
  ChartSeries,
  ConsoleSnapshot,
  DeadLetterRow,
  FlowSnapshot,
  SloCondition,
  SloSnapshot,
  SloWindow,
  UserRow,
};

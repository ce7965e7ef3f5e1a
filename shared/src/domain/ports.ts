import type { User } from './user.ts';
import type { UserEvent } from './userEvent.ts';

/** Ports the domain needs; adapters (pg, PGlite, SNS, the local topic) implement them. */

interface UserPage {
  items: User[];
  /** Id of the last item when more rows may follow, otherwise null. */
  lastId: string | null;
  hasMore: boolean;
}

interface UpsertOutcome {
  /** Rows inserted or changed. Redelivered or older events change nothing. */
  written: number;
}

interface UserStore {
  /** One keyset page in ascending id order: ids strictly after `afterId`. */
  listUsers(query: { afterId: string | null; limit: number }): Promise<UserPage>;
  getUser(id: string): Promise<User | null>;
  /**
   * Writes a batch in one statement, last-writer-wins by (occurredAt, eventId) per email.
   * Emails in one batch must be distinct (the use case keeps the newest per email).
   */
  upsertUsers(events: readonly UserEvent[]): Promise<UpsertOutcome>;
  /** Cheap round trip for health checks. */
  ping(): Promise<void>;
}

interface PublishReceipt {
  messageId: string;
}

interface UserEventPublisher {
  publish(event: UserEvent): Promise<PublishReceipt>;
}

interface ApiRequestMeasurement {
  /** The route template (`/users/{id}`), never the raw path, so label cardinality stays bounded. */
  route: string;
  method: string;
  status: number;
  durationMs: number;
}

interface BatchMeasurement {
  written: number;
  unchanged: number;
  failed: number;
  durationMs: number;
  /** now − occurredAt for every record reflected in the store: the freshness SLI. */
  eventAgesMs: readonly number[];
  result: 'ok' | 'partial' | 'error';
}

/** The pipeline's measurements; adapters send them to CloudWatch (EMF) or Prometheus. */
interface PipelineMetrics {
  apiRequest(measurement: ApiRequestMeasurement): void;
  subscriberBatch(measurement: BatchMeasurement): void;
  /** Emits buffered measurements; called at the end of every invocation. */
  flush(): void;
}

export type {
  ApiRequestMeasurement,
  BatchMeasurement,
  PipelineMetrics,
  PublishReceipt,
  UpsertOutcome,
  UserEventPublisher,
  UserPage,
  UserStore,
};

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

/** What the first request was answered, kept to replay verbatim. The domain never reads it. */
interface StoredResponse {
  status: number;
  body: unknown;
}

/** Who may use a key: keys of different scopes never meet. */
interface IdempotencyKeyRef {
  scope: string;
  key: string;
}

interface IdempotencyClaim extends IdempotencyKeyRef {
  /** Digest of the normalised request; the same key with another fingerprint is a misuse. */
  fingerprint: string;
  /** Names this claim, so only its holder completes or releases it. */
  token: string;
  now: Date;
  /** Until then the claim holds the key; after it, anyone may take the key over. */
  leaseUntil: Date;
  /** A claim that takes its key also deletes at most this many records of other keys expired at `now`. */
  sweepLimit: number;
}

type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'in-flight'; fingerprint: string }
  | { kind: 'completed'; fingerprint: string; response: StoredResponse };

/**
 * Idempotency records (draft-ietf-httpapi-idempotency-key-header). A key is claimed atomically: a
 * key that is absent or expired at `now` is claimed; a live key reports what holds it. Expired records
 * are swept by claims, a bounded batch each, so the table never needs an unbounded delete.
 */
interface IdempotencyStore {
  claim(claim: IdempotencyClaim): Promise<ClaimOutcome>;
  /** Stores the response and keeps it until `expiresAt`. False when the claim was lost (its lease ran out). */
  complete(
    ref: IdempotencyKeyRef & { token: string; response: StoredResponse; expiresAt: Date },
  ): Promise<boolean>;
  /** Gives the key up at once (the work failed), so a retry need not wait for the lease. */
  release(ref: IdempotencyKeyRef & { token: string }): Promise<void>;
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
  ClaimOutcome,
  IdempotencyClaim,
  IdempotencyKeyRef,
  IdempotencyStore,
  PipelineMetrics,
  PublishReceipt,
  StoredResponse,
  UpsertOutcome,
  UserEventPublisher,
  UserPage,
  UserStore,
};

import { DependencyUnavailableError, IngestaError, RowRejectedError, ValidationError } from './errors.ts';
import type { UserStore } from './ports.ts';
import { checkUserEventAttributes, parseUserEvent, type UserEvent } from './userEvent.ts';

/** A message as the transport delivered it, before any trust is placed in it. */
interface InboundMessage {
  /** The transport's id (SQS messageId); failures are reported by it. */
  id: string;
  body: string;
  attributes: Readonly<Record<string, string | undefined>>;
}

interface IngestFailure {
  id: string;
  reason: string;
}

interface IngestResult {
  failures: IngestFailure[];
  /** Messages whose events were valid. */
  accepted: number;
  /** Rows inserted or changed. */
  written: number;
  /** occurredAt of every message now reflected in the store (written or superseded), for freshness. */
  landedOccurredAt: string[];
  /** Why the one-statement write failed, when rows had to be retried one by one. */
  batchError?: string;
  /**
   * The database could not serve (as opposed to refusing rows): every valid message failed with it, and
   * the caller should fail the whole batch.
   */
  unavailable?: unknown;
}

/** Events for one email, newest first: only the newest is written, the rest share its fate. */
interface EmailGroup {
  newest: UserEvent;
  members: { id: string; occurredAt: string }[];
}

const describe = (error: unknown): string => {
  if (error instanceof ValidationError) {
    const details = error.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return details ? `${error.message} ${details}` : error.message;
  }
  if (!(error instanceof Error)) return String(error);
  // The client-safe message of an unavailable dependency hides the driver's; the operator needs both.
  return error instanceof DependencyUnavailableError && error.cause instanceof Error
    ? `${error.message} (${error.cause.message})`
    : error.message;
};

/**
 * The one order of events for an email, the same as the upsert's in SQL: occurredAt (canonical UTC
 * microseconds, so string order is time order), then eventId by code unit (printable ASCII, so the
 * byte order of the "C" collation the column uses).
 */
const isNewer = (a: UserEvent, b: UserEvent): boolean =>
  a.occurredAt !== b.occurredAt ? a.occurredAt > b.occurredAt : a.eventId > b.eventId;

const parseMessage = (message: InboundMessage): UserEvent => {
  let json: unknown;
  try {
    json = JSON.parse(message.body);
  } catch {
    throw new IngestaError('The message body is not JSON.');
  }
  checkUserEventAttributes(message.attributes);
  return parseUserEvent(json);
};

/**
 * Validates each message on its own, then writes every valid one in a single statement.
 * If the database refuses a row, each email is retried alone so one bad row fails only its own
 * messages; if the database is unavailable, every message fails at once and is retried later.
 */
const ingestUserEvents = async (
  store: UserStore,
  messages: readonly InboundMessage[],
): Promise<IngestResult> => {
  const failures: IngestFailure[] = [];
  const groups = new Map<string, EmailGroup>();

  for (const message of messages) {
    let event: UserEvent;
    try {
      event = parseMessage(message);
    } catch (error) {
      failures.push({ id: message.id, reason: describe(error) });
      continue;
    }
    const group = groups.get(event.user.email);
    const member = { id: message.id, occurredAt: event.occurredAt };
    if (group === undefined) {
      groups.set(event.user.email, { newest: event, members: [member] });
    } else {
      group.members.push(member);
      if (isNewer(event, group.newest)) group.newest = event;
    }
  }

  const accepted = messages.length - failures.length;
  if (groups.size === 0) return { failures, accepted, written: 0, landedOccurredAt: [] };

  const all = [...groups.values()];
  const landed = (landedGroups: readonly EmailGroup[]) =>
    landedGroups.flatMap((g) => g.members.map((m) => m.occurredAt));
  try {
    const { written } = await store.upsertUsers(all.map((g) => g.newest));
    return { failures, accepted, written, landedOccurredAt: landed(all) };
  } catch (batchError) {
    // A refused row is found by writing each email alone. An unavailable database fails everything
    // at once: retrying row by row against it would only multiply the wait.
    let unavailable = batchError instanceof RowRejectedError ? undefined : batchError;
    let written = 0;
    const ok: EmailGroup[] = [];
    for (const group of all) {
      let error = unavailable;
      if (error === undefined) {
        try {
          written += (await store.upsertUsers([group.newest])).written;
          ok.push(group);
          continue;
        } catch (rowError) {
          error = rowError;
          if (!(rowError instanceof RowRejectedError)) unavailable = rowError;
        }
      }
      const reason = `Database write failed: ${describe(error)}`;
      for (const { id } of group.members) failures.push({ id, reason });
    }
    return {
      failures,
      accepted,
      written,
      landedOccurredAt: landed(ok),
      batchError: describe(batchError),
      ...(unavailable !== undefined && { unavailable }),
    };
  }
};

export type { InboundMessage, IngestFailure, IngestResult };
export { ingestUserEvents };

import type { UpsertOutcome, UserPage, UserStore } from '#shared/domain/ports.ts';
import type { User } from '#shared/domain/user.ts';
import type { UserEvent } from '#shared/domain/userEvent.ts';

/**
 * A UserStore for unit tests of the use cases: records every call and can be told to fail.
 * Store semantics themselves are tested against PGlite and PostgreSQL in tests/integration.
 */
class InMemoryUserStore implements UserStore {
  readonly upsertCalls: UserEvent[][] = [];
  readonly listCalls: { afterId: string | null; limit: number }[] = [];
  readonly users: User[] = [];
  failUpsert: (events: readonly UserEvent[]) => Error | undefined = () => undefined;
  pingError: Error | undefined;

  async listUsers(query: { afterId: string | null; limit: number }): Promise<UserPage> {
    this.listCalls.push(query);
    const after = BigInt(query.afterId ?? '0');
    const rows = this.users.filter((u) => BigInt(u.id) > after).slice(0, query.limit + 1);
    const items = rows.slice(0, query.limit);
    return { items, hasMore: rows.length > query.limit, lastId: items.at(-1)?.id ?? null };
  }

  async getUser(id: string): Promise<User | null> {
    return this.users.find((u) => u.id === id) ?? null;
  }

  async upsertUsers(events: readonly UserEvent[]): Promise<UpsertOutcome> {
    this.upsertCalls.push([...events]);
    const error = this.failUpsert(events);
    if (error) throw error;
    return { written: events.length };
  }

  async ping(): Promise<void> {
    if (this.pingError) throw this.pingError;
  }
}

const sampleUser = (id: number): User => ({
  id: String(id),
  name: `User ${id}`,
  email: `user${id}@example.com`,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

export { InMemoryUserStore, sampleUser };

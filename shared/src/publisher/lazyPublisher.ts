import { loadOnce } from '../bootstrap/loadOnce.ts';
import type { PublishReceipt, UserEventPublisher } from '../domain/ports.ts';
import type { UserEvent } from '../domain/userEvent.ts';

/**
 * A publisher built on its first publish, not at cold start: a function that only reads never loads
 * the SNS client (about half of a cold start's import time). A failed build is retried on the next call.
 */
const lazyPublisher = (build: () => Promise<UserEventPublisher>): UserEventPublisher => {
  const publisher = loadOnce(build);
  return {
    async publish(event: UserEvent): Promise<PublishReceipt> {
      return (await publisher()).publish(event);
    },
  };
};

export { lazyPublisher };

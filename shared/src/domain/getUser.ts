import { NotFoundError } from './errors.ts';
import type { UserStore } from './ports.ts';
import { isUserId, type User } from './user.ts';

const getUser = async (store: UserStore, id: string): Promise<User> => {
  // A malformed id cannot name a user, so it is simply not found.
  const user = isUserId(id) ? await store.getUser(id) : null;
  if (user === null) throw new NotFoundError(`No user with id '${id.slice(0, 40)}'.`);
  return user;
};

export { getUser };

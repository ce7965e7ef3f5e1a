/** Users: the POST form and the moment its row lands, the newest users, GET /users paged, and "send N users". */
import type { UserRow } from '../snapshot.ts';
import { byId, count, el, problemDetail, send, setStatus, time } from './dom.ts';

const userRow = (user: UserRow): HTMLTableRowElement => {
  const row = el(
    'tr',
    {},
    el('td', { className: 'num', text: user.id }),
    el('td', { text: user.name }),
    el('td', { text: user.email }),
    el('td', { text: time(user.updatedAt) }),
  );
  row.dataset.email = user.email;
  return row;
};

/** The user posted from the form, until its row lands. */
let awaiting: { email: string; postedAt: number } | undefined;

const renderUsers = (users: UserRow[]): void => {
  byId<HTMLTableElement>('newest').tBodies[0]?.replaceChildren(...users.map(userRow));
  if (awaiting === undefined) return;
  const { email, postedAt } = awaiting;
  const landed = users.find((u) => u.email === email && Date.parse(u.updatedAt) >= postedAt - 1_000);
  if (landed === undefined) return;
  awaiting = undefined;
  setStatus(
    'user-status',
    `Landed: ${email} is user ${landed.id} in the database, ${Math.max(0, Date.parse(landed.updatedAt) - postedAt)} ms after the POST.`,
    'good',
  );
  void loadPage(undefined);
};

const UsersPageSchema = {
  parse: (value: unknown): { items: UserRow[]; nextCursor: string | null } => {
    const page = value as { items?: unknown; nextCursor?: unknown };
    if (!Array.isArray(page.items)) throw new Error('GET /users answered without items');
    return {
      items: page.items as UserRow[],
      nextCursor: typeof page.nextCursor === 'string' ? page.nextCursor : null,
    };
  },
};

let nextCursor: string | null = null;
let pageNumber = 1;

const loadPage = async (cursor: string | undefined): Promise<void> => {
  const query = new URLSearchParams({ limit: '10' });
  if (cursor !== undefined) query.set('cursor', cursor);
  const response = await fetch(`/users?${query}`);
  if (!response.ok) {
    byId('page-info').textContent = `GET /users: ${await problemDetail(response)}`;
    return;
  }
  const page = UsersPageSchema.parse(await response.json());
  pageNumber = cursor === undefined ? 1 : pageNumber + 1;
  nextCursor = page.nextCursor;
  byId<HTMLTableElement>('browse').tBodies[0]?.replaceChildren(...page.items.map(userRow));
  byId<HTMLButtonElement>('page-next').disabled = nextCursor === null;
  byId('page-info').textContent =
    `Page ${pageNumber}: ${page.items.length} user(s)${nextCursor === null ? ', the last' : ''}.`;
};

/** The form, the pager, and the first page of users. */
const setUpUsers = (): void => {
  const form = byId<HTMLFormElement>('user-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const user = { name: String(data.get('name') ?? ''), email: String(data.get('email') ?? '') };
    const postedAt = Date.now();
    void (async () => {
      const response = await send('POST', '/users', user);
      if (response.status === 202) {
        const { eventId } = (await response.json()) as { eventId: string };
        awaiting = { email: user.email.trim().toLowerCase(), postedAt };
        setStatus('user-status', `202 Accepted: event ${eventId} published. Waiting for the row…`);
        form.reset();
      } else setStatus('user-status', `Refused: ${await problemDetail(response)}`, 'bad');
    })().catch((error: unknown) => setStatus('user-status', `Failed: ${String(error)}`, 'bad'));
  });
  byId('page-first').addEventListener('click', () => void loadPage(undefined));
  byId('page-next').addEventListener('click', () => {
    if (nextCursor !== null) void loadPage(nextCursor);
  });
  void loadPage(undefined);
};

// Send N users ---------------------------------------------------------------------------------------------

const LOAD_MAX = 10_000;
const LOAD_CONCURRENCY = 8;
let stopLoad = false;

const setUpLoad = (): void => {
  const form = byId<HTMLFormElement>('load-form');
  const start = byId<HTMLButtonElement>('load-start');
  const stop = byId<HTMLButtonElement>('load-stop');
  const progress = byId<HTMLProgressElement>('load-progress');
  stop.addEventListener('click', () => {
    stopLoad = true;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const n = Number(new FormData(form).get('count'));
    if (!Number.isInteger(n) || n < 1 || n > LOAD_MAX) {
      setStatus('load-status', `Choose a whole number from 1 to ${count(LOAD_MAX)}.`, 'bad');
      return;
    }
    const run = Date.now().toString(36);
    let next = 0;
    let accepted = 0;
    let refused = 0;
    stopLoad = false;
    start.disabled = true;
    stop.disabled = false;
    progress.max = n;
    progress.value = 0;
    const began = performance.now();
    const report = (final: boolean) => {
      progress.value = accepted + refused;
      const seconds = (performance.now() - began) / 1000;
      setStatus(
        'load-status',
        `${final ? (stopLoad ? 'Stopped' : 'Done') : 'Sending'}: ${count(accepted)} of ${count(n)} accepted${refused > 0 ? `, ${count(refused)} refused` : ''} in ${seconds.toFixed(1)} s.`,
        final ? (refused > 0 ? 'bad' : 'good') : '',
      );
    };
    const worker = async () => {
      while (!stopLoad && next < n) {
        const i = next++;
        const response = await send('POST', '/users', {
          name: `Load user ${i + 1}`,
          email: `load-${run}-${i + 1}@example.com`,
        }).catch(() => undefined);
        if (response?.status === 202) accepted += 1;
        else refused += 1;
        await response?.arrayBuffer().catch(() => undefined);
        if ((accepted + refused) % 25 === 0) report(false);
      }
    };
    void Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, n) }, worker)).then(() => {
      report(true);
      if (pageNumber === 1) void loadPage(undefined);
      start.disabled = false;
      stop.disabled = true;
    });
  });
};

export { renderUsers, setUpLoad, setUpUsers };

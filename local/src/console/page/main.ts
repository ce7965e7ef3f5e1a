/**
 * The local console's page: renders each snapshot the event stream sends, and talks to the API and the
 * `/_local/` routes with same-origin JSON requests (what the server's write checks expect).
 */
import type { ConsoleSnapshot, DeadLetterRow, FlowSnapshot, SloSnapshot, UserRow } from '../snapshot.ts';
import { type Chart, createChart } from './charts.ts';

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page has no #${id}`);
  return element as T;
};

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  if (props.className !== undefined) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  element.append(...children);
  return element;
};

const count = (n: number): string => n.toLocaleString('en-US');
const perSecond = (rate: number | null): string =>
  rate === null ? '–' : `${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s`;
const time = (iso: string | null): string => (iso === null ? '–' : new Date(iso).toLocaleTimeString());
const percent = (ratio: number | null, digits = 2): string =>
  ratio === null ? 'no events yet' : `${(ratio * 100).toFixed(digits)}%`;

const setStatus = (id: string, text: string, tone: 'good' | 'bad' | '' = ''): void => {
  const status = byId(id);
  status.textContent = text;
  status.className = `status ${tone}`;
};

/** POST/DELETE with a JSON content type: the server refuses other writes to `/_local/`. */
const send = async (method: string, url: string, body?: unknown): Promise<Response> =>
  fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

const problemDetail = async (response: Response): Promise<string> => {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string };
    return `${response.status} ${problem.detail ?? problem.title ?? ''}`.trim();
  } catch {
    return `${response.status} ${text.slice(0, 200)}`;
  }
};

// The flow -------------------------------------------------------------------------------------------------

interface Stage {
  name: string;
  key: string;
  big: (f: FlowSnapshot) => string;
  bigLabel: string;
  rows: (f: FlowSnapshot) => [string, string][];
  problem: (f: FlowSnapshot) => string | undefined;
}

const STAGES: Stage[] = [
  {
    name: 'API',
    key: 'api',
    big: (f) => count(f.api.accepted),
    bigLabel: 'accepted (202)',
    rows: (f) => [
      ['rate', perSecond(f.api.ratePerSecond)],
      ['4xx', count(f.api.clientErrors)],
      ['5xx', count(f.api.serverErrors)],
    ],
    problem: (f) => (f.api.serverErrors > 0 ? `${count(f.api.serverErrors)} answered 5xx` : undefined),
  },
  {
    name: 'Topic',
    key: 'topic',
    big: (f) => count(f.topic.published),
    bigLabel: 'published',
    rows: (f) => [['rate', perSecond(f.topic.ratePerSecond)]],
    problem: () => undefined,
  },
  {
    name: 'Queue',
    key: 'queue',
    big: (f) => count(f.queue.visible),
    bigLabel: 'visible',
    rows: (f) => [['in flight', count(f.queue.inFlight)]],
    problem: (f) => (f.queue.stalled ? 'stalled: messages wait, no batch for 30 s' : undefined),
  },
  {
    name: 'Subscriber',
    key: 'subscriber',
    big: (f) => count(f.subscriber.batches),
    bigLabel: 'batches',
    rows: (f) => [
      ['records', perSecond(f.subscriber.ratePerSecond)],
      ['failed', count(f.subscriber.failed)],
    ],
    problem: () => undefined,
  },
  {
    name: 'Database',
    key: 'database',
    big: (f) => count(f.database.written),
    bigLabel: 'written',
    rows: (f) => [
      ['rate', perSecond(f.database.ratePerSecond)],
      ['unchanged', count(f.database.unchanged)],
    ],
    problem: (f) => (f.database.up ? undefined : 'down: the database does not answer'),
  },
  {
    name: 'DLQ',
    key: 'dlq',
    big: (f) => count(f.dlq.depth),
    bigLabel: 'dead-lettered',
    rows: () => [],
    problem: (f) => (f.dlq.depth > 0 ? 'not empty: see Dead letters' : undefined),
  },
];

const renderFlow = (flow: FlowSnapshot): void => {
  byId('flow').replaceChildren(
    ...STAGES.map((stage) => {
      const problem = stage.problem(flow);
      const item = el('li', { className: `stage ${problem === undefined ? 'ok' : 'problem'} ${stage.key}` });
      item.dataset.stage = stage.key;
      const big = el('div', { className: 'big', text: stage.big(flow) });
      big.dataset.count = stage.bigLabel;
      const list = el('dl');
      for (const [term, value] of [[stage.bigLabel, stage.big(flow)], ...stage.rows(flow)] as [
        string,
        string,
      ][]) {
        if (term === stage.bigLabel) continue;
        list.append(el('dt', { text: term }), el('dd', { text: value }));
      }
      item.append(
        el('h3', { text: stage.name }),
        big,
        el('div', { className: 'sub', text: stage.bigLabel }),
        list,
        el('span', { className: 'badge', text: problem ?? 'ok' }),
      );
      return item;
    }),
  );
};

// SLOs -----------------------------------------------------------------------------------------------------

/** `api_latency` → `API latency`. */
const sloName = (id: string): string => {
  const words = id.replace(/_/g, ' ').replace(/^api\b/, 'API');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const renderSlos = (slos: SloSnapshot[]): void => {
  const tbody = byId<HTMLTableElement>('slos').tBodies[0];
  tbody?.replaceChildren(
    ...slos.map((slo) => {
      const row = el('tr');
      row.dataset.slo = slo.id;
      const burns = el('td');
      for (const w of slo.windows) {
        const threshold = Math.min(
          ...slo.conditions
            .filter((c) => c.shortWindow === w.window || c.longWindow === w.window)
            .map((c) => c.factor),
        );
        const text = `${w.window}: ${w.burnRate === null ? '–' : `${w.burnRate.toFixed(2)}×`}`;
        const span = el('span', {
          className: w.burnRate !== null && w.burnRate > threshold ? 'burn-over' : '',
          text,
        });
        burns.append(span, ' ');
      }
      if (slo.notKept.length > 0)
        burns.append(el('span', { className: 'sub', text: `(${slo.notKept.join(', ')} not kept)` }));
      const alerts = el('td');
      const firing = slo.conditions.filter((c) => c.firing);
      alerts.append(
        firing.length === 0
          ? el('span', { text: 'none firing' })
          : el('span', {
              className: 'firing',
              text: firing
                .map((c) => `${c.severity} ${c.factor}× (${c.longWindow}/${c.shortWindow})`)
                .join(', '),
            }),
      );
      row.append(
        el(
          'th',
          {},
          el('span', { className: 'slo-name', text: sloName(slo.id) }),
          el('span', { className: 'slo-title', text: slo.title }),
        ),
        el('td', { className: 'num', text: percent(slo.objective, 1) }),
        el('td', { className: 'num', text: percent(slo.sliRun, 3) }),
        burns,
        alerts,
      );
      row.firstElementChild?.setAttribute('scope', 'row');
      return row;
    }),
  );
};

// Users ----------------------------------------------------------------------------------------------------

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

const setUpUserForm = (): void => {
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

// Dead letters ---------------------------------------------------------------------------------------------

/** What the dead-letter table shows now: it is redrawn only when that changes, so focus stays on its buttons. */
let shownDeadLetters = '';

const renderDeadLetters = ({ total, items }: { total: number; items: DeadLetterRow[] }): void => {
  const tbody = byId<HTMLTableElement>('dlq').tBodies[0];
  const key = JSON.stringify([total, items]);
  if (tbody === undefined || key === shownDeadLetters) return;
  shownDeadLetters = key;
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset : undefined;
  const refocus = focused?.id === undefined ? undefined : { id: focused.id, action: focused.action };
  if (items.length === 0) {
    tbody.replaceChildren(
      el('tr', {}, Object.assign(el('td', { text: 'The DLQ is empty.' }), { colSpan: 5 })),
    );
    return;
  }
  const rows = items.map((m) => {
    const redrive = el('button', { text: 'Redrive' });
    redrive.type = 'button';
    redrive.dataset.action = 'redrive';
    redrive.dataset.id = m.messageId;
    redrive.setAttribute('aria-label', `Redrive message ${m.messageId}`);
    const remove = el('button', { className: 'danger', text: 'Delete' });
    remove.type = 'button';
    remove.dataset.action = 'delete';
    remove.dataset.id = m.messageId;
    remove.setAttribute('aria-label', `Delete message ${m.messageId}`);
    const row = el(
      'tr',
      {},
      el('td', { className: 'mono', text: m.messageId }),
      el('td', { className: 'num', text: String(m.receiveCount) }),
      el('td', { className: 'error', text: m.lastError ?? '–' }),
      el('td', { text: time(m.deadLetteredAt) }),
      el('td', {}, redrive, ' ', remove),
    );
    row.dataset.messageId = m.messageId;
    return row;
  });
  if (total > items.length)
    rows.push(
      el(
        'tr',
        {},
        Object.assign(el('td', { text: `…and ${count(total - items.length)} more.` }), { colSpan: 5 }),
      ),
    );
  tbody.replaceChildren(...rows);
  if (refocus !== undefined)
    tbody
      .querySelector<HTMLButtonElement>(`button[data-id="${refocus.id}"][data-action="${refocus.action}"]`)
      ?.focus();
};

const setUpDeadLetters = (): void => {
  const act = async (label: string, request: () => Promise<Response>) => {
    const response = await request();
    if (response.ok) setStatus('dlq-status', label, 'good');
    else setStatus('dlq-status', `Refused: ${await problemDetail(response)}`, 'bad');
  };
  byId('dlq-redrive-all').addEventListener('click', () => {
    void act('Redrove every dead letter back to the queue.', () => send('POST', '/_local/dlq/redrive'));
  });
  byId('dlq-poison').addEventListener('click', () => {
    void act('Published a malformed event: it fails every receive, then lands here.', () =>
      send('POST', '/_local/console/poison'),
    );
  });
  byId('dlq').addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('button');
    const id = button?.dataset.id;
    if (button === null || id === undefined) return;
    if (button.dataset.action === 'redrive')
      void act(`Redrove ${id} back to the queue.`, () => send('POST', `/_local/dlq/${id}/redrive`));
    else if (
      button.dataset.action === 'delete' &&
      window.confirm(`Delete dead letter ${id}? The user it carries will not reach the database.`)
    )
      void act(`Deleted ${id}.`, () => send('DELETE', `/_local/dlq/${id}`));
  });
};

// The stream -----------------------------------------------------------------------------------------------

const charts: Record<'latency' | 'throughput' | 'eventAge', Chart> = {
  latency: createChart('API latency', 'ms'),
  throughput: createChart('Throughput', 'per second'),
  eventAge: createChart('Event age, POST → written', 's'),
};

const render = (snapshot: ConsoleSnapshot): void => {
  renderFlow(snapshot.flow);
  charts.latency.update(snapshot.latency);
  charts.throughput.update(snapshot.throughput);
  charts.eventAge.update(snapshot.eventAge);
  renderSlos(snapshot.slos);
  renderUsers(snapshot.newestUsers);
  renderDeadLetters(snapshot.deadLetters);
  const connection = byId('connection');
  if (connection.className !== 'live') {
    // Read by `npm run bench`: navigation start → first live snapshot on screen.
    if (performance.getEntriesByName('console-live').length === 0) performance.mark('console-live');
    // A status region: said once when the state changes, not at every update.
    connection.className = 'live';
    connection.textContent = 'Live';
  }
  byId('updated').textContent = ` · updated ${new Date(snapshot.at).toLocaleTimeString()}`;
};

const connect = (): void => {
  const events = new EventSource('/_local/console/events');
  events.onmessage = (message: MessageEvent<string>) => render(JSON.parse(message.data) as ConsoleSnapshot);
  events.onerror = () => {
    const connection = byId('connection');
    if (connection.className === 'down') return;
    connection.className = 'down';
    connection.textContent = 'Disconnected: is npm start still running? Retrying…';
  };
};

const main = (): void => {
  byId('charts').append(charts.latency.figure, charts.throughput.figure, charts.eventAge.figure);
  setUpUserForm();
  setUpLoad();
  setUpDeadLetters();
  void loadPage(undefined);
  connect();
};

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();

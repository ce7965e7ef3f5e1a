/**
 * The local console's page: renders each snapshot the event stream sends, and talks to the API and the
 * `/_local/` routes with same-origin JSON requests (what the server's write checks expect).
 */
import type { ConsoleSnapshot } from '../snapshot.ts';
import { type Chart, createChart } from './charts.ts';
import { renderDeadLetters, setUpDeadLetters } from './deadLetters.ts';
import { byId } from './dom.ts';
import { renderFlow } from './flow.ts';
import { renderSlos } from './slos.ts';
import { renderUsers, setUpLoad, setUpUsers } from './users.ts';

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
  setUpUsers();
  setUpLoad();
  setUpDeadLetters();
  connect();
};

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();

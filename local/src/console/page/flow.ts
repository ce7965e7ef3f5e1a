/** The flow: one card per stage, API → topic → queue → subscriber → database, and the DLQ beside them. */
import type { FlowSnapshot } from '../snapshot.ts';
import { byId, count, el, perSecond } from './dom.ts';

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

export { renderFlow };

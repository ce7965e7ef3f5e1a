/** Dead letters: each with its receive count and last error; redrive one or all, delete one (confirmed). */
import type { DeadLetterRow } from '../snapshot.ts';
import { byId, count, el, problemDetail, send, setStatus, time } from './dom.ts';

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

export { renderDeadLetters, setUpDeadLetters };

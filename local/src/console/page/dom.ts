/** DOM and formatting helpers of the console page, and its same-origin JSON requests. */

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

export { byId, count, el, percent, perSecond, problemDetail, send, setStatus, time };

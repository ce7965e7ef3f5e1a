/** The SLO table: objective, SLI over the run, burn rate per alert window, alerts that would fire. */
import type { SloSnapshot } from '../snapshot.ts';
import { byId, el, percent } from './dom.ts';

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

export { renderSlos };

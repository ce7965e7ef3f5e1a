import type { ChartSeries } from '../snapshot.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 400;
const HEIGHT = 150;
const PAD = { left: 40, right: 8, top: 8, bottom: 18 };

const svgElement = <K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string>) => {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
};

const niceMax = (max: number): number => {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= max) ?? 10) * magnitude;
};

const format = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toPrecision(2));

interface Chart {
  figure: HTMLElement;
  update(series: ChartSeries): void;
}

/**
 * A line chart in SVG, redrawn from each snapshot. The figure's text summary (latest values) is what a
 * screen reader hears; the drawing is hidden from it.
 */
const createChart = (title: string, unit: string): Chart => {
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.textContent = `${title} (${unit})`;
  const legend = document.createElement('ul');
  legend.className = 'legend';
  const svg = svgElement('svg', {
    class: 'chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
  });
  const summary = document.createElement('p');
  summary.className = 'visually-hidden';
  figure.append(caption, legend, svg, summary);

  const update = ({ times, lines }: ChartSeries): void => {
    const names = Object.keys(lines);
    const latest = names.map((name) => {
      const values = lines[name] ?? [];
      const last = [...values].reverse().find((v) => v !== null);
      return `${name} ${last == null ? '–' : format(last)}`;
    });
    legend.replaceChildren(
      ...names.map((name, i) => {
        const item = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = `l${i}`;
        item.append(swatch, latest[i] ?? name);
        return item;
      }),
    );
    summary.textContent = `Latest: ${latest.join(', ')} ${unit}.`;
    const all = names.flatMap((name) => (lines[name] ?? []).filter((v): v is number => v !== null));
    const max = niceMax(Math.max(0, ...all));
    const [t0, t1] = [times[0] ?? 0, times[times.length - 1] ?? 1];
    const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (WIDTH - PAD.left - PAD.right);
    const y = (v: number) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
    const children: SVGElement[] = [
      svgElement('line', {
        class: 'axis',
        x1: `${PAD.left}`,
        x2: `${WIDTH - PAD.right}`,
        y1: `${y(0)}`,
        y2: `${y(0)}`,
      }),
      svgElement('line', {
        class: 'axis',
        x1: `${PAD.left}`,
        x2: `${WIDTH - PAD.right}`,
        y1: `${y(max)}`,
        y2: `${y(max)}`,
      }),
    ];
    const label = (text: string, attributes: Record<string, string>) => {
      const element = svgElement('text', attributes);
      element.textContent = text;
      return element;
    };
    children.push(
      label(format(max), { x: `${PAD.left - 4}`, y: `${y(max) + 4}`, 'text-anchor': 'end' }),
      label('0', { x: `${PAD.left - 4}`, y: `${y(0)}`, 'text-anchor': 'end' }),
      label('−5 min', { x: `${PAD.left}`, y: `${HEIGHT - 4}` }),
      label('now', { x: `${WIDTH - PAD.right}`, y: `${HEIGHT - 4}`, 'text-anchor': 'end' }),
    );
    names.forEach((name, i) => {
      let d = '';
      let pen = 'M';
      (lines[name] ?? []).forEach((v, j) => {
        if (v === null) {
          pen = 'M';
          return;
        }
        d += `${pen}${x(times[j] ?? 0).toFixed(1)},${y(v).toFixed(1)}`;
        pen = 'L';
      });
      if (d !== '')
        children.push(svgElement('path', { class: `l${i}`, d, 'vector-effect': 'non-scaling-stroke' }));
    });
    svg.replaceChildren(...children);
  };
  return { figure, update };
};

export type { Chart };
export { createChart };

/** The network diagram the source's lost figure showed, drawn as SVG from the lesson network's own sizes and weights. */
import type { LessonNetworkData } from '../../../src/protocol/lessonProtocol';
import { layerSizes } from '../../../src/engine/lessonNetwork';
import type { PageStrings } from '../strings';

const SVG = 'http://www.w3.org/2000/svg';
const COLUMN = 170;
const ROW = 62;
const RADIUS = 19;

/** An SVG figure of `data`: one column per layer, an edge per weight coloured by its sign and sized by its magnitude. */
export function networkFigure(data: LessonNetworkData, strings: PageStrings, highlightLayer?: number): HTMLElement {
  const sizes = layerSizes(data);
  const tallest = Math.max(...sizes);
  const width = COLUMN * (sizes.length - 1) + 120;
  const height = ROW * tallest + 60;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'network-figure');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', sizes.join('-'));
  const x = (layer: number) => 60 + layer * COLUMN;
  const y = (layer: number, unit: number) => 20 + (tallest - sizes[layer]) * (ROW / 2) + unit * ROW + ROW / 2;
  const maxWeight = Math.max(...data.layers.flatMap((l) => l.W.flat().map(Math.abs)), 1e-9);
  data.layers.forEach((layer, l) => {
    layer.W.forEach((row, i) =>
      row.forEach((w, j) => {
        const line = element('line', { x1: x(l), y1: y(l, j), x2: x(l + 1), y2: y(l + 1, i) });
        line.setAttribute(
          'class',
          `edge ${w >= 0 ? 'positive' : 'negative'}${highlightLayer === l + 1 ? ' highlight' : ''}`,
        );
        line.setAttribute('stroke-width', String(0.6 + 3.4 * (Math.abs(w) / maxWeight)));
        svg.append(line);
      }),
    );
  });
  sizes.forEach((size, l) => {
    for (let unit = 0; unit < size; unit++) {
      svg.append(
        element('circle', {
          cx: x(l),
          cy: y(l, unit),
          r: RADIUS,
          class: `node${highlightLayer === l ? ' highlight' : ''}`,
        }),
      );
      const label = element('text', { x: x(l), y: y(l, unit) + 5, class: 'node-label' });
      label.textContent = nodeLabel(l, unit, sizes.length - 1);
      svg.append(label);
    }
    const caption = element('text', { x: x(l), y: height - 8, class: 'layer-label' });
    caption.textContent =
      l === 0 ? strings.figureInput : l === sizes.length - 1 ? strings.figureOutput : strings.figureHidden(l);
    svg.append(caption);
  });
  const figure = document.createElement('figure');
  figure.className = 'network';
  const caption = document.createElement('figcaption');
  caption.textContent = strings.figureCaption;
  figure.append(svg, caption);
  return figure;
}

/** x_j for inputs, a_i^l for hidden units, y_i for outputs (1-based as in the lesson), in Unicode so SVG text can show it. */
function nodeLabel(layer: number, unit: number, last: number): string {
  const sub = String(unit + 1).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
  if (layer === 0) return `x${sub}`;
  if (layer === last) return `y${sub}`;
  return `a${sub}${String(layer).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)])}`;
}

function element(name: string, attributes: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
  return el;
}

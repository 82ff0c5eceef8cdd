// The sweep comparison view's page: a heading, a live summary for screen readers, the table (caption, scoped
// column and row headings) and "Save as Markdown…". The host words and formats every cell; the page lays them out.
import {
  isEmptyComparison,
  toPageGuards,
  type ComparisonEmptyState,
  type ComparisonPageState,
  type FromComparisonPage,
  type ToComparisonPage,
} from '../../src/protocol/comparisonProtocol';
import { connectToHost, type WebviewTransport } from '../common/vscodeApi';

type State = ComparisonPageState | ComparisonEmptyState;

/** Builds the page in `root` and asks the host for its state; later states replace it as the sweep goes on. */
export function mountComparison(transport: WebviewTransport, root: HTMLElement): void {
  const host = connectToHost<ToComparisonPage, FromComparisonPage>(transport);
  const main = document.createElement('main');
  const heading = document.createElement('h1');
  const summary = document.createElement('p');
  summary.className = 'summary';
  summary.setAttribute('role', 'status');
  const body = document.createElement('div');
  body.className = 'comparison-body';
  main.append(heading, summary, body);
  root.replaceChildren(main);

  const show = (state: State): void => {
    if (isEmptyComparison(state)) {
      heading.textContent = document.title;
      summary.textContent = '';
      const note = document.createElement('p');
      note.className = 'empty';
      note.textContent = state.empty;
      body.replaceChildren(note);
      return;
    }
    heading.textContent = state.title;
    if (summary.textContent !== state.summary) summary.textContent = state.summary;
    body.replaceChildren(table(state), saveButton(state.saveLabel));
  };

  const saveButton = (label: string): HTMLElement => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'save';
    button.textContent = label;
    button.addEventListener('click', () => host.notify('comparison/save', {}));
    return button;
  };

  host.on('comparison/show', toPageGuards['comparison/show'], show);
  host.request('comparison/ready', {}, toPageGuards['comparison/show']).then(show, (err: unknown) => {
    summary.textContent = String(err);
  });
}

/** The table: a column heading per heading, the run's label as each row's heading, one cell per figure. */
function table(state: ComparisonPageState): HTMLElement {
  const element = document.createElement('table');
  const caption = element.createCaption();
  caption.textContent = state.caption;
  const headRow = element.createTHead().insertRow();
  for (const text of state.headings) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = text;
    headRow.append(cell);
  }
  const tbody = element.createTBody();
  for (const { status, cells } of state.rows) {
    const row = tbody.insertRow();
    row.dataset.status = status;
    const [label, ...figures] = cells;
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = label;
    row.append(name);
    for (const text of figures) row.insertCell().textContent = text;
  }
  // Narrower than the table (a deep network has a δ column per layer), the table scrolls sideways instead of
  // cutting columns off; the scroller is focusable so the keyboard can scroll it too.
  const scroller = document.createElement('div');
  scroller.className = 'table-scroll';
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-label', state.title);
  scroller.append(element);
  return scroller;
}

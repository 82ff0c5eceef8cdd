// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src/protocol/endpoint';
import type { ComparisonPageState } from '../../../src/protocol/comparisonProtocol';
import type { WebviewTransport } from '../../../webview/common/vscodeApi';
import { mountComparison } from '../../../webview/comparison/mount';

/** A transport whose other end the test plays: it sees what the page posts and delivers what the host sends. */
function fakeHost() {
  const posted: Envelope[] = [];
  let listener: (message: unknown) => void = () => {};
  const transport: WebviewTransport = {
    postMessage: (message) => posted.push(message as Envelope),
    onMessage: (l) => (listener = l),
    getState: () => undefined,
    setState: () => {},
  };
  return { transport, posted, deliver: (message: unknown) => listener(message) };
}

const STATE: ComparisonPageState = {
  title: 'Comparison: E2E sweep',
  caption: 'One row per combination of the sweep. δ columns: RMS of δ after the first epoch.',
  headings: ['run', 'status', 'train accuracy', 'test accuracy', 's / epoch', 'δ¹ rms', 'δ² rms'],
  rows: [
    {
      status: 'completed',
      cells: ['kernelInitializer=zeros', 'completed', '11.24%', '11.35%', '0.4', '0.0e+0', '3.1e-2'],
    },
    { status: 'running', cells: ['kernelInitializer=glorotUniform', 'running', '', '', '', '', ''] },
  ],
  summary: '1 of 2 runs finished.',
  saveLabel: 'Save as Markdown…',
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the comparison view page', () => {
  beforeEach(() => document.body.replaceChildren());

  it('asks for its state on load and lays it out as a table with a caption and scoped headings', async () => {
    const host = fakeHost();
    mountComparison(host.transport, document.body);
    const ready = host.posted.find((e) => e.kind === 'request' && e.type === 'comparison/ready');
    expect(ready).toBeDefined();
    host.deliver({ kind: 'reply', replyTo: (ready as { id: number }).id, result: STATE });
    await flush();

    expect(document.querySelector('main h1')?.textContent).toBe('Comparison: E2E sweep');
    const table = document.querySelector('table')!;
    expect(table.caption?.textContent).toContain('δ columns');
    const columns = [...table.querySelectorAll('thead th')];
    expect(columns.map((th) => th.textContent)).toEqual(STATE.headings);
    expect(columns.every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    const rows = [...table.querySelectorAll<HTMLTableRowElement>('tbody tr')];
    expect(rows.map((tr) => tr.querySelector('th[scope="row"]')?.textContent)).toEqual([
      'kernelInitializer=zeros',
      'kernelInitializer=glorotUniform',
    ]);
    expect([...rows[0].querySelectorAll('td')].map((td) => td.textContent)).toEqual(STATE.rows[0].cells.slice(1));
    expect(rows[1].dataset.status).toBe('running');
    expect(document.querySelector('[role="status"]')?.textContent).toBe('1 of 2 runs finished.');
    // The scroller that keeps wide δ columns reachable is a named, focusable region.
    const scroller = document.querySelector('.table-scroll')!;
    expect(scroller.getAttribute('tabindex')).toBe('0');
    expect(scroller.getAttribute('aria-label')).toBe('Comparison: E2E sweep');
  });

  it('replaces the table when the host shows a newer state, and says when nothing ran yet', async () => {
    const host = fakeHost();
    mountComparison(host.transport, document.body);
    const ready = host.posted[0] as { id: number };
    host.deliver({ kind: 'reply', replyTo: ready.id, result: { empty: 'No sweep has run yet.' } });
    await flush();
    expect(document.querySelector('.empty')?.textContent).toBe('No sweep has run yet.');
    expect(document.querySelector('table')).toBeNull();

    const done = {
      ...STATE,
      summary: '2 of 2 runs finished.',
      rows: STATE.rows.map((r) => ({ ...r, status: 'completed' as const })),
    };
    host.deliver({ kind: 'notify', type: 'comparison/show', payload: done });
    expect(document.querySelectorAll('tbody tr[data-status="completed"]')).toHaveLength(2);
    expect(document.querySelector('[role="status"]')?.textContent).toBe('2 of 2 runs finished.');
  });

  it('drops a malformed state instead of drawing it, and asks the host to save on the button', async () => {
    const host = fakeHost();
    mountComparison(host.transport, document.body);
    host.deliver({ kind: 'reply', replyTo: (host.posted[0] as { id: number }).id, result: STATE });
    await flush();
    host.deliver({ kind: 'notify', type: 'comparison/show', payload: { ...STATE, rows: 'nope' } });
    expect(document.querySelectorAll('tbody tr')).toHaveLength(2);

    document.querySelector<HTMLButtonElement>('button.save')!.click();
    expect(host.posted.at(-1)).toEqual({ kind: 'notify', type: 'comparison/save', payload: {} });
  });
});

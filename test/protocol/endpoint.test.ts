import { describe, expect, it } from 'vitest';
import { MessageEndpoint, type Envelope } from '../../src/protocol/endpoint';

type HostToPanel = { 'state/changed': { payload: { epoch: number } } };
type PanelToHost = {
  'run/start': { payload: { file: string }; result: { runId: string } };
  'panel/ready': { payload: undefined };
};

/** Two endpoints wired to each other through a fake transport that delivers on the next tick. */
function pair() {
  const warnings: string[] = [];
  const sent: Envelope[] = [];
  // Each transport reaches the other endpoint only when a message is delivered, after both exist.
  const host: MessageEndpoint<PanelToHost, HostToPanel> = new MessageEndpoint(
    (m) => queueMicrotask(() => panel.receive(m)),
    (w) => warnings.push(`host: ${w}`),
  );
  const panel: MessageEndpoint<HostToPanel, PanelToHost> = new MessageEndpoint(
    (m) => {
      sent.push(m);
      queueMicrotask(() => host.receive(m));
    },
    (w) => warnings.push(`panel: ${w}`),
  );
  return { host, panel, warnings, sent };
}

describe('MessageEndpoint', () => {
  it('matches replies to their requests, even out of order', async () => {
    const { host, panel } = pair();
    host.on('run/start', async ({ file }) => {
      await new Promise((r) => setTimeout(r, file === 'slow' ? 20 : 0));
      return { runId: `run-${file}` };
    });
    const [slow, fast] = await Promise.all([
      panel.request('run/start', { file: 'slow' }),
      panel.request('run/start', { file: 'fast' }),
    ]);
    expect(slow).toEqual({ runId: 'run-slow' });
    expect(fast).toEqual({ runId: 'run-fast' });
  });

  it('rejects the caller with the error a handler threw', async () => {
    const { host, panel } = pair();
    host.on('run/start', () => {
      throw new Error('layers[2].units must be a positive integer, got 10.9');
    });
    await expect(panel.request('run/start', { file: 'x' })).rejects.toThrow(
      'layers[2].units must be a positive integer, got 10.9',
    );
  });

  it('answers a request of unknown type with an error rather than leaving it pending', async () => {
    const { panel, warnings } = pair();
    await expect(panel.request('run/start', { file: 'x' })).rejects.toThrow('unknown request type "run/start"');
    expect(warnings).toEqual(['host: dropped a message of unknown type "run/start"']);
  });

  it('delivers notifications to their handler', async () => {
    const { host, panel } = pair();
    const epochs: number[] = [];
    panel.on('state/changed', ({ epoch }) => void epochs.push(epoch));
    host.notify('state/changed', { epoch: 3 });
    await new Promise((r) => setTimeout(r, 0));
    expect(epochs).toEqual([3]);
  });

  it.each([
    [{ kind: 'reply', replyTo: 999, result: 1 }, 'dropped a reply to unknown request 999'],
    [{ kind: 'request', type: 'x' }, 'dropped a malformed message: {"kind":"request","type":"x"}'],
    ['hello', 'dropped a malformed message: "hello"'],
    [{ kind: 'notify', type: 'nobody/listens', payload: 1 }, 'dropped a message of unknown type "nobody/listens"'],
  ])('drops %j with a warning', (message, warning) => {
    const warnings: string[] = [];
    new MessageEndpoint(
      () => {},
      (w) => warnings.push(w),
    ).receive(message);
    expect(warnings).toEqual([warning]);
  });

  it('rejects pending requests on dispose', async () => {
    const endpoint = new MessageEndpoint<PanelToHost, PanelToHost>(() => {});
    const waiting = endpoint.request('run/start', { file: 'x' });
    endpoint.dispose();
    await expect(waiting).rejects.toThrow('the other side went away before replying');
  });
});

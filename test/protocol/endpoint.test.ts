import { describe, expect, it } from 'vitest';
import { MessageEndpoint, ReplyError, type Envelope } from '../../src/protocol/endpoint';
import { isNumber, isString, object } from '../../src/protocol/guards';

type HostToPanel = { 'state/changed': { payload: { epoch: number } } };
type PanelToHost = {
  'run/start': { payload: { file: string }; result: { runId: string } };
  'page/ready': { payload: Record<string, never> };
};

const isStart = object({ file: isString });
const isStarted = object({ runId: isString });
const isChanged = object({ epoch: isNumber });

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

/** One endpoint and the envelopes it posts, for feeding it messages by hand. */
function alone() {
  const posted: Envelope[] = [];
  const warnings: string[] = [];
  const endpoint = new MessageEndpoint<PanelToHost, PanelToHost>(
    (m) => posted.push(m),
    (w) => warnings.push(w),
  );
  return { endpoint, posted, warnings };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('MessageEndpoint', () => {
  it('matches replies to their requests, even out of order', async () => {
    const { host, panel } = pair();
    host.on('run/start', isStart, async ({ file }) => {
      await new Promise((r) => setTimeout(r, file === 'slow' ? 20 : 0));
      return { runId: `run-${file}` };
    });
    const [slow, fast] = await Promise.all([
      panel.request('run/start', { file: 'slow' }, isStarted),
      panel.request('run/start', { file: 'fast' }, isStarted),
    ]);
    expect(slow).toEqual({ runId: 'run-slow' });
    expect(fast).toEqual({ runId: 'run-fast' });
  });

  it('rejects the caller with the error a handler threw, and its code', async () => {
    const { host, panel } = pair();
    host.on('run/start', isStart, () => {
      throw new ReplyError('layers[2].units must be a positive integer, got 10.9', 'config');
    });
    const err = await panel.request('run/start', { file: 'x' }, isStarted).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect(err).toMatchObject({ message: 'layers[2].units must be a positive integer, got 10.9', code: 'config' });
  });

  it('answers a request of unknown type with an error rather than leaving it pending', async () => {
    const { panel, warnings } = pair();
    await expect(panel.request('run/start', { file: 'x' }, isStarted)).rejects.toThrow(
      'dropped a message of unknown type "run/start"',
    );
    expect(warnings).toEqual(['host: dropped a message of unknown type "run/start"']);
  });

  it('delivers notifications to their handler, in order and at once', () => {
    const { endpoint } = alone();
    const panel = new MessageEndpoint<HostToPanel, PanelToHost>(() => {});
    const epochs: number[] = [];
    panel.on('state/changed', isChanged, ({ epoch }) => void epochs.push(epoch));
    for (const epoch of [1, 2, 3]) panel.receive({ kind: 'notify', type: 'state/changed', payload: { epoch } });
    expect(epochs).toEqual([1, 2, 3]);
    void endpoint;
  });

  it('drops a notification whose payload fails its guard, with a warning, and never calls the handler', () => {
    const warnings: string[] = [];
    const panel = new MessageEndpoint<HostToPanel, PanelToHost>(
      () => {},
      (w) => warnings.push(w),
    );
    const epochs: unknown[] = [];
    panel.on('state/changed', isChanged, ({ epoch }) => void epochs.push(epoch));
    panel.receive({ kind: 'notify', type: 'state/changed', payload: { epoch: 'three' } });
    panel.receive({ kind: 'notify', type: 'state/changed' });
    expect(epochs).toEqual([]);
    expect(warnings).toEqual([
      'dropped a malformed "state/changed" message: {"epoch":"three"}',
      'dropped a malformed "state/changed" message: undefined',
    ]);
  });

  it('answers a request whose payload fails its guard with err, without calling the handler', async () => {
    const { endpoint, posted, warnings } = alone();
    let called = false;
    endpoint.on('run/start', isStart, () => {
      called = true;
      return { runId: 'r' };
    });
    endpoint.receive({ kind: 'request', id: 7, type: 'run/start', payload: { file: 42 } });
    await tick();
    expect(called).toBe(false);
    expect(posted).toEqual([
      { kind: 'reply', replyTo: 7, err: 'dropped a malformed "run/start" message: {"file":42}' },
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('rejects a request whose reply fails the result guard', async () => {
    const { endpoint, posted, warnings } = alone();
    const waiting = endpoint.request('run/start', { file: 'x' }, isStarted);
    const id = (posted[0] as { id: number }).id;
    endpoint.receive({ kind: 'reply', replyTo: id, result: { runId: 5 } });
    await expect(waiting).rejects.toThrow('dropped a malformed reply to "run/start": {"runId":5}');
    expect(warnings).toEqual(['dropped a malformed reply to "run/start": {"runId":5}']);
  });

  it('ignores a second reply to the same request', async () => {
    const { endpoint, posted, warnings } = alone();
    const waiting = endpoint.request('run/start', { file: 'x' }, isStarted);
    const id = (posted[0] as { id: number }).id;
    endpoint.receive({ kind: 'reply', replyTo: id, result: { runId: 'first' } });
    endpoint.receive({ kind: 'reply', replyTo: id, result: { runId: 'second' } });
    await expect(waiting).resolves.toEqual({ runId: 'first' });
    expect(warnings).toEqual([`dropped a reply to unknown request ${id}`]);
  });

  it('logs a notification handler that failed, and keeps handling the next message', () => {
    const warnings: string[] = [];
    const panel = new MessageEndpoint<HostToPanel, PanelToHost>(
      () => {},
      (w) => warnings.push(w),
    );
    const epochs: number[] = [];
    panel.on('state/changed', isChanged, ({ epoch }) => {
      if (epoch === 1) throw new Error('boom');
      epochs.push(epoch);
    });
    panel.receive({ kind: 'notify', type: 'state/changed', payload: { epoch: 1 } });
    panel.receive({ kind: 'notify', type: 'state/changed', payload: { epoch: 2 } });
    return tick().then(() => {
      expect(epochs).toEqual([2]);
      expect(warnings).toEqual(['handler for "state/changed" failed: boom']);
    });
  });

  it.each([
    [{ kind: 'reply', replyTo: 999, result: 1 }, 'dropped a reply to unknown request 999'],
    [{ kind: 'request', type: 'x' }, 'dropped a malformed message: {"kind":"request","type":"x"}'],
    [{ kind: 'reply', replyTo: 1, err: 3 }, 'dropped a malformed message: {"kind":"reply","replyTo":1,"err":3}'],
    ['hello', 'dropped a malformed message: "hello"'],
    [undefined, 'dropped a malformed message: undefined'],
    [{ kind: 'notify', type: 'nobody/listens', payload: 1 }, 'dropped a message of unknown type "nobody/listens"'],
  ])('drops %j with a warning', (message, warning) => {
    const warnings: string[] = [];
    new MessageEndpoint(
      () => {},
      (w) => warnings.push(w),
    ).receive(message);
    expect(warnings).toEqual([warning]);
  });

  it('rejects pending requests on dispose, with the reason given', async () => {
    const endpoint = new MessageEndpoint<PanelToHost, PanelToHost>(() => {});
    const waiting = endpoint.request('run/start', { file: 'x' }, isStarted);
    const other = endpoint.request('run/start', { file: 'y' }, isStarted);
    endpoint.dispose('The probe worker stopped: exit code 1');
    await expect(waiting).rejects.toThrow('The probe worker stopped: exit code 1');
    await expect(other).rejects.toThrow('The probe worker stopped: exit code 1');
  });
});

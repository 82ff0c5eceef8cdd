import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/engine/probe/layerSignal';
import type { ProbeRequest } from '../../src/engine/probe/probeSession';
import { ProbeClient, ProbeFailedError, type ProbeTransport } from '../../src/worker/probeClient';
import type { Envelope } from '../../src/protocol/endpoint';
import { labConfig } from '../support/nets';

/** A probe request as the client posts it. */
type Posted = { kind: 'request'; id: number; type: 'probe/run'; payload: { request: ProbeRequest } };

/** A fake transport: records what the client posts and lets the test answer, or kill the worker. */
function fakeTransport() {
  const posted: Posted[] = [];
  let listener: (message: unknown) => void = () => {};
  let exit: (reason: string) => void = () => {};
  let created = 0;
  const create = (): ProbeTransport => {
    created++;
    return {
      post: (m: Envelope) => posted.push(m as Posted),
      onMessage: (l) => (listener = l),
      onExit: (l) => (exit = l),
      terminate: () => {},
    };
  };
  return {
    create,
    posted,
    /** Answers request `id` with a result, as the worker's endpoint does. */
    answer: (id: number, result: unknown) => listener({ kind: 'reply', replyTo: id, result }),
    /** Anything at all, as it is. */
    reply: (m: unknown) => listener(m),
    kill: (reason: string) => exit(reason),
    created: () => created,
  };
}

const request = (seed: number): ProbeRequest => ({ config: labConfig({ seed }), cacheDir: '/tmp', backend: 'js' });
const result = (loss: number): ProbeResult => ({ layers: [], loss, batchSize: 1, kernels: 'fake', millis: 0 });

describe('ProbeClient: one probe at a time, only the latest waits', () => {
  it('sends the first request at once and resolves it with the matching reply', async () => {
    const t = fakeTransport();
    const client = new ProbeClient(t.create);
    const outcome = client.probe(request(1));
    expect(t.posted).toEqual([{ kind: 'request', type: 'probe/run', id: 1, payload: { request: request(1) } }]);
    t.answer(1, result(0.5));
    await expect(outcome).resolves.toEqual({ status: 'done', result: result(0.5) });
  });

  it('drops the requests typed while a probe runs, except the newest, which runs next', async () => {
    const t = fakeTransport();
    const client = new ProbeClient(t.create);
    const first = client.probe(request(1));
    const second = client.probe(request(2));
    const third = client.probe(request(3));
    await expect(second).resolves.toEqual({ status: 'superseded' });
    expect(t.posted.map((m) => m.payload.request.config.seed)).toEqual([1]);
    t.answer(t.posted[0].id, result(1));
    await expect(first).resolves.toMatchObject({ status: 'done' });
    expect(t.posted.map((m) => m.payload.request.config.seed)).toEqual([1, 3]);
    t.answer(t.posted[1].id, result(3));
    await expect(third).resolves.toEqual({ status: 'done', result: result(3) });
  });

  it('rejects with the worker error, and ignores answers to ids nobody waits for', async () => {
    const t = fakeTransport();
    const logs: string[] = [];
    const client = new ProbeClient(t.create, (m) => logs.push(m));
    const outcome = client.probe(request(1));
    t.answer(99, result(9));
    t.reply({ kind: 'notify', type: 'probe/bogus', payload: {} });
    t.answer(1, { loss: 'high' });
    t.reply({ kind: 'notify', type: 'probe/log', payload: { message: 'kernels: js' } });
    await expect(outcome).rejects.toThrow('dropped a malformed reply to "probe/run": {"loss":"high"}');
    const failing = client.probe(request(2));
    t.reply({ kind: 'reply', replyTo: t.posted[1].id, err: 'no MNIST in /nowhere', code: 'data' });
    await expect(failing).rejects.toEqual(new ProbeFailedError('data', 'no MNIST in /nowhere'));
    expect(logs).toEqual([
      'Probe worker: dropped a reply to unknown request 99',
      'Probe worker: dropped a message of unknown type "probe/bogus"',
      'Probe worker: dropped a malformed reply to "probe/run": {"loss":"high"}',
      'kernels: js',
    ]);
  });

  it('fails the probe in flight when the worker dies, and starts a new worker for the next', async () => {
    const t = fakeTransport();
    const client = new ProbeClient(t.create);
    const outcome = client.probe(request(1));
    t.kill('exit code 1');
    await expect(outcome).rejects.toThrow('The probe worker stopped: exit code 1');
    const next = client.probe(request(2));
    expect(t.created()).toBe(2);
    t.answer(t.posted[1].id, result(2));
    await expect(next).resolves.toMatchObject({ status: 'done' });
  });
});

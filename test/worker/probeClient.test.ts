import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/engine/probe/layerSignal';
import type { ProbeRequest } from '../../src/engine/probe/probeSession';
import { ProbeClient, ProbeFailedError, type ProbeTransport } from '../../src/worker/probeClient';
import type { ToProbeWorker } from '../../src/protocol/probeProtocol';
import { labConfig } from '../support/nets';

/** A fake transport: records what the client posts and lets the test answer, or kill the worker. */
function fakeTransport() {
  const posted: ToProbeWorker[] = [];
  let listener: (message: unknown) => void = () => {};
  let exit: (reason: string) => void = () => {};
  let created = 0;
  const create = (): ProbeTransport => {
    created++;
    return {
      post: (m) => posted.push(m),
      onMessage: (l) => (listener = l),
      onExit: (l) => (exit = l),
      terminate: () => {},
    };
  };
  return {
    create,
    posted,
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
    expect(t.posted).toEqual([{ type: 'probe/run', id: 1, request: request(1) }]);
    t.reply({ type: 'probe/result', id: 1, result: result(0.5) });
    await expect(outcome).resolves.toEqual({ status: 'done', result: result(0.5) });
  });

  it('drops the requests typed while a probe runs, except the newest, which runs next', async () => {
    const t = fakeTransport();
    const client = new ProbeClient(t.create);
    const first = client.probe(request(1));
    const second = client.probe(request(2));
    const third = client.probe(request(3));
    await expect(second).resolves.toEqual({ status: 'superseded' });
    expect(t.posted.map((m) => m.request.config.seed)).toEqual([1]);
    t.reply({ type: 'probe/result', id: 1, result: result(1) });
    await expect(first).resolves.toMatchObject({ status: 'done' });
    expect(t.posted.map((m) => m.request.config.seed)).toEqual([1, 3]);
    t.reply({ type: 'probe/result', id: t.posted[1].id, result: result(3) });
    await expect(third).resolves.toEqual({ status: 'done', result: result(3) });
  });

  it('rejects with the worker error, and ignores answers to ids nobody waits for', async () => {
    const t = fakeTransport();
    const logs: string[] = [];
    const client = new ProbeClient(t.create, (m) => logs.push(m));
    const outcome = client.probe(request(1));
    t.reply({ type: 'probe/result', id: 99, result: result(9) });
    t.reply({ type: 'probe/bogus', id: 1 });
    t.reply({ type: 'probe/error', id: 1, kind: 'data', message: 'no MNIST in /nowhere' });
    await expect(outcome).rejects.toEqual(new ProbeFailedError('data', 'no MNIST in /nowhere'));
    expect(logs).toEqual([expect.stringContaining('probe/bogus')]);
  });

  it('fails the probe in flight when the worker dies, and starts a new worker for the next', async () => {
    const t = fakeTransport();
    const client = new ProbeClient(t.create);
    const outcome = client.probe(request(1));
    t.kill('exit code 1');
    await expect(outcome).rejects.toThrow('The probe worker stopped: exit code 1');
    const next = client.probe(request(2));
    expect(t.created()).toBe(2);
    t.reply({ type: 'probe/result', id: t.posted[1].id, result: result(2) });
    await expect(next).resolves.toMatchObject({ status: 'done' });
  });
});

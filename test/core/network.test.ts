/**
 * The in-process network's faults: an isolated broker's links drop messages, and healing
 * fails the requests they lost at once (as reset connections do), instead of leaving their
 * senders waiting out the request timeout.
 */
import { describe, expect, it } from 'vitest';
import { Network, type Reply } from '../../core/net/network';
import { SimScheduler } from '../../core/time/scheduler';

function setup() {
  const scheduler = new SimScheduler();
  const network = new Network(scheduler);
  const start = scheduler.now();
  network.baseLatencyMs = 5;
  for (const id of [1, 2]) network.attach(id, { running: true });
  return { scheduler, network, start };
}

describe('the network', () => {
  it('fails a request lost on a cut link as soon as the link heals', () => {
    const { scheduler, network, start } = setup();
    const replies: { at: number; reply: Reply<string> }[] = [];
    // A long poll: broker 2 answers 500 ms later, after broker 1 was cut off.
    network.request<string>(1, 2, (respond) => scheduler.schedule(500, () => respond('records')), (reply) => replies.push({ at: scheduler.now() - start, reply }), 15_000);
    scheduler.runFor(100);
    network.isolate(1);
    scheduler.runFor(2_000);
    expect(replies).toEqual([]);
    network.heal(1);
    scheduler.runFor(100);
    expect(replies).toEqual([{ at: 2_105, reply: { ok: false, failure: 'DISCONNECTED' } }]);
  });

  it('leaves requests that crossed no cut alone when a broker heals', () => {
    const { scheduler, network } = setup();
    network.attach(3, { running: true });
    const replies: Reply<string>[] = [];
    network.isolate(3);
    network.request<string>(1, 2, (respond) => scheduler.schedule(1_000, () => respond('ok')), (reply) => replies.push(reply), 15_000);
    scheduler.runFor(100);
    network.heal(3);
    scheduler.runFor(2_000);
    expect(replies).toEqual([{ ok: true, value: 'ok' }]);
  });

  it('times a lost request out when the link stays cut', () => {
    const { scheduler, network, start } = setup();
    const replies: { at: number; reply: Reply<string> }[] = [];
    network.request<string>(1, 2, (respond) => scheduler.schedule(500, () => respond('records')), (reply) => replies.push({ at: scheduler.now() - start, reply }), 15_000);
    scheduler.runFor(100);
    network.isolate(2);
    scheduler.runFor(20_000);
    expect(replies).toEqual([{ at: 15_000, reply: { ok: false, failure: 'REQUEST_TIMED_OUT' } }]);
  });
});

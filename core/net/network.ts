/**
 * The in-process network between brokers, the controller and in-app clients. Every message
 * is a task on the scheduler, delivered after the link's latency, so what a broker knows is
 * always one hop behind, as on a real network. Faults live here: an isolated broker can reach
 * no other broker and no controller (clients still reach it, as with a network partition
 * between broker racks), and a slowed broker's messages take longer.
 */
import type { Scheduler } from '../time/scheduler';

/** A node on the network: a broker id (>= 0) or a client name. */
export type NodeId = number | string;

/** Why a request got no answer. */
export type NetworkFailure = 'DISCONNECTED' | 'REQUEST_TIMED_OUT';

/** The answer to a request: the reply, or why there is none. */
export type Reply<T> = { ok: true; value: T } | { ok: false; failure: NetworkFailure };

/** A node that can receive requests (a running broker). */
export interface Endpoint {
  readonly running: boolean;
}

/** A request waiting for its answer: who sent it, how to fail it, and whether a cut link lost it. */
interface PendingRequest {
  from: NodeId;
  fail: (failure: NetworkFailure) => void;
  crossedCut: boolean;
}

export class Network {
  private readonly endpoints = new Map<NodeId, Endpoint>();
  private readonly isolated = new Set<number>();
  private readonly extraDelayMs = new Map<number, number>();
  /** Requests waiting for an answer, by the node that must answer them. */
  private readonly pending = new Map<NodeId, Set<PendingRequest>>();
  /** Latency of every hop, in milliseconds. */
  baseLatencyMs = 0;

  constructor(private readonly scheduler: Scheduler) {}

  /** Registers (or replaces) the endpoint a node id answers on. */
  attach(id: NodeId, endpoint: Endpoint): void {
    this.endpoints.set(id, endpoint);
  }

  /** Forgets a node (a closed client connection). */
  detach(id: NodeId): void {
    this.endpoints.delete(id);
    this.pending.delete(id);
  }

  /** Cuts a broker off from every other broker and the controller. */
  isolate(brokerId: number): void {
    this.isolated.add(brokerId);
  }

  /**
   * Ends a broker's isolation. Requests lost on its links while it was cut off fail at once, as
   * connections reset when a partition heals, so both sides retry now rather than after their
   * request timeout (a healed follower would otherwise wait up to request.timeout.ms to fetch).
   */
  heal(brokerId: number): void {
    if (!this.isolated.delete(brokerId)) return;
    for (const [to, waiting] of this.pending) {
      for (const request of waiting) {
        const brokerLink = typeof request.from === 'number' && typeof to === 'number' && request.from !== to;
        if (brokerLink && (request.from === brokerId || to === brokerId) && request.crossedCut) {
          this.scheduler.schedule(this.baseLatencyMs, () => request.fail('DISCONNECTED'));
        }
      }
    }
  }

  /** Whether a broker is isolated. */
  isIsolated(brokerId: number): boolean {
    return this.isolated.has(brokerId);
  }

  /** Adds `delayMs` to every message a broker sends or receives (0 removes it). */
  slow(brokerId: number, delayMs: number): void {
    if (delayMs > 0) this.extraDelayMs.set(brokerId, delayMs);
    else this.extraDelayMs.delete(brokerId);
  }

  /** The extra delay applied to a broker. */
  slowness(brokerId: number): number {
    return this.extraDelayMs.get(brokerId) ?? 0;
  }

  /**
   * Whether a message can go from `from` to `to`: the destination runs, and neither side is
   * an isolated broker talking to another broker.
   */
  canReach(from: NodeId, to: NodeId): boolean {
    const endpoint = this.endpoints.get(to);
    if (!endpoint || !endpoint.running) return false;
    if (typeof from === 'number' && typeof to === 'number' && from !== to) {
      if (this.isolated.has(from) || this.isolated.has(to)) return false;
    }
    return true;
  }

  private latency(from: NodeId, to: NodeId): number {
    let ms = this.baseLatencyMs;
    if (typeof from === 'number') ms += this.extraDelayMs.get(from) ?? 0;
    if (typeof to === 'number') ms += this.extraDelayMs.get(to) ?? 0;
    return ms;
  }

  /**
   * A node stopped: its connections close, so every request waiting on it fails at once
   * (after one hop), as a reset TCP connection would.
   */
  disconnect(id: NodeId): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    for (const request of waiting) this.scheduler.schedule(this.baseLatencyMs, () => request.fail('DISCONNECTED'));
  }

  /** Sends a one-way message; it is dropped when the link is down at sending or arrival (`onDropped` says so). */
  send(from: NodeId, to: NodeId, deliver: () => void, onDropped?: () => void): void {
    if (!this.canReach(from, to)) return onDropped?.();
    this.scheduler.schedule(this.latency(from, to), () => {
      if (this.canReach(from, to)) deliver();
      else onDropped?.();
    });
  }

  /**
   * Sends a request and calls `onReply` exactly once: with the handler's answer, or with a
   * failure when the link is down either way or no answer came within `timeoutMs`.
   * `handle` runs at the destination and answers through its `respond` argument, possibly
   * later (long polls, waiting for replication).
   */
  request<T>(
    from: NodeId,
    to: NodeId,
    handle: (respond: (value: T) => void) => void,
    onReply: (reply: Reply<T>) => void,
    timeoutMs: number,
  ): void {
    if (!this.canReach(from, to)) {
      // A refused connection is noticed at once, as a closed port would be.
      this.scheduler.schedule(0, () => onReply({ ok: false, failure: 'DISCONNECTED' }));
      return;
    }
    let finished = false;
    let waiting = this.pending.get(to);
    if (!waiting) this.pending.set(to, (waiting = new Set()));
    const finish = (reply: Reply<T>): void => {
      if (finished) return;
      finished = true;
      timer.cancel();
      this.pending.get(to)?.delete(pending);
      onReply(reply);
    };
    const fail = (failure: NetworkFailure): void => finish({ ok: false, failure });
    const pending: PendingRequest = { from, fail, crossedCut: false };
    const dropped = (): void => {
      pending.crossedCut = true;
    };
    waiting.add(pending);
    const timer = this.scheduler.schedule(timeoutMs, () => fail('REQUEST_TIMED_OUT'));
    this.send(
      from,
      to,
      () => {
        handle((value) => {
          if (finished) return;
          // The answer travels back over the same link, which may have been cut meanwhile;
          // then the request times out, or fails when the link heals.
          this.send(to, from, () => finish({ ok: true, value }), dropped);
        });
      },
      dropped,
    );
  }
}

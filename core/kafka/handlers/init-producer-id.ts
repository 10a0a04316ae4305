/**
 * InitProducerId (key 22), v0-4, for idempotent producers (no transactions): a new producer
 * id at epoch 0, or, when a producer re-initialises with its id and epoch (KIP-360), the same
 * id with the epoch bumped. Ids come from the controller in blocks, as KRaft allocates them.
 */
import { KafkaError } from '../../protocol/errors';
import { code, fromError, type Handler, type HandlerContext } from './context';

const BLOCK = 1000;
const blocks = new WeakMap<object, { next: number; end: number }>();

function nextProducerId(ctx: HandlerContext): number {
  let block = blocks.get(ctx.broker);
  if (!block || block.next >= block.end) {
    const controller = ctx.cluster.controller;
    if (!controller) throw new KafkaError('COORDINATOR_NOT_AVAILABLE', 'no controller is active to allocate producer ids');
    const first = controller.allocateProducerIds(BLOCK);
    block = { next: first, end: first + BLOCK };
    blocks.set(ctx.broker, block);
  }
  return block.next++;
}

export const initProducerId: Handler = (ctx, request, respond) => {
  if (request.transactionalId !== null && request.transactionalId !== undefined) {
    respond({ throttleTimeMs: 0, errorCode: code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'), producerId: -1, producerEpoch: -1 });
    return;
  }
  try {
    const reinit = request.producerId >= 0 && request.producerEpoch >= 0;
    if (reinit && request.producerEpoch < 32767) {
      respond({ throttleTimeMs: 0, errorCode: 0, producerId: request.producerId, producerEpoch: request.producerEpoch + 1 });
      return;
    }
    respond({ throttleTimeMs: 0, errorCode: 0, producerId: nextProducerId(ctx), producerEpoch: 0 });
  } catch (error) {
    respond({ throttleTimeMs: 0, errorCode: fromError(error).errorCode, producerId: -1, producerEpoch: -1 });
  }
};

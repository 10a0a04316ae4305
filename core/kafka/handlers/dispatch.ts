/**
 * Routes a decoded request to its handler by API key (one handler file per API family).
 */
import { ApiKey } from '../apis';
import type { Message } from '../protocol/codec';
import { alterConfigs, createPartitions, createTopics, deleteTopics, describeConfigs, incrementalAlterConfigs } from './admin';
import { apiVersions } from './api-versions';
import type { Handler, HandlerContext } from './context';
import { fetch } from './fetch';
import { groupHandlers } from './groups';
import { initProducerId } from './init-producer-id';
import { metadata } from './metadata';
import { listOffsets, offsetForLeaderEpoch } from './offsets';
import { produce } from './produce';

const HANDLERS = new Map<number, Handler>([
  [ApiKey.Produce, produce],
  [ApiKey.Fetch, fetch],
  [ApiKey.ListOffsets, listOffsets],
  [ApiKey.Metadata, metadata],
  [ApiKey.ApiVersions, apiVersions],
  [ApiKey.CreateTopics, createTopics],
  [ApiKey.DeleteTopics, deleteTopics],
  [ApiKey.CreatePartitions, createPartitions],
  [ApiKey.DescribeConfigs, describeConfigs],
  [ApiKey.AlterConfigs, alterConfigs],
  [ApiKey.IncrementalAlterConfigs, incrementalAlterConfigs],
  [ApiKey.InitProducerId, initProducerId],
  [ApiKey.OffsetForLeaderEpoch, offsetForLeaderEpoch],
  ...groupHandlers,
]);

/** Runs the handler of the request's API. */
export function dispatch(ctx: HandlerContext, request: Message, respond: (response: Message | null) => void): void {
  const handler = HANDLERS.get(ctx.context.apiKey);
  if (!handler) throw new Error(`no handler for API key ${ctx.context.apiKey}`);
  handler(ctx, request, respond);
}

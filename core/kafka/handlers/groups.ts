/**
 * Group APIs over the wire, mapped one to one onto the broker's group coordinator (the same
 * one in-app consumers use): FindCoordinator (key 10) v0-4, JoinGroup (11) v0-6, Heartbeat
 * (12) v0-4, LeaveGroup (13) v0-4, SyncGroup (14) v0-4, OffsetCommit (8) v0-8, OffsetFetch (9)
 * v0-8, DescribeGroups (15) v0-5, ListGroups (16) v0-4 and DeleteGroups (42) v0-2. This file
 * only translates between the versions' shapes; the rules live in core/group.
 */
import { groupCoordinatorOf, type GroupCoordinator } from '../../group/coordinator';
import type { RequestContext as GroupRequestContext } from '../../group/messages';
import { ApiKey } from '../apis';
import type { Message } from '../protocol/codec';
import { code, type Handler, type HandlerContext } from './context';

/** Runs `work` with this broker's coordinator, or answers NOT_COORDINATOR through `fallback`. */
function withCoordinator(ctx: HandlerContext, respond: (response: Message) => void, fallback: () => Message, work: (coordinator: GroupCoordinator, context: GroupRequestContext) => void): void {
  const coordinator = groupCoordinatorOf(ctx.broker);
  if (!coordinator) return respond(fallback());
  const remote = ctx.context.connection.socket.remoteAddress ?? '127.0.0.1';
  work(coordinator, { clientId: ctx.context.clientId ?? '', clientHost: `/${remote.replace(/^::ffff:/, '')}`, apiVersion: ctx.context.apiVersion });
}

const NOT_COORDINATOR = code('NOT_COORDINATOR');

const findCoordinator: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const keys: string[] = version >= 4 ? request.coordinatorKeys : [request.key];
  const keyType: number = version >= 1 ? request.keyType : 0;
  const address = (nodeId: number) => ({ host: nodeId >= 0 ? ctx.server.host : '', port: nodeId >= 0 ? (ctx.server.portOf(nodeId) ?? -1) : -1 });
  const unavailable = (key: string) => ({ key, nodeId: -1, host: '', port: -1, errorCode: code('COORDINATOR_NOT_AVAILABLE'), errorMessage: 'The coordinator is not available.' });
  withCoordinator(ctx, respond, () => shapeFind(version, keys.map(unavailable)), (coordinator, context) => {
    coordinator.handleFindCoordinator({ keyType, keys }, context, (response) => {
      respond(
        shapeFind(
          version,
          response.coordinators.map((c) => ({ key: c.key, nodeId: c.nodeId, ...address(c.nodeId), errorCode: code(c.error), errorMessage: c.errorMessage })),
        ),
      );
    });
  });
};

function shapeFind(version: number, coordinators: { key: string; nodeId: number; host: string; port: number; errorCode: number; errorMessage: string | null }[]): Message {
  if (version >= 4) return { throttleTimeMs: 0, coordinators };
  const only = coordinators[0];
  return { throttleTimeMs: 0, errorCode: only.errorCode, errorMessage: only.errorMessage, nodeId: only.nodeId, host: only.host, port: only.port };
}

const joinGroup: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const failed = (): Message => ({ throttleTimeMs: 0, errorCode: NOT_COORDINATOR, generationId: -1, protocolName: '', leader: '', memberId: request.memberId, members: [] });
  withCoordinator(ctx, respond, failed, (coordinator, context) => {
    coordinator.handleJoinGroup(
      {
        groupId: request.groupId,
        sessionTimeoutMs: request.sessionTimeoutMs,
        // v0 has no rebalance timeout: Kafka uses the session timeout for it.
        rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
        memberId: request.memberId,
        groupInstanceId: version >= 5 ? request.groupInstanceId : null,
        protocolType: request.protocolType,
        protocols: request.protocols.map((p: { name: string; metadata: Buffer | null }) => ({ name: p.name, metadata: p.metadata ?? Buffer.alloc(0) })),
        reason: null,
      },
      context,
      (r) =>
        respond({
          throttleTimeMs: 0,
          errorCode: code(r.error),
          generationId: r.generationId,
          protocolName: r.protocolName ?? '',
          leader: r.leader,
          memberId: r.memberId,
          members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
        }),
    );
  });
};

const syncGroup: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  withCoordinator(ctx, respond, () => ({ throttleTimeMs: 0, errorCode: NOT_COORDINATOR, assignment: Buffer.alloc(0) }), (coordinator, context) => {
    coordinator.handleSyncGroup(
      {
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: version >= 3 ? request.groupInstanceId : null,
        protocolType: null,
        protocolName: null,
        assignments: request.assignments.map((a: { memberId: string; assignment: Buffer | null }) => ({ memberId: a.memberId, assignment: a.assignment ?? Buffer.alloc(0) })),
      },
      context,
      (r) => respond({ throttleTimeMs: 0, errorCode: code(r.error), assignment: r.assignment }),
    );
  });
};

const heartbeat: Handler = (ctx, request, respond) => {
  withCoordinator(ctx, respond, () => ({ throttleTimeMs: 0, errorCode: NOT_COORDINATOR }), (coordinator, context) => {
    coordinator.handleHeartbeat(
      { groupId: request.groupId, generationId: request.generationId, memberId: request.memberId, groupInstanceId: ctx.context.apiVersion >= 3 ? request.groupInstanceId : null },
      context,
      (r) => respond({ throttleTimeMs: 0, errorCode: code(r.error) }),
    );
  });
};

const leaveGroup: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const members: { memberId: string; groupInstanceId: string | null }[] =
    version >= 3 ? request.members : [{ memberId: request.memberId, groupInstanceId: null }];
  withCoordinator(ctx, respond, () => ({ throttleTimeMs: 0, errorCode: NOT_COORDINATOR, members: [] }), (coordinator, context) => {
    coordinator.handleLeaveGroup(
      { groupId: request.groupId, members: members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: null })) },
      context,
      (r) =>
        respond({
          throttleTimeMs: 0,
          // Before v3 one member left, and its own error is the answer.
          errorCode: code(version >= 3 ? r.error : (r.error ?? r.members[0]?.error)),
          members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: code(m.error) })),
        }),
    );
  });
};

const offsetCommit: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  type Topic = { name: string; partitions: { partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }[] };
  const topics: Topic[] = request.topics;
  const everyPartition = (errorCode: number) => ({
    throttleTimeMs: 0,
    topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  });
  withCoordinator(ctx, respond, () => everyPartition(NOT_COORDINATOR), (coordinator, context) => {
    coordinator.handleOffsetCommit(
      {
        groupId: request.groupId,
        generationIdOrMemberEpoch: version >= 1 ? request.generationIdOrMemberEpoch : -1,
        memberId: version >= 1 ? request.memberId : '',
        groupInstanceId: version >= 7 ? request.groupInstanceId : null,
        topics: topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            committedOffset: p.committedOffset,
            committedLeaderEpoch: version >= 6 ? p.committedLeaderEpoch : -1,
            committedMetadata: p.committedMetadata,
          })),
        })),
      },
      context,
      (r) =>
        respond({
          throttleTimeMs: 0,
          topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code(p.error) })) })),
        }),
    );
  });
};

const offsetFetch: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  type Query = { groupId: string; topics: { name: string; partitionIndexes: number[] }[] | null };
  const queries: Query[] = version >= 8 ? request.groups : [{ groupId: request.groupId, topics: request.topics }];
  const answers: Message[] = new Array(queries.length);
  let outstanding = queries.length;
  const finish = (): void => {
    if (--outstanding > 0) return;
    if (version >= 8) return respond({ throttleTimeMs: 0, groups: answers });
    const only = answers[0];
    respond({
      throttleTimeMs: 0,
      errorCode: only.errorCode,
      topics: only.topics.map((t: Message) => ({ name: t.name, partitions: t.partitions.map((p: Message) => ({ ...p, errorCode: p.errorCode })) })),
    });
  };
  if (queries.length === 0) return respond(version >= 8 ? { throttleTimeMs: 0, groups: [] } : { throttleTimeMs: 0, errorCode: 0, topics: [] });
  queries.forEach((query, i) => {
    const unavailable = (): Message => ({ groupId: query.groupId, errorCode: NOT_COORDINATOR, topics: [] });
    withCoordinator(
      ctx,
      (m) => {
        answers[i] = m;
        finish();
      },
      unavailable,
      (coordinator, context) => {
        coordinator.handleOffsetFetch({ groupId: query.groupId, topics: version >= 2 || query.topics ? query.topics : [] }, context, (r) => {
          answers[i] = {
            groupId: query.groupId,
            errorCode: code(r.error),
            topics: r.topics.map((t) => ({
              name: t.name,
              partitions: t.partitions.map((p) => ({
                partitionIndex: p.partitionIndex,
                committedOffset: p.committedOffset,
                committedLeaderEpoch: p.committedLeaderEpoch,
                metadata: p.metadata,
                errorCode: code(p.error),
              })),
            })),
          };
          finish();
        });
      },
    );
  });
};

const describeGroups: Handler = (ctx, request, respond) => {
  const groups: string[] = request.groups;
  const dead = (groupId: string) => ({ errorCode: NOT_COORDINATOR, groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations: -2147483648 });
  withCoordinator(ctx, respond, () => ({ throttleTimeMs: 0, groups: groups.map(dead) }), (coordinator, context) => {
    coordinator.handleDescribeGroups({ groups }, context, (r) =>
      respond({
        throttleTimeMs: 0,
        groups: r.groups.map((g) => ({
          errorCode: code(g.error),
          groupId: g.groupId,
          groupState: g.groupState,
          protocolType: g.protocolType,
          protocolData: g.protocolData,
          members: g.members.map((m) => ({ ...m })),
          authorizedOperations: -2147483648,
        })),
      }),
    );
  });
};

const listGroups: Handler = (ctx, request, respond) => {
  withCoordinator(ctx, respond, () => ({ throttleTimeMs: 0, errorCode: NOT_COORDINATOR, groups: [] }), (coordinator, context) => {
    coordinator.handleListGroups({ statesFilter: ctx.context.apiVersion >= 4 ? request.statesFilter : [] }, context, (r) =>
      respond({ throttleTimeMs: 0, errorCode: code(r.error), groups: r.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.groupState })) }),
    );
  });
};

const deleteGroups: Handler = (ctx, request, respond) => {
  const names: string[] = request.groupsNames;
  withCoordinator(ctx, respond, () => ({ throttleTimeMs: 0, results: names.map((groupId) => ({ groupId, errorCode: NOT_COORDINATOR })) }), (coordinator, context) => {
    coordinator.handleDeleteGroups({ groupsNames: names }, context, (r) =>
      respond({ throttleTimeMs: 0, results: r.results.map((g) => ({ groupId: g.groupId, errorCode: code(g.error) })) }),
    );
  });
};

/** Group API handlers by key. */
export const groupHandlers: [number, Handler][] = [
  [ApiKey.FindCoordinator, findCoordinator],
  [ApiKey.JoinGroup, joinGroup],
  [ApiKey.SyncGroup, syncGroup],
  [ApiKey.Heartbeat, heartbeat],
  [ApiKey.LeaveGroup, leaveGroup],
  [ApiKey.OffsetCommit, offsetCommit],
  [ApiKey.OffsetFetch, offsetFetch],
  [ApiKey.DescribeGroups, describeGroups],
  [ApiKey.ListGroups, listGroups],
  [ApiKey.DeleteGroups, deleteGroups],
];

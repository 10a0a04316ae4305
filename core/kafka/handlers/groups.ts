/**
 * Group APIs (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
 * OffsetFetch, DescribeGroups, ListGroups, DeleteGroups). Until the group coordinator is
 * wired in, FindCoordinator answers COORDINATOR_NOT_AVAILABLE, a retriable error.
 */
import { ApiKey } from '../apis';
import { code, type Handler } from './context';

const findCoordinator: Handler = (ctx, request, respond) => {
  const keys: string[] = ctx.context.apiVersion >= 4 ? request.coordinatorKeys : [request.key];
  const error = { errorCode: code('COORDINATOR_NOT_AVAILABLE'), errorMessage: 'The group coordinator is not available.', nodeId: -1, host: '', port: -1 };
  respond({ throttleTimeMs: 0, ...error, coordinators: keys.map((key) => ({ key, ...error })) });
};

/** Group API handlers by key. */
export const groupHandlers: [number, Handler][] = [[ApiKey.FindCoordinator, findCoordinator]];

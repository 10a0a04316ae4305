/**
 * ApiVersions (key 18), v0-3: the table of served APIs and versions. Clients choose their
 * versions from it; librdkafka turns whole features off when a range is missing.
 */
import { supportedApiKeys } from '../connection';
import type { Handler } from './context';

export const apiVersions: Handler = (_ctx, _request, respond) => {
  respond({ errorCode: 0, apiKeys: supportedApiKeys(), throttleTimeMs: 0 });
};

/**
 * The services of one Grove deployment, wired over its control database and
 * its repository storage. Runtimes build this once (composition root).
 */
import type { Codec } from '../git/codec.ts';
import type { SqlPort } from '../store/sqlPort.ts';
import { migrateControlSchema } from './controlSchema.ts';
import { RepoService } from './RepoService.ts';
import type { RepoStorage } from './RepoStorage.ts';
import { TokenService } from './TokenService.ts';

export interface GroveServices {
  codec: Codec;
  repos: RepoService;
  tokens: TokenService;
}

export interface GroveServicesOptions {
  control: SqlPort;
  storage: RepoStorage;
  codec: Codec;
  /** The deployment's admin secret. */
  adminToken?: string;
  now?: () => number;
}

export function createGroveServices(options: GroveServicesOptions): GroveServices {
  migrateControlSchema(options.control);
  const clock = options.now === undefined ? {} : { now: options.now };
  return {
    codec: options.codec,
    repos: new RepoService(options.control, options.storage, clock),
    tokens: new TokenService(options.control, {
      ...clock,
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    }),
  };
}

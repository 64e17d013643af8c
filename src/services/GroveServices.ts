/**
 * The services of one Grove deployment, wired over its control database and
 * its repository storage. Runtimes build this once (composition root).
 */
import type { Codec } from '../git/codec.ts';
import type { SqlPort } from '../store/sqlPort.ts';
import { migrateControlSchema } from './controlSchema.ts';
import { DraftService } from './drafts/DraftService.ts';
import { DraftSweeps } from './drafts/DraftSweeps.ts';
import { ImportService, type ImportLimits, type RemoteAccess } from './ImportService.ts';
import { NamespaceService } from './NamespaceService.ts';
import { RepoService } from './RepoService.ts';
import type { RepoStorage } from './RepoStorage.ts';
import { TokenService } from './TokenService.ts';

export interface GroveServices {
  codec: Codec;
  namespaces: NamespaceService;
  repos: RepoService;
  tokens: TokenService;
  imports: ImportService;
  drafts: DraftService;
}

export interface GroveServicesOptions {
  control: SqlPort;
  storage: RepoStorage;
  codec: Codec;
  /** How imports reach remotes. */
  remote: RemoteAccess;
  /** What an import may bring. */
  importLimits?: ImportLimits;
  /** The deployment's admin secret. */
  adminToken?: string;
  now?: () => number;
}

export function createGroveServices(options: GroveServicesOptions): GroveServices {
  migrateControlSchema(options.control);
  const clock = options.now === undefined ? {} : { now: options.now };
  const repos = new RepoService(options.control, options.storage, clock);
  return {
    codec: options.codec,
    namespaces: new NamespaceService(options.control, repos, clock),
    repos,
    tokens: new TokenService(options.control, {
      ...clock,
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    }),
    imports: new ImportService(options.control, repos, options.remote, options.codec, options.importLimits ?? {}),
    drafts: new DraftService(options.codec, { ...clock, sweeps: new DraftSweeps(options.control) }),
  };
}

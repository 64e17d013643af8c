/**
 * The hydration worker's entry: Node's on-disk compile cache first
 * (module.enableCompileCache: the worker's modules are then compiled once
 * per version, not at every mount — a third of the time until the first
 * blob can be fetched), then the worker itself (hydrateWorker.ts).
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./hydrateWorker.ts');

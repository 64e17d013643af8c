/**
 * What one piece of work costs a server: CPU (its own, plus its reaped
 * children's when it forks), and peak memory — VmHWM for Grove's single
 * process (reset before), the sampled peak of the process tree for C Git's
 * wrapper and its git children.
 */
import type { BenchServer } from '../servers/BenchServer.ts';
import { cpuMs, peakRss, resetPeakRss, treeRss } from './procStats.ts';
import { RssSampler } from './RssSampler.ts';

export interface ServerCost<T> {
  result: T;
  cpuMs: number;
  peakRss: number;
  /** Resident memory (of the process tree) just before the work. */
  startRss: number;
}

export async function measureServer<T>(server: BenchServer, work: () => Promise<T>): Promise<ServerCost<T>> {
  await server.settle();
  const startRss = treeRss(server.pid);
  const sampler = server.forks ? new RssSampler(server.pid) : undefined;
  if (!server.forks) resetPeakRss(server.pid);
  const before = cpuMs(server.pid, server.forks);
  const result = await work();
  await server.settle();
  const after = cpuMs(server.pid, server.forks);
  const peak = sampler === undefined ? peakRss(server.pid) : sampler.stop();
  return { result, cpuMs: after - before, peakRss: peak, startRss };
}

/**
 * `<cache>/state.json`: what the cache holds a checkout of — the remote,
 * the ref and the commit shown — and the commit the index was written for.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Oid } from '../../git/objects/objectId.ts';
import type { ChosenRef } from './chooseRef.ts';

export interface MountState {
  version: 1;
  remote: string;
  ref: ChosenRef;
  /** The commit whose tree the mount shows (the base of the upper layer). */
  commit: Oid;
  /** The commit the mount wrote `.git/index` for. */
  indexed?: Oid;
}

export function readState(path: string): MountState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as MountState;
    return state.version === 1 ? state : undefined;
  } catch {
    return undefined;
  }
}

export function writeState(path: string, state: MountState): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/**
 * When each repository next has a draft to expire, in the control database
 * (`draft_sweeps`), so that expired drafts are collected without opening
 * every repository: making a draft schedules its repository no later than
 * the draft's expiry; a sweep opens only the repositories that are due,
 * discards their expired drafts, and schedules the next expiry (or forgets
 * the repository when it has no draft left). A due time may be early — a
 * change pushes a draft's expiry back — which costs one needless visit.
 */
import type { SqlPort } from '../../store/sqlPort.ts';

export class DraftSweeps {
  readonly #sql: SqlPort;

  constructor(sql: SqlPort) {
    this.#sql = sql;
  }

  /** Visits `repoId` no later than `dueAt` (ms); null forgets it (no draft left). */
  schedule(repoId: string, dueAt: number | null, options: { replace?: boolean } = {}): void {
    if (dueAt === null) {
      this.#sql.run(`DELETE FROM draft_sweeps WHERE repo_id = ?`, repoId);
    } else if (options.replace === true) {
      this.#sql.run(`INSERT OR REPLACE INTO draft_sweeps (repo_id, due_at) VALUES (?, ?)`, repoId, dueAt);
    } else {
      this.#sql.run(
        `INSERT INTO draft_sweeps (repo_id, due_at) VALUES (?, ?) ON CONFLICT (repo_id) DO UPDATE SET due_at = min(due_at, excluded.due_at)`,
        repoId, dueAt,
      );
    }
  }

  /** Repositories due at `now`, the earliest first, at most `limit`. */
  due(now: number, limit: number): string[] {
    return this.#sql.query<{ repo_id: string }>(`SELECT repo_id FROM draft_sweeps WHERE due_at <= ? ORDER BY due_at LIMIT ?`, now, limit).map((r) => r.repo_id);
  }
}

import type { Redis } from 'ioredis';
import { DOCTOR_LAST_REPORT } from '../redis/keys.js';
import type { DoctorReport } from './doctor-report.js';

/** How long the last report is kept (seconds): an old check says little about the key today. */
const KEEP_S = 30 * 24 * 3600;

/**
 * The last `doctor` report run from the health page, so the page shows it without calling Whop on
 * every load (a run probes about twenty Whop calls).
 */
export class DoctorStore {
  constructor(private readonly redis: Redis) {}

  async save(report: DoctorReport): Promise<void> {
    await this.redis.set(DOCTOR_LAST_REPORT, JSON.stringify(report), 'EX', KEEP_S);
  }

  /** The last report, or null when none was run (or it expired). */
  async last(): Promise<DoctorReport | null> {
    const raw = await this.redis.get(DOCTOR_LAST_REPORT);
    return raw ? (JSON.parse(raw) as DoctorReport) : null;
  }
}

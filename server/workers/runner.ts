/**
 * The worker loop of one backend process: claims due work (several
 * processes share the queue, server/store/work.ts), runs up to WORKERS items
 * at once, and sleeps POLL_MS when there is none, or until the intake route
 * wakes it. `stop()` lets running items finish (graceful shutdown); items of
 * a process that dies are resumed by another once their lease expires.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../services.ts';
import { claimWork } from '../store/work.ts';
import { processWork } from './process.ts';

export interface Runner {
  readonly owner: string;
  stop(): Promise<void>;
}

export function startRunner(svc: Services): Runner {
  const owner = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const max = svc.config.WORKERS;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let sleeping: (() => void) | null = null;
  const wake = () => {
    const s = sleeping;
    sleeping = null;
    s?.();
  };
  svc.onWork(wake);

  const loop = async () => {
    while (!stopped) {
      const free = max - running.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const items = await claimWork(svc.db, {
            owner,
            now: svc.clock.now(),
            leaseMs: svc.config.LEASE_MS,
            limit: free,
          });
          claimed = items.length;
          for (const item of items) {
            const p = processWork(svc, item).finally(() => {
              running.delete(p);
              wake();
            });
            running.add(p);
          }
        } catch (err) {
          if (stopped) break;
          svc.log.error({ err: (err as Error).message }, 'claiming work failed; retrying');
        }
      }
      if (claimed === 0 || running.size >= max) {
        // One timer per sleep, cleared on an early wake: a timer left behind would
        // wake a later sleep early and start one more timer, so every intake kick
        // would add a polling chain for good (claims ran more and more often).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(wake, svc.config.POLL_MS);
          sleeping = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const done = max > 0 ? loop() : Promise.resolve();
  return {
    owner,
    async stop() {
      stopped = true;
      wake();
      await done;
      await Promise.allSettled([...running]);
    },
  };
}

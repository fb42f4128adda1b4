/**
 * Runs tasks with the same key one after another (in this process). Used
 * where a CRM write replaces a whole object that several work items share:
 * JobAdder's SMS conversation note (JA-SMS-1), which each SMS rewrites from
 * the note's current text; two at once would lose one SMS.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** Promises that resolve as soon as a condition holds, re-checked whenever the owner says something changed. */
export class ConditionWaiters {
  private readonly checks = new Set<() => void>();

  /** Resolves true as soon as `condition` holds (re-checked on every `notify`), false on timeout. */
  until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        done(true);
      };
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.checks.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => done(condition()), timeoutMs);
      this.checks.add(check);
    });
  }

  /** Something changed: re-checks every waiting condition. */
  notify(): void {
    for (const check of [...this.checks]) check();
  }
}

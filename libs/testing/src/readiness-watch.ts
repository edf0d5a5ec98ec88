import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadinessProbe {
  readonly url: string;
  readonly status: number | 'no answer';
  readonly ms: number;
  /** What a service that is not ready says (the start of its answer), so a failing test shows why. */
  readonly body?: string;
}

export interface ReadinessWatch {
  /** Ends the polling; resolves with every probe made. */
  stop(): Promise<ReadinessProbe[]>;
}

/**
 * Polls `GET {url}{probePath}` (default `/health/ready`) of each service, one round every `intervalMs`,
 * keeping each answer's status and latency (a request that gets no answer within `giveUpMs` counts as 'no answer').
 */
export function watchReadiness(urls: readonly string[], intervalMs = 250, giveUpMs = 10_000, probePath = '/health/ready'): ReadinessWatch {
  const probes: ReadinessProbe[] = [];
  let watching = true;
  const probe = async (base: string): Promise<void> => {
    const url = `${base}${probePath}`;
    const started = performance.now();
    const answer = await fetch(url, { signal: AbortSignal.timeout(giveUpMs) }).then(
      async (res) => ({ status: res.status, text: await res.text() }),
      () => ({ status: 'no answer' as const, text: '' }),
    );
    const ms = performance.now() - started;
    probes.push(answer.status === 200 ? { url, status: answer.status, ms } : { url, status: answer.status, ms, body: answer.text.slice(0, 400) });
  };
  const loop = (async () => {
    while (watching) {
      await Promise.all([...urls.map(probe), sleep(intervalMs)]);
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      return probes;
    },
  };
}

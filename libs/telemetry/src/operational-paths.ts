/** Paths every service serves for probes and scraping; kept out of traces and request logs. */
export const OPERATIONAL_PATHS = ['/health/live', '/health/ready', '/metrics'] as const;

/** Whether a request URL (query string allowed) is one of the probe or scrape paths. */
export function isOperationalPath(url: string | undefined): boolean {
  if (!url) return false;
  const path = url.split('?', 1)[0]!.replace(/\/+$/, '') || '/';
  return (OPERATIONAL_PATHS as readonly string[]).includes(path);
}

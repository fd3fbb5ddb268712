// Database reads made at scrape time: each answers within a deadline or not at all. With the
// database down a read fails at once, but with it hung (a stalled connection, a full pool) it
// would hold the scrape until Prometheus gives up (10 s by default) and lose every other metric
// of the process with it, the ones that say what is wrong included.
const SCRAPE_READ_DEADLINE_MS = 2_000;

/** The read's result, or undefined when it failed or took longer than the deadline. */
export async function readForScrape<T>(
  read: () => Promise<T>,
  deadlineMs = SCRAPE_READ_DEADLINE_MS,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deadlineMs);
    timer.unref();
  });
  try {
    return await Promise.race([read().catch(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

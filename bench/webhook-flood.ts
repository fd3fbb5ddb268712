// A flood of unauthenticated webhook requests (wrong secret, one webhook id, one client address
// via X-Forwarded-For), open-loop at a fixed rate, in its own process so its work does not skew
// the alerts bench's timing. Started by bench/alerts.ts with BENCH_FLOOD; prints a JSON summary
// (requests by status, latency) on stdout when it receives SIGTERM.
//   node --import tsx bench/webhook-flood.ts <url> <rate per second>
import { Agent, request } from 'node:http';

const [url, rateText] = process.argv.slice(2);
const rate = Number(rateText);
if (!url || !(rate > 0)) throw new Error('usage: webhook-flood.ts <url> <rate>');

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
/** Requests beyond this many on the way are not sent (counted as skipped): the flood stays open-loop without piling up. */
const MAX_IN_FLIGHT = 512;
const body = JSON.stringify({
  event: 'alert.triggered',
  alert_id: 'flood',
  device_id: 'flood',
  name: 'flood',
  occurred_at: new Date().toISOString(),
});
const byStatus = new Map<string, number>();
const latencies: number[] = [];
let inFlight = 0;
let skipped = 0;

function fire(): void {
  if (inFlight >= MAX_IN_FLIGHT) {
    skipped += 1;
    return;
  }
  inFlight += 1;
  const begin = performance.now();
  const done = (status: string) => {
    inFlight -= 1;
    latencies.push(performance.now() - begin);
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  };
  const req = request(url!, {
    method: 'POST',
    agent,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-alga-webhook-secret': 'whs_flood',
      'x-forwarded-for': '203.0.113.66',
    },
  });
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => done(String(res.statusCode)));
  });
  req.on('error', (err) => done((err as NodeJS.ErrnoException).code ?? 'error'));
  req.end(body);
}

// Ticks of 10 ms, each firing what the rate owes since the start.
const started = performance.now();
let sent = 0;
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - started) / 1000) * rate);
  while (sent < due) {
    fire();
    sent += 1;
  }
}, 10);

process.on('SIGTERM', () => {
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({ seconds, offered: sent, skipped, answered: latencies.length, perSecond: latencies.length / seconds, byStatus: Object.fromEntries(byStatus), p50: pct(50), p99: pct(99) })}\n`,
    () => process.exit(0),
  );
});

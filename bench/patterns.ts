// `npm run bench:patterns`: how long one rule pattern takes on RE2 (domain/rule-pattern.ts) for
// the review's catastrophic-backtracking case, against the goal of 100 ms per routing. V8's own
// engine is timed only on short inputs (it doubles per character and would never finish on 50).
import { patternFinds, PATTERN_MATCH_WINDOW } from '../domain/rule-pattern';

function perCallMs(run: () => unknown, calls: number): number {
  run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) run();
  return Number(process.hrtime.bigint() - started) / calls / 1e6;
}

const pattern = '(a+)+$';
const cases: Array<[string, string]> = [
  ['50 a + "!" (the review\'s case)', `${'a'.repeat(50)}!`],
  [`${PATTERN_MATCH_WINDOW} a + "!" (the whole matched window)`, `${'a'.repeat(PATTERN_MATCH_WINDOW)}!`],
  ['250 KB of a + "!" (only the window is read)', `${'a'.repeat(250_000)}!`],
];
console.log(`pattern ${pattern}, goal: under 100 ms per routing`);
for (const [label, text] of cases)
  console.log(`  RE2   ${label.padEnd(48)} ${perCallMs(() => patternFinds(pattern, text), 200).toFixed(3)} ms`);
for (const n of [18, 20, 22]) {
  const text = `${'a'.repeat(n)}!`;
  console.log(
    `  V8    ${`${n} a + "!"`.padEnd(48)} ${perCallMs(() => new RegExp(pattern, 'i').test(text), 3).toFixed(3)} ms (doubles per character)`,
  );
}

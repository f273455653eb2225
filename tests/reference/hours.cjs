// The OSM reference evaluator, opening_hours.js, as the differential test
// of opening hours asks it (tests/it/reference_hours.rs): one JSON object
// per stdin line, {"expr": "...", "at": "2026-03-29T03:30"} in Munich's
// wall-clock time (run with TZ=Europe/Berlin), answered by one line
// {"state": "open"|"closed"|"unknown", "next": "2026-...T..:.." | null,
//  "comment": "..." | null} or {"error": "..."}.
//
// `--keep-augsburg` evaluates the package as published. Without it, the
// 8 August entry (Augsburger Friedensfest) is removed from the Bavarian
// holidays before evaluating: 3.15 makes it a holiday in all of Bavaria,
// but it is one in the city of Augsburg only (Bayerisches
// Feiertagsgesetz Art. 1 Abs. 2).
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const Module = require('module');

const dir = process.env.OH_JS_DIR;
if (!dir) {
  console.error('OH_JS_DIR must name the installed opening_hours package');
  process.exit(2);
}
const AUGSBURG = '{"name":"Augsburger Friedensfest","fixed_date":[8,8],"only_states":["Bayern"]},';
const file = path.join(dir, 'build', 'opening_hours.js');
let source = fs.readFileSync(file, 'utf8');
if (!process.argv.includes('--keep-augsburg')) {
  if (!source.includes(AUGSBURG)) {
    console.error('the 8 August entry is not where 3.15 has it; check the pinned version');
    process.exit(2);
  }
  source = source.replace(AUGSBURG, '');
}
const m = new Module(file, module);
m.filename = file;
m.paths = Module._nodeModulePaths(path.dirname(file));
m._compile(source, file);
const opening_hours = m.exports;

const NOMINATIM = {
  lat: 48.137, lon: 11.575,
  address: { country_code: 'de', state: 'Bayern' },
};

function local(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const cache = new Map();
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const { expr, at } = JSON.parse(line);
  let out;
  try {
    let oh = cache.get(expr);
    if (!oh) {
      oh = new opening_hours(expr, NOMINATIM, { mode: 0, warnings_severity: 0 });
      cache.set(expr, oh);
    }
    const [date, time] = at.split('T');
    const [y, mo, d] = date.split('-').map(Number);
    const [h, mi] = time.split(':').map(Number);
    const when = new Date(y, mo - 1, d, h, mi);
    const state = oh.getUnknown(when) ? 'unknown' : oh.getState(when) ? 'open' : 'closed';
    // Far enough for any expression of the test; null: no change before.
    const limit = new Date(y + 6, mo - 1, d, h, mi);
    const next = oh.getNextChange(when, limit);
    const comment = oh.getComment(when);
    out = { state, next: next ? local(next) : null, comment: comment === undefined ? null : comment };
  } catch (e) {
    out = { error: String(e).split('\n')[0] };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
});

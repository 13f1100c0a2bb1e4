// Follows a budget statement's form as the officer types: each group's total from its lines
// (and the groups under it), beside the total stated, and whether they agree. An aid only:
// "Check totals" and saving recompute it on the server with the domain's own rule
// (beacon_domain::status::budget::reconcile), which decides. Written by hand: no library
// does this; it only sets text, never markup.
const form = document.getElementById('statement-form');
const body = document.querySelector('#totals-table tbody');
const summary = document.getElementById('reconciliation');
const COLUMNS = ['annual', 'to_date', 'spent'];

// An amount as typed (20,504 · -45 · (30) · £1,000.50) in hundredths of its unit, or null.
function read(text) {
  let t = text.trim().replace(/[£,\s]/g, '');
  let negative = false;
  if (t.startsWith('(') && t.endsWith(')')) {
    negative = true;
    t = t.slice(1, -1);
  }
  const m = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const v = parseInt(m[2], 10) * 100 + parseInt((m[3] || '').padEnd(2, '0'), 10);
  return (m[1] ? -v : v) * (negative ? -1 : 1);
}

function show(v) {
  const whole = Math.trunc(Math.abs(v) / 100).toLocaleString('en-GB');
  const part = Math.abs(v) % 100;
  const text = part === 0 ? whole : `${whole}.${String(part).padStart(2, '0')}`;
  return v < 0 ? `(${text})` : text;
}

function value(name) {
  const el = form.elements.namedItem(name);
  return el && 'value' in el ? el.value : '';
}

function cell(text, numeric) {
  const td = document.createElement('td');
  td.className = 'govuk-table__cell' + (numeric ? ' govuk-table__cell--numeric' : '');
  td.textContent = text;
  return td;
}

function recompute() {
  const groups = [];
  for (let i = 0; i < Number(value('groups')); i++) {
    const key = value(`group-${i}-key`).trim();
    if (!key) continue;
    groups.push({
      key,
      parent: value(`group-${i}-parent`).trim(),
      label: value(`group-${i}-label`).trim() || key,
      stated: COLUMNS.map((c) => value(`group-${i}-${c}`).trim()),
    });
  }
  const sums = new Map(groups.map((g) => [g.key, [0, 0, 0]]));
  for (let i = 0; i < Number(value('lines')); i++) {
    const remove = form.elements.namedItem(`line-${i}-remove`);
    if (remove && remove.checked) continue;
    const sum = sums.get(value(`line-${i}-group`).trim());
    if (!sum) continue;
    COLUMNS.forEach((c, k) => {
      sum[k] += read(value(`line-${i}-${c}`)) ?? 0;
    });
  }
  // Parents are listed before their children, so children are added up first.
  for (let k = groups.length - 1; k >= 0; k--) {
    const g = groups[k];
    const up = g.parent && g.parent !== g.key ? sums.get(g.parent) : null;
    if (up) sums.get(g.key).forEach((v, c) => { up[c] += v; });
  }
  const rows = [];
  let stated = 0;
  let agree = 0;
  for (const g of groups) {
    const tr = document.createElement('tr');
    tr.className = 'govuk-table__row';
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'govuk-table__header';
    th.textContent = g.label;
    tr.append(th);
    const sum = sums.get(g.key);
    sum.forEach((v) => tr.append(cell(show(v), true)));
    let state = 'No total stated';
    if (g.stated.every((s) => s === '')) {
      const none = cell('None stated', false);
      none.colSpan = 3;
      tr.append(none);
    } else {
      stated++;
      const got = g.stated.map(read);
      got.forEach((v, k) => tr.append(cell(v === null ? g.stated[k] : show(v), true)));
      if (got.some((v) => v === null)) state = 'Stated total is not an amount';
      else if (got.every((v, k) => v === sum[k])) {
        state = 'Reconciles';
        agree++;
      } else state = 'Does not reconcile';
    }
    const tag = document.createElement('strong');
    tag.className = 'govuk-tag ' + (state === 'Reconciles' ? 'govuk-tag--green' : state === 'No total stated' ? 'govuk-tag--grey' : 'govuk-tag--red');
    tag.textContent = state;
    const last = cell('', false);
    last.append(tag);
    tr.append(last);
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  document.getElementById('totals').hidden = groups.length === 0;
  summary.textContent = groups.length === 0
    ? 'Totals appear here once the statement has groups.'
    : `As typed, not saved yet: ${agree} of ${stated} stated totals equal the sum of their lines.`;
}

if (form && body && summary) {
  let pending = 0;
  form.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(recompute, 300);
  });
}

// The Cascade dashboard: fetches /dashboard/data with the admin key and draws it with Chart.js.
// No build step: this file and Chart.js's UMD build are served as they are.
/* global Chart */
'use strict';

const KEY_STORE = 'cascade-admin-key';
const REFRESH_MS = 5000;
const COLORS = ['#2f80ed', '#27ae60', '#eb5757', '#f2994a', '#9b51e0', '#56ccf2', '#6fcf97', '#bb6bd9', '#828282', '#f2c94c'];
const charts = {};

function adminKey() {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(KEY_STORE, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname); // the key leaves the address bar
  }
  return sessionStorage.getItem(KEY_STORE);
}

const usd = (value) => (value === null || value === undefined ? "–" : `${value < 0 ? "−" : ""}$${Math.abs(value).toFixed(value !== 0 && Math.abs(value) < 0.01 ? 6 : 2)}`);
const percent = (value) => (value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);
const clock = (ms) => new Date(ms).toISOString().slice(11, 16);

/** One dataset per key of `field` (a record per bucket). */
function seriesOf(buckets, field) {
  const keys = [...new Set(buckets.flatMap((bucket) => Object.keys(bucket[field])))].sort();
  return keys.map((key, index) => ({ label: key, data: buckets.map((bucket) => bucket[field][key] ?? 0), backgroundColor: COLORS[index % COLORS.length], borderColor: COLORS[index % COLORS.length] }));
}

function draw(id, type, labels, datasets, options = {}) {
  const existing = charts[id];
  if (existing) {
    existing.data.labels = labels;
    existing.data.datasets = datasets;
    existing.update('none');
    return;
  }
  charts[id] = new Chart(document.getElementById(id), {
    type,
    data: { labels, datasets },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } }, ...options },
  });
}

function render(data) {
  const { buckets, totals } = data;
  const labels = buckets.map((bucket) => clock(bucket.start));
  document.getElementById('tile-requests').textContent = String(totals.requests);
  document.getElementById('tile-spend').textContent = usd(totals.spendUsd);
  document.getElementById('tile-savings').textContent = `${usd(totals.savingsUsd)}${totals.baselineUsd > 0 ? ` (${percent(totals.savingsUsd / totals.baselineUsd)})` : ''}`;
  document.getElementById('tile-accept').textContent = percent(totals.acceptRate);
  document.getElementById('tile-escalate').textContent = percent(totals.escalateRate);
  document.getElementById('tile-quality').textContent = percent(totals.qualityEstimate);
  const latency = totals.latencyMs;
  document.getElementById('tile-latency').textContent = latency ? `${Math.round(latency.p50)} / ${Math.round(latency.p90)} / ${Math.round(latency.p99)} ms` : '–';

  const stacked = { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } };
  draw('chart-spend-tier', 'bar', labels, seriesOf(buckets, 'spendUsdByTier'), stacked);
  draw('chart-savings-tier', 'bar', labels, seriesOf(buckets, 'savingsUsdByTier'), stacked);
  draw('chart-spend-tenant', 'bar', labels, seriesOf(buckets, 'spendUsdByTenant'), stacked);
  draw('chart-savings-tenant', 'bar', labels, seriesOf(buckets, 'savingsUsdByTenant'), stacked);
  draw('chart-decisions', 'bar', labels, ['accept', 'escalate', 'route'].map((decision, index) => ({
    label: decision, data: buckets.map((bucket) => bucket.decisions[decision]), backgroundColor: COLORS[index],
  })), stacked);
  draw('chart-quality', 'line', labels, [
    { label: 'live estimate', data: buckets.map((bucket) => bucket.qualityEstimate), borderColor: COLORS[0], backgroundColor: COLORS[0], spanGaps: true },
    { label: 'target', data: buckets.map((bucket) => bucket.qualityTarget), borderColor: COLORS[2], backgroundColor: COLORS[2], borderDash: [6, 4], spanGaps: true },
  ], { scales: { y: { suggestedMin: 0.8, suggestedMax: 1 } } });
  draw('chart-latency', 'line', labels, ['p50', 'p90', 'p99'].map((q, index) => ({
    label: q, data: buckets.map((bucket) => (bucket.latencyMs ? bucket.latencyMs[q] : null)), borderColor: COLORS[index], backgroundColor: COLORS[index], spanGaps: true,
  })), { scales: { y: { beginAtZero: true } } });
  const policy = [...Object.entries(totals.findings).map(([key, count]) => [`finding ${key}`, count]), ...Object.entries(totals.denials).map(([key, count]) => [`denied ${key}`, count])];
  draw('chart-policy', 'bar', policy.map(([key]) => key), [{ label: 'count', data: policy.map(([, count]) => count), backgroundColor: policy.map(([key]) => (key.startsWith('denied') ? COLORS[2] : COLORS[3])) }], { indexAxis: 'y', plugins: { legend: { display: false } } });
}

async function refresh() {
  const key = adminKey();
  const form = document.getElementById('key-form');
  const status = document.getElementById('status');
  if (!key) {
    form.hidden = false;
    status.textContent = 'Enter the admin key (CASCADE_ADMIN_KEY) to see the data.';
    document.body.dataset.state = 'needs-key';
    return;
  }
  const response = await fetch('/dashboard/data', { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' });
  if (response.status === 401 || response.status === 404) {
    sessionStorage.removeItem(KEY_STORE);
    form.hidden = false;
    const body = await response.json();
    status.textContent = body.error ? body.error.message : `HTTP ${response.status}`;
    document.body.dataset.state = 'needs-key';
    return;
  }
  if (!response.ok) throw new Error(`/dashboard/data answered HTTP ${response.status}`);
  const data = await response.json();
  form.hidden = true;
  render(data);
  status.textContent = `Updated ${new Date(data.now).toLocaleTimeString()} · ${data.totals.requests} requests answered by this process`;
  document.body.dataset.state = 'ready';
}

function start() {
  document.getElementById('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORE, document.getElementById('key-input').value);
    void refresh();
  });
  const tick = () => refresh().catch((error) => {
    document.getElementById('status').textContent = `Could not load the data: ${error.message}`;
    document.body.dataset.state = 'error';
  });
  void tick();
  setInterval(tick, REFRESH_MS);
}

start();

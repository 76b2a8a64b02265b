// NeuroMesh web UI: plain JS against the node's gateway (/api, /spikes/stream). No framework, no build step.
'use strict';

const $ = id => document.getElementById(id);
const COLOURS = ['#4ea1ff', '#ff6b6b', '#6bd968', '#ffd166', '#c77dff', '#4dd4c6', '#ff9f43', '#e0e0e0'];
const WINDOW_MS = 1000;          // the raster shows the last second of simulated time
const RATE_BIN_MS = 50;          // firing rates are counted in 50 ms bins of simulated time
const RATE_BINS = 100;

const state = {
  run: null, populations: [], events: null, status: null,
  points: [],                    // [timeMs, neuron] of the raster's window
  total: 0, sampledAway: 0, missed: 0, lastMs: 0,
  rateBins: new Map(),           // bin index -> counts per population (from populationFired: every spike, not the sample)
  weightsFinal: null,            // the run whose weights are drawn for good (all synapses placed, none plastic)
};

function headers(json) {
  const h = json ? { 'Content-Type': 'application/json' } : {};
  const key = $('apikey').value.trim();
  if (key) h['X-Api-Key'] = key;
  return h;
}

async function api(method, path, body) {
  const response = await fetch(path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = data && (data.detail || data.title) || response.statusText;
    throw new Error(`${method} ${path}: ${response.status} ${detail}`);
  }
  return data;
}

function say(text) { $('message').textContent = text || ''; }

function populationOf(neuron) {
  for (let i = 0; i < state.populations.length; i++) {
    const p = state.populations[i];
    if (neuron >= p.first && neuron < p.first + p.size) return i;
  }
  return 0;
}

function neuronCount() {
  return state.populations.reduce((n, p) => Math.max(n, p.first + p.size), 1);
}

function showStatus(s) {
  state.status = s;
  $('status').textContent = s
    ? `${s.runId}: ${s.phase}  tick ${s.tick}/${s.totalTicks}  spikes ${s.spikes}  silos ${s.silos}`
      + (s.error ? `  failed: ${s.error}` : '')
    : 'no run';
}

function legend() {
  // Population names come from the deployed spec: text nodes, never markup.
  $('legend').replaceChildren(...state.populations.map((p, i) => {
    const span = document.createElement('span'), swatch = document.createElement('i');
    swatch.style.background = COLOURS[i % COLOURS.length];
    span.append(swatch, document.createTextNode(`${p.name} (${p.size})`));
    return span;
  }));
}

function resetViews() {
  state.points = []; state.total = 0; state.sampledAway = 0; state.missed = 0; state.lastMs = 0; state.rateBins = new Map(); state.weightsFinal = null;
  $('raster').dataset.points = '0';
  $('raster-count').textContent = '0'; $('sampled-away').textContent = '0'; $('missed').textContent = '0';
}

function tap(run) {
  if (state.events) state.events.close();
  const key = $('apikey').value.trim();
  const url = `/spikes/stream?run=${encodeURIComponent(run)}&maxRate=4000${key ? '&apiKey=' + encodeURIComponent(key) : ''}`;
  const events = new EventSource(url);
  events.addEventListener('spikes', e => take(JSON.parse(e.data)));
  events.onerror = () => { if (events.readyState === EventSource.CLOSED) say('spike stream closed'); };
  state.events = events;
}

function take(batch) {
  const sent = batch.neurons.length;
  for (let i = 0; i < sent; i++) state.points.push([batch.ticks[i] * batch.dt, batch.neurons[i]]);
  // Rates come from populationFired (every spike of the batch, before sampling), spread over the rate bins the batch covers.
  const from = batch.fromTick * batch.dt, to = batch.toTick * batch.dt;
  for (let bin = Math.floor(from / RATE_BIN_MS); bin * RATE_BIN_MS < to; bin++) {
    const share = (Math.min(to, (bin + 1) * RATE_BIN_MS) - Math.max(from, bin * RATE_BIN_MS)) / (to - from);
    let counts = state.rateBins.get(bin);
    if (!counts) { counts = new Array(state.populations.length).fill(0); state.rateBins.set(bin, counts); }
    batch.populationFired.forEach((n, i) => { counts[i] += n * share; });
  }
  state.total += sent;
  state.sampledAway += batch.sampledAway + batch.droppedSpikes;
  state.missed += batch.missedTicks;
  state.lastMs = Math.max(state.lastMs, batch.toTick * batch.dt);
  const cut = state.lastMs - WINDOW_MS;
  if (state.points.length && state.points[0][0] < cut) state.points = state.points.filter(p => p[0] >= cut);
  $('raster').dataset.points = String(state.total);
  $('raster-count').textContent = String(state.total);
  $('sampled-away').textContent = String(state.sampledAway);
  $('missed').textContent = String(state.missed);
}

function drawRaster() {
  const c = $('raster'), g = c.getContext('2d');
  g.fillStyle = '#0b0f14'; g.fillRect(0, 0, c.width, c.height);
  const n = neuronCount(), start = Math.max(0, state.lastMs - WINDOW_MS);
  for (const [ms, neuron] of state.points) {
    g.fillStyle = COLOURS[populationOf(neuron) % COLOURS.length];
    g.fillRect(((ms - start) / WINDOW_MS) * (c.width - 2), c.height - 1 - (neuron / n) * (c.height - 1), 1.5, 1.5);
  }
  g.fillStyle = '#8b949e'; g.font = '11px monospace';
  g.fillText(`${start.toFixed(0)} ms`, 4, 12); g.fillText(`${state.lastMs.toFixed(0)} ms`, c.width - 70, 12);
}

function drawRates() {
  const c = $('rates'), g = c.getContext('2d');
  g.fillStyle = '#0b0f14'; g.fillRect(0, 0, c.width, c.height);
  const last = Math.floor(state.lastMs / RATE_BIN_MS) - 1;   // the newest bin may still be filling
  if (last < 0 || !state.populations.length) {
    g.fillStyle = '#8b949e'; g.font = '11px monospace';
    g.fillText(state.run ? `collecting the first ${2 * RATE_BIN_MS} ms of simulated time…` : 'deploy and run a network', 6, 14);
    return;
  }
  const first = Math.max(0, last - RATE_BINS + 1);
  const rates = state.populations.map((p, i) => {
    const series = [];
    for (let b = first; b <= last; b++) series.push(((state.rateBins.get(b) || [])[i] || 0) / p.size / (RATE_BIN_MS / 1000));
    return series;
  });
  const max = Math.max(10, ...rates.flat());
  rates.forEach((series, i) => {
    g.strokeStyle = COLOURS[i % COLOURS.length]; g.beginPath();
    series.forEach((r, k) => { const x = (k / (RATE_BINS - 1)) * c.width, y = c.height - (r / max) * (c.height - 14); k ? g.lineTo(x, y) : g.moveTo(x, y); });
    g.stroke();
    g.fillStyle = g.strokeStyle; g.font = '11px monospace';
    g.fillText(`${state.populations[i].name} ${series[series.length - 1].toFixed(1)} Hz`, 6 + 110 * i, 12);
  });
  g.fillStyle = '#8b949e'; g.fillText(`max ${max.toFixed(0)} Hz`, c.width - 80, 12);
}

async function drawWeights() {
  if (!state.run || state.weightsFinal === state.run) return;
  const c = $('weights'), g = c.getContext('2d');
  let h;
  try { h = await api('GET', `/api/runs/${encodeURIComponent(state.run)}/weights?bins=40`); } catch { return; }
  g.fillStyle = '#0b0f14'; g.fillRect(0, 0, c.width, c.height);
  $('weights-note').textContent = h.synapses ? `${h.plastic ? 'plastic' : 'all'} synapses: ${h.sampled} of ${h.synapses} sampled, ${h.min.toFixed(3)} to ${h.max.toFixed(3)}` : 'no synapses placed yet';
  const max = Math.max(1, ...h.counts), w = c.width / Math.max(1, h.counts.length);
  g.fillStyle = '#c77dff';
  h.counts.forEach((n, i) => { const bh = (n / max) * (c.height - 16); g.fillRect(i * w + 1, c.height - bh, w - 2, bh); });
  // Weights without plasticity never change once placed: stop asking (each answer samples every shard).
  if (h.synapses && !h.plastic) state.weightsFinal = state.run;
}

async function refreshCluster() {
  let cluster;
  try { cluster = await api('GET', '/api/cluster' + (state.run ? `?run=${encodeURIComponent(state.run)}` : '')); } catch (e) { say(e.message); return; }
  $('cluster').querySelector('tbody').innerHTML = cluster.silos.map(s => `<tr class="silo" data-address="${s.address}">
    <td>${s.endpoint}${s.local ? ' (this node)' : ''}</td><td>${s.status}</td>
    <td>${s.ringCount == null ? '-' : `${s.leasedRings}/${s.ringCount} leased`}</td>
    <td>${s.ingressDelivered == null ? '-' : `${s.ingressDelivered} delivered, ${s.ingressDroppedNoSink} no sink, ${s.ingressDroppedSiloLeft} for departed silos`}</td>
    <td>${s.shards.map(h => `#${h.index} neurons ${h.firstNeuron}-${h.endNeuron - 1}, ${h.synapses} synapses, tick ${h.tick}, spikes sent ${h.spikesSent} / received ${h.spikesReceived}`).join('<br>') || '-'}</td></tr>`).join('');
}

async function refreshStatus() {
  if (!state.run) return;
  try { showStatus(await api('GET', `/api/runs/${encodeURIComponent(state.run)}`)); } catch (e) { say(e.message); }
}

async function control(action, body) {
  if (!state.run) { say('deploy a run first'); return; }
  try { showStatus(await api('POST', `/api/runs/${encodeURIComponent(state.run)}/${action}`, body)); say(''); } catch (e) { say(e.message); }
}

async function deploy() {
  const example = $('example').value;
  const run = $('run').value.trim() || `${example}-${Date.now().toString(36)}`;
  try {
    const spec = await api('GET', `/api/examples/${encodeURIComponent(example)}`);
    const duration = Number($('duration').value);
    if (duration > 0) spec.duration = duration;
    resetViews();
    const status = await api('POST', `/api/runs/${encodeURIComponent(run)}/deploy?silos=${Number($('silos').value) || 0}`, spec);
    state.run = run; $('run').value = run;
    state.populations = await api('GET', `/api/runs/${encodeURIComponent(run)}/populations`);
    legend(); showStatus(status); tap(run); say(`deployed ${example} as ${run}`);
    history.replaceState(null, '', `?run=${encodeURIComponent(run)}`);
  } catch (e) { say(e.message); }
}

async function resume(run) {
  try {
    state.populations = await api('GET', `/api/runs/${encodeURIComponent(run)}/populations`);
    state.run = run; $('run').value = run; state.weightsFinal = null; legend(); tap(run); await refreshStatus();
  } catch (e) { say(e.message); }
}

async function init() {
  $('apikey').value = localStorage.getItem('neuromesh-api-key') || '';
  $('apikey').addEventListener('change', () => localStorage.setItem('neuromesh-api-key', $('apikey').value.trim()));
  try {
    const examples = await api('GET', '/api/examples');
    $('example').innerHTML = examples.map(n => `<option${n === 'cuba' ? ' selected' : ''}>${n}</option>`).join('');
  } catch (e) { say(e.message); }
  $('deploy').onclick = deploy;
  $('start').onclick = () => control(`start?pace=${Number($('pace').value) || 0}`);
  $('pause').onclick = () => control('pause');
  $('stop').onclick = () => control('stop');
  $('step').onclick = () => control('step', { ticks: Number($('ticks').value) });
  const run = new URLSearchParams(location.search).get('run');
  if (run) await resume(run);
  const frame = () => { drawRaster(); drawRates(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  setInterval(refreshStatus, 500);
  setInterval(refreshCluster, 1000);
  setInterval(drawWeights, 2000);
  refreshCluster();
}

window.addEventListener('error', e => say(`script error: ${e.message}`));
window.addEventListener('unhandledrejection', e => say(`script error: ${e.reason}`));
init();

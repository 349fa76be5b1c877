// Equilibria monitor dashboard: fills the charts from /api/history, then appends one point per poll from the
// server-sent events of /api/stream. Admin controls call /admin/** with the bearer token kept in sessionStorage.
(function () {
  'use strict';

  var MAX_POINTS = 900;
  var TOKEN_KEY = 'equilibria.adminToken';
  var REGIMES = ['BELOW', 'TRANSITION', 'SATURATED'];
  var REGIME_COLORS = { BELOW: '#2e9d5b', TRANSITION: '#d99a1e', SATURATED: '#d2453b' };

  // Every chart: its element, its series (a key of the snapshot's point, or a derived column) and axis labels.
  var CHARTS = [
    { id: 'load', y: 'requests/s', y2: 'in flight', series: [
      { key: 'requests_per_second', label: 'requests/s', color: '#4a7bd0' },
      { key: 'requests_in_flight', label: 'in flight', color: '#d2453b', scale: 'y2' }] },
    { id: 'ttft', y: 'ms', markers: true, series: [
      { key: 'ttft_p50_ms', label: 'p50', color: '#4a7bd0' },
      { key: 'ttft_p99_ms', label: 'p99', color: '#d2453b' },
      { key: 'ttft_ewma_ms', label: 'p99 EWMA (detector)', color: '#7a56c2' },
      { key: 'theta1_ms', label: 'θ1', color: '#d99a1e', dash: [6, 4] },
      { key: 'theta2_ms', label: 'θ2', color: '#a0302a', dash: [6, 4] }] },
    { id: 'itl', y: 'ms', series: [{ key: 'itl_ms', label: 'mean ITL', color: '#4a7bd0' }] },
    { id: 'regime', y: 'regime', markers: true, regimeAxis: true, series: [
      { key: 'regime', label: 'regime', color: '#1d2430', stepped: true },
      { key: 'utilisation', label: 'utilisation (hottest pool)', color: '#7a56c2', scale: 'y2' }] },
    { id: 'poa', y: 'PoA-hat', series: [
      { key: 'poa_prefill', label: 'prefill', color: '#4a7bd0' },
      { key: 'poa_decode', label: 'decode', color: '#7a56c2' },
      { key: 'poa_aggregated', label: 'aggregated', color: '#6b7480' }] },
    { id: 'inflation', y: '×', series: [
      { key: 'inflation_mean', label: 'mean', color: '#4a7bd0' },
      { key: 'inflation_p99', label: 'p99', color: '#d2453b' }] },
    { id: 'imbalance', y: 'max/mean', series: [
      { key: 'imbalance_prefill', label: 'prefill', color: '#4a7bd0' },
      { key: 'imbalance_decode', label: 'decode', color: '#7a56c2' },
      { key: 'imbalance_aggregated', label: 'aggregated', color: '#6b7480' }] },
    { id: 'kv', y: 'hit rate', series: [{ key: 'kv_hit_rate', label: 'KV hit rate', color: '#2e9d5b' }] }
  ];

  var columns = { t: [] };
  var transitions = [];
  var thresholds = null;
  var charts = {};
  var snapshots = 0;
  var lastSnapshot = null;

  CHARTS.forEach(function (c) { c.series.forEach(function (s) { columns[s.key] = []; }); });

  function $(id) { return document.getElementById(id); }

  function fmt(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) { return '—'; }
    return Number(v).toFixed(digits === undefined ? 2 : digits);
  }

  function pct(v) { return v === null || v === undefined ? '—' : Math.round(v * 100) + '%'; }

  function escapeHtml(s) {
    return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, function (ch) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch];
    });
  }

  // ---- series ----

  function append(point) {
    var t = point.timestamp_ms / 1000;
    var n = columns.t.length;
    if (n > 0 && t <= columns.t[n - 1]) { return false; }
    columns.t.push(t);
    Object.keys(columns).forEach(function (key) {
      if (key === 't') { return; }
      var v;
      if (key === 'theta1_ms') { v = thresholds ? thresholds.theta1_ms : null; }
      else if (key === 'theta2_ms') { v = thresholds ? thresholds.theta2_ms : null; }
      else { v = point[key]; }
      columns[key].push(v === undefined ? null : v);
    });
    if (columns.t.length > MAX_POINTS) {
      Object.keys(columns).forEach(function (key) { columns[key].shift(); });
    }
    return true;
  }

  function dataOf(def) {
    return [columns.t].concat(def.series.map(function (s) { return columns[s.key]; }));
  }

  // ---- charts ----

  function markerPlugin() {
    return {
      hooks: {
        draw: function (u) {
          var ctx = u.ctx;
          var top = u.bbox.top;
          var height = u.bbox.height;
          ctx.save();
          ctx.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif';
          transitions.forEach(function (tr, i) {
            var x = u.valToPos(tr.timestamp_ms / 1000, 'x', true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) { return; }
            ctx.strokeStyle = REGIME_COLORS[tr.to] || '#6b7480';
            ctx.fillStyle = ctx.strokeStyle;
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            var label = tr.to + ' ' + (tr.signals || []).map(function (s) { return s.toLowerCase(); }).join('+');
            // labels of transitions close together take turns over three rows
            ctx.fillText(label, x + 3 * devicePixelRatio, top + (12 + 13 * (i % 3)) * devicePixelRatio);
          });
          ctx.restore();
        }
      }
    };
  }

  function makeChart(def) {
    var el = $('chart-' + def.id);
    var series = [{}].concat(def.series.map(function (s) {
      var opts = { label: s.label, stroke: s.color, width: 2, spanGaps: false, scale: s.scale || 'y',
        value: function (u, v) { return v === null || v === undefined ? '—' : (def.regimeAxis && s.key === 'regime' ? REGIMES[v] : fmt(v)); } };
      if (s.dash) { opts.dash = s.dash; opts.width = 1; }
      if (s.stepped) { opts.paths = uPlot.paths.stepped({ align: 1 }); }
      return opts;
    }));
    var axes = [{}, { label: def.y, scale: 'y', size: 60 }];
    var scales = { x: { time: true } };
    if (def.regimeAxis) {
      scales.y = { range: [-0.2, 2.2] };
      axes[1] = { label: def.y, scale: 'y', size: 90, splits: function () { return [0, 1, 2]; },
        values: function (u, vals) { return vals.map(function (v) { return REGIMES[v] || ''; }); } };
    }
    if (def.series.some(function (s) { return s.scale === 'y2'; })) {
      axes.push({ label: def.y2 || '', scale: 'y2', side: 1, grid: { show: false }, size: 50 });
      if (def.regimeAxis) { scales.y2 = { range: [0, 1.5] }; }
    }
    var opts = {
      width: Math.max(300, el.clientWidth), height: 200, series: series, axes: axes, scales: scales,
      legend: { live: true }, cursor: { drag: { x: false, y: false } },
      plugins: def.markers ? [markerPlugin()] : []
    };
    charts[def.id] = new uPlot(opts, dataOf(def), el);
  }

  function redraw() {
    CHARTS.forEach(function (def) { charts[def.id].setData(dataOf(def)); });
  }

  window.addEventListener('resize', function () {
    CHARTS.forEach(function (def) {
      var el = $('chart-' + def.id);
      charts[def.id].setSize({ width: Math.max(300, el.clientWidth), height: 200 });
    });
  });

  // ---- panels ----

  function renderRegime(s) {
    var r = s.regime;
    var badge = $('regime-badge');
    badge.className = 'badge regime-' + r.regime;
    badge.innerHTML = escapeHtml(r.regime) + (r.forced ? '<span class="forced">forced</span>' : '');
    $('regime-reason').textContent = r.reason || '';
    $('regime-reason').title = r.reason || '';
    var route = r.routing || {};
    $('regime-routing').textContent = 'routing: ' + route.policy
      + (route.overlap_score_weight !== null && route.overlap_score_weight !== undefined ? ', w=' + route.overlap_score_weight : '')
      + (route.router_temperature !== null && route.router_temperature !== undefined ? ', t=' + route.router_temperature : '')
      + (route.refuse_when_full ? ', full workers refuse' : '')
      + ' · detected ' + r.detected
      + (r.capacity_bound_pools && r.capacity_bound_pools.length ? ' · capacity-bound: ' + r.capacity_bound_pools.join(', ') : '')
      + (r.calibrating ? ' · calibrating from plateau' : '');
  }

  function bar(value, hot) {
    if (value === null || value === undefined) { return '—'; }
    var w = Math.max(0, Math.min(1, value)) * 100;
    return '<div class="bar' + (hot ? ' hot' : '') + '"><span style="width:' + w.toFixed(1) + '%"></span><em>'
      + pct(value) + '</em></div>';
  }

  function renderWorkers(s) {
    var rows = (s.workers || []).map(function (w) {
      return '<tr><td>' + escapeHtml(w.worker_id) + '</td><td>' + escapeHtml(w.role) + '</td>'
        + '<td class="num">' + w.running + ' / ' + (w.max_num_seqs || '—') + '</td>'
        + '<td class="num">' + w.waiting + '</td>'
        + '<td>' + bar(w.kv_usage, false) + '</td>'
        + '<td>' + bar(w.utilisation, w.at_cap) + '</td>'
        + '<td>' + bar(w.traffic_share, false) + '</td>'
        + '<td class="num">' + pct(w.prefix_cache_hit_rate) + '</td></tr>';
    });
    $('workers').querySelector('tbody').innerHTML = rows.length ? rows.join('')
      : '<tr><td colspan="8" class="muted">no worker load reports</td></tr>';
  }

  function renderSplit(s) {
    var p = s.pd_split || {};
    var live = p.live || {};
    var prefill = p.prefill_workers !== null && p.prefill_workers !== undefined ? p.prefill_workers : live.prefill || 0;
    var decode = p.decode_workers !== null && p.decode_workers !== undefined ? p.decode_workers : live.decode || 0;
    var aggregated = live.aggregated || 0;
    var total = prefill + decode + aggregated;
    var segment = function (cls, n, label) {
      return n > 0 ? '<div class="' + cls + '" style="width:' + (100 * n / total).toFixed(1) + '%">' + label + ' ' + n + '</div>' : '';
    };
    $('split-bar').innerHTML = total === 0 ? '' : segment('split-prefill', prefill, 'P') + segment('split-decode', decode, 'D')
      + segment('split-aggregated', aggregated, 'A');
    $('split').innerHTML =
      '<dt>allocator</dt><dd>' + (p.prefill_workers !== null && p.prefill_workers !== undefined
        ? p.prefill_workers + 'P / ' + p.decode_workers + 'D' : 'no allocation yet') + '</dd>'
      + '<dt>live</dt><dd>' + (live.prefill || 0) + ' prefill, ' + (live.decode || 0) + ' decode, '
      + (live.aggregated || 0) + ' aggregated</dd>'
      + (p.allocation_reason ? '<dt>why</dt><dd>' + escapeHtml(p.allocation_reason) + '</dd>' : '');
  }

  function renderTransitions() {
    var rows = transitions.slice().reverse().slice(0, 20).map(function (t) {
      return '<tr><td>' + new Date(t.timestamp_ms).toLocaleTimeString() + '</td><td>' + escapeHtml(t.from) + ' → '
        + escapeHtml(t.to) + '</td><td>' + (t.signals || []).map(function (sig) {
          return '<span class="sig">' + escapeHtml(sig.toLowerCase()) + '</span>';
        }).join('') + '</td><td>' + escapeHtml(t.reason) + '</td></tr>';
    });
    $('transitions').querySelector('tbody').innerHTML = rows.length ? rows.join('')
      : '<tr><td colspan="4" class="muted">no transitions yet</td></tr>';
  }

  function renderThresholds(t, force) {
    if (!t) { return; }
    [['theta1', t.theta1_ms], ['theta2', t.theta2_ms], ['confirm-polls', t.confirm_polls]].forEach(function (pair) {
      var input = $(pair[0]);
      if (force || (document.activeElement !== input && !input.dataset.dirty)) {
        input.value = pair[1] === null || pair[1] === undefined ? '' : Math.round(pair[1] * 10) / 10;
        delete input.dataset.dirty;
      }
    });
    $('threshold-basis').textContent = t.basis || '';
  }

  function renderSources(s) {
    var src = s.sources || {};
    $('sources').textContent = 'poll ' + s.poll + ' every ' + s.poll_interval_ms + ' ms · metrics: ' + src.metrics
      + ' (' + src.targets_up + '/' + src.targets + ' up' + (src.metrics_error ? ', ' + src.metrics_error : '') + ')'
      + ' · TTFT from ' + src.ttft_source + ', offered load from ' + src.load_source
      + ' · in window: ' + src.decisions_in_window + ' decisions, ' + src.records_in_window + ' records ('
      + src.record_errors_in_window + ' errors), ' + src.workers_reporting + ' workers reporting';
  }

  function onSnapshot(s) {
    snapshots++;
    lastSnapshot = s;
    thresholds = s.thresholds;
    transitions = s.transitions || transitions;
    append(s.point);
    redraw();
    renderRegime(s);
    renderWorkers(s);
    renderSplit(s);
    renderTransitions();
    renderThresholds(s.thresholds, false);
    renderSources(s);
  }

  // ---- admin controls ----

  function token() { return $('token').value.trim(); }

  function status(text, isError) {
    var el = $('control-status');
    el.textContent = text;
    el.className = 'small ' + (isError ? 'error' : 'muted');
  }

  function admin(method, path, body) {
    if (!token()) { status('enter the admin token first', true); return Promise.resolve(null); }
    return fetch(path, {
      method: method,
      headers: { 'Authorization': 'Bearer ' + token(), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!response.ok) {
          status(response.status + ' ' + ((json && (json.detail || json.title)) || response.statusText), true);
          return null;
        }
        return json;
      });
    }).catch(function (e) { status('request failed: ' + e.message, true); return null; });
  }

  function wireControls() {
    var saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) { $('token').value = saved; }
    $('token').addEventListener('change', function () { sessionStorage.setItem(TOKEN_KEY, token()); });
    ['theta1', 'theta2', 'confirm-polls'].forEach(function (id) {
      $(id).addEventListener('input', function () { $(id).dataset.dirty = '1'; });
    });
    $('force').addEventListener('click', function () {
      admin('POST', '/admin/regime/force', { regime: $('force-regime').value, reason: $('force-reason').value || 'from the dashboard' })
        .then(function (r) { if (r) { status('forced ' + r.status.regime); } });
    });
    $('release').addEventListener('click', function () {
      admin('POST', '/admin/regime/release', { reason: $('force-reason').value || 'from the dashboard' })
        .then(function (r) { if (r) { status('released; routing follows ' + r.status.regime); } });
    });
    $('apply-thresholds').addEventListener('click', function () {
      var body = { theta1_ms: parseFloat($('theta1').value), theta2_ms: parseFloat($('theta2').value) };
      var k = parseInt($('confirm-polls').value, 10);
      if (!isNaN(k)) { body.confirm_polls = k; }
      admin('PUT', '/admin/thresholds', body).then(function (t) {
        if (t) { thresholds = t; renderThresholds(t, true); status('thresholds set: θ1 ' + fmt(t.theta1_ms, 1) + ' ms, θ2 ' + fmt(t.theta2_ms, 1) + ' ms'); }
      });
    });
  }

  // ---- start ----

  function connect() {
    var source = new EventSource('/api/stream');
    source.addEventListener('snapshot', function (e) { onSnapshot(JSON.parse(e.data)); });
    source.onopen = function () { $('connection').textContent = 'live'; };
    source.onerror = function () { $('connection').textContent = 'reconnecting…'; };
  }

  function start() {
    wireControls();
    fetch('/api/history').then(function (r) { return r.json(); }).then(function (h) {
      thresholds = h.thresholds;
      transitions = h.transitions || [];
      (h.points || []).forEach(append);
      renderThresholds(h.thresholds, true);
      renderTransitions();
    }).catch(function () { /* the stream fills the charts anyway */ }).then(function () {
      CHARTS.forEach(makeChart);
      connect();
    });
  }

  // For tests and the curious: the charts and how full they are.
  window.equilibriaDashboard = {
    charts: charts,
    snapshots: function () { return snapshots; },
    lastSnapshot: function () { return lastSnapshot; },
    // per chart: points on the x axis, and non-null values of its first series
    fill: function () {
      var out = {};
      CHARTS.forEach(function (def) {
        var u = charts[def.id];
        if (!u) { out[def.id] = { points: 0, values: 0 }; return; }
        var ys = u.data[1] || [];
        out[def.id] = { points: u.data[0].length, values: ys.filter(function (v) { return v !== null && v !== undefined; }).length };
      });
      return out;
    }
  };

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();

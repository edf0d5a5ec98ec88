// The model-metrics page: latency per model with its status, a p95 history chart and resource charts, refreshed in place.
(() => {
  'use strict';
  const api = '/api/v1/metrics';
  const params = new URLSearchParams(location.search);
  // Seconds between refreshes (the collection runs every few minutes; a shorter refresh only shows it sooner).
  const refreshSeconds = Math.max(1, Number(params.get('refresh')) || 30);
  const COLOURS = ['#0969da', '#cf222e', '#1f883d', '#8250df', '#bf8700', '#1b7c83', '#e16f24', '#6e7781'];
  const charts = { history: null, resources: new Map() };
  window.vistaMetricsCharts = charts;

  const headers = () => {
    const token = sessionStorage.getItem('vista.accessToken');
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const getJson = async (path) => {
    const response = await fetch(`${api}${path}`, { headers: headers(), cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || body.title || `HTTP ${response.status}`);
    return body;
  };
  const fmt = (ms) => (ms === null || ms === undefined ? '–' : ms.toFixed(2));
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : '–');
  const cell = (text) => {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  };

  async function loadLatency() {
    const note = document.getElementById('collection');
    try {
      const [latest, health] = await Promise.all([getJson('/'), getJson('/health')]);
      document.getElementById('warning-ms').textContent = latest.thresholds.warning_ms;
      document.getElementById('danger-ms').textContent = latest.thresholds.danger_ms;
      note.dataset.status = health.status;
      note.textContent =
        health.status === 'degraded'
          ? `Degraded: the last collection failed (${health.last_attempt?.reason ?? 'unknown reason'}); showing values from ${when(health.last_collection)}.`
          : health.last_collection
            ? `Collected ${when(health.last_collection)} (${health.minutes_ago} min ago), ${health.model_count} models, schedule ${health.schedule}.`
            : 'No collection yet.';
      const rows = latest.data.map((m) => {
        const tr = document.createElement('tr');
        tr.dataset.model = m.model;
        tr.append(cell(m.model), cell(fmt(m.p50_latency_ms)), cell(fmt(m.p95_latency_ms)), cell(fmt(m.p99_latency_ms)));
        const status = document.createElement('td');
        const badge = document.createElement('span');
        badge.className = `status status-${m.status ?? 'none'}`;
        badge.dataset.status = m.status ?? 'none';
        badge.textContent = m.status ?? 'no data';
        status.append(badge);
        tr.append(status, cell(when(m.collected_at)));
        return tr;
      });
      document.getElementById('models').replaceChildren(...rows);
    } catch (error) {
      note.dataset.status = 'error';
      note.textContent = `Could not load the metrics: ${error.message}`;
    }
  }

  const timeAxis = { type: 'linear', ticks: { callback: (value) => new Date(value).toLocaleTimeString(), maxTicksLimit: 8 } };

  async function loadHistory() {
    const hours = document.getElementById('hours').value;
    try {
      const history = await getJson(`/history?hours=${hours}`);
      const datasets = history.data.map((series, i) => ({
        label: series.model,
        data: series.data_points.filter((p) => p.p95_latency_ms !== null).map((p) => ({ x: Date.parse(p.timestamp), y: p.p95_latency_ms })),
        borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length],
        tension: 0.2,
      }));
      if (!charts.history) {
        charts.history = new Chart(document.getElementById('history-chart'), {
          type: 'line',
          data: { datasets },
          options: {
            animation: false,
            maintainAspectRatio: false,
            parsing: { xAxisKey: 'x', yAxisKey: 'y' },
            scales: { x: timeAxis, y: { title: { display: true, text: 'p95 (ms)' }, beginAtZero: true } },
          },
        });
      } else {
        charts.history.data.datasets = datasets;
        charts.history.update('none');
      }
    } catch (error) {
      document.getElementById('collection').textContent += ` History unavailable: ${error.message}`;
    }
  }

  async function loadResources() {
    const note = document.getElementById('resources-note');
    try {
      const list = await getJson('/resources');
      note.textContent = `From ${list.metrics.map((m) => m.name).join(' and ')}; last 15 minutes.`;
      const container = document.getElementById('resources');
      for (const service of list.services) {
        const series = await getJson(`/resources/${encodeURIComponent(service)}?minutes=15&step=15`);
        const cpu = series.data.map((p) => ({ x: Date.parse(p.timestamp), y: p.cpu_cores }));
        const memory = series.data.map((p) => ({ x: Date.parse(p.timestamp), y: p.memory_bytes === null ? null : p.memory_bytes / 1048576 }));
        let chart = charts.resources.get(service);
        if (!chart) {
          const block = document.createElement('div');
          block.className = 'resource';
          block.dataset.service = service;
          const title = document.createElement('h3');
          title.textContent = service;
          const holder = document.createElement('div');
          holder.className = 'chart';
          const canvas = document.createElement('canvas');
          holder.append(canvas);
          block.append(title, holder);
          container.append(block);
          chart = new Chart(canvas, {
            type: 'line',
            data: {
              datasets: [
                { label: 'CPU (cores)', data: cpu, yAxisID: 'cpu', borderColor: COLOURS[0], backgroundColor: COLOURS[0] },
                { label: 'Memory (MiB)', data: memory, yAxisID: 'memory', borderColor: COLOURS[3], backgroundColor: COLOURS[3] },
              ],
            },
            options: {
              animation: false,
              maintainAspectRatio: false,
              scales: {
                x: timeAxis,
                cpu: { position: 'left', beginAtZero: true },
                memory: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } },
              },
            },
          });
          charts.resources.set(service, chart);
        } else {
          chart.data.datasets[0].data = cpu;
          chart.data.datasets[1].data = memory;
          chart.update('none');
        }
      }
    } catch (error) {
      note.textContent = `Resources unavailable: ${error.message}`;
    }
  }

  const refresh = () => Promise.all([loadLatency(), loadHistory(), loadResources()]);
  document.getElementById('hours').addEventListener('change', loadHistory);
  refresh();
  setInterval(refresh, refreshSeconds * 1000);
})();

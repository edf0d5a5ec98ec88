// The lots page: lot rows (filter, page, add, CSV, retire), the daily batch's attempts with live progress, a date's results.
(() => {
  'use strict';
  const api = '/api/v1';
  const $ = (id) => document.getElementById(id);
  const headers = (json) => {
    const token = sessionStorage.getItem('vista.accessToken');
    return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) };
  };
  const call = async (method, path, body) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const fields = (answer.errors || []).map((e) => `${e.path}: ${e.message}`).join('; ');
      throw new Error(`${answer.detail || answer.title || `HTTP ${response.status}`}${fields ? ` (${fields})` : ''}`);
    }
    return answer;
  };
  const say = (text, kind = 'info') => {
    $('message').dataset.kind = kind;
    $('message').textContent = text;
  };
  const cell = (text, className) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  };
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : '–');
  const query = (form) =>
    new URLSearchParams([...new FormData(form).entries()].filter(([, v]) => String(v).trim() !== '').map(([k, v]) => [k, String(v).trim()]));

  // ---- Batches: newest first, refreshed every 2 s while one runs, every 30 s otherwise.
  let batchCursor = null;
  let batchTimer = null;
  function batchRow(a) {
    const tr = document.createElement('tr');
    tr.dataset.attempt = a.attemptId;
    const status = document.createElement('td');
    const badge = document.createElement('span');
    badge.className = `status status-${a.status}`;
    badge.textContent = a.current ? `${a.status} (shown)` : a.status;
    status.append(badge);
    const progress = document.createElement('td');
    const bar = document.createElement('progress');
    bar.max = Math.max(1, a.totalRows);
    bar.value = a.predictedRows;
    progress.append(bar, ` ${a.predictedRows}/${a.totalRows}`);
    tr.append(
      cell(a.businessDate),
      cell(`${a.trigger} · ${a.actor}`),
      status,
      progress,
      cell(String(a.skippedRows)),
      cell(when(a.startedAt)),
      cell(when(a.finishedAt)),
      cell(a.reason || ''),
    );
    return tr;
  }
  async function loadBatches(more = false) {
    try {
      const page = await call('GET', `/batches?limit=20${more && batchCursor ? `&cursor=${batchCursor}` : ''}`);
      const rows = page.items.map(batchRow);
      if (more) $('batches').append(...rows);
      else $('batches').replaceChildren(...rows);
      batchCursor = page.nextCursor;
      $('batches-more').hidden = !page.nextCursor;
      clearTimeout(batchTimer);
      batchTimer = setTimeout(() => loadBatches(), page.items.some((a) => a.status === 'running') ? 2000 : 30000);
    } catch (error) {
      say(`Could not load the batch history: ${error.message}`, 'error');
    }
  }
  $('batches-more').addEventListener('click', () => loadBatches(true));
  $('run-batch').addEventListener('submit', async (event) => {
    event.preventDefault();
    const date = new FormData(event.target).get('date');
    try {
      const attempt = await call('POST', '/batches', { date });
      say(attempt.status === 'unchanged' ? `No change for ${date}: ${attempt.reason}` : `Batch for ${date} started (attempt ${attempt.attemptId}).`);
      loadBatches();
    } catch (error) {
      say(`The batch did not start: ${error.message}`, 'error');
    }
  });

  // ---- Results of a date.
  let resultsCursor = null;
  // Only the newest request's answer is shown: an earlier one (e.g. the first load) may come back later.
  let resultsRequest = 0;
  async function loadResults(more = false) {
    const form = $('results-form');
    const params = query(form);
    params.set('limit', '200');
    if (more && resultsCursor) params.set('cursor', resultsCursor);
    const request = ++resultsRequest;
    try {
      const page = await call('GET', `/lots/results?${params}`);
      if (request !== resultsRequest) return;
      $('results-note').textContent = page.attemptId
        ? `Attempt ${page.attemptId}, published ${when(page.publishedAt)}, inputs digest ${page.digest.slice(0, 12)}…`
        : `No results for ${page.businessDate} yet.`;
      const rows = page.items.map((r) => {
        const tr = document.createElement('tr');
        tr.append(
          cell(r.lotId),
          cell(r.product),
          cell(r.processStep),
          cell(r.equipment),
          cell(String(r.waferCount)),
          cell(`${r.setupModelId.slice(0, 8)}… (v${r.modelVersion})`),
          cell(JSON.stringify(r.factors), 'factors'),
          cell(`${r.response} = ${r.prediction.toPrecision(6)}`),
        );
        return tr;
      });
      if (more) $('results').append(...rows);
      else $('results').replaceChildren(...rows);
      resultsCursor = page.nextCursor;
      $('results-more').hidden = !page.nextCursor;
    } catch (error) {
      say(`Could not load the results: ${error.message}`, 'error');
    }
  }
  $('results-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadResults();
  });
  $('results-more').addEventListener('click', () => loadResults(true));
  $('results-csv').addEventListener('click', async () => {
    const params = query($('results-form'));
    if (!params.get('date')) return say('Choose a business date first.', 'error');
    params.set('format', 'csv');
    const response = await fetch(`${api}/lots/results?${params}`, { headers: headers(false) });
    if (!response.ok) return say(`The download failed: HTTP ${response.status}`, 'error');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = `lot-results-${params.get('date')}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  });

  // ---- Lot rows.
  let lotsCursor = null;
  async function loadLots(more = false) {
    const params = query($('lots-filter'));
    params.set('limit', '100');
    if (more && lotsCursor) params.set('cursor', lotsCursor);
    try {
      const page = await call('GET', `/lots?${params}`);
      const rows = page.items.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.row = r.rowId;
        const action = document.createElement('td');
        if (r.status === 'active') {
          const retire = document.createElement('button');
          retire.type = 'button';
          retire.textContent = 'Retire';
          retire.addEventListener('click', async () => {
            const reason = prompt(`Why does lot ${r.lotId} leave the daily batch?`);
            if (!reason) return;
            try {
              await call('POST', `/lots/${r.rowId}/retire`, { reason });
              say(`Lot ${r.lotId} retired.`);
              loadLots();
            } catch (error) {
              say(`Could not retire: ${error.message}`, 'error');
            }
          });
          action.append(retire);
        }
        tr.append(
          cell(r.lotId),
          cell(r.product),
          cell(r.processStep),
          cell(r.equipment),
          cell(String(r.waferCount)),
          cell(r.setupModelId),
          cell(JSON.stringify(r.factors), 'factors'),
          cell(r.status),
          cell(String(r.version)),
          action,
        );
        return tr;
      });
      if (more) $('lots').append(...rows);
      else $('lots').replaceChildren(...rows);
      lotsCursor = page.nextCursor;
      $('lots-more').hidden = !page.nextCursor;
    } catch (error) {
      say(`Could not load the lot rows: ${error.message}`, 'error');
    }
  }
  $('lots-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    loadLots();
  });
  $('lots-more').addEventListener('click', () => loadLots(true));
  $('add-row').addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries([...new FormData(event.target).entries()].filter(([, v]) => String(v).trim() !== ''));
    try {
      const row = { ...fields, waferCount: Number(fields.waferCount), factors: JSON.parse(fields.factors || '{}') };
      const answer = await call('POST', '/lots', row);
      say(`Row added: lot ${answer.rows[0].lotId} (${answer.rows[0].rowId}).`);
      event.target.reset();
      loadLots();
    } catch (error) {
      say(`The row was not added: ${error.message}`, 'error');
    }
  });
  $('add-csv').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const answer = await call('POST', '/lots/csv', { csv: new FormData(event.target).get('csv') });
      say(`${answer.added} rows added.`);
      loadLots();
    } catch (error) {
      say(`Nothing was added: ${error.message}`, 'error');
    }
  });

  const today = new Date().toISOString().slice(0, 10);
  for (const input of document.querySelectorAll('input[type=date]')) input.value = today;
  if (!sessionStorage.getItem('vista.accessToken')) say('Log in on the dashboard first (its "Log in" button); this page uses the same session.', 'error');
  loadBatches();
  loadLots();
  loadResults();
})();

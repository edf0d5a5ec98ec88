// Vista dashboard: the kit list and one kit's state at three depths, refreshed every 2 s; the
// latest run's stages (with ML steps, attempts, times, reasons and the optimum), its stop / retry,
// and a job's log lines on demand. The state is fetched with If-None-Match, so an unchanged kit
// costs a 304 and no rendering.
(() => {
  'use strict';

  const REFRESH_MS = 2000;
  const api = '/api/v1';
  const $ = (id) => document.getElementById(id);
  let selectedKit = null;
  let stateEtag = null;
  let lastState = null;
  let shownLogs = null;

  const ENDED = ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'];
  const RETRYABLE = ['FAILED', 'TIMEOUT', 'CANCELLED'];
  const STAGE_NAMES = { deck: 'Deck collection', doe: 'DOE', ml: 'ML', optimize: 'Optimize' };

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
    return node;
  };
  const status = (value) => el('span', { class: `status status-${value}` }, value ?? '');
  const time = (value) => (value ? new Date(value).toLocaleString() : '');
  const took = (from, to) => {
    if (!from || !to) return '';
    const seconds = (new Date(to) - new Date(from)) / 1000;
    return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  };
  const number = (value) => (typeof value === 'number' ? String(Number(value.toPrecision(4))) : String(value ?? ''));
  const pairs = (object) =>
    Object.entries(object ?? {})
      .map(([key, value]) => `${key} = ${number(value)}`)
      .join(', ');

  async function problemText(response) {
    try {
      const problem = await response.json();
      return `${problem.title}: ${problem.detail}`;
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  async function refreshKits() {
    try {
      const response = await fetch(`${api}/kits?page=1&pageSize=50`, { cache: 'no-store' });
      if (!response.ok) throw new Error(await problemText(response));
      const page = await response.json();
      $('kits').replaceChildren(
        ...page.items.map((kit) =>
          el(
            'tr',
            { class: kit.kitId === selectedKit ? 'kit selected' : 'kit', onclick: () => selectKit(kit.kitId) },
            el('td', {}, String(kit.kitId)),
            el('td', {}, status(kit.status)),
            el('td', {}, kit.currentTask ?? ''),
            el('td', {}, String(kit.runs)),
            el('td', {}, time(kit.updatedAt)),
          ),
        ),
      );
      $('kits-note').textContent = `${page.total} kit(s)` + (page.total > page.items.length ? `, ${page.items.length} most recent shown` : '');
    } catch (error) {
      $('kits-note').textContent = `Could not load kits: ${error.message}`;
    }
  }

  function selectKit(kitId) {
    selectedKit = kitId;
    stateEtag = null;
    lastState = null;
    shownLogs = null;
    $('job-logs').hidden = true;
    $('control-note').textContent = '';
    $('kit-panel').hidden = false;
    $('kit-title').textContent = `Kit ${kitId}`;
    history.replaceState(null, '', `#kit=${kitId}`);
    for (const row of document.querySelectorAll('#kits tr')) row.classList.toggle('selected', row.firstChild?.textContent === String(kitId));
    refreshState();
  }

  async function refreshState() {
    if (selectedKit === null) return;
    const kitId = selectedKit;
    try {
      const headers = stateEtag ? { 'If-None-Match': stateEtag } : {};
      const response = await fetch(`${api}/kits/${kitId}/state`, { headers, cache: 'no-store' });
      if (kitId !== selectedKit) return;
      if (response.status === 304) {
        $('freshness').textContent = freshnessText(lastState, true);
        return;
      }
      if (!response.ok) throw new Error(await problemText(response));
      stateEtag = response.headers.get('ETag');
      lastState = await response.json();
      renderState(lastState);
    } catch (error) {
      $('freshness').textContent = `Could not load the state: ${error.message}`;
    }
  }

  function freshnessText(state, unchanged) {
    if (!state) return '';
    const projector = state.freshness.projector;
    const lag = projector ? `projector lag ${projector.lagEvents} event(s), ${projector.lagSeconds.toFixed(1)} s` : 'projector not reporting yet';
    return `Position ${state.freshness.position} · ${lag} · ${unchanged ? 'unchanged' : 'updated'} at ${new Date().toLocaleTimeString()}`;
  }

  function renderState(state) {
    $('freshness').textContent = freshnessText(state, false);
    const o = state.overall;
    const run = state.run;
    const control = run?.lastControl;
    $('overall').replaceChildren(
      ...[
        ['Status', status(o.status)],
        ['Current task', `${o.currentTask ?? '—'} (${o.currentOrder ?? '—'})`],
        ['Run', o.runId ?? '—'],
        ['Run status', run ? status(run.status) : '—'],
        ['Last control', control ? `${control.action} by ${control.actor} at ${time(control.at)}${control.reason ? ` — ${control.reason}` : ''}` : '—'],
        ['Runs', String(o.runs)],
        ['Updated', time(o.updatedAt)],
      ].flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
    );
    $('stop-run').disabled = !run || ENDED.includes(run.status);
    $('retry-run').disabled = !run || !RETRYABLE.includes(run.status);
    renderStages(state.stages ?? []);
    void renderLinked(state.links);
  }

  /** The tasks and the stage rows are behind the state's links: fetched alongside it. */
  async function renderLinked(links) {
    try {
      const [tasks, details] = await Promise.all(
        [links.tasks, links.details].map(async (url) => {
          if (!url) return undefined;
          const response = await fetch(url, { cache: 'no-store' });
          if (!response.ok) throw new Error(await problemText(response));
          return response.json();
        }),
      );
      renderTasks(tasks?.items ?? []);
      renderDetails(details ?? { deckCollection: [], doe: [], ml: [], optimize: [] });
    } catch (error) {
      $('details').replaceChildren(el('p', { class: 'note' }, `Could not load the details: ${error.message}`));
    }
  }

  function renderTasks(tasks) {
    $('jobs').replaceChildren(
      ...tasks.map((job) =>
        el(
          'tr',
          {},
          el('td', {}, String(job.currentOrder)),
          el('td', {}, job.taskName),
          el('td', {}, status(job.status)),
          el('td', {}, String(job.attempt)),
          el('td', {}, time(job.createdAt)),
          el('td', {}, job.reason ?? ''),
        ),
      ),
    );
  }

  function renderDetails(details) {
    const groups = [
      ['Deck collection', details.deckCollection],
      ['DOE', details.doe],
      ['ML', details.ml],
      ['Optimize', details.optimize],
    ].filter(([, rows]) => rows.length > 0);
    const open = new Set([...document.querySelectorAll('#details details[open]')].map((d) => d.dataset.group));
    $('details').replaceChildren(
      ...(groups.length === 0
        ? [el('p', { class: 'note' }, 'No details yet.')]
        : groups.map(([title, rows]) =>
            el(
              'details',
              open.has(title) ? { 'data-group': title, open: '' } : { 'data-group': title },
              el('summary', {}, `${title} (${rows.length})`),
              el('pre', {}, JSON.stringify(rows, null, 2)),
            ),
          )),
    );
  }

  function stageRow(stage) {
    return el(
      'tr',
      {},
      el('td', {}, STAGE_NAMES[stage.jobType] ?? stage.jobType),
      el('td', {}, status(stage.status), stage.queue ? ` ${stage.queue.position} of ${stage.queue.waiting} waiting` : ''),
      el('td', {}, String(stage.attempt)),
      el('td', {}, time(stage.startedAt)),
      el('td', {}, time(stage.finishedAt)),
      el('td', {}, took(stage.startedAt, stage.finishedAt)),
      el('td', {}, stage.reason ?? ''),
      el('td', {}, el('button', { type: 'button', onclick: () => showLogs(stage.jobId, STAGE_NAMES[stage.jobType]) }, 'Logs')),
    );
  }

  function stepRow(step) {
    const d = step.summary ?? {};
    const what =
      step.step === 'test' && step.summary
        ? `RMSE ${number(d.rmse)}, MAE ${number(d.mae)}, R² ${number(d.r2)}`
        : step.step === 'training' && step.summary
          ? `${d.algorithm} (${pairs(d.hyperparameters)})`
          : step.step === 'scaling' && step.summary
            ? d.method
            : step.step === 'preprocess' && step.summary
              ? `${d.rowsIn} → ${d.rowsOut} rows`
              : (step.reason ?? '');
    return el(
      'tr',
      { class: 'step' },
      el('td', {}, `${step.stepOrder}. ${step.step}`),
      el('td', {}, status(step.status)),
      el('td', {}, ''),
      el('td', {}, time(step.startedAt)),
      el('td', {}, time(step.finishedAt)),
      el('td', {}, took(step.startedAt, step.finishedAt)),
      el('td', {}, what),
      el('td', {}, ''),
    );
  }

  function renderStages(stages) {
    $('stages').replaceChildren(
      ...(stages.length === 0
        ? [el('tr', {}, el('td', { colspan: '8', class: 'note' }, 'No stage has started yet.'))]
        : stages.flatMap((stage) => [stageRow(stage), ...(stage.steps ?? []).map(stepRow)])),
    );
    const optimum = stages.find((s) => s.jobType === 'optimize' && s.summary)?.summary;
    $('optimize-result').replaceChildren(
      ...(optimum
        ? [
            el('h3', {}, 'Optimum'),
            el(
              'dl',
              {},
              ...[
                ['Goal', optimum.goal?.kind ?? JSON.stringify(optimum.goal)],
                ['Best settings', pairs(optimum.bestFactors)],
                ['Predicted', pairs(optimum.predicted)],
                ['Objective', number(optimum.objective)],
                ['Search', `${optimum.evaluations} evaluations from ${optimum.starts} starts`],
              ].flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
            ),
          ]
        : []),
    );
    if (shownLogs) showLogs(shownLogs.jobId, shownLogs.title);
  }

  async function showLogs(jobId, title) {
    shownLogs = { jobId, title };
    try {
      const response = await fetch(`${api}/jobs/${jobId}/logs?limit=500`, { cache: 'no-store' });
      if (!response.ok) throw new Error(await problemText(response));
      const page = await response.json();
      $('job-logs-title').textContent = `${title} log`;
      $('job-logs-lines').replaceChildren(
        ...(page.items.length === 0
          ? ['No lines yet.']
          : page.items.map((line) =>
              el(
                'div',
                { class: `log-${line.level}` },
                `#${line.attempt} ${time(line.at)} ${line.level.toUpperCase()} ${line.task ? `[${line.task}] ` : ''}${line.message}`,
              ),
            )),
      );
      $('job-logs').hidden = false;
    } catch (error) {
      $('job-logs-lines').textContent = `Could not load the log: ${error.message}`;
      $('job-logs').hidden = false;
    }
  }

  async function control(action) {
    const runId = lastState?.run?.runId;
    if (!runId) return;
    const reason = $('control-reason').value.trim();
    $('control-note').textContent = `${action === 'stop' ? 'Stopping' : 'Retrying'}…`;
    try {
      const response = await fetch(`${api}/runs/${runId}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reason ? { action, reason } : { action }),
      });
      if (!response.ok) throw new Error(await problemText(response));
      $('control-note').textContent = `${action === 'stop' ? 'Stop' : 'Retry'} accepted; the stages act on it.`;
      $('control-reason').value = '';
      refreshState();
    } catch (error) {
      $('control-note').textContent = error.message;
    }
  }

  $('stop-run').addEventListener('click', () => control('stop'));
  $('retry-run').addEventListener('click', () => control('retry'));

  refreshKits();
  // A link to a kit (`/#kit=42`) opens it.
  const linked = /^#kit=(\d+)$/.exec(location.hash);
  if (linked) selectKit(Number(linked[1]));
  setInterval(() => {
    refreshKits();
    refreshState();
  }, REFRESH_MS);
})();

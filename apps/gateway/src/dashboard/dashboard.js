// Vista dashboard: the kit list and one kit's state at three depths, refreshed every 2 s.
// The state is fetched with If-None-Match, so an unchanged kit costs a 304 and no rendering.
(() => {
  'use strict';

  const REFRESH_MS = 2000;
  const api = '/api/v1';
  const $ = (id) => document.getElementById(id);
  let selectedKit = null;
  let stateEtag = null;
  let lastState = null;

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
    $('kit-panel').hidden = false;
    $('kit-title').textContent = `Kit ${kitId}`;
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
    $('overall').replaceChildren(
      ...[
        ['Status', status(o.status)],
        ['Current task', `${o.currentTask ?? '—'} (${o.currentOrder ?? '—'})`],
        ['Run', o.runId ?? '—'],
        ['Runs', String(o.runs)],
        ['Updated', time(o.updatedAt)],
      ].flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
    );
    $('jobs').replaceChildren(
      ...state.jobs.map((job) =>
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
    const groups = [
      ['Deck collection', state.details.deckCollection],
      ['DOE', state.details.doe],
      ['ML', state.details.ml],
      ['Optimize', state.details.optimize],
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

  refreshKits();
  setInterval(() => {
    refreshKits();
    refreshState();
  }, REFRESH_MS);
})();

// Who is logged in: an SSO login comes back as `/#login=<tokens>`; the access token is kept in
// sessionStorage['vista.accessToken'] (every API call sends it), renewed with the refresh token before it
// expires. Pages to request a role or model access and, for admins, to decide role requests; actions the
// user may not take are hidden or disabled.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'vista.accessToken';
  const REFRESH_KEY = 'vista.refreshToken';
  const OPERATE = ['admin', 'logic.general', 'logic.model-setup', 'dram.general'];
  const login = /^#login=([\w-]+)$/.exec(location.hash);
  if (login) {
    try {
      const tokens = JSON.parse(atob(login[1].replace(/-/g, '+').replace(/_/g, '/')));
      sessionStorage.setItem(TOKEN_KEY, tokens.accessToken);
      sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
    } catch {
      // A damaged address: stay logged out.
    }
    history.replaceState(null, '', location.pathname);
  }
  const authed = (url, init = {}) => {
    const headers = new Headers(init.headers);
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(url, { ...init, headers });
  };
  const problem = async (response) => {
    const body = await response.json().catch(() => ({}));
    return body.detail ?? body.title ?? `HTTP ${response.status}`;
  };
  const item = (text, ...buttons) => {
    const li = document.createElement('li');
    li.append(document.createTextNode(text), ...buttons);
    return li;
  };
  const button = (label, onClick) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  };

  let me = null;

  async function refreshTokens() {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return;
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(REFRESH_KEY);
      return;
    }
    const tokens = await response.json();
    sessionStorage.setItem(TOKEN_KEY, tokens.accessToken);
    sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  }

  async function loadMe() {
    if (!sessionStorage.getItem(TOKEN_KEY)) return render();
    let response = await authed('/api/v1/auth/me');
    if (response.status === 401) {
      await refreshTokens();
      response = await authed('/api/v1/auth/me');
    }
    me = response.ok ? await response.json() : null;
    render();
  }

  function render() {
    const roles = me?.roles ?? [];
    $('who').textContent = me ? `${me.name} (${roles.length ? roles.join(', ') : 'no role yet'})` : 'Not logged in';
    $('login').hidden = Boolean(me);
    $('logout').hidden = !me;
    $('access-link').hidden = !me;
    $('access-panel').hidden = !me || location.hash !== '#access';
    $('my-roles').textContent = roles.length ? roles.join(', ') : 'none yet';
    $('admin-panel').hidden = !roles.includes('admin');
    // Stop and retry are for users with a pipeline role.
    const operate = roles.some((role) => OPERATE.includes(role));
    for (const id of ['stop-run', 'retry-run']) {
      $(id).disabled = !operate;
      $(id).title = operate ? '' : 'Needs one of the roles ' + OPERATE.join(', ');
    }
    if (me && location.hash === '#access') void loadAccess();
  }

  async function loadAccess() {
    const [requests, models, accessRequests] = await Promise.all(
      ['/api/v1/role-requests', '/api/v1/setup-models', '/api/v1/model-access-requests'].map((url) => authed(url).then((r) => (r.ok ? r.json() : []))),
    );
    $('my-role-requests').replaceChildren(
      ...requests.filter((r) => r.userId === me.userId).map((r) => item(`${r.role}: ${r.status}${r.decision ? ` — ${r.decision.reason}` : ''}`)),
    );
    $('model-choice').replaceChildren(
      ...models.filter((m) => !m.canUse).map((m) => Object.assign(document.createElement('option'), { value: m.setupModelId, textContent: m.name })),
    );
    $('model-access-form').hidden = !models.some((m) => !m.canUse);
    $('model-requests').replaceChildren(
      ...accessRequests.map((r) => {
        const name = models.find((m) => m.setupModelId === r.setupModelId)?.name ?? r.setupModelId;
        const decide = (decision) => async () => {
          const response = await authed(`/api/v1/model-access-requests/${r.requestId}/decision`, {
            method: 'POST',
            body: JSON.stringify({ decision, reason: `${decision} in the dashboard` }),
          });
          if (!response.ok) alert(await problem(response));
          void loadAccess();
        };
        const mayDecide = r.status === 'pending' && r.userId !== me.userId;
        return item(`${name}: ${r.status}`, ...(mayDecide ? [button('Approve', decide('approved')), button('Reject', decide('rejected'))] : []));
      }),
    );
    if (me.roles.includes('admin')) {
      $('pending-role-requests').replaceChildren(
        ...requests
          .filter((r) => r.status === 'pending')
          .map((r) => {
            const decide = (decision) => async () => {
              const response = await authed(`/api/v1/role-requests/${r.requestId}/decision`, {
                method: 'POST',
                body: JSON.stringify({ decision, reason: `${decision} in the dashboard` }),
              });
              if (!response.ok) alert(await problem(response));
              void loadAccess();
            };
            return item(`${r.role} for ${r.userId}: ${r.reason} `, button('Approve', decide('approved')), button('Reject', decide('rejected')));
          }),
      );
    }
  }

  $('role-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await authed('/api/v1/role-requests', {
      method: 'POST',
      body: JSON.stringify({ role: $('role-choice').value, reason: $('role-reason').value }),
    });
    $('role-note').textContent = response.ok ? 'Requested: waiting for an admin.' : await problem(response);
    if (response.ok) void loadAccess();
  });
  $('model-access-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await authed(`/api/v1/setup-models/${$('model-choice').value}/access-requests`, {
      method: 'POST',
      body: JSON.stringify({ reason: $('model-reason').value }),
    });
    const body = response.ok ? await response.json() : null;
    $('model-note').textContent = body ? (body.status === 'already-granted' ? body.message : 'Requested: waiting for the owner.') : await problem(response);
    if (response.ok) void loadAccess();
  });
  $('logout').addEventListener('click', async () => {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (refreshToken)
      await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
    sessionStorage.clear();
    me = null;
    render();
  });
  window.addEventListener('hashchange', render);
  void loadMe();
  // Renew the short-lived access token while the page is open.
  setInterval(() => void refreshTokens(), 4 * 60 * 1000);
})();

// Vista dashboard: the kit list and one kit's state at three depths, refreshed every 2 s; the
// latest run's stages (with ML steps, attempts, times, reasons and the optimum), its stop / retry,
// and a job's log lines on demand. The state is fetched with If-None-Match, so an unchanged kit
// costs a 304 and no rendering.
(() => {
  'use strict';

  const REFRESH_MS = 2000;
  const api = '/api/v1';
  const $ = (id) => document.getElementById(id);
  /** Where the login page keeps the access token; every API call sends it as `Authorization: Bearer …`. */
  const TOKEN_KEY = 'vista.accessToken';
  const apiFetch = (url, init = {}) => {
    const headers = new Headers(init.headers);
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
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

  /**
   * A keyset-paged list: its filters come from a form, `Next page` follows the answer's cursor, `First
   * page` starts again; the refresh timer reloads the page being shown (same cursor).
   */
  function pagedList({ path, query, note, render, noun }) {
    const state = { cursor: null, next: null };
    const load = async () => {
      try {
        const params = new URLSearchParams(Object.entries(query()).filter(([, v]) => v !== '' && v !== undefined));
        if (state.cursor) params.set('cursor', state.cursor);
        const response = await apiFetch(`${api}${path}?${params}`, { cache: 'no-store' });
        if (!response.ok) throw new Error(await problemText(response));
        const page = await response.json();
        state.next = page.nextCursor;
        render(page.items);
        const fresh = page.freshness?.projector ? ` · as of position ${page.freshness.position}` : '';
        $(`${note}`).textContent =
          `${page.items.length} ${noun}(s) on this page${state.cursor ? '' : ' (first page)'}${page.nextCursor ? '' : ', the last'}${fresh}`;
        $(`${noun}s-next`).disabled = !page.nextCursor;
      } catch (error) {
        $(`${note}`).textContent = `Could not load ${noun}s: ${error.message}`;
      }
    };
    $(`${noun}s-first`).addEventListener('click', () => {
      state.cursor = null;
      load();
    });
    $(`${noun}s-next`).addEventListener('click', () => {
      if (!state.next) return;
      state.cursor = state.next;
      load();
    });
    return {
      load,
      restart: () => {
        state.cursor = null;
        return load();
      },
    };
  }

  let shownKits = [];
  const kitList = pagedList({
    path: '/kits',
    noun: 'kit',
    note: 'kits-note',
    query: () => ({ pageSize: 20, q: $('kit-q').value.trim(), status: $('kit-status').value, archived: $('kit-archived').value, sort: $('kit-sort').value }),
    render: (kits) => {
      shownKits = kits;
      $('kits').replaceChildren(
        ...kits.map((kit) =>
          el(
            'tr',
            { class: `kit${kit.kitId === selectedKit ? ' selected' : ''}${kit.archived ? ' archived' : ''}`, onclick: () => selectKit(kit.kitId) },
            el('td', {}, String(kit.kitId)),
            el('td', {}, kit.name ?? ''),
            el('td', {}, status(kit.status)),
            el('td', {}, kit.currentTask ?? ''),
            el('td', {}, String(kit.runs)),
            el('td', {}, time(kit.updatedAt)),
          ),
        ),
      );
    },
  });
  const refreshKits = () => kitList.load();
  $('kit-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    kitList.restart();
  });

  /** The kit form: empty to create a kit, filled with the selected kit to change or archive it. */
  function editKit(kit) {
    $('kit-form-id').value = kit ? String(kit.kitId) : '';
    $('kit-form-title').textContent = kit ? `Kit ${kit.kitId}` : 'New kit';
    $('kit-name').value = kit?.name ?? '';
    $('kit-description').value = kit?.description ?? '';
    $('kit-params').value = kit?.defaultParams && Object.keys(kit.defaultParams).length ? JSON.stringify(kit.defaultParams) : '';
    $('kit-save').textContent = kit ? 'Save kit' : 'Create kit';
    $('kit-archive').hidden = !kit || kit.archived;
    $('kit-form-note').textContent = kit?.archived ? 'Archived.' : '';
  }
  $('kit-new').addEventListener('click', () => editKit(null));
  $('kit-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const kitId = $('kit-form-id').value;
    const body = { name: $('kit-name').value.trim() };
    const description = $('kit-description').value.trim();
    if (description || kitId) body.description = description || null;
    try {
      const params = $('kit-params').value.trim();
      if (params) body.defaultParams = JSON.parse(params);
    } catch {
      $('kit-form-note').textContent = 'Default run parameters: not valid JSON.';
      return;
    }
    const response = await apiFetch(kitId ? `${api}/kits/${kitId}` : `${api}/kits`, {
      method: kitId ? 'PATCH' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      $('kit-form-note').textContent = await problemText(response);
      return;
    }
    const kit = await response.json();
    editKit(kit);
    $('kit-form-note').textContent = kitId ? 'Saved.' : `Kit ${kit.kitId} created.`;
    kitList.load();
  });
  $('kit-archive').addEventListener('click', async () => {
    const kitId = $('kit-form-id').value;
    if (!kitId) return;
    const response = await apiFetch(`${api}/kits/${kitId}/archive`, { method: 'POST' });
    $('kit-form-note').textContent = response.ok ? 'Archived: hidden from the list unless archived kits are shown.' : await problemText(response);
    if (response.ok) {
      $('kit-archive').hidden = true;
      kitList.load();
    }
  });

  const localToIso = (value) => (value ? new Date(value).toISOString() : '');
  const deckList = pagedList({
    path: '/decks',
    noun: 'deck',
    note: 'decks-note',
    query: () => ({
      pageSize: 20,
      q: $('deck-q').value.trim(),
      datasetType: $('deck-type').value,
      createdFrom: localToIso($('deck-from').value),
      createdTo: localToIso($('deck-to').value),
      archived: $('deck-archived').value,
      sort: $('deck-sort').value,
    }),
    render: (decks) =>
      $('decks').replaceChildren(
        ...decks.map((deck) =>
          el(
            'tr',
            { class: deck.archived ? 'archived' : '' },
            el('td', {}, deck.name),
            el('td', {}, deck.datasetType),
            el('td', {}, String(deck.rowCount)),
            el('td', {}, deck.groundTruth ?? ''),
            el('td', {}, time(deck.ingestedAt)),
            el('td', {}, el('button', { type: 'button', onclick: () => editDeck(deck) }, 'Edit')),
          ),
        ),
      ),
  });
  $('deck-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    deckList.restart();
  });

  function editDeck(deck) {
    $('deck-form').hidden = false;
    $('deck-form-id').value = deck.deckId;
    $('deck-form-title').textContent = `Dataset ${deck.name}${deck.archived ? ' (archived)' : ''}`;
    $('deck-name').value = deck.name;
    $('deck-description').value = deck.description ?? '';
    $('deck-form-type').value = deck.datasetType;
    $('deck-ground-truth').value = deck.groundTruth ?? '';
    $('deck-archive').hidden = deck.archived;
    $('deck-form-note').textContent = '';
  }
  $('deck-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const deckId = $('deck-form-id').value;
    const body = {
      name: $('deck-name').value.trim(),
      description: $('deck-description').value.trim() || null,
      datasetType: $('deck-form-type').value,
      groundTruth: $('deck-ground-truth').value.trim() || null,
    };
    const response = await apiFetch(`${api}/decks/${deckId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    $('deck-form-note').textContent = response.ok ? 'Saved.' : await problemText(response);
    if (response.ok) deckList.load();
  });
  $('deck-archive').addEventListener('click', async () => {
    const response = await apiFetch(`${api}/decks/${$('deck-form-id').value}/archive`, { method: 'POST' });
    $('deck-form-note').textContent = response.ok ? 'Archived: hidden from the list unless archived datasets are shown.' : await problemText(response);
    if (response.ok) {
      $('deck-archive').hidden = true;
      deckList.load();
    }
  });
  $('deck-download').addEventListener('click', async () => {
    // Fetched with the caller's token, then saved: a plain link would not send it.
    const response = await apiFetch(`${api}/decks/${$('deck-form-id').value}/download`);
    if (!response.ok) {
      $('deck-form-note').textContent = await problemText(response);
      return;
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'dataset.csv';
    const link = el('a', { href: URL.createObjectURL(await response.blob()), download: name });
    link.click();
    URL.revokeObjectURL(link.href);
  });

  function selectKit(kitId) {
    selectedKit = kitId;
    const shown = shownKits.find((kit) => kit.kitId === kitId);
    if (shown) editKit(shown);
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
      const response = await apiFetch(`${api}/kits/${kitId}/state`, { headers, cache: 'no-store' });
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
          const response = await apiFetch(url, { cache: 'no-store' });
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
      const response = await apiFetch(`${api}/jobs/${jobId}/logs?limit=500`, { cache: 'no-store' });
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
      const response = await apiFetch(`${api}/runs/${runId}/control`, {
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
  deckList.load();
  // A link to a kit (`/#kit=42`) opens it.
  const linked = /^#kit=(\d+)$/.exec(location.hash);
  if (linked) selectKit(Number(linked[1]));
  setInterval(() => {
    refreshKits();
    refreshState();
  }, REFRESH_MS);
})();

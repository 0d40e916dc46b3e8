// Mounts the Elsa Studio custom element of a /designer page once the session is known to be good: the Studio shows an
// unrecoverable error bar on a 401, so a lapsed session gets a sign-in link instead. Callbacks (JS functions set as
// camelCase properties) are set only after customElements.whenDefined, or Blazor never sees them.
// The Studio takes its culture from localStorage (BlazorCulture) when its runtime starts; this runs before that, so
// the Studio follows the page's language: zh-CN unless the user chose English. Only MudBlazor's own texts, dates and
// numbers follow it (the bundle ships MudBlazor's zh-Hans translations but no Chinese texts for Elsa's own labels).
try {
  localStorage.setItem('BlazorCulture', (document.documentElement.lang || '').toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN');
} catch {
  // Storage disabled: the Studio stays in its default en-US.
}

(async () => {
  const host = document.getElementById('studio-host');
  if (!host) {
    return;
  }

  const tag = host.dataset.element;
  const loading = document.getElementById('studio-loading');
  let ok = false;
  try {
    const answer = await fetch(host.dataset.sessionCheck, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    ok = answer.ok;
  } catch {
    ok = false;
  }

  if (!ok) {
    loading.hidden = true;
    document.getElementById('studio-session').hidden = false;
    return;
  }

  const element = document.createElement(tag);
  element.setAttribute('remote-endpoint', location.origin + '/elsa/api');
  for (const [name, value] of Object.entries(JSON.parse(host.dataset.attributes || '{}'))) {
    element.setAttribute(name, value);
  }

  host.appendChild(element);
  await customElements.whenDefined(tag);
  loading.hidden = true;
  const go = path => { location.href = path; };
  if (tag === 'elsa-workflow-definition-list') {
    element.editWorkflowDefinition = id => go('/designer/' + encodeURIComponent(id));
  } else if (tag === 'elsa-workflow-instance-list') {
    element.viewWorkflowInstance = id => go('/designer/instances/' + encodeURIComponent(id));
  } else if (tag === 'elsa-workflow-instance-viewer') {
    element.editWorkflowDefinition = id => go('/designer/' + encodeURIComponent(id));
  }
})();

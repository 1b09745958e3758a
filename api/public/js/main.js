// The web page of Entente: a router over the hash (#/…) and the views. What one render needs —
// the API client, the labels in the reader's language, the formats, who is signed in — travels
// in a context object built for that render; nothing global changes under a view's feet.

import { apiClient, credentialStore, openInTab, problemText } from './api.js';
import { chooseLanguage, chosenLanguage, labelsFor, loadLabels } from './labels.js';
import { formatsFor } from './format.js';
import { el } from './dom.js';
import { forgetDrafts } from './forms.js';
import { actionLinkView, linkRefusedView } from './views/action-link.js';
import { deskView } from './views/desk.js';
import { partnershipView } from './views/partnership.js';
import { partnershipsView } from './views/partnerships.js';
import { registerView } from './views/register.js';
import { sessionEndedView, signInView } from './views/sign-in.js';

/**
 * The page: `render()` shows what the address names. The labels and the OpenAPI document are
 * read once per page load and kept in this closure; the credential lives in sessionStorage.
 */
function createPage({ main, header }) {
  const credentials = credentialStore();
  const call = apiClient(credentials);
  let labelsOnce;
  let openapiOnce;
  const labels = () => (labelsOnce ??= loadLabels(call));
  const openapi = () =>
    (openapiOnce ??= call('GET', '/openapi.json', { anonymous: true }).then((res) => {
      if (res.status !== 200) openapiOnce = undefined;
      return res.status === 200 ? res.body : undefined;
    }));
  // A render that started earlier must not overwrite the page once a later one began.
  let renders = 0;
  // Why the last action link opened nothing, kept (not the token) so that the page can say it
  // again in the other language.
  let refusal;
  // What the last command did, said once on the next page shown.
  let announcement;

  async function render() {
    const mine = ++renders;
    // Busy until this render's page is shown (assistive technology, and tests, wait for it).
    main.setAttribute('aria-busy', 'true');
    try {
      await show(mine);
    } finally {
      if (mine === renders) main.removeAttribute('aria-busy');
    }
  }

  async function show(mine) {
    const language = chosenLanguage();
    const L = labelsFor(await labels(), language);
    const formats = formatsFor(L.locale);
    const target = el('div');
    const ctx = {
      call,
      credentials,
      labels: L,
      formats,
      main: target,
      me: undefined,
      openapi: undefined,
      render,
      refusal: () => refusal,
      announce: (text) => {
        announcement = text;
      },
      announced: () => {
        const text = announcement;
        announcement = undefined;
        return text;
      },
      rememberRefusal: (refused) => {
        refusal = refused;
      },
      openText: (url) => openInTab(call, url).then((res) => res.status === 200 || alert(problemText(res.body))),
      openAgreement: (id) =>
        openInTab(call, `/partnerships/${encodeURIComponent(id)}/agreement`, 'text/html').then((res) => res.status === 200 || alert(problemText(res.body))),
    };
    showHeader(ctx, header, undefined);
    const commit = () => {
      if (mine === renders) main.replaceChildren(...target.childNodes);
    };

    const [, view, id, sub] = location.hash.split('?')[0].split('/');
    if (view === 'act' && id) {
      // The action link's landing commits its own pages: it may render again after the exchange.
      ctx.main = main;
      return actionLinkView(ctx, decodeURIComponent(id));
    }
    if (view === 'act' && refusal) {
      linkRefusedView(ctx, refusal);
      return commit();
    }
    const credential = credentials.get();
    if (!credential) {
      signInView(ctx);
      return commit();
    }
    const [me, doc] = await Promise.all([call('GET', '/me'), openapi()]);
    if (me.status !== 200) {
      credentials.forget();
      showHeader(ctx, header, undefined);
      if (credential.via === 'link') sessionEndedView(ctx, problemText(me.body));
      else signInView(ctx, problemText(me.body));
      return commit();
    }
    ctx.me = me.body;
    ctx.openapi = doc;
    showHeader(ctx, header, ctx.me);
    if (view === 'p' && id && sub === 'decisions') await registerView(ctx, decodeURIComponent(id));
    else if (view === 'p' && id) await partnershipView(ctx, decodeURIComponent(id));
    else if (ctx.me.role !== 'coordinator') {
      location.hash = `#/p/${encodeURIComponent(ctx.me.partnershipId)}`;
      return;
    } else if (view === 'partnerships') await partnershipsView(ctx);
    else await deskView(ctx);
    commit();
  }

  function showHeader(ctx, { who, language, signOut, docs }, me) {
    const L = ctx.labels;
    document.documentElement.lang = L.language;
    // The other language, named in itself.
    language.textContent = L.t('ui.otherLanguage');
    language.lang = L.language === 'fr' ? 'en' : 'fr';
    docs.textContent = L.t('ui.apiReference');
    signOut.hidden = !me;
    signOut.textContent = L.t('ui.signOut');
    who.textContent = !me
      ? ''
      : me.role === 'coordinator'
        ? L.role('coordinator')
        : L.t('ui.whoParty', { role: L.role(me.role), party: me.partyId, partnership: me.partnershipId });
  }

  return {
    render,
    switchLanguage() {
      chooseLanguage(chosenLanguage() === 'fr' ? 'en' : 'fr');
      return render();
    },
    signOut() {
      credentials.forget();
      forgetDrafts();
      location.hash = '#/';
      return render();
    },
  };
}

const header = {
  who: document.getElementById('who'),
  language: document.getElementById('language'),
  signOut: document.getElementById('sign-out'),
  docs: document.getElementById('docs'),
};
const page = createPage({ main: document.getElementById('main'), header });
header.language.addEventListener('click', () => void page.switchLanguage());
header.signOut.addEventListener('click', () => void page.signOut());
window.addEventListener('hashchange', () => void page.render());
void page.render();

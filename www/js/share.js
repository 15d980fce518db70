// Sharing the current view: "Copy link", and the Embed dialog with an iframe snippet and a
// <resnet-playground> snippet. The snippet builders touch no DOM, so `node --test` checks them.

import { HEIGHT_MESSAGE } from './embed.js';

const escapeAttribute = (text) => String(text).replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/** The iframe and the listener that sets its height (README, "Embedding"). */
export function iframeSnippet(pageUrl, query) {
  const src = new URL(pageUrl);
  src.search = query; // from withPageParams: it has embed=1
  return [
    `<iframe src="${escapeAttribute(src.href)}" title="ResNet playground: plain and residual ` +
      'nets training live" style="width:100%;border:0" height="900" loading="lazy"></iframe>',
    `<script>addEventListener('message',(e)=>{if(e.data?.type!=='${HEIGHT_MESSAGE}')return;` +
      "for(const f of document.querySelectorAll('iframe'))if(f.contentWindow===e.source)" +
      "f.style.height=e.data.height+'px'});</script>",
  ].join('\n');
}

/** The module script and the element, its attributes the parameters of `query`. */
export function elementSnippet(scriptUrl, query) {
  const attributes = [...new URLSearchParams(query)]
    .filter(([key]) => key !== 'embed')
    .map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`).join('');
  return [
    `<script type="module" src="${escapeAttribute(scriptUrl)}"></script>`,
    `<resnet-playground${attributes}></resnet-playground>`,
  ].join('\n');
}

/**
 * Puts `text` on the clipboard; where the browser refuses (no permission, not a secure
 * origin), selects it in `field` for the user to copy. Resolves to a sentence saying which.
 */
export async function copyText(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return 'Copied to the clipboard.';
  } catch {
    field.hidden = false;
    field.value = text;
    field.focus();
    field.select();
    return 'This browser did not allow copying: the text is selected, press Ctrl+C (⌘C).';
  }
}

export class Share {
  // `link()`: the full page's URL for the current view; `embedQuery()`: the query an embedded
  // copy gets; `pageUrl` and `scriptUrl`: where the page and element.js are served.
  constructor(root, { link, embedQuery, pageUrl, scriptUrl }) {
    const byId = (id) => root.getElementById(id);
    const status = byId('copy-status');
    const copyField = byId('copy-text');
    byId('copy-link').addEventListener('click', async () => {
      copyField.hidden = true;
      status.hidden = false;
      status.querySelector('span').textContent = await copyText(link(), copyField);
    });

    const dialog = byId('embed-dialog');
    const fields = { iframe: byId('embed-iframe'), element: byId('embed-element') };
    const dialogStatus = byId('embed-copy-status');
    byId('embed-button').addEventListener('click', () => {
      fields.iframe.value = iframeSnippet(pageUrl, embedQuery());
      fields.element.value = elementSnippet(scriptUrl, embedQuery());
      dialogStatus.textContent = '';
      dialog.showModal();
      // Focus on the first copy button, so the snippet shows from its first line (not
      // `autofocus`, which browsers refuse, noisily, in a cross-origin iframe).
      dialog.querySelector('[data-copy]').focus();
    });
    for (const button of dialog.querySelectorAll('[data-copy]')) {
      const field = byId(button.dataset.copy);
      button.addEventListener('click', async () => {
        dialogStatus.textContent = await copyText(field.value, field);
      });
    }
  }
}

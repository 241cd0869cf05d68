// The client configuration a site uses with polyfind: Algolia's app id and key are ignored,
// the host is polyfind's, with the /instantsearch path (the client prefixes /1/indexes/...).
const options = new URLSearchParams(location.search);
const polyfind = new URL(options.get('polyfind'));
const host = { url: polyfind.host + '/instantsearch', protocol: polyfind.protocol.replace(':', '') };
// The tests share a busy machine: Algolia's read timeout of 2 s would fail them.
const searchClient = options.get('client') === 'v4'
  ? window.algoliasearch('polyfind', 'no-key', {
    hosts: [host], timeouts: { connect: 5, read: 20, write: 20 }, // seconds in v4
  })
  : window['algoliasearch/lite'].liteClient('polyfind', 'no-key', {
    hosts: [{ ...host, accept: 'read' }], timeouts: { connect: 5000, read: 20000, write: 20000 },
  });

const search = instantsearch({ indexName: 'articles', searchClient });
window.polyfindErrors = [];
search.on('error', (event) => window.polyfindErrors.push(String(event.error || event)));

search.addWidgets([
  instantsearch.widgets.configure({ hitsPerPage: 3 }),
  instantsearch.widgets.searchBox({ container: '#searchbox', placeholder: 'Search' }),
  instantsearch.widgets.stats({ container: '#stats' }),
  instantsearch.widgets.refinementList({ container: '#lang', attribute: 'lang' }),
  instantsearch.widgets.hits({
    container: '#hits',
    templates: {
      item: (hit, { html, components }) => html`
        <article lang="${hit.lang}" data-id="${hit.objectID}">
          <h2><a href="${hit.url}">${components.Highlight({ attribute: 'title', hit })}</a></h2>
          <p class="snippet">${components.Snippet({ attribute: 'body', hit })}</p>
        </article>`,
      empty: (results, { html }) => html`<p class="no-hits">No hits for “${results.query}”.</p>`,
    },
  }),
  instantsearch.widgets.pagination({ container: '#pagination' }),
]);
search.start();

// For the tests: the query, page and languages whose results are on screen.
search.on('render', () => {
  const results = search.helper && search.helper.lastResults;
  if (results && search.status === 'idle') {
    document.body.dataset.renderedQuery = results.query;
    document.body.dataset.renderedPage = String(results.page);
    document.body.dataset.renderedLangs = results.getRefinements().map((r) => r.name).sort().join();
  }
});

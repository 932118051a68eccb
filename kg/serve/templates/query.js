// The query page: YASGUI on the page's own endpoint, the example queries, the project's prefixes.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const endpoint = new URL(data.endpoint, window.location.href).href;
  const examples = new Map(data.examples);
  const Yasqe = Yasgui.Yasqe;

  // Class and property autocompletion look terms up on another host: off (the bundle's look-up is
  // also cut out by tools/vendor_yasgui.py). The defaults are changed in place: YASGUI merges
  // arrays index by index, so a shorter list passed in the config would not remove them.
  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter((name) => name !== "class" && name !== "property");
  // Prefix autocompletion (and the PREFIX line added when a known prefix is typed) offers the
  // project's prefixes before the bundled list's, which has e.g. schema: as http://schema.org/.
  const prefixCompleter = Yasqe.Autocompleters.prefixes;
  const bundledPrefixes = prefixCompleter.get;
  prefixCompleter.get = function (yasqe, token) {
    return Promise.resolve(bundledPrefixes.call(this, yasqe, token)).then((list) => {
      const own = Object.keys(data.prefixes);
      return own.map((name) => name + ": <" + data.prefixes[name] + ">")
        .concat(list.filter((entry) => !own.includes(entry.slice(0, entry.indexOf(":"))))).sort();
    });
  };

  const yasgui = new Yasgui(document.getElementById("kg-yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    tabName: data.examples[0][0],  // a new tab (and the first, on a fresh profile) holds the first example
    yasqe: { value: data.examples[0][1] },
    yasr: { prefixes: data.prefixes, defaultPlugin: "table" },
  });
  yasgui.getTab().setEndpoint(endpoint);

  const buttons = document.querySelectorAll("#kg-examples button[data-query]");
  function mark(name) {
    buttons.forEach((button) => button.setAttribute("aria-current", String(button.dataset.query === name)));
  }
  buttons.forEach((button) => button.addEventListener("click", () => {
    const name = button.dataset.query;
    const tab = yasgui.getTab();
    tab.setEndpoint(endpoint);
    tab.setQuery(examples.get(name));
    tab.setName(name);
    mark(name);
    tab.getYasqe().focus();
  }));
  mark(yasgui.getTab().getName());
  window.kgQuery = { yasgui: yasgui };
  document.body.dataset.state = "ready";
})();

/* kg viz: the page's own script. It parses the JSON of #kg-data, hands the nodes and edges to
   vis-network (one canvas), and builds the details panel only when something is clicked. No text
   is ever inserted as HTML: every string goes in through textContent or createTextNode. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var T = D.ui;
  var KIND = D.kinds;                       // ["stated", "inferred", "background"]
  var N = D.nodes.length, M = D.edges.length;
  var NODE_FONT = D.options.nodes.font.color, EDGE_FONT = D.options.edges.font.color;
  var DIM_NODE = {background: D.dim.node, border: D.dim.border};
  var DIM_EDGE = {color: D.dim.edge, highlight: "#111111", hover: "#111111", inherit: false};

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? String(values[key]) : m; });
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  /* Indices: node id → position, edge id → position, edge ends, edges at each node. */
  var nodeAt = new Map(), edgeAt = new Map();
  var from = new Int32Array(M), to = new Int32Array(M), incident = [];
  var i, j;
  for (i = 0; i < N; i++) { nodeAt.set(D.nodes[i].id, i); incident.push([]); }
  for (j = 0; j < M; j++) {
    edgeAt.set(D.edges[j].id, j);
    from[j] = nodeAt.get(D.edges[j].from);
    to[j] = nodeAt.get(D.edges[j].to);
    incident[from[j]].push(j);
    incident[to[j]].push(j);
  }
  var nodeHidden = new Uint8Array(N), edgeHidden = new Uint8Array(M);
  for (i = 0; i < N; i++) { nodeHidden[i] = D.nodes[i].hidden ? 1 : 0; }
  for (j = 0; j < M; j++) { edgeHidden[j] = D.edges[j].hidden ? 1 : 0; }

  var nodes = new vis.DataSet(D.nodes);
  var edges = new vis.DataSet(D.edges);
  var network = new vis.Network($("kg-network"), {nodes: new vis.DataSet([]), edges: new vis.DataSet([])},
                                D.options);
  window.kgViz = {network: network, nodes: nodes, edges: edges};

  /* Ready: after the first draw (physics off), or once stabilised and drawn (physics on). The
     simulation is stopped after the stabilisation iterations, so nothing moves once the page says
     "ready"; dragging a node starts it again. */
  var ready = false;
  function markReady() {
    if (!ready) { ready = true; document.body.dataset.state = "ready"; }
  }
  function afterNextDraw(callback) { network.once("afterDrawing", callback); network.redraw(); }
  if (D.physics) {
    var settled = false;
    var onStable = function () {
      if (settled) { return; }
      settled = true;
      network.stopSimulation();
      fitVisible();
      afterNextDraw(markReady);
    };
    network.once("stabilizationIterationsDone", onStable);
    network.once("stabilized", onStable);
  }
  network.setData({nodes: nodes, edges: edges});
  if (!D.physics) {  // fit once the canvas has its size, then mark ready on the next frame
    afterNextDraw(function () { fitVisible(); afterNextDraw(markReady); });
  }

  function fitVisible() {
    var ids = [];
    for (var k = 0; k < N; k++) { if (!nodeHidden[k]) { ids.push(D.nodes[k].id); } }
    if (!ids.length) { return; }
    network.fit({nodes: ids, animation: false});
    network.moveTo({scale: Math.min(network.getScale() * 0.9, 1.5), animation: false});  // room for the legend
  }

  /* Words. */
  function className(c) {
    var key = D.classKeys[c];
    for (var k = 0; k < D.classes.length; k++) { if (D.classes[k][0] === key) { return D.classes[k][1]; } }
    return key;
  }
  function nodeName(k) { return D.ni[k][2]; }
  function badge(kind) { return el("span", "kg-badge kg-badge-" + KIND[kind], T[KIND[kind]]); }
  function link(k) {
    var b = el("button", "kg-link", nodeName(k));
    b.type = "button";
    b.addEventListener("click", function () { focusNode(k); });
    return b;
  }

  /* Neighbourhood highlight: everything outside the kept nodes and edges is greyed. The colours
     are changed on vis-network's own node and edge objects and one redraw follows: that is a few
     milliseconds for thousands of nodes, where DataSet updates take a second. Without those
     objects (another vis-network version) the DataSets are updated instead. */
  var dimNode = new Uint8Array(N), dimEdge = new Uint8Array(M);
  var baseNode = D.nodes.map(function (n) { return [n.color.background, n.color.border]; });
  var baseEdge = D.edges.map(function (e) { return e.color.color; });
  function paint(item, background, border, font) {
    if (!item || !item.options || !item.options.color) { return false; }
    if (border === null) { item.options.color.color = background; } else {
      item.options.color.background = background;
      item.options.color.border = border;
    }
    var label = item.labelModule;
    if (label && label.fontOptions) {  // the text colour is cached with the label's lines: re-split it
      label.fontOptions.color = font;
      label.labelDirty = true;
    }
    return true;
  }
  function highlight(keepNodes, keepEdges) {
    var body = network.body || {nodes: {}, edges: {}};
    var nu = [], eu = [], k, want, direct = true;
    for (k = 0; k < N; k++) {
      want = keepNodes && !keepNodes[k] ? 1 : 0;
      if (want === dimNode[k]) { continue; }
      dimNode[k] = want;
      direct = paint(body.nodes[D.nodes[k].id], want ? D.dim.node : baseNode[k][0],
                     want ? D.dim.border : baseNode[k][1], want ? D.dim.font : NODE_FONT) && direct;
      nu.push(want ? {id: D.nodes[k].id, color: DIM_NODE} : {id: D.nodes[k].id, color: D.nodes[k].color});
    }
    for (k = 0; k < M; k++) {
      want = keepEdges && !keepEdges[k] ? 1 : 0;
      if (want === dimEdge[k]) { continue; }
      dimEdge[k] = want;
      direct = paint(body.edges[D.edges[k].id], want ? D.dim.edge : baseEdge[k], null,
                     want ? D.dim.font : EDGE_FONT) && direct;
      eu.push(want ? {id: D.edges[k].id, color: DIM_EDGE} : {id: D.edges[k].id, color: D.edges[k].color});
    }
    if (direct) { network.redraw(); return; }
    if (nu.length) { nodes.update(nu); }
    if (eu.length) { edges.update(eu); }
  }
  function highlightNode(k) {
    var keepNodes = new Uint8Array(N), keepEdges = new Uint8Array(M);
    keepNodes[k] = 1;
    incident[k].forEach(function (e) { keepEdges[e] = 1; keepNodes[from[e]] = 1; keepNodes[to[e]] = 1; });
    highlight(keepNodes, keepEdges);
  }
  function highlightEdge(e) {
    var keepNodes = new Uint8Array(N), keepEdges = new Uint8Array(M);
    keepEdges[e] = 1;
    keepNodes[from[e]] = 1;
    keepNodes[to[e]] = 1;
    highlight(keepNodes, keepEdges);
  }

  /* The details panel, built on click. */
  var panel = $("kg-panel");
  var MAX_ITEMS = 300;

  function section(title, count) {
    panel.appendChild(el("h3", null, count === undefined ? title : title + " (" + count + ")"));
    var ul = el("ul");
    panel.appendChild(ul);
    return ul;
  }
  function more(ul, total) {
    if (total > MAX_ITEMS) { ul.appendChild(el("li", "kg-meta", fmt(T.more, {n: total - MAX_ITEMS}))); }
  }
  function sources(list) {
    var groups = [], byKey = new Map();
    list.forEach(function (k) {
      var E = D.ev[k];
      var key = E[0] + ":" + E[1] + ":" + E[2] + ":" + E[3];
      var g = byKey.get(key);
      if (!g) { g = {E: E, words: [], kind: E[4]}; byKey.set(key, g); groups.push(g); }
      var w = D.words[E[6]];
      if (g.words.indexOf(w) < 0) { g.words.push(w); }
      g.kind = Math.min(g.kind, E[4]);
    });
    panel.appendChild(el("h3", null, T.sources + " (" + groups.length + ")"));
    if (!groups.length) { panel.appendChild(el("p", "kg-meta", T.noSources)); return; }
    groups.slice(0, MAX_ITEMS).forEach(function (g) { panel.appendChild(evidence(g)); });
    if (groups.length > MAX_ITEMS) { panel.appendChild(el("p", "kg-meta", fmt(T.more, {n: groups.length - MAX_ITEMS}))); }
  }
  function evidence(g) {
    var E = g.E;
    var box = el("div", "kg-ev" + (g.kind === 1 ? " kg-ev-inferred" : ""));
    var article = E[0] >= 0 ? D.articles[E[0]][0] : "";
    var offsets = E[2] !== null && E[2] >= 0 ? "[" + E[2] + ", " + E[3] + ")" : "";
    var head = el("div", "kg-ev-head", [article, offsets, g.words.join(" · ")].filter(Boolean).join(" · "));
    head.appendChild(badge(g.kind));
    box.appendChild(head);
    var text = el("div", "kg-ev-text");
    if (E[1] >= 0 && E[2] !== null && E[2] >= 0) {
      var S = D.se[E[1]];
      var chars = Array.from(S[3]);         // offsets count code points, as in the graph
      var lo = Math.max(0, Math.min(chars.length, E[2] - S[1]));
      var hi = Math.max(lo, Math.min(chars.length, E[3] - S[1]));
      text.appendChild(document.createTextNode(chars.slice(0, lo).join("")));
      text.appendChild(el("mark", null, chars.slice(lo, hi).join("")));
      text.appendChild(document.createTextNode(chars.slice(hi).join("")));
    } else {
      text.appendChild(el("mark", null, E[7]));
    }
    box.appendChild(text);
    return box;
  }
  function heading(title, meta, kind) {
    clear(panel);
    panel.scrollTop = 0;
    panel.appendChild(el("h2", null, title));
    var line = el("div", "kg-meta", meta);
    line.appendChild(badge(kind));
    panel.appendChild(line);
  }

  function showNode(k) {
    var I = D.ni[k];
    heading(I[2], className(I[0]) + (I[3] ? " · " + I[3] : "") + (I[8] ? " · " + T.group : ""), I[1]);
    if (!I[8]) { panel.appendChild(el("div", "kg-iri", D.nodes[k].id)); }
    var ul;
    if (I[8]) {
      ul = section(T.members, I[8].length);
      I[8].slice(0, MAX_ITEMS).forEach(function (m) { ul.appendChild(el("li", null, m)); });
      more(ul, I[8].length);
    }
    if (I[5].length) {
      ul = section(T.facts);
      I[5].slice(0, MAX_ITEMS).forEach(function (f) {
        var li = el("li");
        li.appendChild(el("span", "kg-word", D.words[f[0]] + T.of));
        if (f[4] >= 0) { li.appendChild(link(f[4])); } else { li.appendChild(document.createTextNode(f[1])); }
        if (f[5] && f[5] !== "zh-hans" && f[5] !== "zh") { li.appendChild(el("span", "kg-meta", " (" + f[5] + ")")); }
        li.appendChild(badge(f[2]));
        ul.appendChild(li);
      });
      more(ul, I[5].length);
    }
    var rows = [];
    incident[k].forEach(function (e) {
      var out = from[e] === k, other = out ? to[e] : from[e];
      D.ei[e][1].forEach(function (f) { rows.push({word: D.words[f[0]], out: out, other: other, kind: f[1], note: f[3]}); });
    });
    if (rows.length) {
      rows.sort(function (a, b) {
        return a.word < b.word ? -1 : a.word > b.word ? 1 : a.out !== b.out ? (a.out ? -1 : 1)
          : nodeName(a.other) < nodeName(b.other) ? -1 : nodeName(a.other) > nodeName(b.other) ? 1 : 0;
      });
      ul = section(T.links, rows.length);
      rows.slice(0, MAX_ITEMS).forEach(function (r) {
        var li = el("li");
        li.appendChild(el("span", "kg-word", r.word + (r.out ? " → " : " ← ")));
        li.appendChild(link(r.other));
        if (r.note) { li.appendChild(el("span", "kg-meta", " " + r.note)); }
        li.appendChild(badge(r.kind));
        ul.appendChild(li);
      });
      more(ul, rows.length);
    }
    if (I[4].length) {
      ul = section(T.articles, I[4].length);
      I[4].forEach(function (a) { ul.appendChild(el("li", null, D.articles[a][0] + (D.articles[a][1] ? " · " + D.articles[a][1] : ""))); });
    }
    sources(I[6]);
  }

  function showEdge(e) {
    var info = D.ei[e];
    heading(nodeName(from[e]) + " → " + nodeName(to[e]), T.edge, info[0]);
    var ends = el("div", "kg-meta");
    ends.appendChild(link(from[e]));
    ends.appendChild(document.createTextNode(" → "));
    ends.appendChild(link(to[e]));
    panel.appendChild(ends);
    var ul = section(T.facts, info[1].length);
    var evs = [];
    info[1].forEach(function (f) {
      var li = el("li");
      li.appendChild(el("span", "kg-word", D.words[f[0]]));
      if (f[3]) { li.appendChild(document.createTextNode(T.of + f[3])); }
      li.appendChild(badge(f[1]));
      ul.appendChild(li);
      f[2].forEach(function (k) { if (evs.indexOf(k) < 0) { evs.push(k); } });
    });
    evs.sort(function (a, b) { return a - b; });
    sources(evs);
  }

  function clearPanel() {
    clear(panel);
    panel.appendChild(el("p", "kg-hint", T.hint));
  }

  function focusNode(k) {
    var id = D.nodes[k].id;
    showNode(k);
    if (nodeHidden[k]) { return; }
    network.selectNodes([id]);
    highlightNode(k);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: {duration: 300, easingFunction: "easeInOutQuad"}});
  }

  network.on("click", function (params) {
    hideTip();
    if (params.nodes.length) {
      var k = nodeAt.get(params.nodes[0]);
      showNode(k);
      highlightNode(k);
    } else if (params.edges.length) {
      var e = edgeAt.get(params.edges[0]);
      showEdge(e);
      highlightEdge(e);
    } else {
      clearPanel();
      highlight(null, null);
    }
  });

  /* Plain-text tooltips: one element, moved around. */
  var tip = $("kg-tooltip"), stage = $("kg-network");
  function showTip(text, pointer) {
    var box = stage.getBoundingClientRect();
    tip.textContent = text;
    tip.style.left = Math.round(box.left + pointer.x + 12) + "px";
    tip.style.top = Math.round(box.top + pointer.y + 12) + "px";
    tip.hidden = false;
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) {
    var k = nodeAt.get(p.node);
    showTip(nodeName(k) + " · " + className(D.ni[k][0]), p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) {
    var e = edgeAt.get(p.edge);
    showTip(nodeName(from[e]) + " → " + nodeName(to[e]) + ": " + (D.edges[e].label || ""), p.pointer.DOM);
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  /* Filters: class, article, summit (its neighbourhood), background nodes. */
  var selClass = $("kg-filter-class"), selArticle = $("kg-filter-article"), selSummit = $("kg-filter-summit");
  var showBackground = $("kg-show-background");
  var articleIndex = new Map();
  D.articles.forEach(function (a, k) { articleIndex.set(a[0], k); });

  function applyFilters() {
    var cls = selClass.value ? D.classKeys.indexOf(selClass.value) : -1;
    var art = selArticle.value ? articleIndex.get(selArticle.value) : -1;
    if (art === undefined) { art = -2; }
    var bg = showBackground.checked;
    var around = null;
    if (selSummit.value) {
      around = new Uint8Array(N);
      var s = nodeAt.get(selSummit.value);
      if (s !== undefined) {
        around[s] = 1;
        incident[s].forEach(function (e) { around[from[e]] = 1; around[to[e]] = 1; });
      }
    }
    var nu = [], eu = [], k, hide, shown = 0, links = 0;
    for (k = 0; k < N; k++) {
      var I = D.ni[k];
      var show = (bg || I[1] !== 2) && (cls < 0 || I[0] === cls) && (art === -1 || I[4].indexOf(art) >= 0)
        && (!around || around[k] === 1);
      hide = show ? 0 : 1;
      shown += 1 - hide;
      if (hide !== nodeHidden[k]) { nodeHidden[k] = hide; nu.push({id: D.nodes[k].id, hidden: !!hide}); }
    }
    for (k = 0; k < M; k++) {
      hide = nodeHidden[from[k]] || nodeHidden[to[k]] ? 1 : 0;
      links += 1 - hide;
      if (hide !== edgeHidden[k]) { edgeHidden[k] = hide; eu.push({id: D.edges[k].id, hidden: !!hide}); }
    }
    highlight(null, null);
    network.unselectAll();
    if (nu.length) { nodes.update(nu); }
    if (eu.length) { edges.update(eu); }
    $("kg-count").textContent = fmt(T.nodeCount, {n: shown, m: links});
    runSearch(true);
    fitVisible();
  }
  [selClass, selArticle, selSummit, showBackground].forEach(function (control) {
    control.addEventListener("change", applyFilters);
  });

  /* Search: matching visible nodes are selected; Enter goes to the next and opens it. */
  var search = $("kg-search"), searchCount = $("kg-search-count");
  var matches = [], cursor = -1, lastQuery = "", timer = 0;
  function runSearch(force) {
    var q = search.value.trim().toLowerCase();
    if (q === lastQuery && force !== true) { return; }
    lastQuery = q;
    matches = [];
    cursor = -1;
    if (q) {
      var rank = [];  // the name itself first, then names that start with it, then the rest
      for (var k = 0; k < N; k++) {
        if (nodeHidden[k]) { continue; }
        var names = "\n" + D.ni[k][7] + "\n";  // the names of a node, one a line, lower case
        if (names.indexOf(q) < 0) { continue; }
        rank.push([names.indexOf("\n" + q + "\n") >= 0 ? 0 : names.indexOf("\n" + q) >= 0 ? 1 : 2, k]);
      }
      rank.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      matches = rank.map(function (r) { return r[1]; });
      network.selectNodes(matches.map(function (m) { return D.nodes[m].id; }), false);
      searchCount.textContent = matches.length ? fmt(T.matches, {n: matches.length}) : T.noMatch;
    } else {
      searchCount.textContent = "";
      if (force !== true) { network.unselectAll(); }
    }
  }
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(runSearch, 150);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      runSearch();
      if (matches.length) {
        cursor = (cursor + 1) % matches.length;
        focusNode(matches[cursor]);
      }
    } else if (event.key === "Escape") {
      search.value = "";
      runSearch();
    }
  });
}());

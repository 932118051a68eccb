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
  var READABLE = D.readable;                // px on screen: the smallest label a framed view shows
  var MAX_SCALE = 1.5, MARGIN = 24;         // the closest a framed view zooms; px kept free at the edges
  var PAD = {x: 90, top: 24, bottom: 56};   // px kept around node centres for their labels
  var MAX_PICKED = 300;                     // the class filter names its nodes at any zoom up to so many
  var WHOLE_ZOOM_OUT = 2;                   // and frames them all if that zooms out at most so many times

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
  var lead = new Uint8Array(N), ownWidth = [];  // the nodes always named (see keepNamed)
  D.lead.forEach(function (k) { lead[k] = 1; });
  var named = D.lead.slice(), picked = [];  // named now: the lead nodes and the picked ones
  for (i = 0; i < N; i++) { nodeHidden[i] = D.nodes[i].hidden ? 1 : 0; }
  for (j = 0; j < M; j++) { edgeHidden[j] = D.edges[j].hidden ? 1 : 0; }

  var nodes = new vis.DataSet(D.nodes);
  var edges = new vis.DataSet(D.edges);
  var network = new vis.Network($("kg-network"), {nodes: new vis.DataSet([]), edges: new vis.DataSet([])},
                                D.options);
  window.kgViz = {network: network, nodes: nodes, edges: edges};
  window.kgViz.focus = D.focus;
  network.on("beforeDrawing", keepNamed);

  /* Ready: after the first draw (physics off), or once stabilised and drawn (physics on). Physics
     is switched off after the stabilisation iterations, so nothing moves once the page says
     "ready": not when a filter hides nodes, nor when the background is shown; a dragged node
     moves alone. The first view frames the main summit (D.focus) and its neighbours. */
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
      network.setOptions({physics: {enabled: false}});
      firstView();
      afterNextDraw(markReady);
    };
    network.once("stabilizationIterationsDone", onStable);
    network.once("stabilized", onStable);
  }
  document.body.dataset.view = "still";
  network.on("animationFinished", function () { document.body.dataset.view = "still"; });
  network.setData({nodes: nodes, edges: edges});
  if (!D.physics) {  // frame once the canvas has its size, then mark ready on the next frame
    afterNextDraw(function () { firstView(); afterNextDraw(markReady); });
  }

  /* Level of detail. A label is drawn when it is at least READABLE px on screen (vis-network's
     drawThreshold; 11–12 px fade in), and the label font grows with a node's links, so the most
     connected nodes are named first and the others as the view zooms in. Some nodes are named
     whatever the zoom: the lead nodes (the summits and the most central entities, D.lead) always,
     the clicked node and its neighbours, the nodes of the class filter. Zoomed out, their labels
     keep READABLE px on screen: their font size and wrap width are set on vis-network's label
     objects before each frame is drawn (vis-network sets its own again when a node is updated). */
  function fontOf(k) { var f = D.nodes[k].font; return (f && f.size) || D.options.nodes.font.size; }
  function labelOf(k) {
    var node = network.body && network.body.nodes && network.body.nodes[D.nodes[k].id];
    var label = node && node.labelModule;
    return label && label.fontOptions && typeof label.fontOptions.size === "number" ? label : null;
  }
  function resize(k, size) {
    var label = labelOf(k);
    if (!label) { return; }
    var font = label.fontOptions, own = fontOf(k);
    if (font.size === own) { ownWidth[k] = font.maxWdt; }  // vis-network's own value
    if (font.size === size) { return; }
    font.size = size;
    if (ownWidth[k] > 0) { font.maxWdt = ownWidth[k] * size / own; }  // wrap as at its own size
    label.labelDirty = true;
  }
  function keepNamed() {
    var least = READABLE / network.getScale() * 1.001;
    named.forEach(function (k) { resize(k, Math.max(fontOf(k), least)); });
  }
  function pick(list) {  // name these too (besides the lead nodes), and no longer the ones picked before
    var now = new Uint8Array(N);
    list.forEach(function (k) { now[k] = 1; });
    picked.forEach(function (k) { if (!now[k] && !lead[k]) { resize(k, fontOf(k)); } });
    picked = list.filter(function (k) { return !lead[k]; });
    named = D.lead.concat(picked);
    network.redraw();
  }

  /* Views. A framed view shows a set of nodes whole, labels included, when it can at a scale where
     their labels are at least READABLE px on screen. Otherwise it keeps that scale if the lead nodes
     of the set (and the anchor) fit, with as many others around them as fit; else it zooms out until
     those fit: the lead nodes stay named, the others are named as the reader zooms in. A set that
     is named at any zoom (the class filter's) is fitted whole if that does not zoom out too far. */
  function extent(k, p) {  // the node and its label below it, in canvas units: [left, right, top, bottom]
    var n = D.nodes[k], f = fontOf(k), chars = Array.from(String(n.label || "")).length;
    var wmax = (n.widthConstraint && n.widthConstraint.maximum) || D.options.nodes.widthConstraint.maximum;
    var half = Math.max(n.size || 10, Math.min(chars * f, wmax) / 2);
    var lines = Math.max(1, Math.ceil(chars * f / wmax));
    return [p.x - half, p.x + half, p.y - (n.size || 10), p.y + (n.size || 10) + lines * f * 1.25 + 4];
  }
  function union(boxes) {
    var u = [Infinity, -Infinity, Infinity, -Infinity];
    boxes.forEach(function (b) {
      u[0] = Math.min(u[0], b[0]); u[1] = Math.max(u[1], b[1]); u[2] = Math.min(u[2], b[2]); u[3] = Math.max(u[3], b[3]);
    });
    return u;
  }
  function biggest(list) {  // the most central of the list: the largest label, then the first
    var best = -1;
    list.forEach(function (k) { if (best < 0 || fontOf(k) > fontOf(best)) { best = k; } });
    return best;
  }
  function frame(list, anchor, animate, whole) {  // whole: list is named at any zoom (picked): fit it all
    var ks = list.filter(function (k) { return !nodeHidden[k]; });
    if (anchor >= 0 && !nodeHidden[anchor] && ks.indexOf(anchor) < 0) { ks.push(anchor); }
    if (!ks.length) { return; }
    if (anchor < 0 || nodeHidden[anchor]) { anchor = biggest(ks); }
    var pos = network.getPositions(ks.map(function (k) { return D.nodes[k].id; }));
    var stage = $("kg-network").getBoundingClientRect();
    var W = Math.max(60, stage.width - 2 * MARGIN), H = Math.max(60, stage.height - 2 * MARGIN);
    var smallest = Infinity;
    var boxes = ks.map(function (k) { smallest = Math.min(smallest, fontOf(k)); return extent(k, pos[D.nodes[k].id]); });
    var readable = READABLE / smallest * 1.001;
    var all = union(boxes), shown = all;
    var scale = Math.min(W / Math.max(1, all[1] - all[0]), H / Math.max(1, all[3] - all[2]), MAX_SCALE);
    function fitting(indices) {  // the node centres of ks[indices] and the scale that fits them with their labels
      var points = union(indices.map(function (i) { var p = pos[D.nodes[ks[i]].id]; return [p.x, p.x, p.y, p.y]; }));
      return [points, Math.min((W - 2 * PAD.x) / Math.max(1, points[1] - points[0]),
                               (H - PAD.top - PAD.bottom) / Math.max(1, points[3] - points[2]))];
    }
    if (scale < readable) {
      var must = [], rest = [];
      ks.forEach(function (k, i) { (lead[k] || k === anchor ? must : rest).push(i); });
      var fit = fitting(must), points = fit[0], fitMust = fit[1];
      if (whole) {  // named at any zoom: all of them, unless that zooms out more than WHOLE_ZOOM_OUT times
        fit = fitting(ks.map(function (k, i) { return i; }));
        if (fit[1] >= readable / WHOLE_ZOOM_OUT) { points = fit[0]; fitMust = fit[1]; }
      }
      if (fitMust >= readable) {  // the lead nodes fit at a readable scale: add the others nearest first
        scale = readable;
        shown = union(must.map(function (i) { return boxes[i]; }));
        var cx = (shown[0] + shown[1]) / 2, cy = (shown[2] + shown[3]) / 2;
        rest.sort(function (a, b) {
          var pa = pos[D.nodes[ks[a]].id], pb = pos[D.nodes[ks[b]].id];
          return Math.hypot(pa.x - cx, pa.y - cy) - Math.hypot(pb.x - cx, pb.y - cy) || a - b;
        });
        rest.forEach(function (i) {
          var grown = union([shown, boxes[i]]);
          if ((grown[1] - grown[0]) * scale <= W && (grown[3] - grown[2]) * scale <= H) { shown = grown; }
        });
      } else {  // zoom out until the lead nodes fit; their labels keep READABLE px
        scale = fitMust;
        shown = [points[0], points[1], points[2] - PAD.top / scale, points[3] + PAD.bottom / scale];
      }
    }
    document.body.dataset.view = animate ? "moving" : "still";
    network.moveTo({position: {x: (shown[0] + shown[1]) / 2, y: (shown[2] + shown[3]) / 2}, scale: scale,
                    animation: animate ? {duration: 400, easingFunction: "easeInOutQuad"} : false});
  }
  function neighbourhood(k) {
    var out = [k];
    incident[k].forEach(function (e) {
      var other = from[e] === k ? to[e] : from[e];
      if (!edgeHidden[e] && !nodeHidden[other] && out.indexOf(other) < 0) { out.push(other); }
    });
    return out;
  }
  function visibleNodes() {
    var out = [];
    for (var k = 0; k < N; k++) { if (!nodeHidden[k]) { out.push(k); } }
    return out;
  }
  function firstView() {
    var k = D.focus === null ? undefined : nodeAt.get(D.focus);
    if (k === undefined || nodeHidden[k]) { frame(visibleNodes(), -1, false); } else { frame(neighbourhood(k), k, false); }
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

  /* Neighbourhood highlight: everything outside the kept nodes and edges is greyed (soft: with a
     label that stays legible, for the neighbours the class filter keeps). The colours
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
  function highlight(keepNodes, keepEdges, soft) {
    var body = network.body || {nodes: {}, edges: {}};
    var nu = [], eu = [], k, want, direct = true;
    for (k = 0; k < N; k++) {
      want = keepNodes && !keepNodes[k] ? (soft ? 2 : 1) : 0;
      if (want === dimNode[k]) { continue; }
      dimNode[k] = want;
      direct = paint(body.nodes[D.nodes[k].id], want ? D.dim.node : baseNode[k][0],
                     want ? D.dim.border : baseNode[k][1],
                     want === 2 ? D.dim.context : want ? D.dim.font : NODE_FONT) && direct;
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
    pick(neighbourhood(k));
  }
  function highlightEdge(e) {
    var keepNodes = new Uint8Array(N), keepEdges = new Uint8Array(M);
    keepEdges[e] = 1;
    keepNodes[from[e]] = 1;
    keepNodes[to[e]] = 1;
    highlight(keepNodes, keepEdges);
    pick([from[e], to[e]]);
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
    frame(neighbourhood(k), k, true);
  }

  network.on("click", function (params) {
    hideTip();
    if (params.nodes.length) {
      var k = nodeAt.get(params.nodes[0]);
      showNode(k);
      highlightNode(k);
      frame(neighbourhood(k), k, true);  // the node and its neighbours, named
    } else if (params.edges.length) {
      var e = edgeAt.get(params.edges[0]);
      showEdge(e);
      highlightEdge(e);
    } else {
      clearPanel();
      highlight(context, null, true);
      pick(contextList);
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

  /* Filters: class, article, summit (its neighbourhood), background nodes. The class filter keeps
     the chosen class's nodes, their links and the nodes at the other end (greyed, named). A filter
     frames what it keeps (see frame); showing or hiding the background leaves the view as it is. */
  var selClass = $("kg-filter-class"), selArticle = $("kg-filter-article"), selSummit = $("kg-filter-summit");
  var showBackground = $("kg-show-background");
  var articleIndex = new Map();
  D.articles.forEach(function (a, k) { articleIndex.set(a[0], k); });
  var context = null;  // under the class filter: its nodes (1); the other nodes shown are its neighbours
  var contextList = [];  // the same, as a list

  function applyFilters(event) {
    var cls = selClass.value ? D.classKeys.indexOf(selClass.value) : -1;
    var art = selArticle.value ? articleIndex.get(selArticle.value) : -1;
    if (art === undefined) { art = -2; }
    var bg = showBackground.checked;
    var around = null, chosen = selSummit.value ? nodeAt.get(selSummit.value) : undefined;
    if (selSummit.value) {
      around = new Uint8Array(N);
      if (chosen !== undefined) {
        around[chosen] = 1;
        incident[chosen].forEach(function (e) { around[from[e]] = 1; around[to[e]] = 1; });
      }
    }
    var scope = new Uint8Array(N), core = null, show, k, e, hide, shown = 0, links = 0, nu = [], eu = [];
    for (k = 0; k < N; k++) {
      var I = D.ni[k];
      scope[k] = (bg || I[1] !== 2) && (art === -1 || I[4].indexOf(art) >= 0) && (!around || around[k] === 1) ? 1 : 0;
    }
    show = scope;
    if (cls >= 0) {
      core = new Uint8Array(N);
      for (k = 0; k < N; k++) { core[k] = scope[k] && D.ni[k][0] === cls ? 1 : 0; }
      show = core.slice();
    }
    var edgeShown = new Uint8Array(M);
    for (e = 0; e < M; e++) {
      if (scope[from[e]] && scope[to[e]] && (!core || core[from[e]] || core[to[e]])) {
        edgeShown[e] = 1;
        show[from[e]] = 1;
        show[to[e]] = 1;
      }
    }
    for (k = 0; k < N; k++) {
      hide = show[k] ? 0 : 1;
      shown += 1 - hide;
      if (hide !== nodeHidden[k]) { nodeHidden[k] = hide; nu.push({id: D.nodes[k].id, hidden: !!hide}); }
    }
    for (e = 0; e < M; e++) {
      hide = edgeShown[e] ? 0 : 1;
      links += 1 - hide;
      if (hide !== edgeHidden[e]) { edgeHidden[e] = hide; eu.push({id: D.edges[e].id, hidden: !!hide}); }
    }
    context = core;
    contextList = [];
    if (core) { for (k = 0; k < N; k++) { if (core[k]) { contextList.push(k); } } }
    if (contextList.length > MAX_PICKED) { contextList = []; }  // a big class: named as the view zooms in
    network.unselectAll();
    highlight(null, null);  // base colours first: a DataSet update gives a node its own label colour again
    if (nu.length) { nodes.update(nu); }
    if (eu.length) { edges.update(eu); }
    highlight(context, null, true);
    pick(contextList);
    $("kg-count").textContent = fmt(T.nodeCount, {n: shown, m: links});
    runSearch(true);
    if (event && event.target === showBackground) { return; }  // the view stays: the background is around
    if (cls < 0 && art === -1 && !around) { firstView(); return; }
    var list = [];
    for (k = 0; k < N; k++) { if (core ? core[k] : show[k]) { list.push(k); } }
    var anchor = chosen !== undefined && show[chosen] ? chosen : focusIndex !== undefined && show[focusIndex]
      ? focusIndex : biggest(list.filter(function (j) { return D.classKeys[D.ni[j][0]] === "Summit"; }));
    frame(list, anchor, false, contextList.length > 0);
  }
  var focusIndex = D.focus === null ? undefined : nodeAt.get(D.focus);
  [selClass, selArticle, selSummit, showBackground].forEach(function (control) {
    control.addEventListener("change", applyFilters);
  });

  /* Long names (summits, article titles) are cut in a <select>: each option and the select itself
     carry the full text as a tooltip (title). */
  [selClass, selArticle, selSummit].forEach(function (select) {
    Array.prototype.forEach.call(select.options, function (option) { option.title = option.textContent; });
    var titled = function () {
      var option = select.options[select.selectedIndex];
      select.title = option ? option.textContent : "";
    };
    titled();
    select.addEventListener("change", titled);
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

//===- HtmlPage.cpp - The static parts of the HTML report -----------------===//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Everything is inline: the page must open from a CI artifact or a mail
// attachment with no network.
//
//===----------------------------------------------------------------------===//

#include "HtmlPage.h"

namespace stallhound::report {

const char *htmlPageHead() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stallhound report</title>
<style>
:root { --fg: #1d2330; --muted: #667085; --line: #e3e7ee; --bg: #f6f8fb;
        --card: #fff; --stall: #d92d20; --busy: #4e79a7; --ok: #12805c;
        --warn: #b54708; --note: #475467; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
header { background: #111827; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
header .inputs { color: #9aa4b2; font-size: 12px; }
main { padding: 20px 28px 40px; max-width: 1280px; }
h2 { font-size: 16px; margin: 28px 0 10px; }
h2 small { color: var(--muted); font-weight: normal; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
        padding: 10px 16px; min-width: 140px; }
.card .value { font-size: 22px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; }
.card.bad .value { color: var(--stall); }
.card.good .value { color: var(--ok); }
.loops { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 14px; }
.loop { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.loop h3 { margin: 0 0 2px; font-size: 14px; }
.loop .stats { color: var(--muted); font-size: 12px; margin-bottom: 8px; }
.loop .chart-title { font-size: 12px; font-weight: 600; margin: 8px 0 2px; }
svg text { font: 10px system-ui, sans-serif; fill: var(--muted); }
svg .bar { fill: var(--busy); }
svg .bar.stall { fill: var(--stall); }
svg.timeline .bar { stroke: #fff; stroke-width: 1; }
svg .axis { stroke: var(--line); }
svg .threshold { stroke: var(--stall); stroke-dasharray: 3 3; }
svg text.count { paint-order: stroke; stroke: var(--card); stroke-width: 3px; }
.cause { color: var(--muted); font-size: 12px; font-weight: normal; max-width: 18em; }
table { width: 100%; border-collapse: collapse; background: var(--card);
        border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f3f8; font-size: 12px; color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.finding { cursor: pointer; }
tr.finding:hover { background: #f8fafc; }
tr.details td { background: #fbfcfe; font-size: 13px; overflow-wrap: anywhere; }
td.handler { overflow-wrap: anywhere; }
tr.details[hidden] { display: none; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 11px; font-weight: 600; }
.badge.static { background: #eef4ff; color: #3538cd; }
.badge.runtime { background: #fef3f2; color: var(--stall); }
.status.confirmed { color: var(--ok); font-weight: 600; }
.status.unexplained { color: var(--warn); }
.status.unseen { color: var(--muted); }
.level-error { color: var(--stall); }
.level-warning { color: var(--warn); }
.level-note { color: var(--note); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
ol.stack { margin: 4px 0; padding-left: 22px; }
ol.stack li { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.muted { color: var(--muted); }
.fix { margin-top: 6px; }
.empty { color: var(--muted); font-style: italic; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 0 0 8px; font-size: 12px; }
.filters input, .filters select { font: inherit; padding: 3px 6px; }
th button { all: unset; cursor: pointer; }
th button:focus-visible, tr.finding:focus-visible { outline: 2px solid var(--busy); outline-offset: -2px; }
th[aria-sort="ascending"] button::after { content: " \25B2"; }
th[aria-sort="descending"] button::after { content: " \25BC"; }
tr.finding[hidden] { display: none; }
</style>
</head>
<body>
<header>
<h1>stallhound report</h1>
<div class="inputs" id="inputs"></div>
</header>
<main>
<svg id="svg-namespace" width="0" height="0" aria-hidden="true"></svg>
<div class="cards" id="summary"></div>
<h2>Event loops <small>busy time per iteration and when the stalls happened</small></h2>
<div class="loops" id="loops"></div>
<h2>Findings <small>by total stall time; click a row (or Enter on it) for the handler, stack and source; click a column to sort</small></h2>
<div class="filters" id="filters">
<label>filter <input type="search" id="filter-text" placeholder="rule, handler, file, status"></label>
<label>source <select id="filter-source"><option value="">all</option><option value="static">static</option><option value="runtime">runtime</option></select></label>
<label>status <select id="filter-status"><option value="">all</option><option value="confirmed">confirmed</option><option value="unexplained">unexplained</option><option value="unseen">not seen at run time</option></select></label>
<span id="filter-count" class="muted" aria-live="polite"></span>
</div>
<table id="findings">
<thead><tr><th data-key="rank"><button type="button">#</button></th><th data-key="source"><button type="button">source</button></th><th data-key="rule"><button type="button">rule</button></th><th data-key="handler"><button type="button">handler</button></th><th data-key="where"><button type="button">where</button></th>
<th class="num" data-key="count"><button type="button">count</button></th><th class="num" data-key="total"><button type="button">total</button></th><th class="num" data-key="max"><button type="button">max</button></th><th class="num" data-key="p99"><button type="button">p99</button></th><th data-key="status"><button type="button">status</button></th></tr></thead>
<tbody></tbody>
</table>
<noscript><p>This page draws the report with JavaScript; the data is the JSON in the element "stallhound-data".</p></noscript>
</main>
)html";
}

const char *htmlPageScript() {
  return R"html(<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("stallhound-data").textContent);
  // The HTML parser gives inline <svg> its namespace: no URL in the page.
  const SVG = document.getElementById("svg-namespace").namespaceURI;

  function ms(v) {
    if (v === null || v === undefined) return "\u2013";
    if (v > 0 && v < 1) return Math.round(v * 1000) + " \u00b5s";
    return v >= 1000 ? (v / 1000).toFixed(2) + " s" : v.toFixed(1) + " ms";
  }
  function us(v) {
    if (v >= 1000000) return +(v / 1000000).toPrecision(3) + " s";
    if (v >= 1000) return Math.round(v / 1000) + " ms";
    return v + " \u00b5s";
  }
  // "void ns::f<long args>(params) [clone .isra.0]" -> "ns::f"; the full
  // name stays in the tooltip.
  function shortName(name) {
    if (!name) return "??";
    let out = "", depth = 0;
    const text = name.replace(/\(anonymous namespace\)/g, "{anon}");
    for (const c of text) {
      if (c === "<" || c === "(" || c === "[") ++depth;
      else if (c === ">" || c === ")" || c === "]") depth = Math.max(0, depth - 1);
      else if (!depth) out += c;
    }
    out = out.trim();
    const space = out.lastIndexOf(" ");
    return space >= 0 && out.slice(space + 1) ? out.slice(space + 1) : out;
  }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }
  function base(path) { return path ? path.slice(path.lastIndexOf("/") + 1) : ""; }
  function place(file, line) { return file ? base(file) + (line ? ":" + line : "") : ""; }

  // Header and summary cards.
  const inputs = data.inputs.static.length + " static and " +
      data.inputs.runtime.length + " runtime report(s): " +
      data.inputs.static.concat(data.inputs.runtime).map(base).join(", ");
  document.getElementById("inputs").textContent = inputs;
  const s = data.summary;
  const cards = [
    ["stalls", s.stalls, "stalls", s.stalls ? "bad" : "good"],
    ["worst-stall", ms(s.worst_stall_ms), "worst stall", s.stalls ? "bad" : ""],
    ["stall-total", ms(s.stall_total_ms), "total stall time", ""],
    ["static-findings", s.static_findings, "static findings", ""],
    ["confirmed", s.confirmed, "confirmed at run time", s.confirmed ? "bad" : ""],
    ["runtime-findings", s.runtime_findings, "runtime findings", ""],
  ];
  if (s.fail_on.length)
    cards.push(["gating", s.gating, "fail --fail-on " + s.fail_on.join(","),
                s.gating ? "bad" : "good"]);
  const summary = document.getElementById("summary");
  for (const [id, value, label, cls] of cards)
    summary.append(el("div", {class: "card " + cls, id: "card-" + id},
                      el("div", {class: "value"}, value), el("div", {class: "label"}, label)));

  // Busy-time histogram: one bar per log2 bucket, bars past the stall
  // threshold in red, heights on a log scale so single stalls stay visible.
  // The threshold's label has a band of its own above the bars' counts, so
  // that no label can cover another (fitLabels settles the rest).
  function histogram(loop, threshold) {
    const W = 520, H = 144, left = 34, right = 4, bottom = 30, band = 14, top = band + 12;
    const buckets = loop.busy.histogram.slice().sort((a, b) => a.lt_us - b.lt_us);
    const box = svg("svg", {width: W, height: H, viewBox: `0 0 ${W} ${H}`,
                            class: "histogram", role: "img"});
    if (!buckets.length) return box;
    const lo = Math.log2(buckets[0].lt_us), hi = Math.log2(buckets[buckets.length - 1].lt_us);
    const n = hi - lo + 1, slot = (W - left - right) / n;
    const maxCount = Math.max(...buckets.map(b => b.count));
    const scale = c => c ? (H - bottom - top) * Math.log10(c + 1) / Math.log10(maxCount + 1) : 0;
    box.append(svg("line", {class: "axis", x1: left, y1: H - bottom, x2: W, y2: H - bottom}));
    for (let i = 0; i < n; ++i) {
      const ltUs = Math.pow(2, lo + i);
      const b = buckets.find(x => x.lt_us === ltUs);
      const count = b ? b.count : 0, h = scale(count);
      const x = left + i * slot + 1, y = H - bottom - h;
      const isStall = threshold && ltUs / 2 >= threshold * 1000;
      if (count) {
        const bar = svg("rect", {class: "bar" + (isStall ? " stall" : ""), x: x,
                                 y: y, width: Math.max(slot - 2, 1), height: h,
                                 "data-lt-us": ltUs, "data-count": count});
        bar.append(svg("title", {}, `${count} iteration(s) busy < ${us(ltUs)}`));
        box.append(bar);
        box.append(svg("text", {x: x + slot / 2 - 1, y: y - 3, "text-anchor": "middle",
                                class: "label count"}, shortCount(count)));
      }
      if (i % Math.max(1, Math.ceil(n / 7)) === 0)
        box.append(svg("text", {x: x + slot / 2 - 1, y: H - bottom + 12,
                                "text-anchor": "middle", class: "label tick"}, "<" + us(ltUs)));
    }
    // Slot i holds [2^(lo+i-1), 2^(lo+i)) microseconds.
    const thresholdUs = threshold * 1000;
    if (threshold && thresholdUs > Math.pow(2, lo - 1) && thresholdUs < Math.pow(2, hi)) {
      const tx = left + (Math.log2(thresholdUs) - (lo - 1)) * slot;
      // Under the bars and their counts, whose halo keeps them readable.
      box.prepend(svg("line", {class: "threshold", x1: tx, y1: 2, x2: tx, y2: H - bottom}));
      // Left of the line, or right of it when there is no room on the left.
      const atLeft = tx - left > (W - tx);
      box.append(svg("text", {x: atLeft ? tx - 3 : tx + 3, y: band - 4,
                              "text-anchor": atLeft ? "end" : "start",
                              class: "label threshold-label"}, "stall threshold " + ms(threshold)));
    }
    box.append(svg("text", {x: left, y: H - 3, class: "label title"}, "busy time per iteration"));
    return box;
  }
  // 1234567 -> "1.2M": a count fits over its bar.
  function shortCount(c) {
    if (c < 10000) return String(c);
    for (const [d, unit] of [[1e9, "G"], [1e6, "M"], [1e3, "k"]])
      if (c >= d) {
        const v = c / d;
        return (v >= 10 ? Math.round(v) : Math.round(v * 10) / 10) + unit;
      }
  }

  // Once a chart is in the page (text has a size only then): labels that
  // stick out of it move in, and a label that would cover one kept before
  // it is left out (the threshold's first, then the axis titles; a bar's
  // tooltip still has its count).
  function fitLabels(chart) {
    const width = chart.viewBox.baseVal.width;
    const kept = [];
    for (const t of [...chart.querySelectorAll("text.threshold-label"),
                     ...chart.querySelectorAll("text.title"),
                     ...chart.querySelectorAll("text.label:not(.threshold-label):not(.title)")]) {
      let b = t.getBBox();
      const shift = b.x < 0 ? -b.x : Math.min(0, width - (b.x + b.width));
      if (shift) {
        t.setAttribute("x", Number(t.getAttribute("x")) + shift);
        b = t.getBBox();
      }
      const covers = k => b.x < k.x + k.width && k.x < b.x + b.width &&
                          b.y < k.y + k.height && k.y < b.y + b.height;
      if (kept.some(covers)) {
        t.remove();
        continue;
      }
      kept.push(b);
    }
  }

  // Stall timeline: each stall as a red bar from its start to its end, in
  // milliseconds since the probe loaded; height by duration.
  function timeline(loop) {
    const W = 520, H = 96, left = 34, bottom = 30, top = 8;
    const box = svg("svg", {width: W, height: H, viewBox: `0 0 ${W} ${H}`,
                            class: "timeline", role: "img"});
    const events = loop.timeline || [];
    const end = Math.max(1, ...events.map(e => e.at_ms)) * 1.05;
    const longest = Math.max(1, ...events.map(e => e.ms));
    const x = t => left + (W - left - 6) * t / end;
    box.append(svg("line", {class: "axis", x1: left, y1: H - bottom, x2: W - 6, y2: H - bottom}));
    for (const e of events) {
      const h = Math.max(3, (H - bottom - top) * e.ms / longest);
      const bar = svg("rect", {class: "bar stall", x: x(e.at_ms - e.ms), y: H - bottom - h,
                               width: Math.max(2, x(e.at_ms) - x(e.at_ms - e.ms)), height: h,
                               "data-ms": e.ms});
      bar.append(svg("title", {}, `${ms(e.ms)} ${e.call} in ${e.handler || "?"} at ${ms(e.at_ms - e.ms)}`));
      box.append(bar);
    }
    for (const f of [0, 0.5, 1])
      box.append(svg("text", {x: x(end * f / 1.05), y: H - bottom + 12, class: "label tick",
                              "text-anchor": f ? (f === 1 ? "end" : "middle") : "start"},
                     ms(end * f / 1.05)));
    box.append(svg("text", {x: left, y: H - 3, class: "label title"}, "time since the probe loaded"));
    return box;
  }

  const loops = document.getElementById("loops");
  if (!data.loops.length)
    loops.append(el("p", {class: "empty"}, "No runtime report."));
  data.loops.forEach((loop, i) => {
    const process = data.processes[loop.process];
    const stats = `${loop.iterations} iterations, ` +
        `${loop.stalls.count} stall(s), worst ${ms(loop.stalls.max_ms)}, ` +
        `total ${ms(loop.stalls.total_ms)}, p99 busy \u2264 ${ms(loop.busy.p99_ms_at_most)}`;
    const card = el("div", {class: "loop", id: "loop-" + i},
        el("h3", {}, `${base(loop.exe)} pid ${loop.pid}, thread ${loop.tid} (${loop.wait})`),
        el("div", {class: "stats"}, stats),
        el("div", {class: "chart-title"}, "Busy-time histogram"),
        histogram(loop, process.threshold_ms),
        el("div", {class: "chart-title"}, "Stall timeline"));
    if (loop.timeline === null)
      card.append(el("p", {class: "empty"}, "no event stream beside the report"));
    else if (!loop.timeline.length)
      card.append(el("p", {class: "empty"}, "no stalls"));
    else
      card.append(timeline(loop));
    loops.append(card);
    for (const chart of card.querySelectorAll("svg")) fitLabels(chart);
  });

  // Findings, in the JSON's order (total stall time).
  const byId = Object.fromEntries(data.findings.map(f => [f.id, f]));
  const body = document.querySelector("#findings tbody");
  const entries = [];
  function details(f) {
    const cell = el("td", {colspan: 10});
    cell.append(el("div", {}, f.message));
    if (f.source === "static") {
      cell.append(el("div", {class: "muted"}, "handler " + f.handler.name + " at " +
                     place(f.handler.file, f.handler.line) + "; blocks at " +
                     place(f.location.file, f.location.line)));
      if (f.chain.length) {
        const chain = el("ol", {class: "stack"});
        for (const step of f.chain)
          chain.append(el("li", {}, `${step.function} calls ${step.calls}  ${place(step.file, step.line)}`));
        cell.append(chain);
      }
    } else {
      const h = f.handler;
      cell.append(el("div", {class: "muted"}, "handler " + (h && h.name ? h.name : "unknown") +
                     (h && h.file ? " at " + place(h.file, h.line) : "") + "; " + f.phase +
                     "; processes " + f.processes.map(p => base(p.exe) + " " + p.pid).join(", ")));
      const stack = el("ol", {class: "stack"});
      const shown = 12;
      for (const fr of f.stack.slice(0, shown))
        stack.append(el("li", {title: fr.function || ""}, shortName(fr.function) + "  ",
                        el("span", {class: "muted"},
                           fr.file ? place(fr.file, fr.line) : base(fr.module) + "+" + fr.offset)));
      if (f.stack.length > shown)
        stack.append(el("li", {class: "muted"}, `${f.stack.length - shown} more frames`));
      for (const p of f.python_stack)
        stack.append(el("li", {}, p.function + "  " + place(p.file, p.line)));
      cell.append(stack);
    }
    const cause = f.caused_by ? byId[f.caused_by] : null;
    if (cause)
      cell.append(el("div", {class: "cause-details"}, "made by " + cause.id + " [" + cause.rule + "]: " +
                     cause.message + " (" + cause.count + " call(s), total " + ms(cause.total_ms) +
                     ", max " + ms(cause.max_ms) + ", p99 " + ms(cause.p99_ms) + ")"));
    if (f.fix) cell.append(el("div", {class: "fix"}, "fix: " + f.fix));
    return cell;
  }
  // A stall and the blocking call that made it are one problem: one row,
  // the stall's, which says both.
  function causeLine(f, cause) {
    const h = f.handler && f.handler.name ? shortName(f.handler.name) : "(unknown handler)";
    return `${f.kind} ${ms(f.max_ms)} \u2014 ${cause.kind.replaceAll("-", " ")} ` +
        `${cause.call} ${ms(cause.max_ms)} in ${h}`;
  }
  const rows = data.findings.filter(f => !(f.source === "runtime" && f.causes));
  rows.forEach((f, i) => {
    let count, total, max, p99, status, handler, where;
    if (f.source === "static") {
      const r = f.runtime;
      count = r ? r.count : ""; total = r ? ms(r.total_ms) : "";
      max = r ? ms(r.max_ms) : ""; p99 = r ? ms(r.p99_ms) : "";
      status = f.confirmed ? ["confirmed", "confirmed at run time"]
          : ["unseen", data.inputs.runtime.length ? "not seen at run time" : "static"];
      handler = f.handler.name; where = place(f.location.file, f.location.line);
    } else {
      count = f.count; total = ms(f.total_ms); max = ms(f.max_ms); p99 = ms(f.p99_ms);
      status = f.explained_by
          ? ["confirmed", "explained by " + f.explained_by + " [" + byId[f.explained_by].rule + "]"]
          : ["unexplained", "no static finding explains it"];
      handler = f.handler && f.handler.name ? shortName(f.handler.name) : "(unknown)";
      where = f.handler ? place(f.handler.file, f.handler.line) : "";
    }
    const cause = f.source === "runtime" && f.caused_by ? byId[f.caused_by] : null;
    const ruleCell = el("td", {class: "level-" + f.level}, f.rule);
    if (cause) ruleCell.append(el("div", {class: "cause"}, causeLine(f, cause)));
    const row = el("tr", {class: "finding", id: "finding-" + f.id, "data-id": f.id},
        el("td", {}, String(i + 1)),
        el("td", {}, el("span", {class: "badge " + f.source}, f.source)),
        ruleCell,
        el("td", {class: "mono handler"}, handler),
        el("td", {class: "mono where"}, where),
        el("td", {class: "num count"}, String(count)),
        el("td", {class: "num total"}, total),
        el("td", {class: "num max"}, max),
        el("td", {class: "num p99"}, p99),
        el("td", {class: "status " + status[0]}, status[1]));
    if (cause) row.setAttribute("data-caused-by", cause.id);
    const more = el("tr", {class: "details", id: "details-" + f.id}, details(f));
    const entry = {row, more, open: i < 3, keys: {
      rank: i + 1, source: f.source, rule: f.rule, handler, where,
      cause: cause ? cause.rule + " " + cause.call + " " + causeLine(f, cause) : "",
      count: count === "" ? -1 : Number(count),
      total: f.source === "static" ? (f.runtime ? f.runtime.total_ms : -1) : f.total_ms,
      max: f.source === "static" ? (f.runtime ? f.runtime.max_ms : -1) : f.max_ms,
      p99: (f.source === "static" ? (f.runtime ? f.runtime.p99_ms : null) : f.p99_ms) ?? -1,
      status: status[1], statusKind: status[0]}};
    row.setAttribute("tabindex", "0");
    const toggle = () => { entry.open = !entry.open; show(entry); };
    row.addEventListener("click", toggle);
    row.addEventListener("keydown", e => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); }
    });
    entries.push(entry);
    body.append(row, more);
  });
  if (!data.findings.length)
    body.append(el("tr", {}, el("td", {colspan: 10, class: "empty"}, "No findings.")));
  document.body.setAttribute("data-rendered", `${rows.length} rows, ${data.findings.length} findings`);

  // Filtering and sorting: the view's state lives in the URL's fragment
  // (#q=nap&source=runtime&status=confirmed&sort=max&order=desc), so that a
  // view can be linked to and survives a reload.
  function show(e) {
    e.more.hidden = e.row.hidden || !e.open;
    e.row.setAttribute("aria-expanded", String(!e.more.hidden));
  }
  const text = document.getElementById("filter-text");
  const source = document.getElementById("filter-source");
  const statusSel = document.getElementById("filter-status");
  const view = {q: "", source: "", status: "", sort: "rank", order: "asc"};
  for (const [k, v] of new URLSearchParams(location.hash.slice(1)))
    if (k in view) view[k] = v;
  text.value = view.q; source.value = view.source; statusSel.value = view.status;
  function apply() {
    const q = view.q.toLowerCase();
    let shown = 0;
    for (const e of entries) {
      const k = e.keys;
      const match = (!view.source || k.source === view.source) &&
          (!view.status || k.statusKind === view.status) &&
          (!q || [k.rule, k.cause, k.handler, k.where, k.status].some(t => String(t).toLowerCase().includes(q)));
      e.row.hidden = !match;
      shown += match;
    }
    const key = view.sort in entries[0]?.keys ? view.sort : "rank";
    const sign = view.order === "desc" ? -1 : 1;
    const sorted = [...entries].sort((a, b) => {
      const x = a.keys[key], y = b.keys[key];
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sign * c || a.keys.rank - b.keys.rank;
    });
    for (const e of sorted) { body.append(e.row, e.more); show(e); }
    for (const th of document.querySelectorAll("#findings th[data-key]"))
      th.setAttribute("aria-sort", th.dataset.key === key
          ? (view.order === "desc" ? "descending" : "ascending") : "none");
    document.getElementById("filter-count").textContent =
        `${shown} of ${entries.length} rows shown`;
    document.body.setAttribute("data-shown", String(shown));
    const state = new URLSearchParams();
    for (const [k, v] of Object.entries(view))
      if (v && !(k === "sort" && v === "rank") && !(k === "order" && v === "asc"))
        state.set(k, v);
    try { // a page opened from a file may refuse: the view still applies
      history.replaceState(null, "", state.toString() ? "#" + state : location.pathname);
    } catch (err) {}
  }
  text.addEventListener("input", () => { view.q = text.value; apply(); });
  source.addEventListener("change", () => { view.source = source.value; apply(); });
  statusSel.addEventListener("change", () => { view.status = statusSel.value; apply(); });
  for (const th of document.querySelectorAll("#findings th[data-key]"))
    th.querySelector("button").addEventListener("click", () => {
      const key = th.dataset.key;
      // Numbers sort largest first on the first click, names A to Z.
      const numeric = ["count", "total", "max", "p99"].includes(key);
      view.order = view.sort === key ? (view.order === "asc" ? "desc" : "asc")
                                     : (numeric ? "desc" : "asc");
      view.sort = key;
      apply();
    });
  if (entries.length) apply();
})();
</script>
</body>
</html>
)html";
}

} // namespace stallhound::report

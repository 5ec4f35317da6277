// nianbao audit page. Hand-written, no framework: data arrives as script
// files (data/*.js call nbData), the index list draws only visible rows,
// a report's details load when it is opened. Decisions live in
// localStorage and are exported as reviews.csv.
"use strict";

var NB = { meta: null, index: [], details: {}, pending: {}, filtered: [], ready: false };
var SEV = [["✖", "错误", "error"], ["◐", "不完整", "incomplete"], ["⚠", "提示", "warning"]];
var TABLES = {
  active_disclosure: "二、主动公开政府信息情况",
  requests: "三、收到和处理政府信息公开申请情况",
  review_litigation: "四、政府信息公开行政复议、行政诉讼情况"
};
var RULES = {
  "requests.row_sum": "表三：每行六类申请人数之和应等于“总计”",
  "requests.results_sum": "表三：各项办理结果之和应等于“办理结果总计”",
  "requests.balance": "表三：本年新收 + 上年结转 应等于 办理结果总计 + 结转下年度继续办理",
  "review_litigation.group_sum": "表四：结果维持、纠正、其他、尚未审结之和应等于“总计”",
  "value.domain": "数值不合规：此处应填写非负整数（或规定的格式）",
  "narrative.requests": "正文所述收到申请数与表三“本年新收”总计不一致",
  "template.year": "报告年度与所用表格格式（2019 版 / 2021 版）不符"
};
var LEVELS = { township: "乡镇街道", county: "县区", city: "地市", province: "省级", department: "部门", unknown: "未知" };
var ROW_H = 30;

function nbData(kind, n, payload) {
  if (kind === "meta") NB.meta = payload;
  else if (kind === "index") Array.prototype.push.apply(NB.index, payload);
  else if (kind === "reports") payload.forEach(function (r) { NB.details[r.id] = r; });
}

function $(id) { return document.getElementById(id); }
function el(tag, attrs, children) {
  var e = document.createElement(tag);
  if (attrs) Object.keys(attrs).forEach(function (k) {
    if (k === "text") e.textContent = attrs[k];
    else if (k === "cls") e.className = attrs[k];
    else if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) { if (c !== null && c !== undefined) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return e;
}
function loadScript(src) {
  if (NB.pending[src]) return NB.pending[src];
  NB.pending[src] = new Promise(function (ok, fail) {
    var s = document.createElement("script");
    s.src = src; s.onload = ok;
    s.onerror = function () { fail(new Error("cannot load " + src)); };
    document.head.appendChild(s);
  });
  return NB.pending[src];
}

// ------------------------------------------------------------ reviews
var STORE = "nianbao-audit:" + location.pathname;
function storedReviews() {
  try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
}
function reviews() {
  if (!NB.reviews) {
    NB.reviews = {};
    (NB.meta.reviews || []).forEach(function (r) { NB.reviews[r.fingerprint] = r; });
    var local = storedReviews();
    Object.keys(local).forEach(function (fp) {
      var old = NB.reviews[fp];
      if (!old || (local[fp].time || "") >= (old.time || "")) NB.reviews[fp] = local[fp];
    });
  }
  return NB.reviews;
}
function setReview(fp, decision, note) {
  var all = reviews();
  if (decision) all[fp] = { fingerprint: fp, decision: decision, note: note || "", time: new Date().toISOString() };
  else delete all[fp];
  var local = storedReviews();
  if (decision) local[fp] = all[fp]; else delete local[fp];
  try { localStorage.setItem(STORE, JSON.stringify(local)); } catch (e) { /* private mode: kept for this visit */ }
}
function csvField(s) {
  s = String(s === undefined || s === null ? "" : s);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
function reviewsCsv() {
  var all = reviews();
  var lines = ["fingerprint,decision,note,time"];
  Object.keys(all).sort().forEach(function (fp) {
    var r = all[fp];
    lines.push([fp, r.decision, r.note, r.time].map(csvField).join(","));
  });
  return lines.join("\n") + "\n";
}
function exportReviews() {
  var blob = new Blob([reviewsCsv()], { type: "text/csv;charset=utf-8" });
  var a = el("a", { href: URL.createObjectURL(blob), download: "reviews.csv" });
  document.body.appendChild(a); a.click(); a.remove();
}

// ------------------------------------------------------------ index
// Index rows: [id, agency, level, year, template, format, [e,i,w], [[rule, sev, table, fp]], regions, source]
function fillSelect(id, values, label) {
  var s = $(id);
  values.forEach(function (v) { s.appendChild(el("option", { value: v, text: label ? label(v) : v })); });
}
function setupFilters() {
  var years = {}, levels = {}, regions = {};
  NB.index.forEach(function (r) {
    if (r[3] !== null) years[r[3]] = 1;
    levels[r[2]] = 1;
    r[8].forEach(function (w) { if (/(省|自治区|市|州|盟|区|县|旗)$/.test(w)) regions[w] = 1; /* towns: too many, use the search box */ });
  });
  fillSelect("f-rule", NB.meta.rules.map(function (r, i) { return String(i); }), function (i) {
    var r = NB.meta.rules[+i]; return (RULES[r] ? RULES[r] + " " : "") + "(" + r + ")";
  });
  fillSelect("f-year", Object.keys(years).sort());
  fillSelect("f-level", Object.keys(levels).sort(), function (l) { return (LEVELS[l] || l) + " " + l; });
  fillSelect("f-region", Object.keys(regions).sort());
  ["q", "f-rule", "f-sev", "f-table", "f-year", "f-level", "f-region", "f-review", "f-problems", "sort"].forEach(function (id) {
    $(id).addEventListener(id === "q" ? "input" : "change", applyFilters);
  });
}
function filterState() {
  return {
    q: $("q").value.trim(), rule: $("f-rule").value, sev: $("f-sev").value, table: $("f-table").value,
    year: $("f-year").value, level: $("f-level").value, region: $("f-region").value,
    review: $("f-review").value, problems: $("f-problems").checked, sort: $("sort").value
  };
}
function findingMatches(f, st, revs) {
  if (st.rule !== "" && f[0] !== +st.rule) return false;
  if (st.sev !== "" && f[1] !== +st.sev) return false;
  if (st.table !== "" && (f[2] || "-") !== st.table) return false;
  if (st.review !== "") {
    var d = revs[f[3]] ? revs[f[3]].decision : "open";
    if (d !== st.review) return false;
  }
  return true;
}
function rowMatches(r, st, revs) {
  if (st.year !== "" && String(r[3]) !== st.year) return false;
  if (st.level !== "" && r[2] !== st.level) return false;
  if (st.region !== "" && r[8].indexOf(st.region) < 0) return false;
  if (st.q !== "" && r[1].indexOf(st.q) < 0 && !r[8].some(function (w) { return w.indexOf(st.q) >= 0; })) return false;
  var byFinding = st.rule !== "" || st.sev !== "" || st.table !== "" || st.review !== "";
  if (byFinding) return r[7].some(function (f) { return findingMatches(f, st, revs); });
  return !st.problems || r[7].length > 0;
}
function applyFilters() {
  var st = filterState(), revs = reviews();
  var rows = NB.index.filter(function (r) { return rowMatches(r, st, revs); });
  var total = function (r) { return r[6][0] * 1e6 + r[6][1] * 1e3 + r[6][2]; };
  var cmp = {
    errors: function (a, b) { return total(b) - total(a) || a[0] - b[0]; },
    agency: function (a, b) { return a[1].localeCompare(b[1], "zh") || (a[3] || 0) - (b[3] || 0); },
    year: function (a, b) { return (b[3] || 0) - (a[3] || 0) || a[1].localeCompare(b[1], "zh"); },
    source: function (a, b) { return a[9] < b[9] ? -1 : a[9] > b[9] ? 1 : 0; }
  }[st.sort];
  rows.sort(cmp);
  NB.filtered = rows;
  $("count").textContent = rows.length + " / " + NB.index.length + " 份报告 reports";
  $("count").setAttribute("data-count", rows.length);
  $("spacer").style.height = rows.length * ROW_H + "px";
  $("list").scrollTop = 0;
  renderList();
}
function sevCounts(counts) {
  return counts.map(function (n, i) {
    return el("span", { cls: "sev sev-" + i + (n ? "" : " zero"), title: SEV[i][1] + " " + SEV[i][2], text: SEV[i][0] + " " + n });
  });
}
function listRow(r, i) {
  var a = el("a", { cls: "row", href: "#/r/" + r[0], role: "option", "data-id": r[0], style: "top:" + i * ROW_H + "px" }, [
    el("span", { text: r[1] || "（未识别机关）", title: r[9] }),
    el("span", { text: LEVELS[r[2]] || r[2] }),
    el("span", { text: r[3] === null ? "—" : String(r[3]) }),
    el("span", { text: r[5] }),
    el("span", { text: r[4] }),
    el("span", null, sevCounts(r[6])),
    el("span", { text: r[8].join(" ") })
  ]);
  return a;
}
function renderList() {
  var list = $("list"), spacer = $("spacer");
  var first = Math.max(0, Math.floor(list.scrollTop / ROW_H) - 5);
  var last = Math.min(NB.filtered.length, first + Math.ceil(list.clientHeight / ROW_H) + 10);
  var focused = document.activeElement && document.activeElement.getAttribute("data-id");
  Array.prototype.slice.call(list.querySelectorAll(".row")).forEach(function (n) { n.remove(); });
  for (var i = first; i < last; i++) {
    var node = listRow(NB.filtered[i], i);
    node.setAttribute("data-pos", i);
    list.insertBefore(node, spacer);
    if (focused !== null && String(NB.filtered[i][0]) === focused) node.focus({ preventScroll: true });
  }
}
function listKeys(ev) {
  var cur = document.activeElement;
  var pos = cur && cur.classList.contains("row") ? +cur.getAttribute("data-pos") : -1;
  var next = { ArrowDown: pos + 1, ArrowUp: pos - 1, Home: 0, End: NB.filtered.length - 1 }[ev.key];
  if (next === undefined || next < 0 || next >= NB.filtered.length) return;
  ev.preventDefault();
  var list = $("list");
  if (next * ROW_H < list.scrollTop) list.scrollTop = next * ROW_H;
  if ((next + 1) * ROW_H > list.scrollTop + list.clientHeight) list.scrollTop = (next + 1) * ROW_H - list.clientHeight;
  renderList();
  var n = list.querySelector('.row[data-pos="' + next + '"]');
  if (n) n.focus({ preventScroll: true });
}

// ------------------------------------------------------------ locations
function locText(loc) {
  if (!loc || typeof loc !== "object") return "";
  var parts = [];
  if (loc.sheet !== undefined) parts.push("工作表「" + loc.sheet + "」 " + (loc.cell || ""));
  if (loc.page !== undefined) parts.push("第 " + loc.page + " 页" + (loc.bbox ? " 框 [" + loc.bbox.map(function (v) { return Math.round(v * 10) / 10; }).join(", ") + "]" : ""));
  if (loc.table !== undefined) {
    var t = "文中第 " + loc.table + " 个表格";
    if (loc.row !== undefined) t += " 第 " + loc.row + " 行 第 " + loc.col + " 列（展开网格 grid）";
    parts.push(t);
  }
  var src = loc.source || loc.as_shown;
  if (src && typeof src === "object") {
    var s = "原文显示 as shown:";
    if (src.element !== undefined || src.table !== undefined) s += " 页面第 " + (src.element !== undefined ? src.element : src.table) + " 个 <table>";
    if (src.row !== undefined) s += " 第 " + src.row + " 行";
    if (src.col !== undefined || src.cell !== undefined) s += " 第 " + (src.col !== undefined ? src.col : src.cell) + " 格";
    parts.push(s);
  }
  if (!parts.length) parts.push(JSON.stringify(loc));
  return parts.join("；");
}
function isInferred(x) {
  if (!x || typeof x !== "object") return false;
  if (x.inferred === true || x.uncertain === true) return true;
  var c = x.certainty || x.reading_certainty || x.reading;
  return typeof c === "string" && !/^(read|certain|exact|high|ok)$/i.test(c);
}
function certaintyText(x) {
  var c = x.certainty || x.reading_certainty || x.reading;
  return "≈ 推断 inferred" + (typeof c === "string" ? " (" + c + ")" : "");
}

// ------------------------------------------------------------ a report
function detailOf(id) {
  if (NB.details[id]) return Promise.resolve(NB.details[id]);
  var chunk = Math.floor(id / NB.meta.detailChunk);
  return loadScript("data/reports-" + chunk + ".js").then(function () { return NB.details[id]; });
}
function ruleText(rule) { return RULES[rule] || rule; }
function quantity(q) { return q === null || q === undefined ? "—" : String(q); }
function rowLabel(template, table, key) {
  var t = NB.meta.templates[template] && NB.meta.templates[template][table];
  var r = t && t.rows.filter(function (x) { return x[0] === key; })[0];
  return r ? (r[2] ? r[2] + " · " : "") + r[1] : key;
}
function colLabel(template, table, key) {
  var t = NB.meta.templates[template] && NB.meta.templates[template][table];
  var c = t && t.columns.filter(function (x) { return x[0] === key; })[0];
  return c ? c[1] : key;
}
function hitsOf(report) {
  var hits = {};
  report.findings.forEach(function (f, i) {
    (f.cells || []).forEach(function (c) {
      var k = f.table + "|" + c.row + "|" + c.column;
      (hits[k] = hits[k] || []).push(i);
    });
  });
  return hits;
}
function cellNode(report, table, rowKey, colKey, cell, hits) {
  if (!cell) return el("td", { cls: "empty", text: "", title: "模板此处无单元格 / not in the source" });
  var found = hits[table + "|" + rowKey + "|" + colKey] || [];
  var td = el("td", { "data-key": table + "." + rowKey + "." + colKey, tabindex: found.length ? "0" : null });
  var tip = rowLabel(report.template, table, rowKey) + " × " + colLabel(report.template, table, colKey) +
    "\n" + table + "." + rowKey + "." + colKey + "\n值 value: " + quantity(cell.value) + "\n" + locText(cell.location);
  if (found.length) {
    var sev = Math.min.apply(null, found.map(function (i) { return sevIndex(report.findings[i]); }));
    td.className = "hit sev-" + sev;
    td.setAttribute("data-findings", found.join(" "));
    if (found.some(function (i) { var f = report.findings[i]; return f.row === rowKey && f.column === colKey; })) td.classList.add("principal");
    td.appendChild(el("span", { cls: "mark", "aria-label": "finding", text: SEV[sev][0] + found.map(function (i) { return i + 1; }).join(",") }));
    tip += "\n" + found.map(function (i) { return "#" + (i + 1) + " " + ruleText(report.findings[i].rule); }).join("\n");
  }
  if (isInferred(cell)) { td.classList.add("inferred"); td.appendChild(el("span", { cls: "mark", text: "≈" })); tip += "\n" + certaintyText(cell); }
  td.appendChild(document.createTextNode(cell.raw === "" ? "（空）" : cell.raw));
  td.appendChild(el("span", { cls: "loc", text: locText(cell.location) }));
  td.title = tip;
  return td;
}
function sevIndex(f) { return { error: 0, incomplete: 1 }[f.severity] === undefined ? 2 : { error: 0, incomplete: 1 }[f.severity]; }
function tableNode(report, table, hits) {
  var data = report.tables && report.tables[table];
  var spec = NB.meta.templates[report.template] && NB.meta.templates[report.template][table];
  if (!data || !spec) return null;
  var head = el("tr", null, [el("th", { text: "项目" })].concat(spec.columns.map(function (c) {
    return el("th", { scope: "col", title: c[0], text: c[1] });
  })));
  var rows = spec.rows.map(function (r) { return r[0]; });
  Object.keys(data).forEach(function (k) { if (rows.indexOf(k) < 0) rows.push(k); });
  var body = rows.filter(function (k) { return data[k]; }).map(function (k) {
    return el("tr", null, [el("th", { cls: "rowlabel", scope: "row", title: table + "." + k, text: rowLabel(report.template, table, k) })].concat(
      spec.columns.map(function (c) { return cellNode(report, table, k, c[0], data[k][c[0]], hits); })));
  });
  var missing = spec.rows.filter(function (r) { return !data[r[0]]; }).length;
  return el("section", { "data-table": table }, [
    el("h3", { text: TABLES[table] + (missing ? "（源文件缺 " + missing + " 行 rows missing in the source）" : "") }),
    el("table", { cls: "grid" }, [el("thead", null, [head]), el("tbody", null, body)])
  ]);
}
function findingNode(report, f, i) {
  var sev = sevIndex(f), r = reviews()[f.fingerprint];
  var controls = reviewControlsNode(f);
  var cellItem = function (c) {
    var b = el("button", { type: "button", cls: "linkish", text: rowLabel(report.template, f.table, c.row) + " × " + colLabel(report.template, f.table, c.column) + " = " + (c.raw === "" ? "（空）" : c.raw) + " @ " + locText(c.location) });
    b.addEventListener("click", function () { focusCell(f.table + "." + c.row + "." + c.column); });
    return el("li", { title: f.table + "." + c.row + "." + c.column }, [b]);
  };
  var all = f.cells || [];
  var main = all.filter(function (c) { return c.row === f.row && c.column === f.column; })[0] || all[0];
  var rest = all.filter(function (c) { return c !== main; });
  var cells = main ? [el("ul", { cls: "cells principal" }, [cellItem(main)])] : [];
  if (rest.length) cells.push(el("details", null, [el("summary", { text: "参与计算的其他 " + rest.length + " 个单元格 other cells involved" }), el("ul", { cls: "cells" }, rest.map(cellItem))]));
  var quote = f.quote ? el("blockquote", { cls: "quote" }, [f.quote.before, el("mark", { text: f.quote.text }), f.quote.after]) : null;
  return el("article", { cls: "finding sev-" + sev + (r ? " reviewed-" + r.decision : ""), id: "f-" + f.fingerprint, "data-fingerprint": f.fingerprint, tabindex: "0" }, [
    el("div", null, [el("strong", { cls: "sev sev-" + sev, text: SEV[sev][0] + " " + SEV[sev][1] + " " + SEV[sev][2] }), " #" + (i + 1) + " ",
      el("span", { title: f.rule, text: ruleText(f.rule) }), isInferred(f) ? el("span", { cls: "badge inferred-badge", text: certaintyText(f) }) : null]),
    el("div", { cls: "ev", text: "应为 expected " + quantity(f.expected) + " · 实际 actual " + quantity(f.actual) }),
    el("div", { cls: "meta-line", text: f.message }),
    quote].concat(cells).concat([
    controls
  ]));
}
function reviewControlsNode(f) {
  var r = reviews()[f.fingerprint];
  var note = el("input", { type: "text", "aria-label": "备注 note", placeholder: "备注 note", value: r ? r.note : "" });
  var btn = function (cls, text, d) {
    var b = el("button", { type: "button", cls: cls, text: text });
    b.addEventListener("click", function () { setReview(f.fingerprint, d, note.value); route(true); });
    return b;
  };
  return el("div", { cls: "review" }, [
    el("span", { cls: "decision", text: r ? (r.decision === "confirmed" ? "✔ 已确认 confirmed" : "✘ 已驳回 dismissed") + (r.note ? "：" + r.note : "") : "○ 未审核 open" }),
    btn("confirm", "✔ 确认 confirm", "confirmed"), btn("dismiss", "✘ 驳回 dismiss", "dismissed"), note,
    r ? btn("undo", "撤销 undo", null) : null
  ]);
}
function focusCell(key) {
  Array.prototype.forEach.call(document.querySelectorAll("td.focus"), function (n) { n.classList.remove("focus"); });
  var td = document.querySelector('td[data-key="' + key + '"]');
  if (!td) return;
  td.classList.add("focus");
  td.scrollIntoView({ block: "center" });
  td.focus({ preventScroll: true });
  showInspector(td);
}
function showInspector(td) {
  var box = $("inspector");
  box.textContent = "";
  box.appendChild(el("pre", { text: td.title }));
  var close = el("button", { type: "button", text: "关闭 close (Esc)" });
  close.addEventListener("click", function () { box.hidden = true; });
  box.appendChild(close);
  box.hidden = false;
}
function reportHeader(report) {
  var src = report.href ? el("a", { href: report.href, text: report.source }) : el("span", { text: report.source + "（文件不在原处 not found）" });
  return [
    el("p", null, [el("a", { href: "#/", text: "← 返回列表 back to the list" })]),
    el("h2", { text: (report.agency || "（未识别机关）") + " " + (report.year || "") + " 年度报告" }),
    el("p", { cls: "meta-line" }, [(LEVELS[report.admin_level] || report.admin_level) + " · 模板 " + report.template + " · " + report.format + " · 源文件 source: ", src]),
    el("label", null, [el("input", { type: "checkbox", id: "show-loc" }), " 显示每个单元格的位置 show every cell's source location"])
  ];
}
function renderReport(report) {
  var v = $("view-report");
  v.textContent = "";
  v.setAttribute("data-id", report.id);
  var hits = hitsOf(report);
  reportHeader(report).forEach(function (n) { v.appendChild(n); });
  $("show-loc").checked = document.body.classList.contains("show-loc");
  $("show-loc").addEventListener("change", function (e) { document.body.classList.toggle("show-loc", e.target.checked); });
  var left = el("div", { cls: "left" }), right = el("div", { cls: "right" });
  v.appendChild(el("div", { cls: "split" }, [left, right]));
  left.appendChild(el("h2", { text: "问题 Findings (" + report.findings.length + ")" }));
  left.appendChild(el("div", { cls: "findings" }, report.findings.length ? report.findings.map(function (f, i) { return findingNode(report, f, i); }) : [el("p", { text: "无问题 no findings" })]));
  var others = (NB.meta.otherFindings || []).filter(function (o) { return o.report === report.id; });
  if (others.length) left.appendChild(otherList("跨报告问题 Cross-report findings", others));
  right.appendChild(el("h2", { text: "统计表 Tables (as read)" }));
  Object.keys(TABLES).forEach(function (t) {
    var n = tableNode(report, t, hits);
    right.appendChild(n || el("p", { cls: "meta-line", text: TABLES[t] + "：未找到 not found in the source" }));
  });
  (report.other_tables || []).forEach(function (t, i) {
    var rows = t.rows.map(function (r) { return el("tr", null, r.map(function (c) { return el("td", { text: c }); })); });
    v.appendChild(el("details", null, [el("summary", { text: "其他表格 other table " + (i + 1) + " · " + locText(t.location) }), el("table", { cls: "grid" }, [el("tbody", null, rows)])]));
  });
  v.appendChild(el("h2", { text: "诊断 Diagnostics (" + (report.diagnostics || []).length + ")" }));
  v.appendChild(el("ul", { cls: "plain" }, (report.diagnostics || []).map(function (d) { return el("li", null, [el("code", { text: d.code }), " " + d.message]); })));
  v.appendChild(el("h2", { text: "规则 Checks" }));
  v.appendChild(el("ul", { cls: "plain" }, (report.checks || []).map(function (c) {
    var icon = { passed: "✔", failed: "✖", not_assessable: "–" }[c.status] || "?";
    return el("li", { title: c.rule }, [icon + " " + ruleText(c.rule) + " · " + c.status]);
  })));
  Array.prototype.forEach.call(v.querySelectorAll("td.hit"), function (td) {
    td.addEventListener("click", function () { showInspector(td); });
    td.addEventListener("keydown", function (e) { if (e.key === "Enter") showInspector(td); });
  });
}

// ------------------------------------------------------------ other views
function otherList(title, rows) {
  var keys = ["source", "agency", "year", "rule", "severity", "message", "fingerprint"];
  return el("section", null, [el("h2", { text: title + " (" + rows.length + ")" }),
    el("table", { cls: "grid" }, [el("thead", null, [el("tr", null, keys.map(function (k) { return el("th", { text: k }); }).concat([el("th", { text: "review" })]))]),
      el("tbody", null, rows.map(function (o) {
        var r = reviews()[o.fingerprint];
        var link = o.report !== null && o.report !== undefined ? el("a", { href: "#/r/" + o.report, text: o.source }) : o.source;
        return el("tr", { "data-fingerprint": o.fingerprint }, keys.map(function (k) { return el("td", null, [k === "source" ? link : String(o[k] || "")]); })
          .concat([el("td", null, [reviewControlsNode(o)])]));
      }))])]);
}
function pick(row, names) {
  var keys = Object.keys(row);
  for (var i = 0; i < names.length; i++) {
    var k = keys.filter(function (x) { return x.toLowerCase().replace(/[ _]/g, "") === names[i]; })[0];
    if (k !== undefined) return row[k];
  }
  return "";
}
function years(s) { return (String(s).match(/\d{4}/g) || []).map(Number); }
function renderCoverage() {
  var v = $("view-coverage"), rows = NB.meta.coverage || [];
  v.textContent = "";
  var all = {};
  rows.forEach(function (r) { years(pick(r, ["yearspresent", "present"])).concat(years(pick(r, ["yearsmissing", "missing"]))).forEach(function (y) { all[y] = 1; }); });
  var ys = Object.keys(all).sort();
  var head = ["key", "机关 agency", "层级 admin level", "已报 years present", "缺报 years missing"].concat(ys);
  v.appendChild(el("h2", { text: "报送情况 Coverage: 机关 × 年度 (" + rows.length + ")" }));
  v.appendChild(el("p", { cls: "meta-line", text: "✔ 已报送 present · ✖ 缺报 missing · 空白 outside the agency's years" }));
  v.appendChild(el("table", { cls: "grid coverage" }, [el("thead", null, [el("tr", null, head.map(function (h) { return el("th", { text: h }); }))]),
    el("tbody", null, rows.map(function (r) {
      var have = years(pick(r, ["yearspresent", "present"])), miss = years(pick(r, ["yearsmissing", "missing"]));
      return el("tr", null, [pick(r, ["key", "agencykey"]), pick(r, ["agency"]), pick(r, ["adminlevel", "level"]), have.join(" "), miss.join(" ")].map(function (t) { return el("td", { text: String(t) }); })
        .concat(ys.map(function (y) {
          y = +y;
          if (miss.indexOf(y) >= 0) return el("td", { cls: "miss", title: y + " 缺报 missing", text: "✖" });
          if (have.indexOf(y) >= 0) return el("td", { cls: "have", title: y + " present", text: "✔" });
          return el("td", { text: "" });
        })));
    }))]));
}
function allFingerprints() {
  var fps = {};
  NB.index.forEach(function (r) { r[7].forEach(function (f) { fps[f[3]] = 1; }); });
  (NB.meta.otherFindings || []).forEach(function (o) { fps[o.fingerprint] = 1; });
  return fps;
}
function renderReviews() {
  var v = $("view-reviews"), all = reviews(), fps = allFingerprints();
  var where = {};
  NB.index.forEach(function (r) { r[7].forEach(function (f) { where[f[3]] = r; }); });
  v.textContent = "";
  var keys = Object.keys(all).sort();
  var orphans = keys.filter(function (fp) { return !fps[fp]; });
  v.appendChild(el("h2", { text: "审核记录 Decisions (" + keys.length + ")" }));
  v.appendChild(el("ul", { cls: "plain", id: "decisions" }, keys.filter(function (fp) { return fps[fp]; }).map(function (fp) {
    var r = where[fp], d = all[fp];
    return el("li", { "data-fingerprint": fp }, [d.decision === "confirmed" ? "✔ " : "✘ ", r ? el("a", { href: "#/r/" + r[0], text: (r[1] || r[9]) + " " + (r[3] || "") }) : fp, " · " + d.decision + (d.note ? " · " + d.note : "") + " · " + d.time]);
  })));
  v.appendChild(el("h2", { text: "已不存在的问题的决定 Decisions whose finding no longer exists (" + orphans.length + ")" }));
  v.appendChild(el("ul", { cls: "plain", id: "orphans" }, orphans.map(function (fp) {
    var d = all[fp];
    return el("li", { "data-fingerprint": fp, text: fp + " · " + d.decision + (d.note ? " · " + d.note : "") + " · " + d.time });
  })));
  (NB.meta.refusedReviews || []).forEach(function (m) { v.appendChild(el("p", { cls: "sev-0", text: "✖ reviews file: " + m })); });
}

// ------------------------------------------------------------ routing
function show(id) {
  ["view-index", "view-report", "view-coverage", "view-other", "view-reviews"].forEach(function (v) { $(v).hidden = v !== id; });
}
function route(keepScroll) {
  var h = location.hash || "#/", y = window.scrollY;
  var m = /^#\/r\/(\d+)(?:\/(\w+))?/.exec(h);
  $("inspector").hidden = true;
  if (m) {
    show("view-report");
    var id = +m[1];
    return detailOf(id).then(function (r) {
      if (!r) { $("view-report").textContent = "报告不存在 no such report: " + id; return; }
      renderReport(r);
      if (keepScroll === true) window.scrollTo(0, y);
      else if (m[2]) { var f = document.getElementById("f-" + m[2]); if (f) { f.scrollIntoView(); f.focus(); } }
      else window.scrollTo(0, 0);
    }, function (e) { $("status").textContent = "✖ " + e.message; });
  }
  if (h === "#/coverage") { show("view-coverage"); renderCoverage(); }
  else if (h === "#/other") { show("view-other"); $("view-other").textContent = ""; $("view-other").appendChild(otherList("其他问题 Findings not tied to one report line", NB.meta.otherFindings || [])); }
  else if (h === "#/reviews") { show("view-reviews"); renderReviews(); }
  else { show("view-index"); if (NB.ready) applyFilters(); }
  return Promise.resolve();
}
function renderFailed() {
  var files = NB.meta.files || [];
  if (!files.length) return;
  $("failed").hidden = false;
  $("failed-list").appendChild(document.createDocumentFragment());
  files.slice(0, 1000).forEach(function (f) { $("failed-list").appendChild(el("li", { text: "✖ " + f.source + " — " + (f.error ? "[" + f.error + "] " : "") + f.reason })); });
  if (files.length > 1000) $("failed-list").appendChild(el("li", { text: "… " + (files.length - 1000) + " more in files.csv" }));
}
function loadIndex(k) {
  if (k >= NB.meta.indexChunks) return Promise.resolve();
  return loadScript("data/index-" + k + ".js").then(function () {
    $("status").textContent = "已加载 loaded " + NB.index.length + " / " + NB.meta.reports;
    if (k === 0) applyFilters();
    return loadIndex(k + 1);
  });
}
function start() {
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") $("inspector").hidden = true; });
  $("list").addEventListener("scroll", renderList);
  $("list").addEventListener("keydown", listKeys);
  $("export").addEventListener("click", exportReviews);
  window.addEventListener("hashchange", function () { route(); });
  loadScript("data/meta.js").then(function () {
    $("nav-coverage").hidden = !NB.meta.coverage;
    $("nav-other").hidden = !(NB.meta.otherFindings || []).length;
    renderFailed();
    return loadIndex(0);
  }).then(function () {
    setupFilters();
    NB.ready = true;
    var bad = NB.meta.badLines.length ? " · ✖ " + NB.meta.badLines.length + " 行无法读取 unreadable lines: " + NB.meta.badLines.slice(0, 3).join("; ") : "";
    $("status").textContent = NB.meta.reports + " 份报告 reports" + bad;
    return route();
  }).then(function () { document.body.setAttribute("data-ready", "1"); },
    function (e) { $("status").textContent = "✖ " + e.message; });
}
window.nbAudit = { reviewsCsv: reviewsCsv, filteredIds: function () { return NB.filtered.map(function (r) { return r[0]; }); } };
start();

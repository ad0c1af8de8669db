// Check-in at the door: filter as you type, record each tap with fetch() without reloading.
// Taps wait in a queue (kept in localStorage) and are retried while the connection is poor.
// Without this script the page still works: the search and every button are plain forms.
(function () {
  "use strict";
  var list = document.getElementById("check-in-list");
  if (!list || !window.fetch) return;
  var texts = JSON.parse(document.getElementById("check-in-texts").textContent);
  var api = list.dataset.api;
  var search = document.getElementById("q");
  var noMatch = document.getElementById("no-match");
  var pendingBadge = document.getElementById("pending");
  var tally = document.getElementById("attended-count");
  if (!tally) return;  // nobody on the roster yet: nothing to filter or record
  var storageKey = "sasaeru-check-in:" + location.pathname;
  var queue = load();
  var busy = false;
  var delay = 1000;

  function normalize(text) {
    return (text || "")
      .normalize("NFKC")
      .replace(/[\u30a1-\u30f6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); })
      .replace(/\s+/g, "")
      .toLowerCase();
  }

  function filter() {
    var needle = normalize(search.value);
    var shown = 0;
    list.querySelectorAll("li[data-entry]").forEach(function (row) {
      var hit = !needle || row.dataset.search.indexOf(needle) !== -1;
      row.hidden = !hit;
      if (hit) shown++;
    });
    if (noMatch) noMatch.hidden = shown !== 0;
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(storageKey)) || []; } catch (e) { return []; }
  }
  function save() {
    try { localStorage.setItem(storageKey, JSON.stringify(queue)); } catch (e) { /* private mode */ }
    pendingBadge.hidden = queue.length === 0;
    pendingBadge.textContent = texts.pending.replace("%(count)s", queue.length);
  }

  function show(row, status, label, time) {
    var present = status === "present" || status === "late" || status === "left_early";
    var was = row.classList.contains("is-present");
    row.classList.toggle("is-present", present);
    var form = row.querySelector("form.tap");
    form.querySelector("input[name=status]").value = present ? "expected" : "present";
    var button = form.querySelector("button");
    button.textContent = present ? texts.undo : texts.present;
    button.className = present ? "button secondary undo" : "button present";
    var done = form.querySelector(".done");
    if (present) {
      if (!done) {
        done = document.createElement("span");
        done.className = "done";
        form.insertBefore(done, button);
      }
      done.textContent = "✓ " + (label || texts.present) + (time ? " " + time : "");
    } else if (done) {
      done.remove();
    }
    if (present !== was) tally.textContent = String(Number(tally.textContent) + (present ? 1 : -1));
  }

  function rowOf(id) { return list.querySelector('li[data-entry="' + id + '"]'); }

  function hhmm(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    return d.toLocaleTimeString("ja-JP", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Tokyo" });
  }

  function send() {
    if (busy || queue.length === 0) return;
    busy = true;
    var item = queue[0];
    var row = rowOf(item.id);
    fetch(api + item.id + "/status", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": item.csrf, "Accept": "application/json" },
      body: JSON.stringify({ status: item.status, reason: item.reason || "" })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          queue.shift();
          delay = 1000;
          if (row) { row.classList.remove("is-sending"); show(row, body.status, body.status_label, hhmm(body.checked_in_at)); }
        } else if (response.status >= 400 && response.status < 500) {
          // Refused (cancelled event, closed roster, ...): undo the optimistic change, say why.
          queue.shift();
          if (row) { row.classList.remove("is-sending"); show(row, item.previous, null, ""); }
          var detail = body.detail;
          if (Array.isArray(detail)) detail = detail.map(function (d) { return d.msg; }).join(" ");
          alert(texts.failed + ": " + (detail || response.status));
        } else {
          throw new Error("server " + response.status);
        }
      });
    }).catch(function () {
      delay = Math.min(delay * 2, 30000);
    }).then(function () {
      busy = false;
      save();
      if (queue.length) setTimeout(send, queue.length && delay > 1000 ? delay : 0);
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target.closest("form.tap");
    if (!form) return;
    var reasonInput = form.querySelector("input[name=reason]");
    if (reasonInput && !reasonInput.value.trim()) return; // let the browser ask for it
    event.preventDefault();
    var row = form.closest("li");
    var status = form.querySelector("input[name=status]").value;
    var id = row.dataset.entry;
    var previous = row.classList.contains("is-present") ? "present" : "expected";
    queue = queue.filter(function (q) { return q.id !== id; });
    queue.push({
      id: id, status: status, previous: previous,
      reason: reasonInput ? reasonInput.value : "",
      csrf: form.querySelector("input[name=csrfmiddlewaretoken]").value
    });
    row.classList.add("is-sending");
    show(row, status, null, "");
    save();
    send();
  });

  var searchForm = search && search.form;
  if (searchForm) {
    searchForm.addEventListener("submit", function (event) { event.preventDefault(); filter(); });
    search.addEventListener("input", filter);
  }
  window.addEventListener("online", function () { delay = 1000; send(); });
  queue.forEach(function (item) { var row = rowOf(item.id); if (row) { row.classList.add("is-sending"); show(row, item.status, null, ""); } });
  save();
  send();
  filter();
})();

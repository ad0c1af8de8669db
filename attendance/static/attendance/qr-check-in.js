// 「QRで受付」: the phone's camera reads the check-in codes at the door (docs/checkin.md).
// - Decoding: the browser's BarcodeDetector where it reads QR codes, else jsQR (vendored in
//   static/js/vendor/, loaded by the page).
// - Each scan is answered at once from the device's copy of the roster (IndexedDB: code hashes,
//   names, kana, statuses; gone after the event's day or with 「端末のデータを消去」), then by the
//   server, which applies each scan once by its client id (offline scans wait in IndexedDB and
//   are sent when the network comes back).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("door-config").textContent);
  var texts = config.texts;
  var $ = function (id) { return document.getElementById(id); };
  var video = $("door-video");
  var result = $("scan-result");
  var pendingBadge = $("door-pending");
  var historyList = $("door-history");
  var problems = $("door-problems");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var DB_NAME = "sasaeru-door";
  var SAME_CODE_PAUSE = 2500;  // ms a code still in view is not read again
  var db = null;
  var roster = null;  // {event_id, expires_at, people: [...]}
  var byHash = new Map();
  var queue = [];  // operations not yet answered by the server
  var shown = new Map();  // client id -> history row
  var made = new Map();  // client id -> the scan this device made
  var lastText = "", lastSeen = 0;
  var detector = null, canvas = null, context2d = null, running = false, sending = false;
  var audio = null;
  window.__doorLog = [];  // {text, decodedAt, shownAt, result} for the benchmark and tests

  // --- storage ---------------------------------------------------------------------------

  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function openDb() {
    var r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = function () {
      r.result.createObjectStore("rosters", { keyPath: "event_id" });
      r.result.createObjectStore("queue", { keyPath: "client_id" });
    };
    return request(r);
  }
  function store(name, mode) { return db.transaction(name, mode || "readonly").objectStore(name); }
  function saveRoster() { return request(store("rosters", "readwrite").put(roster)); }
  function saveOperation(op) { return request(store("queue", "readwrite").put(op)); }
  function forgetOperation(id) { return request(store("queue", "readwrite").delete(id)); }

  function expired(r) { return !r || new Date(r.expires_at).getTime() <= Date.now(); }

  function purgeExpired() {
    // A roster past its event's day goes, with whatever of that event was never sent.
    return request(store("rosters").getAll()).then(function (all) {
      var gone = all.filter(expired).map(function (r) { return r.event_id; });
      if (!gone.length) return;
      return request(store("queue").getAll()).then(function (ops) {
        var tx = db.transaction(["rosters", "queue"], "readwrite");
        gone.forEach(function (id) { tx.objectStore("rosters").delete(id); });
        ops.forEach(function (op) {
          if (gone.indexOf(op.event_id) !== -1) tx.objectStore("queue").delete(op.client_id);
        });
        return new Promise(function (resolve) { tx.oncomplete = resolve; tx.onerror = resolve; });
      });
    });
  }

  function index() {
    byHash = new Map();
    (roster ? roster.people : []).forEach(function (p) { byHash.set(p.code_hash, p); });
  }

  function loadRoster() {
    return fetch(config.roster_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("roster " + response.status);
        return response.json();
      })
      .then(function (body) {
        // Check-ins this device made and has not sent yet stay on top of the server's copy.
        var mine = new Map();
        if (roster) roster.people.forEach(function (p) { if (p.local) mine.set(p.code_hash, p); });
        body.people.forEach(function (p) {
          var local = mine.get(p.code_hash);
          if (local && p.status === "expected") { p.status = local.status; p.checked_in_at = local.checked_in_at; p.local = true; }
        });
        roster = body;
        index();
        return saveRoster();
      })
      .catch(function () { /* offline: keep the stored copy */ });
  }

  function deviceId() {
    var id = null;
    try { id = localStorage.getItem("sasaeru-door-device"); } catch (e) { /* private mode */ }
    if (!id) {
      id = newId();
      try { localStorage.setItem("sasaeru-door-device", id); } catch (e) { /* private mode */ }
    }
    return id;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    });
  }

  // --- answering a scan --------------------------------------------------------------------

  var ATTENDED = ["present", "late", "left_early"];
  var TONE = { checked_in: "ok", undone: "ok", already: "warn", nothing_to_undo: "warn" };

  function hhmm(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleTimeString("ja-JP", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Tokyo" });
  }

  function messageFor(code, time) {
    if (code === "already" && time) return texts.already_at.replace("%(time)s", hhmm(time));
    return texts.results[code] || code;
  }

  function localAnswer(person, at) {
    if (!person) return { result: "unreadable", name: "", kana: "" };
    var answer = { name: person.name, kana: person.kana };
    if (ATTENDED.indexOf(person.status) !== -1) {
      answer.result = "already"; answer.checked_in_at = person.checked_in_at;
    } else if (person.status === "expected" || person.status === "absent" || person.status === "excused") {
      answer.result = "checked_in"; answer.checked_in_at = at; answer.undoable = true;
      person.status = "present"; person.checked_in_at = at; person.local = true;
    } else {
      answer.result = person.status;  // waitlisted, pending, cancelled
    }
    return answer;
  }

  function show(answer, op) {
    var tone = TONE[answer.result] || "error";
    result.className = "scan-result is-" + tone;
    result.hidden = false;
    $("scan-name").textContent = answer.name || "";
    $("scan-kana").textContent = answer.kana || "";
    $("scan-message").textContent = answer.message || messageFor(answer.result, answer.checked_in_at);
    var undo = $("scan-undo");
    undo.hidden = !answer.undoable;
    undo.dataset.target = op.client_id;
    result.dataset.clientId = op.client_id;
    result.dataset.result = answer.result;
    addHistory(answer, op);
    signal(tone);
  }

  function addHistory(answer, op) {
    var row = shown.get(op.client_id);
    if (!row) {
      row = document.createElement("li");
      row.dataset.clientId = op.client_id;
      historyList.insertBefore(row, historyList.firstChild);
      shown.set(op.client_id, row);
      while (historyList.children.length > 30) historyList.removeChild(historyList.lastChild);
    }
    row.className = "door-row is-" + (TONE[answer.result] || "error");
    row.dataset.result = answer.result;
    row.textContent = "";
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = (answer.name || "—") + "　" + (answer.message || messageFor(answer.result, answer.checked_in_at));
    row.appendChild(who);
    if (answer.undoable && op.kind === "scan") {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary undo";
      button.dataset.target = op.client_id;
      button.textContent = texts.undo;
      row.appendChild(button);
    }
  }

  function signal(tone) {
    try {
      if (navigator.vibrate) navigator.vibrate(tone === "ok" ? 80 : [80, 60, 80]);
    } catch (e) { /* not on this device */ }
    if (!audio) return;
    var notes = tone === "ok" ? [[1046, 0, 0.12]] : tone === "warn" ? [[660, 0, 0.1], [660, 0.15, 0.1]] : [[220, 0, 0.35]];
    notes.forEach(function (n) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = n[0];
      gain.gain.value = 0.2;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + n[1]); osc.stop(audio.currentTime + n[1] + n[2]);
    });
  }

  function scanned(text, decodedAt) {
    var at = new Date().toISOString();
    var op = { client_id: newId(), event_id: config.event_id, kind: "scan", code: text, at: at };
    return (window.crypto && crypto.subtle ? sha256(text) : Promise.resolve("")).then(function (hash) {
      var person = byHash.get(hash);
      var answer = localAnswer(person, at);
      op.name = answer.name;
      op.local = answer.result;
      op.person_hash = hash;
      made.set(op.client_id, op);
      show(answer, op);
      window.__doorLog.push({ text: text, decodedAt: decodedAt, shownAt: performance.now(), result: answer.result });
      if (person) saveRoster();
      return enqueue(op);
    });
  }

  function undo(target) {
    var op = { client_id: newId(), event_id: config.event_id, kind: "undo", undoes: target, at: new Date().toISOString() };
    var row = shown.get(target);
    var original = made.get(target);
    var person = original ? byHash.get(original.person_hash) : null;
    if (row) { var b = row.querySelector("button.undo"); if (b) b.remove(); }
    $("scan-undo").hidden = true;
    $("scan-message").textContent = texts.results.undone;
    result.className = "scan-result is-ok";
    result.dataset.result = "undone";
    if (person) { person.status = "expected"; person.checked_in_at = null; saveRoster(); }
    return enqueue(op);
  }

  // --- the queue and the server ------------------------------------------------------------

  function enqueue(op) {
    queue.push(op);
    counts();
    return saveOperation(op).then(send);
  }

  function counts() {
    pendingBadge.hidden = queue.length === 0;
    pendingBadge.textContent = texts.pending.replace("%(count)s", queue.length);
    var attended = roster ? roster.people.filter(function (p) { return ATTENDED.indexOf(p.status) !== -1; }).length : 0;
    $("door-attended").textContent = String(attended);
  }

  function send() {
    if (sending || queue.length === 0 || navigator.onLine === false) { counts(); return; }
    sending = true;
    var batch = queue.slice(0, 100);
    var operations = batch.map(function (op) {
      var o = { client_id: op.client_id, kind: op.kind, at: op.at };
      if (op.kind === "scan") o.code = op.code; else o.undoes = op.undoes;
      return o;
    });
    return fetch(config.scans_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ device: deviceId(), operations: operations })
    }).then(function (response) {
      if (response.status >= 400 && response.status < 500) {
        // Refused as a whole (logged out, no longer allowed): say so, keep the scans.
        problem(texts.refused + " (" + response.status + ")");
        throw new Error("refused");
      }
      if (!response.ok) throw new Error("server " + response.status);
      return response.json();
    }).then(function (body) {
      body.answers.forEach(answered);
      var done = new Set(body.answers.map(function (a) { return a.client_id; }));
      queue = queue.filter(function (op) { return !done.has(op.client_id); });
      return Promise.all(batch.map(function (op) { return done.has(op.client_id) ? forgetOperation(op.client_id) : null; }));
    }).catch(function () { /* offline or refused: retried on reconnect */ })
      .then(function () {
        sending = false;
        counts();
        if (queue.length && navigator.onLine !== false) setTimeout(send, 3000);
      });
  }

  function answered(answer) {
    var op = queue.filter(function (q) { return q.client_id === answer.client_id; })[0] || {};
    if (roster && answer.name) {
      roster.people.forEach(function (p) {
        if (p.entry_id && p.entry_id === answer.entry_id) {
          if (answer.result === "undone") { p.status = "expected"; p.checked_in_at = null; }
          else if (answer.checked_in_at) { p.status = "present"; p.checked_in_at = answer.checked_in_at; }
          p.local = false;
        }
      });
      saveRoster();
    }
    if (op.kind === "scan" && op.local === "checked_in" && answer.result !== "checked_in" && answer.result !== "already") {
      // Checked in here while offline, but the server says otherwise (cancelled meanwhile…).
      problem((answer.name || op.name || "—") + "：" + answer.message);
    }
    if (op.kind === "scan" && shown.has(answer.client_id)) addHistory(answer, op);
    if (result.dataset.clientId === answer.client_id && op.kind === "scan" && result.dataset.result !== "undone") {
      show(answer, op);
    }
  }

  function problem(text) {
    var li = document.createElement("li");
    li.textContent = text;
    problems.appendChild(li);
    $("door-problems-box").hidden = false;
  }

  // --- the camera ----------------------------------------------------------------------------

  function start() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) audio = new Ctx();
    $("door-start").hidden = true;
    $("door-status").textContent = texts.starting;
    var ready = Promise.resolve();
    if ("BarcodeDetector" in window) {
      ready = window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") !== -1) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      }).catch(function () { detector = null; });
    }
    return ready.then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (stream) {
      video.srcObject = stream;
      return video.play();
    }).then(function () {
      running = true;
      $("door-status").textContent = texts.scanning;
      $("door-camera").dataset.decoder = detector ? "BarcodeDetector" : "jsQR";
      window.__doorStartedAt = performance.now();
      if (video.requestVideoFrameCallback && window.__doorFrames) {
        // bench/checkin.py: when each camera frame was shown, by its media time
        var onFrame = function (now, meta) {
          window.__doorFrames.push([meta.mediaTime, now]);
          if (running) video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
      }
      tick();
    }).catch(function () {
      $("door-status").textContent = texts.no_camera;
      $("door-start").hidden = false;
    });
  }

  function decode() {
    if (detector) {
      return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    }
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return Promise.resolve(null);
    var scale = Math.min(1, 640 / Math.max(w, h));
    if (!canvas) { canvas = document.createElement("canvas"); context2d = canvas.getContext("2d", { willReadFrequently: true }); }
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    context2d.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context2d.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return Promise.resolve(code ? code.data : null);
  }

  function tick() {
    if (!running) return;
    decode().then(function (text) {
      var now = performance.now();
      if (text) {
        text = text.trim();
        var again = text === lastText && now - lastSeen < SAME_CODE_PAUSE;
        lastText = text; lastSeen = now;
        if (!again) return scanned(text, now);
      }
    }).catch(function () { /* a frame that cannot be read */ })
      .then(function () { window.requestAnimationFrame(tick); });
  }

  function clearDevice() {
    if (queue.length && !window.confirm(texts.clear_unsent.replace("%(count)s", queue.length))) return;
    running = false;
    if (video.srcObject) video.srcObject.getTracks().forEach(function (t) { t.stop(); });
    var tx = db.transaction(["rosters", "queue"], "readwrite");
    tx.objectStore("rosters").clear();
    tx.objectStore("queue").clear();
    tx.oncomplete = function () {
      roster = null; queue = []; index(); counts();
      try { localStorage.removeItem("sasaeru-door-device"); } catch (e) { /* private mode */ }
      $("door-status").textContent = texts.cleared;
      $("door-start").hidden = false;
    };
  }

  // --- wiring ----------------------------------------------------------------------------------

  $("door-start").addEventListener("click", start);
  $("door-clear").addEventListener("click", clearDevice);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.undo, #scan-undo");
    if (button && button.dataset.target) undo(button.dataset.target);
  });
  window.addEventListener("online", send);
  setInterval(send, 5000);  // a network that came back without an "online" event

  openDb().then(function (opened) {
    db = opened;
    return purgeExpired();
  }).then(function () {
    return request(store("rosters").get(config.event_id));
  }).then(function (stored) {
    roster = expired(stored) ? null : stored;
    index();
    return request(store("queue").getAll());
  }).then(function (ops) {
    queue = ops.filter(function (op) { return op.event_id === config.event_id; });
    return loadRoster();
  }).then(function () {
    counts();
    $("door-start").disabled = false;
    document.body.dataset.doorReady = "true";
    send();
  });
})();

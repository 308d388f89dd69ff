/* The station app: scans recorded on the phone at once (IndexedDB), sent to the server in
   order and in batches when there is a connection; the station's expected parcels kept from
   the last sync. Words come from the page (DATA.words), translated on the server. */
(function () {
  "use strict";
  const dataNode = document.getElementById("station-app-data");
  if (!dataNode) return;
  const DATA = JSON.parse(dataNode.textContent);
  const W = DATA.words;
  const ACTIONS = DATA.actions;
  const BATCH = 20;
  const PICKUP_TRIES = 5;
  const PICKUP_WINDOW_MS = 15 * 60 * 1000;
  const $ = (id) => document.getElementById(id);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(DATA.urls.sw, {scope: DATA.urls.start})
      .then(() => navigator.serviceWorker.ready)
      .then(keepFiles)
      .catch(() => null);
  }

  /* The files this page uses, kept for opening offline (the worker keeps its list too). */
  function keepFiles() {
    if (!("caches" in window)) return null;
    const urls = new Set(DATA.urls.assets);
    document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=icon][href]")
      .forEach((node) => urls.add(node.getAttribute("href") || node.getAttribute("src")));
    return caches.open("station-app-" + DATA.version).then((cache) => Promise.all(
      Array.from(urls).map((url) => cache.match(url, {ignoreVary: true})
        .then((kept) => kept || cache.add(url).catch(() => null)))));
  }

  const root = $("station-app");
  if (!root) {
    // The choice of station: open the one chosen last time, unless asked to choose again.
    const last = Number(localStorage.getItem("station-app-station"));
    const params = new URLSearchParams(location.search);
    if (last && !params.has("choose") && !sessionStorage.getItem("station-app-opened") &&
        DATA.stations.some((s) => s.id === last)) {
      sessionStorage.setItem("station-app-opened", "1");
      location.replace(DATA.urls.start + "?station=" + last);
    }
    return;
  }
  const stationId = DATA.station_id;

  /* -- IndexedDB: one database per user, so another operator never sends someone's scans. */
  const dbReady = new Promise((resolve, reject) => {
    const request = indexedDB.open("linxia-station-app-" + DATA.user_id, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("expected", {keyPath: "station_id"});
      db.createObjectStore("scans", {keyPath: "client_id"}).createIndex("seq", "seq");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

  function store(name, mode, work) {
    return dbReady.then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const request = work(tx.objectStore(name));
      let result;
      if (request) request.onsuccess = () => { result = request.result; };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }
  const saveScan = (scan) => store("scans", "readwrite", (s) => s.put(scan));
  const allScans = () => store("scans", "readonly", (s) => s.index("seq").getAll());
  const saveExpected = (record) => store("expected", "readwrite", (s) => s.put(record));
  const loadExpected = () => store("expected", "readonly", (s) => s.get(stationId));

  let scans = [];
  let expected = null;
  let counter = 0;

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const normalise = (code) => (code || "").replace(/\s+/g, "").toUpperCase();
  const yuan = (fen) => "¥" + (fen / 100).toFixed(2);
  const locale = DATA.locale === "en" ? "en-GB" : "zh-CN";
  function when(iso) {
    try {
      return new Date(iso).toLocaleString(locale, {
        timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      });
    } catch (e) {
      return iso;
    }
  }
  const pending = () => scans.filter((s) => s.state === "pending");

  /* -- what the phone knows of a parcel: the synced list, less the scans made since. */
  function known(code) {
    if (!expected) return null;
    return expected.parcels.find((p) => p.parcel_code === code) || null;
  }
  function actionsLeft(parcel) {
    const left = [parcel.next_action].concat(parcel.later_actions || []);
    // Scans not yet in the synced list: unsent ones, and those sent since it was synced.
    const done = scans.filter((s) => s.parcel_code === parcel.parcel_code && s.station_id === stationId &&
      (s.state === "pending" || (s.state !== "refused" && s.basis === expected.synced_at)))
      .map((s) => s.action);
    return left.filter((a) => !done.includes(a));
  }

  /* -- rendering ---------------------------------------------------------------------- */
  function element(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
    children.filter((c) => c !== null && c !== undefined).forEach((c) =>
      node.append(typeof c === "string" ? document.createTextNode(c) : c));
    return node;
  }

  // The cash is taken where the buyer picks the parcel up.
  const cashHere = (p) => p.amount_due_fen > 0 && actionsLeft(p).includes("handed_over");

  function render() {
    $("pending-count").textContent = String(pending().length);
    const list = $("scan-list");
    list.replaceChildren(...scans.filter((s) => s.station_id === stationId).slice(-30).reverse().map((s) => {
      const badge = {pending: "text-bg-warning", applied: "text-bg-success", duplicate: "text-bg-success",
        refused: "text-bg-danger"}[s.state];
      const item = element("li", {class: "list-group-item", "data-testid": "scan-item", "data-state": s.state,
        "data-code": s.parcel_code},
        element("div", {class: "d-flex flex-wrap justify-content-between gap-1"},
          element("span", null, element("code", null, s.parcel_code), " · " + (ACTIONS[s.action] || s.action)),
          element("span", {class: "badge " + badge}, W[s.state] || s.state)),
        element("small", {class: "text-body-secondary"}, W.scanned + " " + when(s.scanned_at)));
      if (s.state === "refused") {
        item.append(element("div", {class: "text-danger", "data-testid": "refusal"}, s.message || s.reason || ""));
        if (s.advice) item.append(element("div", {class: "small"}, W.what_to_do + ": " + s.advice));
      }
      return item;
    }));
    $("synced-at").textContent = expected ? W.synced_at + " " + when(expected.synced_at) : W.never_synced;
    const parcels = expected ? expected.parcels.filter((p) => actionsLeft(p).length) : [];
    $("expected-list").replaceChildren(...(parcels.length ? parcels.map((p) => element("li",
      {class: "list-group-item", "data-testid": "expected-item", "data-code": p.parcel_code},
      element("div", null, element("code", null, p.parcel_code), " · " + W.next + ": " + ACTIONS[actionsLeft(p)[0]]),
      element("small", {class: "text-body-secondary"}, W.buyer + ": " + p.buyer_masked_name +
        (cashHere(p) ? " · " + W.cash_due + ": " + yuan(p.amount_due_fen) : ""))))
      : [element("li", {class: "list-group-item text-body-secondary"}, W.no_parcels)]));
  }

  function status(text, link) {
    const node = $("sync-status");
    node.textContent = text || "";
    if (link) node.append(" ", element("a", {href: link}, link === DATA.urls.login ? W.log_in : link));
  }

  /* -- the scan form ---------------------------------------------------------------------- */
  const form = $("scan-form");
  const codeInput = $("parcel-code");
  const actionSelect = $("scan-action");

  function showFields() {
    const action = actionSelect.value;
    $("handover-fields").hidden = action !== "handed_over";
    $("carrier-fields").hidden = action !== "handed_to_carrier";
  }

  function lookUp() {
    const code = normalise(codeInput.value);
    const parcel = code ? known(code) : null;
    const info = $("parcel-info");
    if (!code) {
      info.textContent = "";
    } else if (!parcel || !actionsLeft(parcel).length) {
      info.textContent = expected ? W.unknown_parcel : W.never_synced;
    } else {
      const next = actionsLeft(parcel)[0];
      actionSelect.value = next;
      info.textContent = W.next + ": " + ACTIONS[next] + " · " + W.buyer + ": " + parcel.buyer_masked_name +
        (cashHere(parcel) ? " · " + W.cash_due + ": " + yuan(parcel.amount_due_fen) : "");
      $("cash-received").value = parcel.amount_due_fen ? (parcel.amount_due_fen / 100).toFixed(2) : "0";
    }
    showFields();
  }

  function failures(code) {
    const key = "pickup-fails-" + code;
    const now = Date.now();
    const times = JSON.parse(localStorage.getItem(key) || "[]").filter((t) => now - t < 2 * PICKUP_WINDOW_MS);
    return {times, add() { times.push(Date.now()); localStorage.setItem(key, JSON.stringify(times)); }};
  }
  function locked(times) {
    const recent = times.filter((t) => Date.now() - t < PICKUP_WINDOW_MS);
    return recent.length >= PICKUP_TRIES;
  }

  async function pickupMatches(code, check) {
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(code), "PBKDF2", false, ["deriveBits"]);
    const salt = Uint8Array.from(atob(check.salt), (c) => c.charCodeAt(0));
    const bits = await crypto.subtle.deriveBits(
      {name: "PBKDF2", hash: "SHA-256", salt, iterations: check.iterations}, key, 256);
    const hex = Array.from(new Uint8Array(bits), (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.slice(0, check.bits / 4) === check.prefix;
  }

  function fail(text) {
    $("scan-error").textContent = text;
  }

  async function record(event) {
    event.preventDefault();
    fail("");
    const code = normalise(codeInput.value);
    const action = actionSelect.value;
    if (!code || !/^[A-Z0-9]{1,40}$/.test(code)) return fail(W.type_code);
    const parcel = known(code);
    const scan = {client_id: uuid(), seq: Date.now() * 1000 + (counter++ % 1000), station_id: stationId,
      parcel_code: code, action, scanned_at: new Date().toISOString(), state: "pending",
      basis: expected ? expected.synced_at : null,
      pickup_code: null, cash_received_fen: null, carrier: null, tracking_no: null};
    let note = W.recorded;
    if (action === "handed_over") {
      const pickup = $("pickup-code").value.replace(/\s+/g, "");
      if (!/^[0-9]{6}$/.test(pickup)) return fail(W.pickup_needed);
      const cash = Math.round(parseFloat(($("cash-received").value || "0").replace(",", ".")) * 100);
      if (Number.isNaN(cash) || cash < 0) return fail(W.cash_wrong);
      if (parcel && cash !== parcel.amount_due_fen) return fail(W.cash_wrong);
      if (parcel && parcel.pickup_check) {
        const tries = failures(code);
        if (locked(tries.times)) return fail(W.pickup_locked);
        let ok = false;
        try {
          ok = await pickupMatches(pickup, parcel.pickup_check);
        } catch (e) {
          ok = true;  // no WebCrypto here: the server checks the code
          note = W.pickup_unchecked;
        }
        if (!ok) {
          tries.add();
          return fail(locked(tries.times) ? W.pickup_locked : W.pickup_wrong);
        }
      } else {
        note = W.pickup_unchecked;
      }
      scan.pickup_code = pickup;
      scan.cash_received_fen = cash;
    } else if (action === "handed_to_carrier") {
      scan.carrier = $("carrier").value.trim() || null;
      scan.tracking_no = $("tracking-no").value.trim() || null;
    }
    await saveScan(scan);
    scans.push(scan);
    form.reset();
    $("parcel-info").textContent = "";
    showFields();
    render();
    status(note);
    codeInput.focus();
    if (navigator.onLine) syncNow();
    return null;
  }

  /* -- sending -------------------------------------------------------------------------- */
  class NeedsLogin extends Error {}
  let syncing = false;
  let retryIn = 0;
  let retryTimer = null;

  async function csrfToken() {
    const response = await fetch(DATA.urls.csrf, {credentials: "same-origin", headers: {Accept: "application/json"}});
    if (response.redirected || response.status === 401 || response.status === 403) throw new NeedsLogin();
    if (!response.ok) throw new Error(String(response.status));
    return (await response.json()).csrf_token;
  }

  function wire(s) {
    return {client_id: s.client_id, parcel_code: s.parcel_code, station_id: s.station_id, action: s.action,
      scanned_at: s.scanned_at, pickup_code: s.pickup_code, cash_received_fen: s.cash_received_fen,
      carrier: s.carrier, tracking_no: s.tracking_no};
  }

  async function refreshExpected() {
    const response = await fetch(DATA.urls.expected.replace("{id}", stationId),
      {credentials: "same-origin", headers: {Accept: "application/json"}});
    if (response.status === 401) throw new NeedsLogin();
    if (!response.ok) throw new Error(String(response.status));
    const body = await response.json();
    expected = {station_id: stationId, synced_at: body.synced_at, parcels: body.parcels};
    await saveExpected(expected);
  }

  async function syncNow() {
    if (syncing) return;
    syncing = true;
    status(W.sending);
    try {
      const queue = pending().sort((a, b) => a.seq - b.seq);
      if (queue.length) {
        const token = await csrfToken();
        for (let i = 0; i < queue.length; i += BATCH) {
          const chunk = queue.slice(i, i + BATCH);
          const response = await fetch(DATA.urls.batch, {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token},
            body: JSON.stringify({scans: chunk.map(wire)}),
          });
          if (response.status === 401) throw new NeedsLogin();
          if (!response.ok) throw new Error(String(response.status));
          const body = await response.json();
          for (const result of body.results) {
            const scan = chunk.find((s) => s.client_id === result.client_id);
            if (!scan) continue;
            Object.assign(scan, {state: result.status, reason: result.reason, message: result.message,
              advice: result.advice, pickup_code: null, sent_at: new Date().toISOString()});
            await saveScan(scan);
          }
          render();
        }
      }
      await refreshExpected();
      status(pending().length ? W.send_failed : W.sent_all);
      retryIn = 0;
    } catch (err) {
      if (err instanceof NeedsLogin) status(W.log_in_again, DATA.urls.login);
      else status(navigator.onLine ? W.send_failed : W.offline);
      // A signal that comes and goes: try again soon, then less and less often.
      if (!(err instanceof NeedsLogin) && navigator.onLine && pending().length) {
        retryIn = Math.min(retryIn ? retryIn * 2 : 2000, 60000);
        clearTimeout(retryTimer);
        retryTimer = setTimeout(syncNow, retryIn);
      }
    } finally {
      syncing = false;
      render();
    }
  }

  /* -- camera ------------------------------------------------------------------------------ */
  let stream = null;
  function stopCamera() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $("camera-box").hidden = true;
  }
  function found(text) {
    // A label's QR code may hold a tracking link: the parcel code is its last part.
    const code = normalise(String(text).split(/[/?#=]/).filter(Boolean).pop());
    codeInput.value = code;
    stopCamera();
    lookUp();
  }
  async function startCamera() {
    const video = $("camera");
    try {
      stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
    } catch (e) {
      return fail(W.camera_unavailable);
    }
    video.srcObject = stream;
    $("camera-box").hidden = false;
    await video.play().catch(() => null);
    let detector = null;
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector(); } catch (e) { detector = null; }
    }
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", {willReadFrequently: true});
    const tick = async () => {
      if (!stream) return;
      if (video.readyState >= 2) {
        try {
          if (detector) {
            const codes = await detector.detect(video);
            if (codes.length) return found(codes[0].rawValue);
          } else if (window.jsQR) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            context.drawImage(video, 0, 0);
            const image = context.getImageData(0, 0, canvas.width, canvas.height);
            const code = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
            if (code && code.data) return found(code.data);
          }
        } catch (e) {
          detector = null;  // fall back to jsQR
        }
      }
      requestAnimationFrame(tick);
      return null;
    };
    requestAnimationFrame(tick);
    return null;
  }

  /* -- start ------------------------------------------------------------------------------- */
  codeInput.addEventListener("input", lookUp);
  codeInput.addEventListener("change", lookUp);
  actionSelect.addEventListener("change", showFields);
  form.addEventListener("submit", record);
  $("sync-now").addEventListener("click", () => syncNow());
  $("camera-stop").textContent = W.camera_stop;
  $("camera-stop").addEventListener("click", stopCamera);
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("camera-start").hidden = false;
    $("camera-start").addEventListener("click", startCamera);
  }
  window.addEventListener("online", () => syncNow());
  window.addEventListener("offline", () => status(W.offline));
  setInterval(() => { if (navigator.onLine && pending().length) syncNow(); }, 60000);
  try {
    localStorage.setItem("station-app-station", String(stationId));
  } catch (e) { /* private mode */ }

  Promise.all([allScans(), loadExpected()]).then(([kept, synced]) => {
    scans = kept || [];
    expected = synced || null;
    render();
    showFields();
    $("sync-now").disabled = false;
    root.setAttribute("data-ready", "1");
    if (navigator.onLine) syncNow(); else status(W.offline);
  });
})();

// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  function applyShowIf(form) {
    var deps = form.querySelectorAll("[data-show-if]");
    deps.forEach(function (fs) {
      var parent = fs.getAttribute("data-show-if");
      var values = (fs.getAttribute("data-show-values") || "").split(" ");
      var parentShown = true;
      var parentSet = form.querySelector("#q-" + parent);
      if (parentSet && parentSet.hidden) parentShown = false;
      var chosen = Array.prototype.map.call(
        form.querySelectorAll('input[name="' + parent + '"]:checked'), function (i) { return i.value; });
      // a question whose gate is on an earlier page stays shown (the server decided)
      var show = !parentSet || (parentShown && chosen.some(function (v) { return values.indexOf(v) >= 0; }));
      fs.hidden = !show;
    });
  }

  // --- autosave: one small POST per changed question --------------------------------------
  // The page's own form posts to the same URL; `touched` names the question saved. The server
  // applies the page's validation and answers {saved: [...], errors: {id: [messages]}}.
  function autosave(form) {
    var status = form.querySelector(".autosave-status");
    var base = location.pathname.replace(/^(\/a\/[^/]+\/step\/\d+).*$/, "$1") + "/save";
    var pending = 0, dirty = {}, failed = {}, queue = Promise.resolve();
    function say(key) {
      if (!status) return;
      status.hidden = false;
      status.textContent = status.getAttribute("data-" + key) || "";
      status.classList.toggle("failed", key === "failed");
    }
    function showErrors(qid, messages) {
      var fs = form.querySelector("#q-" + qid);
      if (!fs) return;
      fs.querySelectorAll(".error-text.live").forEach(function (p) { p.remove(); });
      fs.classList.toggle("has-error", messages.length > 0);
      messages.forEach(function (m) {
        var p = document.createElement("p");
        p.className = "error-text live";
        p.textContent = m;
        var legend = fs.querySelector("legend");
        legend.parentNode.insertBefore(p, legend.nextSibling);
      });
    }
    function save(qid) {
      var data = new FormData();
      data.append("csrf_token", form.querySelector('input[name="csrf_token"]').value);
      data.append("touched", qid);
      form.querySelectorAll('[name="' + qid + '"]').forEach(function (input) {
        if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
        data.append(qid, input.value);
      });
      pending += 1;
      delete dirty[qid];
      say("saving");
      queue = queue.then(function () {
        return fetch(base, { method: "POST", body: data, credentials: "same-origin",
                             headers: { "X-Requested-With": "autosave" } });
      }).then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (body) {
          if (resp.status === 409 || resp.status === 410 || resp.status === 404) {
            location.reload();  // submitted or expired meanwhile: the page explains
            return;
          }
          var errors = (body && body.errors) || {};
          showErrors(qid, errors[qid] || []);
          if (resp.ok || resp.status === 422) { delete failed[qid]; } else { failed[qid] = true; }
        });
      }, function () { failed[qid] = true; }).then(function () {
        pending -= 1;
        if (pending === 0) say(Object.keys(failed).length ? "failed" : "saved");
      });
      return queue;
    }
    form.addEventListener("input", function (ev) {
      if (ev.target.name && ev.target.type === "number") dirty[ev.target.name] = true;
    });
    form.addEventListener("change", function (ev) {
      if (ev.target.name && ev.target.name !== "csrf_token") save(ev.target.name);
    });
    // The page's own post must be the last write: a save still in flight could otherwise land
    // after it and put back an older answer. Wait for the queue (at most a few seconds), then
    // post the form with the button that was pressed.
    form.addEventListener("submit", function (ev) {
      if (form.submitting) return;
      if (pending > 0) {
        ev.preventDefault();
        if (form.waiting) return;
        form.waiting = true;
        var submitter = ev.submitter;
        var late = new Promise(function (done) { setTimeout(done, 5000); });
        Promise.race([queue, late]).then(function () {
          form.submitting = true;
          dirty = {}; failed = {};
          if (submitter && submitter.name) {
            var pressed = document.createElement("input");
            pressed.type = "hidden";
            pressed.name = submitter.name;
            pressed.value = submitter.value;
            form.appendChild(pressed);
          }
          form.submit();
        });
        return;
      }
      dirty = {}; failed = {}; form.submitting = true;
    });
    function unsaved() {
      return pending > 0 || Object.keys(dirty).length > 0 || Object.keys(failed).length > 0;
    }
    // save what is still being typed, then go (the language switch, the logo, any link)
    function flushThen(href) {
      Object.keys(dirty).forEach(save);
      Object.keys(failed).forEach(save);
      queue.then(function () {
        if (!Object.keys(failed).length) { form.leaving = true; location.href = href; }
      });
    }
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest("a[href]");
      if (!a || !unsaved() || a.target || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      ev.preventDefault();
      flushThen(a.href);
    });
    window.addEventListener("beforeunload", function (ev) {
      if (form.submitting || form.leaving || !unsaved()) return;
      ev.preventDefault();
      ev.returnValue = status ? status.getAttribute("data-leave") : "";
      return ev.returnValue;
    });
  }

  // --- the profile keeps what was typed across a language switch or a reload ---------------
  function keep(form) {
    var key = "sme-keep:" + location.pathname;
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && !form.querySelector(".error-summary")) {
      Object.keys(saved).forEach(function (name) {
        form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
          if (input.type === "hidden") return;
          if (input.type === "radio") { input.checked = input.value === saved[name]; }
          else if (!input.value) { input.value = saved[name]; }
        });
      });
    }
    function store() {
      var data = {};
      new FormData(form).forEach(function (v, k) { if (k !== "csrf_token") data[k] = v; });
      try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* private mode */ }
    }
    form.addEventListener("input", store);
    form.addEventListener("change", store);
    form.addEventListener("submit", function () {
      try { sessionStorage.removeItem(key); } catch (e) { /* ignore */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.questions");
    if (form) {
      applyShowIf(form);
      form.addEventListener("change", function () { applyShowIf(form); });
      if (form.hasAttribute("data-autosave") && window.fetch && window.FormData) autosave(form);
    }
    var kept = document.querySelector("form[data-keep]");
    if (kept && window.sessionStorage) keep(kept);
    document.querySelectorAll("[data-copy]").forEach(function (btn) {
      if (!navigator.clipboard) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(btn.getAttribute("data-copy")).then(function () {
          btn.classList.add("copied");
          var status = btn.parentNode.querySelector(".copy-status");
          if (status) status.textContent = btn.getAttribute("data-copied") || "";
        });
      });
    });
    document.querySelectorAll("[data-share]").forEach(function (btn) {
      if (!navigator.share) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.share({ title: btn.getAttribute("data-share-title"),
                          text: btn.getAttribute("data-share-text"),
                          url: btn.getAttribute("data-share") }).catch(function () { /* dismissed */ });
      });
    });
    // error links move focus to the first option of the question, not to its group
    document.querySelectorAll(".error-summary a[href^='#']").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        var target = document.getElementById(a.getAttribute("href").slice(1));
        if (!target) return;
        var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
        if (input) { ev.preventDefault(); input.focus(); input.scrollIntoView({ block: "center" }); }
      });
    });
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  });
})();

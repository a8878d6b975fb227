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
      var show = parentShown && chosen.some(function (v) { return values.indexOf(v) >= 0; });
      fs.hidden = !show;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.questions");
    if (form) {
      applyShowIf(form);
      form.addEventListener("change", function () { applyShowIf(form); });
    }
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
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  });
})();

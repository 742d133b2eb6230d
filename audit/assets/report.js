(function () {
  "use strict";
  var rank = { error: 0, warning: 1, info: 2 };
  var sev = document.getElementById("f-severity");
  var region = document.getElementById("f-region");
  var api = document.getElementById("f-api");
  var shown = document.getElementById("shown-count");
  function apply() {
    var min = sev.value === "all" ? 3 : rank[sev.value];
    var count = 0;
    document.querySelectorAll("section.api").forEach(function (s) {
      var visible = (region.value === "all" || s.dataset.region === region.value) &&
        (api.value === "all" || s.dataset.key === api.value);
      var matching = 0;
      s.querySelectorAll("li.finding").forEach(function (li) {
        var ok = min === 3 || rank[li.dataset.severity] <= min;
        li.classList.toggle("hidden", !ok);
        if (ok) { matching++; }
      });
      if (min !== 3 && matching === 0) { visible = false; }
      s.classList.toggle("hidden", !visible);
      if (visible) { count++; }
    });
    shown.textContent = String(count);
    document.getElementById("none-shown").classList.toggle("hidden", count !== 0);
  }
  [sev, region, api].forEach(function (el) { el.addEventListener("change", apply); });
  apply();
})();

// The access-token countdown. The server renders the seconds left by its own clock, so the
// countdown does not depend on the browser's clock being right.
(function () {
  "use strict";
  var el = document.getElementById("countdown");
  if (!el) {
    return;
  }
  var remaining = Number(el.getAttribute("data-remaining"));
  var start = Date.now();
  var timer;
  function tick() {
    var left = Math.max(0, Math.ceil(remaining - (Date.now() - start) / 1000));
    if (left > 0) {
      el.textContent = left + " s";
      return;
    }
    el.textContent = "expired - the next request renews it";
    el.classList.add("expired");
    clearInterval(timer);
  }
  timer = setInterval(tick, 250);
  tick();
})();

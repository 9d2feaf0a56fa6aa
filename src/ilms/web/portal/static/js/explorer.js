// Enhancement only: the explorer works without this script. A changed filter applies itself.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var timer = null;
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { form.requestSubmit ? form.requestSubmit() : form.submit(); }, 600);
  });
})();

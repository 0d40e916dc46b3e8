// A file preview inside a closed <details> fetches its file when it is first opened (see Tasks/Detail.cshtml).
(function () {
  "use strict";
  document.querySelectorAll("details.preview-box").forEach(function (box) {
    box.addEventListener("toggle", function () {
      var frame = box.querySelector("iframe[data-src]");
      if (box.open && frame && !frame.getAttribute("src")) {
        frame.setAttribute("src", frame.dataset.src);
      }
    });
  });
})();

// Evidence upload: refuses a file that is too large or of a type the office does not take before it is sent, and says
// which one, next to the inputs (the server checks again and answers the same way).
(function () {
  "use strict";
  var allowed = /\.(pdf|jpe?g|png|docx?|xlsx?|txt)$/i;
  document.querySelectorAll("form.upload").forEach(function (form) {
    var max = Number(form.dataset.maxBytes || 0);
    var box = form.querySelector(".upload-error");
    var english = document.documentElement.lang === "en";
    var limit = max >= 1048576 ? (Math.round(max / 104857.6) / 10) + " MB" : Math.max(1, Math.floor(max / 1024)) + " KB";
    function check() {
      var problems = [];
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) {
          if (max && file.size > max) {
            problems.push(file.name + (english ? ": larger than " + limit + "." : "：超过 " + limit + " 上限。"));
          } else if (!allowed.test(file.name)) {
            problems.push(file.name + (english ? ": this type of file is not accepted (PDF, pictures, Word, Excel)." : "：不支持该文件类型（可上传 PDF、照片、Word、Excel）。"));
          }
        });
      });
      box.textContent = problems.join(" ");
      box.hidden = problems.length === 0;
      return problems.length === 0;
    }
    form.addEventListener("change", function (e) {
      var input = e.target;
      var chosen = input.closest(".file-pick") && input.closest(".file-pick").querySelector(".chosen");
      if (chosen) {
        var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        chosen.textContent = names.length ? names.join("、") : chosen.dataset.none;
      }
      check();
    });
    form.addEventListener("submit", function (e) { if (!check()) { e.preventDefault(); } });
  });
})();

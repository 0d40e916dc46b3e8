// Evidence upload: refuses a file that is too large or of a type the office does not take before it is sent, and says
// which one, next to the inputs (the server checks again and answers the same way).
(function () {
  "use strict";
  var allowed = /\.(pdf|jpe?g|png|docx?|xlsx?|txt)$/i;
  document.querySelectorAll("form.upload").forEach(function (form) {
    var max = Number(form.dataset.maxBytes || 0);
    var box = form.querySelector(".upload-error");
    var english = document.documentElement.lang === "en";
    function check() {
      var problems = [];
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) {
          if (max && file.size > max) {
            problems.push(file.name + (english ? ": larger than " + Math.round(max / 1048576) + " MB." : "：超过 " + Math.round(max / 1048576) + " MB 上限。"));
          } else if (!allowed.test(file.name)) {
            problems.push(file.name + (english ? ": this type of file is not accepted (PDF, pictures, Word, Excel)." : "：不支持该文件类型（可上传 PDF、照片、Word、Excel）。"));
          }
        });
      });
      box.textContent = problems.join(" ");
      box.hidden = problems.length === 0;
      return problems.length === 0;
    }
    form.addEventListener("change", check);
    form.addEventListener("submit", function (e) { if (!check()) { e.preventDefault(); } });
  });
})();

// Autosave: every change of an answer is posted at once (the same form POST the buttons send, without leaving the
// page), and the clock shows the server's remaining time. Without JavaScript the buttons save and move on.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.querySelector(".saved");
  function save() {
    var data = new FormData(form);
    fetch(form.action, { method: "POST", body: data, headers: { "X-Autosave": "1" }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) {
        status.className = result[0] ? "saved" : "saved failed";
        status.textContent = result[0] ? "已保存 Saved" : (result[1].error || "未保存 Not saved");
      })
      .catch(function () { status.className = "saved failed"; status.textContent = "网络中断，未保存 Offline: not saved"; });
  }
  if (form && status) {
    var timer = null;
    form.addEventListener("change", save);
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA" || event.target.type === "text") {
        clearTimeout(timer);
        timer = setTimeout(save, 800);
      }
    });
  }
  var clock = document.querySelector(".clock[data-seconds]");
  if (clock) {
    var ends = Date.now() + 1000 * parseInt(clock.getAttribute("data-seconds"), 10);
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left < 300) { clock.classList.add("low"); }
      if (left === 0) { window.location.href = "/quiz/result"; return; }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();

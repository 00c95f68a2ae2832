// ppncheck review: keyboard shortcuts, the scratch pad, copying a draft. No libraries.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf") || "";

  // -- note view: j/k move through findings (then to the next/previous note), a/d decide --
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var current = -1;
  function select(i) {
    if (!findings.length) return;
    if (current >= 0) findings[current].classList.remove("current");
    current = i;
    findings[current].classList.add("current");
    findings[current].focus({ preventScroll: true });
    findings[current].scrollIntoView({ block: "nearest" });
  }
  function go(id) {
    var link = document.getElementById(id);
    if (link) window.location.href = link.href;
  }
  function decide(value) {
    if (current < 0) return;
    var button = findings[current].querySelector('button[value="' + value + '"]');
    if (button) button.click();
  }
  if (findings.length) {
    var target = window.location.hash ? document.querySelector(window.location.hash) : null;
    var start = findings.indexOf(target);
    if (start < 0) {
      start = findings.findIndex(function (f) { return !f.classList.contains("decided"); });
    } else if (start + 1 < findings.length) {
      // after deciding, move on to the next undecided finding
      var rest = findings.slice(start + 1).findIndex(function (f) { return !f.classList.contains("decided"); });
      if (rest >= 0) start = start + 1 + rest;
    }
    select(start < 0 ? 0 : start);
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") {
      if (current + 1 < findings.length) select(current + 1); else go("next-note");
    } else if (event.key === "k") {
      if (current > 0) select(current - 1); else go("prev-note");
    } else if (event.key === "a") {
      decide("accept");
    } else if (event.key === "d") {
      decide("false_alarm");
    } else {
      return;
    }
    event.preventDefault();
  });

  // -- scratch pad and good/bad view: check as you type --
  Array.prototype.forEach.call(document.querySelectorAll("[data-scratch]"), function (box) {
    var input = box.querySelector(".scratch-input");
    var output = box.querySelector(".scratch-output");
    var timer = null;
    var seq = 0;
    function render(data) {
      output.textContent = "";
      var status = document.createElement("p");
      status.className = "status";
      status.textContent = data.findings.length + " finding" + (data.findings.length === 1 ? "" : "s") +
        (data.ok ? ", no errors" : "");
      output.appendChild(status);
      var text = document.createElement("div");
      text.className = "rendered";
      text.innerHTML = data.html; // escaped on the server (the note view's highlighter)
      output.appendChild(text);
      var list = document.createElement("ul");
      list.className = "scratch-findings";
      data.findings.forEach(function (f) {
        var li = document.createElement("li");
        li.className = "sev-" + f.severity;
        var head = document.createElement("strong");
        head.textContent = f.rule_id + " (" + f.severity + ") · " + f.where + ": ";
        li.appendChild(head);
        li.appendChild(document.createTextNode(f.message));
        if (f.suggestion) {
          var s = document.createElement("div");
          s.className = "suggestion";
          s.textContent = "Instead: " + f.suggestion;
          li.appendChild(s);
        }
        if (f.score !== null && f.score !== undefined) {
          var sc = document.createElement("div");
          sc.className = "score";
          sc.textContent = "Score " + f.score.toFixed(2) + (f.threshold !== null ? " against " + f.threshold.toFixed(2) : "");
          li.appendChild(sc);
        }
        list.appendChild(li);
      });
      output.appendChild(list);
    }
    function check() {
      var mine = ++seq;
      if (!input.value.trim()) { output.textContent = ""; return; }
      fetch("/api/check", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ text: input.value })
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (mine !== seq) return; // a newer check is on its way
        if (data.error) { output.textContent = data.error; return; }
        render(data);
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
  });

  // -- feedback: copy the draft --
  var copy = document.getElementById("copy-draft");
  if (copy) {
    copy.addEventListener("click", function () {
      var text = document.getElementById("draft").textContent;
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text).then(function () { copy.textContent = "Copied"; });
      } else {
        var range = document.createRange();
        range.selectNodeContents(document.getElementById("draft"));
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        document.execCommand("copy");
        copy.textContent = "Copied";
      }
    });
  }

  // -- queue: filters apply as soon as they change --
  var filters = document.getElementById("filters");
  if (filters) {
    Array.prototype.forEach.call(filters.querySelectorAll("select"), function (s) {
      s.addEventListener("change", function () { filters.submit(); });
    });
  }
})();
